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
