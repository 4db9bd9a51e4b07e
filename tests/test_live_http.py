"""The HTTP client of the live sources against a real server on 127.0.0.1: status
codes, time limits, size cap, redirects, 429 waits, arXiv's request spacing and
cancellation (docs/live-sources.md, "HTTP")."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from tests.live_server import LiveServer, Reply
from tui.live.http import Cancelled, HttpFailure, HttpLimits, HttpSession, RateLimiter, retry_delay, user_agent

FAST = HttpLimits(connect_timeout=1.0, response_timeout=0.6)


def get(server: LiveServer, path: str, limits: HttpLimits = FAST, **kwargs: object) -> object:
    with HttpSession(limits) as session:
        return session.get(server.url + path, **kwargs)  # type: ignore[arg-type]


def failure(server: LiveServer, path: str, limits: HttpLimits = FAST) -> HttpFailure:
    with pytest.raises(HttpFailure) as caught:
        get(server, path, limits)
    assert "\n" not in caught.value.reason
    return caught.value


def test_200_gives_the_body_and_sends_our_user_agent(server: LiveServer) -> None:
    server.route("/a", Reply(body=b"[]", headers={"ETag": '"v1"'}))
    response = get(server, "/a")
    assert response.status == 200 and response.body == b"[]"  # type: ignore[attr-defined]
    assert response.headers["etag"] == '"v1"'  # type: ignore[attr-defined]
    assert response.content_type == "application/json"  # type: ignore[attr-defined]
    assert server.requests[0].headers["user-agent"] == user_agent()
    assert user_agent().startswith("digest-reader/")


def test_304_is_an_answer_not_a_failure(server: LiveServer) -> None:
    server.route("/a", Reply(304, b""))
    assert get(server, "/a", headers={"If-None-Match": '"v1"'}).status == 304  # type: ignore[attr-defined]
    assert server.requests[0].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize(
    ("status", "words"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"), (418, "HTTP 418")]
)
def test_error_statuses_fail_with_the_status(server: LiveServer, status: int, words: str) -> None:
    server.route("/a", Reply(status, b"nope"))
    assert words in failure(server, "/a").reason


def test_connection_refused(server: LiveServer) -> None:
    with HttpSession(FAST) as session, pytest.raises(HttpFailure) as caught:
        session.get("http://127.0.0.1:9/a")
    assert caught.value.reason == "connection refused"


def test_a_slow_response_times_out_within_the_limit(server: LiveServer) -> None:
    server.route("/slow", Reply(body=b"[]", delay=1.5))
    started = time.monotonic()
    reason = failure(server, "/slow").reason
    assert time.monotonic() - started < 1.2
    assert "no complete response within 0.6 s" in reason


def test_a_body_that_trickles_past_the_limit_times_out(server: LiveServer) -> None:
    server.route("/trickle", Reply(body=b"[" + b" " * 40 + b"]", chunk_bytes=4, chunk_delay=0.1))
    started = time.monotonic()
    assert "no complete response" in failure(server, "/trickle").reason
    assert time.monotonic() - started < 1.2


def test_a_body_cut_off_mid_json_fails(server: LiveServer) -> None:
    server.route("/cut", Reply(body=b'[{"paper": {"id": "2410.16256", "title": "Tide', cut_after=20))
    assert "closed before the response was complete" in failure(server, "/cut").reason


def test_an_oversized_body_is_refused_by_its_declared_length(server: LiveServer) -> None:
    limits = HttpLimits(connect_timeout=1.0, response_timeout=5.0, max_bytes=1000)
    server.route("/declared", Reply(body=b"x" * 5000))
    refused = failure(server, "/declared", limits)
    assert refused.bad_data and "larger than" in refused.reason


def test_an_oversized_body_without_a_length_is_counted_and_cut_off(server: LiveServer) -> None:
    limits = HttpLimits(connect_timeout=1.0, response_timeout=5.0, max_bytes=1000)
    server.route("/streamed", Reply(body=b"x" * 5000, send_length=False, chunk_bytes=500))
    refused = failure(server, "/streamed", limits)
    assert refused.bad_data and "larger than" in refused.reason
    server.route("/fits", Reply(body=b"x" * 1000, send_length=False))
    assert len(get(server, "/fits", limits).body) == 1000  # type: ignore[attr-defined]


def test_redirects_are_followed_within_the_same_host(server: LiveServer) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=b"[]"))
    response = get(server, "/old")
    assert response.body == b"[]"  # type: ignore[attr-defined]
    assert response.url.endswith("/new")  # type: ignore[attr-defined]


def test_a_redirect_to_another_host_is_refused(server: LiveServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    server.route("/away", Reply(302, headers={"Location": f"http://localhost:{port}/new"}))
    server.route("/new", Reply(body=b"[]"))
    assert "redirected to another host (localhost" in failure(server, "/away").reason
    assert [request.path for request in server.requests] == ["/away"]


def test_a_redirect_loop_ends(server: LiveServer) -> None:
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    assert "more than 5 redirects" in failure(server, "/loop").reason


def test_429_waits_as_retry_after_says_then_retries(server: LiveServer) -> None:
    slept: list[float] = []
    limits = HttpLimits(connect_timeout=1.0, response_timeout=2.0, sleep=slept.append)
    server.route("/busy", [Reply(429, headers={"Retry-After": "7"}), Reply(body=b"[]")])
    assert get(server, "/busy", limits).body == b"[]"  # type: ignore[attr-defined]
    assert sum(slept) == pytest.approx(7.0)
    assert len(server.requests) == 2


def test_429_with_a_ratelimit_field_waits_its_reset(server: LiveServer) -> None:
    slept: list[float] = []
    limits = HttpLimits(connect_timeout=1.0, response_timeout=2.0, sleep=slept.append)
    server.route("/busy", [Reply(429, headers={"RateLimit": '"api";r=0;t=12'}), Reply(body=b"[]")])
    get(server, "/busy", limits)
    assert sum(slept) == pytest.approx(12.0)


def test_429_asking_for_more_than_a_minute_gives_up_with_a_message(server: LiveServer) -> None:
    slept: list[float] = []
    limits = HttpLimits(connect_timeout=1.0, response_timeout=2.0, sleep=slept.append)
    server.route("/busy", Reply(429, headers={"Retry-After": "600"}))
    reason = failure(server, "/busy", limits).reason
    assert "rate limited" in reason and "10 min" in reason
    assert slept == []


def test_429_forever_gives_up_after_a_few_tries(server: LiveServer) -> None:
    limits = HttpLimits(connect_timeout=1.0, response_timeout=2.0, sleep=lambda _: None)
    server.route("/busy", Reply(429, headers={"Retry-After": "1"}))
    assert "still rate limited" in failure(server, "/busy", limits).reason
    assert len(server.requests) == 3


def test_retry_delay_reads_the_headers() -> None:
    assert retry_delay({"retry-after": "30"}) == 30
    assert retry_delay({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412420.0) == pytest.approx(60)
    assert retry_delay({"ratelimit": "limit=100, remaining=0, reset=50"}) == 50
    assert retry_delay({"ratelimit": '"default";r=0;t=9'}) == 9
    assert retry_delay({"ratelimit-reset": "5"}) == 5
    assert retry_delay({"retry-after": "soon"}) is None
    assert retry_delay({}) is None


def test_cancelling_a_slow_response_returns_at_once(server: LiveServer) -> None:
    server.route("/slow", Reply(body=b"[]", delay=1.5))
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        get(server, "/slow", HttpLimits(response_timeout=10.0), cancelled=stop.is_set)
    assert time.monotonic() - started < 0.6


def test_progress_reports_bytes_and_time_at_most_ten_times_a_second(server: LiveServer) -> None:
    body = b"[" + b" " * 3998 + b"]"
    server.route("/chunks", Reply(body=body, chunk_bytes=1000, chunk_delay=0.15))
    calls: list[tuple[int, float]] = []
    get(server, "/chunks", HttpLimits(response_timeout=5.0), progress=lambda size, elapsed: calls.append((size, elapsed)))
    assert calls[-1][0] == len(body)
    assert [size for size, _ in calls] == sorted(size for size, _ in calls)
    duration = calls[-1][1]
    assert len(calls) <= duration * 10 + 2


def test_the_rate_limiter_spaces_requests_across_threads() -> None:
    limiter = RateLimiter(0.1)
    times: list[float] = []
    lock = threading.Lock()

    def request() -> None:
        time.sleep(limiter.reserve())
        with lock:
            times.append(time.monotonic())

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert all(gap >= 0.09 for gap in gaps), gaps


def test_arxiv_requests_go_through_the_limiter(server: LiveServer) -> None:
    limiter = RateLimiter(0.3)
    server.route("/rss/cs.CL", Reply(body=b"<rss/>"))
    with HttpSession(FAST) as session:
        started = time.monotonic()
        session.get(server.url + "/rss/cs.CL", limiter=limiter)
        session.get(server.url + "/rss/cs.CL", limiter=limiter)
        assert time.monotonic() - started >= 0.29
