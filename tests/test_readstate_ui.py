"""Pilot tests of read state and many digests at once."""

from __future__ import annotations

import os
from pathlib import Path

from digest_parser.models import Paper
from tests.tui_helpers import app_for, app_for_papers, frame_text, ready, stores_settled
from tui.stores.readstate import ReadStateStore
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import UNREAD_MARK, PaperList

PAPERS = [Paper(title=f"Paper {name}", abstract=f"About {name}.") for name in ("one", "two", "three", "four")]


def marks(app) -> list[str]:
    paper_list = app.screen.query_one(PaperList)
    return ["".join(s.text for s in paper_list.render_line(row))[0] for row in range(paper_list.row_count)]


async def test_showing_the_detail_marks_read_and_persists() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        assert marks(app) == [" ", " ", UNREAD_MARK, UNREAD_MARK]
        assert "2 unread" in frame_text(app)
        screen.flush_read()
        await stores_settled(pilot)
    store = ReadStateStore()
    store.load()
    assert store.read_keys() == {PAPERS[0].key, PAPERS[1].key}


async def test_narrow_list_marks_read_only_when_the_detail_opens() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert not app.screen.state.read
        await pilot.press("j")
        assert marks(app) == [UNREAD_MARK] * 4
        await pilot.press("enter")
        assert app.screen.state.read == {PAPERS[1].key}


async def test_r_toggles_and_capital_r_marks_everything_visible() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("r")
        assert marks(app)[0] == UNREAD_MARK
        assert "unread" in screen.query_one(PaperDetail).plain_text()
        await pilot.press("r")
        assert marks(app)[0] == " "
        await pilot.press("slash", *"four", "enter", "escape")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("R")
        await stores_settled(pilot)
        assert marks(app) == [" "] * 4
        assert "0 unread" in frame_text(app)
    store = ReadStateStore()
    store.load()
    assert store.read_keys() == {paper.key for paper in PAPERS}


async def test_read_state_survives_a_restart() -> None:
    store = ReadStateStore()
    store.load()
    store.mark([PAPERS[2].key])
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await stores_settled(pilot)
        assert marks(app) == [" ", UNREAD_MARK, " ", UNREAD_MARK]


def write_digest(path: Path, titles: list[str], mtime: int) -> None:
    path.write_text("".join(f"{title}\n\nAn abstract about {title.lower()}.\n\n" for title in titles), encoding="utf-8")
    os.utime(path, (mtime, mtime))


async def test_a_directory_opens_every_digest_newest_first_and_merges(tmp_path: Path) -> None:
    write_digest(tmp_path / "monday.txt", ["Old Paper", "Shared Paper"], 1_700_000_000)
    write_digest(tmp_path / "tuesday.txt", ["New Paper", "Shared Paper"], 1_700_100_000)
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot a digest to open.\n\n", encoding="utf-8")
    app = app_for(tmp_path)
    from tui.core.sources import expand

    app.sources = tuple(expand([str(tmp_path)]))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        titles = [paper.title for paper in screen.state.library.papers]
        assert titles == ["New Paper", "Shared Paper", "Old Paper"]
        await pilot.press("j")
        detail = screen.query_one(PaperDetail).plain_text()
        assert "tuesday.txt" in detail and "Also in" in detail and "monday.txt" in detail
