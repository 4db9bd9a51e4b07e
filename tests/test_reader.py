"""Pilot tests of the reader: keys, layout, empty and loading states."""

from __future__ import annotations

import threading

import pytest
from textual.events import MouseScrollDown
from textual.widgets import Static

from digest_parser.models import Link, Paper
from tests.tui_helpers import READER_FIXTURES, app_for, app_for_papers, frame_text, ready
from tui.app import DigestApp
from tui.keys import COMMANDS
from tui.screens.help import HelpScreen
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList

SMALL = READER_FIXTURES / "small.txt"


def many_papers(count: int) -> list[Paper]:
    return [Paper(title=f"Paper number {n:05d}", abstract=f"Abstract {n}.", source="gen.txt", line=n) for n in range(count)]


def current_title(app) -> str:
    paper = app.screen.query_one(PaperList).current_paper
    return paper.title if paper else ""


async def test_first_paper_is_selected_and_shown() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        assert len(screen.state.library.papers) == 12
        assert current_title(app).startswith("Alder")
        assert screen.query_one(PaperDetail).paper.title.startswith("Alder")
        text = frame_text(app)
        assert "12/12 papers" in text
        assert "https://github.com/alder-lab/alder" in text


@pytest.mark.parametrize("down, up", [("j", "k"), ("down", "up")])
async def test_vim_and_arrow_keys_move(down: str, up: str) -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(down, down)
        assert current_title(app).startswith("Cedar")
        await pilot.pause()
        assert app.screen.query_one(PaperDetail).paper.title.startswith("Cedar")
        await pilot.press(up)
        assert current_title(app).startswith("Birchwood")


@pytest.mark.parametrize("last, first", [("G", "g"), ("end", "home")])
async def test_jump_to_ends(last: str, first: str) -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(last)
        assert current_title(app).startswith("Larch")
        await pilot.press(first)
        assert current_title(app).startswith("Alder")


@pytest.mark.parametrize("down, up", [("pagedown", "pageup"), ("ctrl+d", "ctrl+u")])
async def test_paging(down: str, up: str) -> None:
    app = app_for_papers(many_papers(200))
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        paper_list = app.screen.query_one(PaperList)
        await pilot.press(down)
        page = paper_list.cursor
        assert page >= 20
        await pilot.press(down)
        assert paper_list.cursor == 2 * page
        assert paper_list.scroll_offset.y > 0
        await pilot.press(up, up)
        assert paper_list.cursor == 0


async def test_tab_enter_and_escape_move_focus() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        paper_list = app.screen.query_one(PaperList)
        detail = app.screen.query_one(PaperDetail)
        assert paper_list.has_focus
        await pilot.press("tab")
        assert detail.has_focus
        await pilot.press("tab")
        assert paper_list.has_focus
        await pilot.press("enter")
        assert detail.has_focus
        # In the detail pane j/k scroll the text; they do not move the list.
        await pilot.press("j")
        assert current_title(app).startswith("Alder")
        await pilot.press("escape")
        assert paper_list.has_focus


async def test_click_selects_and_wheel_scrolls() -> None:
    app = app_for_papers(many_papers(200))
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        paper_list = app.screen.query_one(PaperList)
        await pilot.click(PaperList, offset=(5, 4))
        assert paper_list.cursor == 4
        assert app.screen.query_one(PaperDetail).paper.title == "Paper number 00004"
        paper_list.post_message(MouseScrollDown(paper_list, 5, 4, 0, 0, 0, False, False, False, screen_x=5, screen_y=5))
        await pilot.pause()
        assert paper_list.scroll_offset.y > 0


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quit_keys(key: str) -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running


async def test_empty_digest_says_so() -> None:
    app = app_for(READER_FIXTURES / "no_papers.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.has_class("-empty")
        text = frame_text(app)
        assert "This digest has no papers" in text
        assert "0/0 papers" in text
        await pilot.press("j", "G", "enter", "tab", "escape")  # nothing to move to; nothing breaks
        assert app.is_running


async def test_narrow_terminal_opens_detail_full_screen() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        detail = screen.query_one(PaperDetail)
        assert screen.has_class("-narrow")
        assert not detail.display or detail.size.width == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert detail.has_focus and detail.size.width > 0
        assert "Birchwood" in frame_text(app)
        assert not screen.query_one(PaperList).size.width
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(PaperList).has_focus
        assert screen.query_one(PaperList).size.width > 0


async def test_tiny_terminal_does_not_crash() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(40, 12)) as pilot:
        await ready(pilot)
        for key in ["j", "enter", "j", "escape", "G", "question_mark", "escape", "tab", "tab"]:
            await pilot.press(key)
        await pilot.pause()
        lines = frame_text(app).split("\n")
        assert len(lines) == 12 and all(len(line) <= 40 for line in lines)
        assert app.is_running


async def test_help_lists_every_key() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(str(app.screen.query_one("#help-text", Static).render()).split())
        for command in COMMANDS:
            assert command.help in help_text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_every_action() -> None:
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        titles = {command.title for command in app.get_system_commands(screen)}
        for command in COMMANDS:
            if command.action != "quit":
                assert command.title in titles


async def test_keys_work_while_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    import tui.screens.main as main_module

    real_load = main_module.load_progressively

    def slow_load(path: str, format: str = "auto"):
        release.wait(10)
        return real_load(path, format)

    monkeypatch.setattr(main_module, "load_progressively", slow_load)
    app = app_for(SMALL, SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "loading" in frame_text(app)
        await pilot.press("question_mark")  # the UI answers while the worker waits
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "loading" not in frame_text(app)
        assert "12/12 papers" in frame_text(app)  # the same file twice: each paper once


async def test_digests_parsed_before_start_show_in_the_first_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small digests are parsed before the app starts (launch.parse_small): their
    titles are on the first frame, with no loading worker in between."""
    import tui.screens.main as main_module
    from tui.core.sources import expand, parse_small

    workers_started: list[str] = []
    monkeypatch.setattr(main_module.MainScreen, "load_digests", lambda self: workers_started.append("load"))
    app = DigestApp(parse_small(expand([str(SMALL)]), "auto"))
    async with app.run_test(size=(120, 35)):
        assert workers_started == []
        assert "12/12 papers" in frame_text(app)
        assert current_title(app).startswith("Alder")


async def test_same_paper_in_two_digests_lists_both_sources() -> None:
    app = app_for(SMALL, SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        assert len(screen.state.library.papers) == 12
        assert "Also in" in screen.query_one(PaperDetail).plain_text()


async def test_detail_numbers_links_code_first() -> None:
    paper = Paper(
        title="Links",
        abstract="",
        links=(Link("https://example.org/page", "other"), Link("https://github.com/o/r", "code")),
        code_url="https://github.com/o/r",
    )
    app = app_for_papers([paper])
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        text = app.screen.query_one(PaperDetail).plain_text()
        assert text.index("[1] code") < text.index("[2] other")


async def test_loaded_papers_leave_the_cyclic_gc() -> None:
    import gc

    assert gc.get_freeze_count() == 0  # (conftest unfreezes after every test)
    app = app_for(SMALL)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert gc.get_freeze_count() > 0


async def test_a_large_digest_is_read_with_the_mmap_threshold_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest read in the worker (too big to read up front) first pins glibc's
    mmap threshold, so its 1 MiB read buffers leave no holes in the heap."""
    import tui.screens.main as main_module
    from tui.core.sources import DigestSource

    calls: list[str] = []
    monkeypatch.setattr(main_module, "keep_read_buffers_out_of_the_heap", lambda: calls.append("fixed") or True)
    app = DigestApp([DigestSource(str(SMALL))])  # no text: read by the loading worker
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert calls == ["fixed"]
        assert "12/12 papers" in frame_text(app)
