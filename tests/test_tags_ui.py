"""`t` edits a paper's tags: typed in one burst, completed from the tags in use,
shown in the detail pane and the list, found by tag:NAME."""

from __future__ import annotations

from textual.events import Key
from textual.widgets import Input

from digest_parser.models import Paper
from tests.tui_helpers import app_for_papers, frame_text, ready, stores_settled
from tui.screens.dialogs import TagEditor, TagSuggester
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import TAGGED_MARK

PAPERS = [
    Paper(title="Policy Gradients for Robots", abstract="Reinforcement learning.", arxiv_id="2601.00001"),
    Paper(title="Vision Transformers Again", abstract="Images.", arxiv_id="2601.00002"),
    Paper(title="Reward Models", abstract="Reinforcement learning from feedback.", arxiv_id="2601.00003"),
]


def burst(app, text: str) -> None:  # type: ignore[no-untyped-def]
    """Queue keys the way the terminal driver does, before the app handles any."""
    for char in text:
        key = {" ": "space", "\r": "enter"}.get(char, char)
        event = Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_t_typed_in_one_burst_tags_and_bookmarks_the_paper() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        burst(app, "treading rl\r")
        await pilot.pause()
        await stores_settled(pilot)
        bookmark = screen.state.bookmarks[PAPERS[0].key]
        assert bookmark.tags == ("reading", "rl")
        assert "#reading #rl" in screen.query_one(PaperDetail).plain_text()
        assert screen.paper_list._row_content(PAPERS[0]).plain[1] == TAGGED_MARK
        assert screen.paper_list._row_content(PAPERS[1]).plain[1] == " "
        await pilot.press("slash", *"tag:rl")
        for _ in range(50):
            if "1/3 match" in frame_text(app):
                break
            await pilot.pause(0.02)
        assert "1/3 match" in frame_text(app)
        await pilot.press("ctrl+u", *"-tag:rl")
        for _ in range(50):
            if "2/3 match" in frame_text(app):
                break
            await pilot.pause(0.02)
        assert "2/3 match" in frame_text(app)


async def test_the_editor_completes_from_the_tags_in_use_and_enter_without_tags_clears_them() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        burst(app, "treinforcement\r")
        await pilot.pause()
        await stores_settled(pilot)
        await pilot.press("j", "j", "t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"rein")
        await pilot.pause()
        await pilot.press("right")  # accepts the suggestion
        await pilot.press("enter")
        await stores_settled(pilot)
        assert screen.state.bookmarks[PAPERS[2].key].tags == ("reinforcement",)
        await pilot.press("t", "ctrl+u", "enter")
        await stores_settled(pilot)
        assert screen.state.bookmarks[PAPERS[2].key].tags == ()


async def test_t_in_the_search_box_is_text() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tr")
        assert app.screen.query_one("#search", Input).value == "tr"


async def test_the_suggester_completes_the_last_word_only_and_skips_typed_tags() -> None:
    suggester = TagSuggester(["reinforcement", "reading", "robots"])
    assert await suggester.get_suggestion("rei") == "reinforcement"
    assert await suggester.get_suggestion("robots re") == "robots reinforcement"
    assert await suggester.get_suggestion("reinforcement rei") is None  # already typed
    assert await suggester.get_suggestion("") is None
    assert await suggester.get_suggestion("x ") is None
