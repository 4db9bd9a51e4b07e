"""Pilot tests of bookmarks in the reader: b, B, n, recognition across digests."""

from __future__ import annotations

import json

from textual import events
from textual.widgets import Input

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, app_for_text, frame_text, ready, stores_settled
from tui.stores.bookmarks import BookmarkStore
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import BOOKMARK_MARK, PaperList

PAPERS = [
    Paper(title="Alder: Sparse Routing", abstract="One.", arxiv_id="2601.00001"),
    Paper(title="Birchwood: Tabular Reasoning", abstract="Two."),
    Paper(title="Cedar: Retrieval", abstract="Three.", links=(Link("https://github.com/c/cedar", "code"),),
          code_url="https://github.com/c/cedar"),
]


def row_text(app, row: int) -> str:
    strip = app.screen.query_one(PaperList).render_line(row)
    return "".join(segment.text for segment in strip)


async def test_b_toggles_a_bookmark_and_saves_it() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "b")
        await stores_settled(pilot)
        assert screen.state.bookmarked == {PAPERS[1].key}
        assert BOOKMARK_MARK in row_text(app, 1)
        assert "★ 1" in frame_text(app)
        saved = json.loads(BookmarkStore().path.read_text(encoding="utf-8"))
        assert [entry["title"] for entry in saved["bookmarks"]] == ["Birchwood: Tabular Reasoning"]
        await pilot.press("b")
        await stores_settled(pilot)
        assert not screen.state.bookmarked
        assert BOOKMARK_MARK not in row_text(app, 1)


async def test_capital_b_shows_bookmarks_including_papers_not_open() -> None:
    elsewhere = Paper(title="Dogwood: A Paper From Another Digest", abstract="x", arxiv_id="2602.00002",
                      source="old.txt", links=(Link("https://github.com/d/dogwood", "code"),),
                      code_url="https://github.com/d/dogwood")
    store = BookmarkStore()
    store.load()
    store.add(elsewhere, note="read later")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        await pilot.press("b")
        await stores_settled(pilot)
        await pilot.press("B")
        await pilot.pause()
        shown = [paper.title for paper in screen.query_one(PaperList).visible_papers]
        assert shown == ["Alder: Sparse Routing", "Dogwood: A Paper From Another Digest"]
        assert "bookmarks" in frame_text(app)
        await pilot.press("j")
        detail = screen.query_one(PaperDetail).plain_text()
        assert "read later" in detail and "https://github.com/d/dogwood" in detail
        await pilot.press("B")
        await pilot.pause()
        assert len(screen.query_one(PaperList).visible_papers) == 3


async def test_empty_bookmarks_view_says_how_to_add() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await stores_settled(pilot)
        await pilot.press("B")
        await pilot.pause()
        assert "No bookmarks yet" in frame_text(app)


async def test_n_edits_the_note_and_the_detail_shows_it() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"try [bold]this[/] on TPU", "enter")
        await stores_settled(pilot)
        assert PAPERS[0].key in screen.state.bookmarked  # a note bookmarks the paper
        assert "try [bold]this[/] on TPU" in screen.query_one(PaperDetail).plain_text()
        assert BookmarkStore(None).path.exists()
        # Editing again starts from the saved note; Esc leaves it unchanged.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.focused.value == "try [bold]this[/] on TPU"
        await pilot.press("escape")
        await stores_settled(pilot)
        assert screen.state.bookmarks[PAPERS[0].key].note == "try [bold]this[/] on TPU"


def _send_as_one_burst(app, keys: str) -> None:
    """Queue every key the way the terminal driver does when they arrive in one
    read, before the app has handled any of them (Pilot.press waits after each)."""
    for key in keys:
        event = events.Key(key, key)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_keys_typed_right_after_n_land_in_the_note_in_order() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        _send_as_one_burst(app, "nnote jkqbB")  # list keys and commands are text in the note
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        assert app.screen.focused.value == "note jkqbB"
        await pilot.press("enter")
        await stores_settled(pilot)
        assert screen.state.bookmarks[PAPERS[0].key].note == "note jkqbB"
        assert screen.paper_list.cursor == 0  # j and k went to the note, not the list


async def test_a_burst_of_pilot_presses_after_n_lands_in_the_note() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("n", "h", "e", "l", "l", "o", "enter")
        await stores_settled(pilot)
        assert screen.state.bookmarks[PAPERS[0].key].note == "hello"


async def test_n_typed_in_the_search_box_is_text() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"nn")
        await pilot.pause()
        assert screen.search_box.value == "nn"
        assert app.screen is screen  # no note editor opened


HF_DIGEST = "Alder: Sparse Routing\n\nWe route audio tokens through anchors.\n\n"
OTHER_FORMAT = json.dumps(
    [{"paper": {"id": "2601.00001", "title": "Alder: Sparse Routing", "summary": "Same paper.", "authors": []}}]
)


async def test_a_bookmark_is_recognised_in_another_digest() -> None:
    # Bookmarked from an HF page copy (no arXiv id: keyed by normalised title)…
    app = app_for_text(HF_DIGEST, name="page.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await stores_settled(pilot)
    # … it shows as bookmarked in another file with different case and punctuation.
    app = app_for_text("ALDER -- sparse routing!\n\nAnother copy of the abstract.\n\n", name="other.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await stores_settled(pilot)
        assert BOOKMARK_MARK in row_text(app, 0)


async def test_a_running_reader_picks_up_another_instances_bookmark() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        other = BookmarkStore()  # a second instance, writing the same file
        other.load()
        other.add(PAPERS[2])
        screen.poll_stores()  # what the two-second timer does
        await stores_settled(pilot)
        assert screen.state.bookmarked == {PAPERS[2].key}
        assert BOOKMARK_MARK in row_text(app, 2)
