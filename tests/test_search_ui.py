"""Pilot tests of the search box."""

from __future__ import annotations

from textual.events import Key
from textual.widgets import Input

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, frame_text, ready, stores_settled
from tui.widgets.paper_list import PaperList

PAPERS = [
    Paper(title="Alder: Sparse Routing for Speech Agents", abstract="We route audio tokens.", authors=("Ada Quill",)),
    Paper(title="TinyViT: Small Vision Transformers", abstract="Distilled small models.", authors=("Bo Fern",),
          links=(Link("https://github.com/o/tinyvit", "code"),), code_url="https://github.com/o/tinyvit"),
    Paper(title="Birchwood: Tabular Reasoning", abstract="A benchmark about spreadsheets and vision.", authors=("Cy Tiny",)),
    Paper(title="Cedar: Retrieval Without an Index", abstract="Brute force works.", authors=("Di Moss",)),
]


def titles(app) -> list[str]:
    return [paper.title for paper in app.screen.query_one(PaperList).visible_papers]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_slash_focuses_the_box_and_typing_filters() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press(*"cedar")
        await settle(pilot)
        assert titles(app) == ["Cedar: Retrieval Without an Index"]
        assert "1/4 match" in frame_text(app)


async def test_typo_finds_the_paper() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tinyvti")
        await settle(pilot)
        assert titles(app)[0].startswith("TinyViT")


async def test_title_match_ranks_above_author_and_abstract() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tiny")
        await settle(pilot)
        found = titles(app)
        assert found[0].startswith("TinyViT")
        assert "Birchwood: Tabular Reasoning" in found  # author "Cy Tiny"


async def test_escape_clears_and_keeps_the_selected_paper() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"birch")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        paper_list = app.screen.query_one(PaperList)
        assert len(titles(app)) == 4
        assert paper_list.current_paper.title.startswith("Birchwood")
        assert paper_list.has_focus
        assert app.screen.query_one("#search", Input).value == ""


async def test_enter_moves_focus_to_the_first_result() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"vision")
        await settle(pilot)
        await pilot.press("enter")
        paper_list = app.screen.query_one(PaperList)
        assert paper_list.has_focus and paper_list.cursor == 0
        assert paper_list.current_paper.title.startswith("TinyViT")
        # Keys typed now are commands again, not query text.
        await pilot.press("j")
        assert paper_list.cursor == 1


async def test_ctrl_u_clears_the_box() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"cedar")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert len(titles(app)) == 4


async def test_letters_typed_in_the_box_are_not_commands() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"qbcyuo")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one("#search", Input).value == "qbcyuo"
        assert not app.screen.state.bookmarked


async def test_empty_result_names_the_filter_to_drop() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"cedar has:code")
        await settle(pilot)
        assert titles(app) == []
        text = frame_text(app)
        assert "0/4 match" in text
        assert "has:code" in text


async def test_matches_are_highlighted_in_the_row() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"cedar")
        await settle(pilot)
        paper_list = app.screen.query_one(PaperList)
        strip = paper_list.render_line(0)
        underlined = "".join(segment.text for segment in strip if segment.style and segment.style.underline)
        assert underlined == "Cedar"


async def test_query_language_filters() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"has:code")
        await settle(pilot)
        assert titles(app) == ["TinyViT: Small Vision Transformers"]
        await pilot.press("ctrl+u", *'-"vision" author:moss')
        await settle(pilot)
        assert titles(app) == ["Cedar: Retrieval Without an Index"]


async def test_is_unread_and_is_bookmarked_use_the_stores() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("b")  # bookmark the first paper (its detail was shown: read)
        await settle(pilot)
        assert screen.state.bookmarked
        await pilot.press("slash", *"is:bookmarked")
        await settle(pilot)
        assert titles(app) == ["Alder: Sparse Routing for Speech Agents"]
        await pilot.press("ctrl+u", *"is:unread")
        await settle(pilot)
        assert "Alder: Sparse Routing for Speech Agents" not in titles(app)
        assert len(titles(app)) == 3


async def test_keys_typed_right_after_slash_reach_the_box() -> None:
    """A fast typist's "/tiny" arrives as one burst; no key may go to the list."""
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        # Queue every key the way the terminal driver does, before the app
        # handles any of them (Pilot.press would wait after each).
        for key, char in [("slash", "/"), ("c", "c"), ("e", "e"), ("d", "d"), ("a", "a"), ("r", "r")]:
            event = Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "cedar"
        assert titles(app) == ["Cedar: Retrieval Without an Index"]
        # Inside the box "/" is just text (a URL, "a/b testing").
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).value == "cedar/"


async def test_a_longer_query_narrows_the_last_exact_result_on_the_ui_thread(monkeypatch) -> None:
    """One more letter narrows the previous survivors (a few ms) right where the
    key is handled, even after the ranked order came: no worker round trip. An
    empty result goes to the worker, which works out which term to drop."""
    import threading

    from tui.core.search import SearchIndex

    calls: list[tuple[str, bool, bool]] = []
    real_narrow = SearchIndex.narrow

    def narrow(self, query, **kwargs):
        calls.append((query.text, kwargs.get("within") is not None, threading.current_thread() is threading.main_thread()))
        return real_narrow(self, query, **kwargs)

    monkeypatch.setattr(SearchIndex, "narrow", narrow)
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"ced")
        await settle(pilot)  # the ranked order of "ced" has arrived
        calls.clear()
        await pilot.press("a")
        assert ("ceda", True, True) in calls
        await settle(pilot)
        assert titles(app)[0] == "Cedar: Retrieval Without an Index"
        calls.clear()
        await pilot.press("backspace", "x")  # nothing matches "cedx": the worker explains why
        await settle(pilot)
        assert [call for call in calls if call[0] == "cedx"][:2] == [("cedx", True, True), ("cedx", True, False)]


async def test_a_large_warmed_index_leaves_the_cyclic_gc() -> None:
    """Like the papers, the search index lives as long as they do: once warmed it
    is frozen out of full collections, which walked its postings with the GIL held,
    on the thread drawing a key's frame (bench/README.md)."""
    import gc

    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.screen._indexes.settle_min_papers = 0  # (these 4 papers count as large)
        await pilot.press("slash")
        await settle(pilot)
        index = app.screen._indexes.peek(app.screen.state.view_papers)
        assert index is not None and index.warm()  # (already complete: returns at once)
        postings = index._postings["title"].ready
        assert gc.is_tracked(postings)
        assert not any(tracked is postings for tracked in gc.get_objects())


async def test_a_complete_index_is_not_settled_again_after_each_search() -> None:
    """Warming resumes after every search; once complete, its index stays as it is."""
    settles: list[int] = []
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.screen._indexes.settle_min_papers = 0
        app.screen._indexes._settle = lambda: settles.append(1)
        await pilot.press("slash")
        await settle(pilot)
        assert settles
        settled = len(settles)
        for word in ("cedar", "tiny"):
            await pilot.press("ctrl+u", *word)
            await settle(pilot)
        assert "2/4 match" in frame_text(app)  # ("tiny": a title and an author; "Routing" is no typo of it)
        assert len(settles) == settled


async def test_keys_typed_right_after_enter_go_to_the_list() -> None:
    """"/cedar", Enter, "b" as one burst: Enter leaves the box before "b" is routed,
    so "b" bookmarks the first result instead of being typed into the query."""
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await stores_settled(pilot)
        await pilot.press("slash", *"cedar")
        await settle(pilot)
        for key, char in [("enter", "\r"), ("b", "b")]:
            event = Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        await stores_settled(pilot)
        assert app.screen.query_one("#search", Input).value == "cedar"
        assert app.screen.state.bookmarked == {PAPERS[3].key}
        assert app.screen.focused is app.screen.query_one(PaperList)
