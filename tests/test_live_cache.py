"""The cache of fetched responses: offline after a fetch, freshness, ETag
revalidation, bad answers that never replace a good copy, corrupt entries set
aside, 60-day pruning, and `digest-reader cache` (docs/live-sources.md, "The cache")."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.live_server import LiveServer, Reply, Request, fixture
from tui.live import FetchError, LiveResult, LiveSpec, cache, load_live, parse_spec, status_text
from tui.live.cache import CacheEntry, entry_path
from tui.live.http import HttpLimits

DAY_JSON = fixture("hf_daily_2024-10-22.json")
FAST = HttpLimits(connect_timeout=1.0, response_timeout=1.0, sleep=lambda _: None)
ON_THE_DAY = datetime(2024, 10, 22, 12, 0, tzinfo=UTC)
DAY = "/api/daily_papers?date=2024-10-22&limit=100&p=0"


def spec(text: str = "hf:2024-10-22") -> LiveSpec:
    parsed = parse_spec(text, today=datetime(2026, 12, 5).date())
    assert parsed is not None
    return parsed


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def load(clock: Clock, mode: str = "auto", text: str = "hf:2024-10-22") -> LiveResult:
    return load_live(spec(text), mode=mode, limits=FAST, now=clock)


def fetched_once(server: LiveServer, clock: Clock, etag: str = '"v1"') -> LiveResult:
    server.route(DAY, Reply(body=DAY_JSON, headers={"ETag": etag, "Last-Modified": "Tue, 22 Oct 2024 11:00:00 GMT"}))
    first = load(clock)
    assert not first.from_cache and len(first.digest.papers) == 3
    return first


def entry(server: LiveServer) -> CacheEntry:
    found = cache.read(server.url + DAY)
    assert found is not None
    return found


# --- offline, fresh, revalidated --------------------------------------------------------


def test_offline_after_a_fetch_opens_the_cached_copy_without_a_request(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    clock.advance(hours=3)
    result = load(clock, "offline")
    assert (result.from_cache, result.stale_reason, len(result.digest.papers)) == (True, "offline", 3)
    assert result.fetched_at == ON_THE_DAY
    assert status_text(result, clock()) == "cached 3 h ago (offline)"
    assert len(server.requests) == 1


def test_offline_without_a_cached_copy_fails_without_touching_the_network(server: LiveServer) -> None:
    with pytest.raises(FetchError) as caught:
        load(Clock(ON_THE_DAY), "offline")
    assert caught.value.exit_code == 69
    assert caught.value.message == "hf 2024-10-22: not in the cache, and --offline forbids fetching it"
    assert server.requests == []


def test_opened_again_within_15_minutes_the_cache_is_used_without_a_request(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    clock.advance(minutes=14)
    result = load(clock)
    assert (result.from_cache, result.stale_reason) == (True, None)
    assert status_text(result, clock()) == "cached 14 min ago"
    assert len(server.requests) == 1


def test_after_15_minutes_it_revalidates_and_a_304_keeps_the_cache(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    server.route(DAY, Reply(304))
    clock.advance(minutes=16)
    result = load(clock)
    request = server.requests[-1]
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Tue, 22 Oct 2024 11:00:00 GMT"
    assert (result.from_cache, result.stale_reason, len(result.digest.papers)) == (True, None, 3)
    assert result.fetched_at == clock()  # confirmed current now
    kept = entry(server)
    assert (kept.fetched_at, kept.checked_at, kept.body) == (ON_THE_DAY, clock(), DAY_JSON)
    clock.advance(minutes=5)
    load(clock)  # confirmed 5 minutes ago: no request
    assert len(server.requests) == 2


def test_a_changed_day_replaces_the_cached_copy(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)

    def answer(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v2"':
            return Reply(304)
        return Reply(body=DAY_JSON.replace(b'"upvotes": 57', b'"upvotes": 99'), headers={"ETag": '"v2"'})

    server.route(DAY, answer)
    clock.advance(hours=1)
    result = load(clock)
    assert not result.from_cache and result.digest.papers[0].get_extra("upvotes") == "99"
    assert entry(server).etag == '"v2"'


def test_refresh_always_fetches_without_conditions(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    clock.advance(minutes=1)
    result = load(clock, "refresh")
    assert not result.from_cache
    assert len(server.requests) == 2
    assert "if-none-match" not in server.requests[-1].headers


def test_a_day_that_ended_more_than_two_days_ago_is_settled(server: LiveServer) -> None:
    clock = Clock(datetime(2024, 10, 25, 1, 0, tzinfo=UTC))  # the 22nd ended on the 23rd at 00:00
    fetched_once(server, clock)
    clock.advance(days=30)
    assert load(clock).from_cache
    assert len(server.requests) == 1


def test_a_copy_made_during_the_day_is_revalidated_once_the_day_is_over(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    server.route(DAY, Reply(304))
    clock.advance(days=10)
    load(clock)  # the copy may lack the day's later papers: ask
    load(clock)  # now confirmed after the day ended: settled
    assert len(server.requests) == 2


# --- bad answers never replace a good copy --------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(500, b"oops"), "fetch failed: HTTP 500 Internal Server Error"),
        (Reply(404, b"{}"), "fetch failed: HTTP 404 Not Found"),
        (Reply(429, headers={"Retry-After": "900"}), "fetch failed: rate limited"),
        (Reply(body=fixture("hf_error_page.html"), content_type="text/html"), "bad response: an HTML page, not JSON"),
        (Reply(body=DAY_JSON[:200]), "bad response: invalid JSON (cut off?)"),
        (Reply(body=DAY_JSON, cut_after=200), "fetch failed: the connection closed before the response was complete"),
        (Reply(body=b'{"error": "Invalid date"}'), "bad response: the server said: Invalid date"),
        (Reply(body=b""), "bad response: an empty response"),
        (Reply(body=b"[]"), "bad response: no papers, where the cached copy has some"),
        (Reply(body=b"x" * 5000, headers={"Content-Type": "application/json"}), "bad response: invalid JSON"),
    ],
)
def test_a_bad_answer_keeps_the_cached_copy_and_says_why(server: LiveServer, reply: Reply, reason: str) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    before = entry_path(server.url + DAY).read_bytes()
    server.route(DAY, reply)
    clock.advance(hours=3)
    result = load(clock)
    assert result.from_cache and len(result.digest.papers) == 3
    assert result.stale_reason is not None and result.stale_reason.startswith(reason)
    assert result.fetched_at == ON_THE_DAY
    assert status_text(result, clock()).startswith(f"offline: cached 3 h ago; {reason}")
    assert entry_path(server.url + DAY).read_bytes() == before


def test_a_network_failure_with_a_cached_copy_opens_it(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    url = server.url
    server.httpd.shutdown()
    server.httpd.server_close()
    monkeypatch.setenv("HF_ENDPOINT", url)
    clock.advance(hours=3)
    result = load(clock)
    assert result.stale_reason == "fetch failed: connection refused"
    assert status_text(result, clock()) == "offline: cached 3 h ago; fetch failed: connection refused"


# --- corrupt entries, pruning, clearing ------------------------------------------------------------


def test_a_corrupt_entry_is_set_aside_and_replaced_by_the_next_fetch(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    path = entry_path(server.url + DAY)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 40])  # a body cut short
    with pytest.raises(FetchError):
        load(clock, "offline")
    set_aside = [name for name in os.listdir(path.parent) if ".corrupt-" in name]
    assert len(set_aside) == 1 and not path.exists()
    assert (path.parent / set_aside[0]).read_bytes() == raw[: len(raw) - 40]  # kept as it was
    result = load(clock)
    assert not result.from_cache and path.read_bytes() != raw[: len(raw) - 40]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: b"not a cache file\n" + raw,
        lambda raw: raw.replace(b'"etag"', b'"et'),
        lambda raw: raw[:-1] + b"X",  # same length, another checksum
        lambda raw: raw.replace(b'"url": "http', b'"url": "ftp'),
    ],
)
def test_every_kind_of_damage_reads_as_missing(server: LiveServer, damage: object) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    path = entry_path(server.url + DAY)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cache.read(server.url + DAY) is None


def test_entries_not_opened_for_60_days_are_pruned(server: LiveServer) -> None:
    clock = Clock(ON_THE_DAY)
    fetched_once(server, clock)
    server.route("/api/daily_papers?date=2024-10-21&limit=100&p=0", Reply(body=DAY_JSON))
    load(clock, text="hf:2024-10-21")
    old, recent = entry_path(server.url + DAY), entry_path(server.url + "/api/daily_papers?date=2024-10-21&limit=100&p=0")
    def age(path: Path, **delta: float) -> None:
        moment = (datetime.now(UTC) - timedelta(**delta)).timestamp()
        os.utime(path, (moment, moment))

    age(old, days=61)
    age(recent, days=59)
    stray = old.parent / f".{old.name}.123.abcdefgh.tmp"  # left by a killed writer
    stray.write_bytes(b"half")
    age(stray, hours=2)
    from tui.live import fetch

    fetch._pruned_at = None
    load_live(spec("hf:2024-10-21"), mode="offline", limits=FAST)  # any load prunes, once a day
    assert not old.exists() and not stray.exists()
    assert recent.exists()
    # Opening an entry counts as use: it was just read, so it is young again.
    assert datetime.now(UTC) - datetime.fromtimestamp(recent.stat().st_mtime, UTC) < timedelta(minutes=1)


def test_cache_files_are_private_and_atomic(server: LiveServer) -> None:
    fetched_once(server, Clock(ON_THE_DAY))
    path = entry_path(server.url + DAY)
    assert path.stat().st_mode & 0o077 == 0
    assert path.parent.stat().st_mode & 0o077 == 0
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


def run_cache_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", "cache", *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=dict(os.environ))


def test_the_cache_command_prints_location_and_size_and_clears(server: LiveServer, offline_live_sources: Path) -> None:
    fetched_once(server, Clock(ON_THE_DAY))
    foreign = cache.entries_dir() / "notes.txt"
    foreign.write_text("not ours")
    shown = run_cache_command()
    assert shown.returncode == 0, shown.stderr
    location, size = shown.stdout.splitlines()
    assert location == str(offline_live_sources)
    assert size.startswith("1 cached response, ") and size.endswith(" KB")
    cleared = run_cache_command("--clear")
    assert cleared.returncode == 0 and "1 file deleted" in cleared.stdout
    assert cache.usage().entries == 0
    assert foreign.read_text() == "not ours"  # only the cache's own files go
    assert run_cache_command().stdout.splitlines()[1] == "0 cached responses, 0 B"


def test_the_cache_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DIGEST_READER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.cache_dir() == tmp_path / "xdg" / "digest-reader"
