"""Live sources in the reader: the fetching state, [ and ], ctrl+r, quitting during a
fetch, a failed fetch. Against a real HTTP server on 127.0.0.1 (tests/live_server.py);
nothing reaches the internet."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.live_server import LiveServer, Reply, Request, fixture
from tests.tui_helpers import frame_text
from tui.app import DigestApp
from tui.core.sources import expand

DAY_JSON = fixture("hf_daily_2024-10-22.json")
FIRST_TITLE = "Tidewater: Streaming Video Understanding"


def day_path(day: str) -> str:
    return f"/api/daily_papers?date={day}&limit=100&p=0"


def app_for_specs(*specs: str, mode: str = "auto") -> DigestApp:
    return DigestApp(expand(list(specs), live_mode=mode))


def held_reply(release: threading.Event, reply: Reply) -> object:
    """A route that answers only once *release* is set (a slow network, without sleeping)."""

    def answer(request: Request) -> Reply:
        release.wait(10)
        return reply

    return answer


async def wait_until(pilot, condition, *, tries: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


async def test_the_first_frame_shows_the_fetch_and_the_list_fills_when_it_arrives(server: LiveServer) -> None:
    release = threading.Event()
    server.route(day_path("2024-10-22"), held_reply(release, Reply(body=DAY_JSON)))  # type: ignore[arg-type]
    app = app_for_specs("hf:2024-10-22")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "Fetching hf 2024-10-22" in frame_text(app))
        assert "fetching hf 2024-10-22…" in frame_text(app)  # the header says it too
        await pilot.press("question_mark")  # keys work meanwhile
        await pilot.press("escape")
        release.set()
        await wait_until(pilot, lambda: FIRST_TITLE in frame_text(app))
        header = frame_text(app).splitlines()[0]
        assert "hf 2024-10-22 (fetched" in header
        assert "3/3 papers" in header


async def test_q_quits_at_once_while_a_fetch_hangs(server: LiveServer) -> None:
    release = threading.Event()
    server.route(day_path("2024-10-22"), held_reply(release, Reply(body=DAY_JSON)))  # type: ignore[arg-type]
    app = app_for_specs("hf:2024-10-22")
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: "Fetching hf 2024-10-22" in frame_text(app))
            await pilot.press("q")
        assert app.return_code == 0
        assert app.fatal_error is None
    finally:
        release.set()


async def test_brackets_step_through_the_days(server: LiveServer) -> None:
    for day in ("2024-10-21", "2024-10-22", "2024-10-23"):
        server.route(day_path(day), Reply(body=DAY_JSON))
    app = app_for_specs("hf:2024-10-22")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "hf 2024-10-22 (fetched" in frame_text(app))
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "hf 2024-10-21 (fetched" in frame_text(app))
        assert server.requests_to(day_path("2024-10-21"))
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_until(pilot, lambda: "hf 2024-10-23 (fetched" in frame_text(app))
        assert FIRST_TITLE in frame_text(app)


async def test_ctrl_r_fetches_again(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON))
    app = app_for_specs("hf:2024-10-22")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: FIRST_TITLE in frame_text(app))
        before = len(server.requests_to(day_path("2024-10-22")))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: len(server.requests_to(day_path("2024-10-22"))) > before)
        await wait_until(pilot, lambda: FIRST_TITLE in frame_text(app) and "(fetched" in frame_text(app))


async def test_offline_opens_the_cached_day_and_says_so(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON))
    first = app_for_specs("hf:2024-10-22")
    async with first.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: FIRST_TITLE in frame_text(first))
    requests = len(server.requests)
    offline = app_for_specs("hf:2024-10-22", mode="offline")
    async with offline.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: FIRST_TITLE in frame_text(offline))
        assert "(offline)" in frame_text(offline).splitlines()[0]
    assert len(server.requests) == requests  # offline never touches the network


async def test_a_failed_fetch_with_nothing_cached_ends_with_one_line_and_status_69(server: LiveServer) -> None:
    server.route(day_path("2024-10-22"), Reply(status=500, body=b"oops"))
    app = app_for_specs("hf:2024-10-22")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: not app.is_running, tries=500)
    assert app.return_code == 69
    assert app.fatal_error is not None and "\n" not in app.fatal_error
    assert "hf 2024-10-22" in app.fatal_error


async def test_a_fetched_paper_and_a_file_paper_are_one_paper(server: LiveServer, tmp_path: Path) -> None:
    import json

    server.route(day_path("2024-10-22"), Reply(body=DAY_JSON))
    item = json.loads(DAY_JSON)[0]["paper"]
    digest = tmp_path / "notes.json"
    digest.write_text(json.dumps([{"paper": item, "numComments": 0}]), encoding="utf-8")
    app = DigestApp(expand(["hf:2024-10-22", str(digest)]))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "3/3 papers" in frame_text(app))
        assert app.screen.state.library.also_in  # seen in both: listed once, "also in" the other


async def test_next_day_skips_an_empty_day_forwards_not_back(server: LiveServer) -> None:
    """']' onto a weekend goes on to Monday; stepping back would land where it started."""
    server.route(day_path("2024-10-25"), Reply(body=DAY_JSON))  # a Friday
    server.route(day_path("2024-10-26"), Reply(body=b"[]"))
    server.route(day_path("2024-10-27"), Reply(body=b"[]"))
    server.route(day_path("2024-10-28"), Reply(body=DAY_JSON))
    app = app_for_specs("hf:2024-10-25")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "hf 2024-10-25 (fetched" in frame_text(app))
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "hf 2024-10-28 (fetched" in frame_text(app))
