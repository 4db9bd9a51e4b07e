"""The reader keeps the digest's date on a bookmark, so ``Y`` and ``bookmarks --format bibtex`` give
a Hugging Face page's paper the same year and entry (docs/citing.md)."""

from __future__ import annotations

from pathlib import Path

from tests.tui_helpers import app_for_text, ready, stores_settled
from tui.core.bibtex import entry_for_bookmark, year_in
from tui.stores.bookmarks import BookmarkStore

HF_PAGE = (Path(__file__).parent / "fixtures" / "bibtex" / "hf_page.txt").read_text(encoding="utf-8")


async def test_b_keeps_the_digest_date_and_y_gives_the_bookmarks_entry() -> None:
    app = app_for_text(HF_PAGE, name="hf-nov.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("b")
        await stores_settled(pilot)
        store = BookmarkStore()
        store.load()
        (bookmark,) = store.bookmarks().values()
        assert (bookmark.title, bookmark.digest_date) == ("Kestrel: Unified Tokens for Sound and Sight", "Nov 26")
        paper = screen.current_paper
        assert paper is not None
        copied = screen._bibtex(paper)
        assert copied == entry_for_bookmark(bookmark)
        year = year_in(bookmark.digest_date, before=bookmark.added)  # Nov 26 on or before the day it was added
        assert copied.startswith(f"@misc{{kestrel{year}unified,") and f"year = {{{year}}}" in copied


async def test_y_on_a_bookmarked_paper_uses_the_dates_its_bookmark_kept() -> None:
    from digest_parser.models import Link, Paper
    from tui.core.library import paper_from_bookmark
    from tui.stores.bookmarks import Bookmark

    # Bookmarked from a December digest; open now in a digest of another day.
    plover = Paper(title="Plover: Cheap Rollouts for Tiny Agents", abstract="x",
                   links=(Link("https://github.com/plover-ai/plover", "code"),), code_url="https://github.com/plover-ai/plover")
    store = BookmarkStore()
    store.load()
    store.add(plover, digest_date="Dec 30")
    older = Bookmark.from_json({"title": "Wren", "date": "Mar 2", "digest_date": "Mar 3", "added": "2026-03-04T08:00:00Z"})
    store.import_bookmarks([older])
    app = app_for_text(HF_PAGE.replace("Nov 26", "Jul 1", 1), name="hf-jul.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        bookmark = screen.state.bookmarks[plover.key]
        assert screen._bibtex(plover) == entry_for_bookmark(bookmark)
        wren = screen.state.bookmarks[older.key]
        assert screen._bibtex(paper_from_bookmark(wren)) == entry_for_bookmark(wren)
        assert "year = {2026}" in entry_for_bookmark(wren)
