"""Untrusted text in the reader (docs/reliability.md, "Untrusted text"): markup shows
literally, nothing becomes clickable, no control sequence reaches the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for, app_for_papers, foreign_controls, frame_bytes, frame_text, ready
from tui.widgets.paper_detail import PaperDetail

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
ESCAPE_FIXTURES = sorted(p for p in HOSTILE.glob("*.txt") if p.name != "binary_nul.txt")

MARKUP = [
    "Tokens [CLS] and [SEP] and [MASK]",
    "Closing [/] tag",
    "[bold]x[/bold] and [/bold]",
    "[@click=app.quit]Click me[/]",
    "[link=https://evil.example]arxiv.org/abs/1706.03762[/link]",
    "a[i] indexing with :warning: and $accent",
    "[@==",
]


@pytest.mark.parametrize("text", MARKUP)
async def test_markup_shows_literally_in_list_and_detail(text: str) -> None:
    paper = Paper(title=text, abstract=f"Abstract with {text} inside.", authors=(text,),
                  links=(Link("https://example.org/" + text.replace(" ", ""), "other"),))
    app = app_for_papers([paper])
    async with app.run_test(size=(200, 30)) as pilot:
        await ready(pilot)
        screen_text = frame_text(app)
        assert text in screen_text  # the list row (wide enough to show it whole)
        assert screen_text.count(text) >= 3  # row, detail title, abstract/authors
        assert "\x1b]8;" not in frame_bytes(app)  # no hyperlink made from data
        assert app.is_running


async def test_clicking_action_markup_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    title = "[@click=app.screenshot('pwn.svg','.')]CLICK ME[/] [@click=app.quit]quit[/]"
    app = app_for_papers([Paper(title=title, abstract=title)])
    async with app.run_test(size=(200, 30)) as pilot:
        await ready(pilot)
        detail = app.screen.query_one(PaperDetail)
        for x in range(0, 100, 3):
            await pilot.click("#papers", offset=(x, 0))
            await pilot.click(detail, offset=(x % 90, 0))
        assert app.is_running
        assert list(tmp_path.iterdir()) == []


RAW_ESCAPES = Paper(
    title="Attention\x1b]0;PWNED\x07 is \x1b[2Jall\x9b2J you \u202eneed\x00 \u200b\x7f",
    abstract="\x1b]52;c;SU5KRUNURUQ=\x07 Clipboard \x1bP1$r0m\x1b\\ DCS \x9d0;x\x9c and \x1b_Gx\x1b\\ APC \ufeff.",
    authors=("Eve \x1b[31mRed",),
    links=(Link("https://example.org/\x1b]8;;https://evil.example\x07x", "other"),),
)


async def test_unsanitised_paper_is_still_guarded_at_render_time() -> None:
    """A Paper that skipped the parser's cleaning must not reach the tty raw (R8)."""
    app = app_for_papers([RAW_ESCAPES])
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        assert foreign_controls(app) == []
        await pilot.press("u")
        await pilot.pause()
        assert foreign_controls(app) == []


@pytest.mark.parametrize("fixture", ESCAPE_FIXTURES, ids=lambda p: p.stem)
async def test_hostile_digest_leaks_no_control_sequence(fixture: Path) -> None:
    app = app_for(fixture)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        for key in ["j", "j", "G", "g"]:
            await pilot.press(key)
            assert foreign_controls(app) == [], key
        assert app.is_running


async def test_parse_problems_are_notified_and_listed() -> None:
    text = ("new\n\nSubscribe\n\nA Title Without Any Abstract\n\nGood Title\n\n"
            "A proper abstract that is long enough to be prose, and ends with a period.\n\n")
    from tests.tui_helpers import app_for_text

    app = app_for_text(text, name="[/]bad\x1b]0;x\x07name.txt")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        screen = await ready(pilot)
        problems = screen.state.library.problems
        if not problems:
            pytest.skip("the parser found no problem in this text")
        notes = [str(n.message) for n in app._notifications]
        assert any("press P" in note for note in notes)
        await pilot.press("P")
        await pilot.pause()
        text_shown = frame_text(app)
        assert "[/]bad" in text_shown
        assert foreign_controls(app) == []
