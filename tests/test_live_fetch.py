"""load_live against a real server on 127.0.0.1: what each answer gives, the cache
policy, empty days, paging, arXiv replacements, and that nothing but FetchError
ever leaves it (docs/live-sources.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.live_server import LiveServer, Reply, fixture
from tui.live import FetchError, LiveResult, LiveSpec, load_live, parse_spec, status_text, stderr_line
from tui.live.cache import entry_path
from tui.live.fetch import FetchCancelled, page_url
from tui.live.http import HttpLimits

REPO = Path(__file__).resolve().parent.parent
DAY_JSON = fixture("hf_daily_2024-10-22.json")
FEED = fixture("arxiv_cs_cv_lg.rss.xml")
FAST = HttpLimits(connect_timeout=1.0, response_timeout=1.0, sleep=lambda _: None)
ON_THE_DAY = datetime(2024, 10, 22, 12, 0, tzinfo=UTC)
"""A clock inside 2024-10-22, so that day is not settled yet and the cache revalidates."""


def spec(text: str) -> LiveSpec:
    parsed = parse_spec(text, today=datetime(2026, 12, 5).date())
    assert parsed is not None
    return parsed


def day_path(day: str, page: int = 0) -> str:
    return f"/api/daily_papers?date={day}&limit=100&p={page}"


def clock(moment: datetime) -> list[datetime]:
    """A settable clock: tests change ``[0]``."""
    return [moment]


def load(text: str, at: list[datetime] | None = None, **kwargs: object) -> LiveResult:
    now = (lambda: at[0]) if at is not None else None
    return load_live(spec(text), limits=FAST, now=now, **kwargs)  # type: ignore[arg-type]


def fails(text: str, at: list[datetime] | None = None, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        load(text, at, **kwargs)
    assert "\n" not in caught.value.message
    return caught.value


def items(count: int, start: int = 0) -> bytes:
    papers = [
        {"paper": {"id": f"2410.{10000 + number}", "title": f"Paper {number}", "summary": "An abstract.",
                   "authors": [{"name": "A. Author", "hidden": False}], "upvotes": number,
                   "publishedAt": "2024-10-21T00:00:00.000Z"},
         "numComments": 0}
        for number in range(start, start + count)
    ]
    return json.dumps(papers).encode()


# --- a day, fetched -------------------------------------------------------------------


def test_a_day_is_fetched_and_parsed_as_hf_json(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON))
    at = clock(ON_THE_DAY)
    result = load("hf:2024-10-22", at)
    digest = result.digest
    assert (digest.format, digest.source, digest.date) == ("hf-json", "hf:2024-10-22", "2024-10-22")
    assert [paper.arxiv_id for paper in digest.papers] == ["2410.16256", "2410.15977", "2410.16012"]
    assert digest.papers[0].authors == ("Lin Harrow", "Odile Marchetti", "Withheld Coauthor")  # hidden: still an author
    assert digest.papers[0].get_extra("upvotes") == "57"
    assert digest.papers[0].get_extra("ai_summary") == (
        "A fixed-size keyframe memory lets video-language models follow streams of any length."
    )
    assert digest.papers[1].code_url == "https://github.com/ekdahl/compute-matched"  # a bare owner/repo
    assert (result.from_cache, result.stale_reason, result.note, result.fetched_at) == (False, None, None, ON_THE_DAY)
    assert result.spec == spec("hf:2024-10-22")
    assert entry_path(server.url + day_path("2024-10-22")).exists()


def test_a_week_and_a_month_ask_the_api_for_them(server: LiveServer) -> None:
    server.route("/api/daily_papers?week=2024-W43&limit=100&p=0", Reply(body=DAY_JSON))
    server.route("/api/daily_papers?month=2024-10&limit=100&p=0", Reply(body=DAY_JSON))
    assert len(load("hf:2024-W43").digest.papers) == 3
    month = load("hf:2024-10")
    assert (len(month.digest.papers), month.digest.source, month.digest.date) == (3, "hf:2024-10", None)


def test_every_page_is_fetched_until_a_short_one(server: LiveServer) -> None:
    server.route(day_path("2024-10-22", 0), Reply(body=items(100, 0)))
    server.route(day_path("2024-10-22", 1), Reply(body=items(100, 100)))
    server.route(day_path("2024-10-22", 2), Reply(body=items(50, 200)))
    result = load("hf:2024-10-22")
    assert len(result.digest.papers) == 250
    assert result.digest.papers[-1].title == "Paper 249"
    assert [request.path for request in server.requests] == [day_path("2024-10-22", page) for page in range(3)]


def test_exactly_a_full_page_asks_for_the_next_one(server: LiveServer) -> None:
    server.route(day_path("2024-10-22", 0), Reply(body=items(100)))
    server.route(day_path("2024-10-22", 1), Reply(body=b"[]"))
    assert len(load("hf:2024-10-22").digest.papers) == 100
    assert len(server.requests) == 2


def test_progress_counts_the_bytes_of_every_page(server: LiveServer) -> None:
    first, second = items(100), items(3, 100)
    server.route(day_path("2024-10-22", 0), Reply(body=first))
    server.route(day_path("2024-10-22", 1), Reply(body=second))
    seen: list[int] = []
    load("hf:2024-10-22", progress=lambda size, _elapsed: seen.append(size))
    assert seen[-1] == len(first) + len(second)


# --- empty days -----------------------------------------------------------------------


def test_an_empty_weekend_steps_back_to_the_friday_and_says_so(server: LiveServer) -> None:
    server.route(day_path("2024-10-27"), Reply(body=b"[]"))
    server.route(day_path("2024-10-26"), Reply(body=b"[]"))
    server.route(day_path("2024-10-25"), Reply(body=DAY_JSON))
    result = load("hf:2024-10-27")
    assert result.spec == spec("hf:2024-10-25")
    assert result.digest.source == "hf:2024-10-25"
    assert len(result.digest.papers) == 3
    assert result.note == "no papers from Sat 2024-10-26 to Sun 2024-10-27; showing Fri 2024-10-25"


def test_one_empty_day_is_named(server: LiveServer) -> None:
    server.route(day_path("2024-10-26"), Reply(body=b"[]"))
    server.route(day_path("2024-10-25"), Reply(body=DAY_JSON))
    assert load("hf:2024-10-26").note == "no papers on Sat 2024-10-26; showing Fri 2024-10-25"


def test_stepping_back_stops_after_seven_days(server: LiveServer) -> None:
    server.route(day_path("2024-10-13"), Reply(body=DAY_JSON))  # 9 days before: too far
    for day in range(14, 23):
        server.route(day_path(f"2024-10-{day}"), Reply(body=b"[]"))
    result = load("hf:2024-10-22")
    assert result.spec == spec("hf:2024-10-22") and result.digest.papers == ()
    assert result.note == "no papers on Tue 2024-10-22 nor the 7 days before"
    assert len(server.requests) == 8


def test_stepping_forward_goes_to_the_next_day_with_papers(server: LiveServer) -> None:
    server.route(day_path("2024-10-26"), Reply(body=b"[]"))
    server.route(day_path("2024-10-27"), Reply(body=b"[]"))
    server.route(day_path("2024-10-28"), Reply(body=DAY_JSON))
    result = load("hf:2024-10-26", empty_step=1)
    assert result.spec == spec("hf:2024-10-28")
    assert result.note == "no papers from Sat 2024-10-26 to Sun 2024-10-27; showing Mon 2024-10-28"


def test_an_empty_week_is_not_stepped(server: LiveServer) -> None:
    server.route("/api/daily_papers?week=2024-W43&limit=100&p=0", Reply(body=b"[]"))
    result = load("hf:2024-W43")
    assert (result.digest.papers, result.note, len(server.requests)) == ((), None, 1)


# --- arXiv -------------------------------------------------------------------------------


def test_arxiv_leaves_out_replacements_and_says_so(server: LiveServer) -> None:
    server.route("/rss/cs.CV+cs.LG", Reply(body=FEED, content_type="application/rss+xml"))
    result = load("arxiv:cs.CV+cs.LG")
    assert [paper.get_extra("kind") for paper in result.digest.papers] == ["new", "cross"]
    assert (result.digest.format, result.digest.source) == ("arxiv-feed", "arxiv:cs.CV+cs.LG")
    assert result.note == "2 replacements left out (--replacements shows them)"
    kept = load("arxiv:cs.CV+cs.LG", replacements=True)
    assert [paper.get_extra("kind") for paper in kept.digest.papers] == ["new", "cross", "replace", "replace-cross"]
    assert kept.note is None


def test_an_empty_arxiv_feed_is_an_empty_digest(server: LiveServer) -> None:
    server.route("/rss/cs.CL", Reply(body=fixture("arxiv_weekend_empty.rss.xml"), content_type="application/rss+xml"))
    result = load("arxiv:cs.CL")
    assert (result.digest.papers, result.digest.problems, result.note) == ((), (), None)


def test_an_html_page_instead_of_a_feed_is_bad_data(server: LiveServer) -> None:
    server.route("/rss/cs.CL", Reply(body=fixture("hf_error_page.html"), content_type="text/html"))
    error = fails("arxiv:cs.CL")
    assert error.exit_code == 65 and "an HTML page, not a feed" in error.message


def test_arxiv_requests_are_spaced(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.live import http

    monkeypatch.setattr(http.ARXIV_LIMITER, "interval", 0.4)
    server.route("/rss/cs.CL", Reply(body=FEED))
    started = time.monotonic()
    limits = HttpLimits(response_timeout=2.0)  # with a real sleep
    load_live(spec("arxiv:cs.CL"), mode="refresh", limits=limits)
    load_live(spec("arxiv:cs.CL"), mode="refresh", limits=limits)
    assert time.monotonic() - started >= 0.39


# --- failures without a cached copy ----------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "code", "words"),
    [
        (Reply(404, b'{"error":"Not Found"}'), 69, "fetch failed: HTTP 404 Not Found"),
        (Reply(500, b"oops"), 69, "fetch failed: HTTP 500 Internal Server Error"),
        (Reply(429, headers={"Retry-After": "3600"}), 69, "rate limited"),
        (Reply(body=b"", content_type="application/json"), 65, "bad response: an empty response"),
        (Reply(body=fixture("hf_error_page.html"), content_type="text/html"), 65, "an HTML page, not JSON"),
        (Reply(body=b'[{"paper": {"id": "2410.16256", "title": "Tide'), 65, "invalid JSON (cut off?)"),
        (Reply(body=b'{"error": "Invalid date"}'), 65, "the server said: Invalid date"),
        (Reply(body=b'{"papers": []}'), 65, "a JSON dict, not a list of papers"),
        (Reply(body=b"[1, 2, 3]"), 65, "not papers"),
        (Reply(body=DAY_JSON, cut_after=300), 69, "closed before the response was complete"),
    ],
)
def test_a_failure_without_a_cached_copy_is_one_line_and_a_status(
    server: LiveServer, reply: Reply, code: int, words: str
) -> None:
    server.route(day_path("2024-10-22"), reply)
    error = fails("hf:2024-10-22")
    assert error.exit_code == code
    assert error.message.startswith("hf 2024-10-22: ")
    assert words in error.message
    assert not entry_path(server.url + day_path("2024-10-22")).exists()


def test_a_slow_server_times_out_quickly(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON, delay=1.6))
    started = time.monotonic()
    assert "no complete response within 1 s" in fails("hf:2024-10-22").message
    assert time.monotonic() - started < 1.5


def test_a_redirect_to_another_host_is_not_followed(server: LiveServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    server.route(day_path("2024-10-22"), Reply(302, headers={"Location": f"http://localhost:{port}{day_path('2024-10-21')}"}))
    assert "redirected to another host" in fails("hf:2024-10-22").message
    assert len(server.requests) == 1


def test_nothing_listening_is_connection_refused() -> None:
    error = fails("hf:2024-10-22")  # HF_ENDPOINT is the unroutable default of the fixture
    assert (error.exit_code, error.message) == (69, "hf 2024-10-22: fetch failed: connection refused")


def test_a_bad_endpoint_is_still_only_a_fetch_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "ftp://example.invalid")
    assert fails("hf:2024-10-22").exit_code == 69


def test_an_unknown_mode_is_a_fetch_error() -> None:
    assert "unknown fetch mode" in fails("hf:2024-10-22", mode="sometimes").message


def test_cancelling_a_fetch_returns_at_once(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON, delay=1.5))
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    with pytest.raises(FetchCancelled):
        load_live(spec("hf:2024-10-22"), limits=HttpLimits(response_timeout=10), cancelled=stop.is_set)
    assert time.monotonic() - started < 0.6


def test_a_cancelled_load_makes_no_request(server: LiveServer) -> None:
    with pytest.raises(FetchCancelled):
        load("hf:2024-10-22", cancelled=lambda: True)
    assert server.requests == []


# --- status lines --------------------------------------------------------------------


def result(from_cache: bool, stale: str | None, fetched: datetime) -> LiveResult:
    from digest_parser.models import Digest

    return LiveResult(Digest("hf-json", "hf:2026-12-04"), spec("hf:2026-12-04"), fetched, from_cache, stale, None)


def test_status_text_says_when_and_why() -> None:
    now = datetime(2026, 12, 4, 13, 42, tzinfo=UTC)
    fetched = now - timedelta(hours=3)
    local = fetched.astimezone().strftime("%H:%M")
    assert status_text(result(False, None, now), now) == f"fetched {now.astimezone():%H:%M}"
    assert status_text(result(True, None, fetched), now) == "cached 3 h ago"
    assert status_text(result(True, "offline", fetched), now) == "cached 3 h ago (offline)"
    assert (status_text(result(True, "fetch failed: connection refused", fetched), now)
            == "offline: cached 3 h ago; fetch failed: connection refused")
    assert status_text(result(True, None, now - timedelta(seconds=20)), now) == "cached just now"
    assert status_text(result(True, None, now - timedelta(minutes=5)), now) == "cached 5 min ago"
    assert status_text(result(True, None, now - timedelta(days=3)), now) == "cached 3 days ago"
    assert local in status_text(result(False, None, fetched), now)


def test_the_parse_stderr_line_says_whether_it_came_from_the_cache() -> None:
    now = datetime(2026, 12, 4, 13, 42, tzinfo=UTC)
    assert stderr_line(result(False, None, now), now) == "hf 2026-12-04: 0 papers fetched"
    assert stderr_line(result(True, "offline", now - timedelta(hours=3)), now) == (
        "hf 2026-12-04: 0 papers from the cache (cached 3 h ago (offline))"
    )


# --- start-up ----------------------------------------------------------------------------


def test_the_reader_start_up_and_the_specs_import_no_http_client() -> None:
    script = (
        "import json, sys\n"
        "import tui.launch, tui.live\n"
        "from tui.core.sources import expand\n"
        "expand(['hf', 'arxiv:cs.CL'])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 0, run.stderr
    loaded = set(json.loads(run.stdout))
    late = {"httpx", "httpcore", "tui.live.fetch", "tui.live.http", "tui.live.cache", "tui.stores.files", "platformdirs"}
    assert loaded.isdisjoint(late), loaded & late


def test_page_urls_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example/")
    monkeypatch.setenv("DIGEST_READER_ARXIV_RSS", "https://rss.example")
    assert page_url(spec("hf:2024-10-22"), 2) == "https://hf-mirror.example/api/daily_papers?date=2024-10-22&limit=100&p=2"
    assert page_url(spec("hf:2024-W43")) == "https://hf-mirror.example/api/daily_papers?week=2024-W43&limit=100&p=0"
    assert page_url(spec("arxiv:cs.CV+cs.LG")) == "https://rss.example/rss/cs.CV+cs.LG"
    monkeypatch.delenv("HF_ENDPOINT")
    monkeypatch.delenv("DIGEST_READER_ARXIV_RSS")
    assert page_url(spec("hf:2024-10")).startswith("https://huggingface.co/api/daily_papers?month=2024-10&")
    assert page_url(spec("arxiv:cs.CL")) == "https://rss.arxiv.org/rss/cs.CL"
