"""Pilot tests: the main screen says what really happened and can be read in every
theme (docs/reliability.md): the browser's real outcome, readable colours in
every built-in theme, a way back from the full-screen detail, screenshots saved
where they can be, R undone, a note not lost by accident, Quit in a narrow footer."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path

import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, messages, ready, spy_osc52, without_local_clipboard

FAKE_TOOLS = Path(__file__).resolve().parent / "fake_tools"
CODE = "https://github.com/quill/quillstep"

PAPERS = [
    Paper(
        title=f"Paper {name}: Planning With Checkpoints, Part {i}",
        abstract=f"An abstract about {name.lower()} in two sentences. It has a second one.",
        authors=("Ada Quill", "Bo Fern"),
        date="2026-11-27",
        arxiv_id=f"2611.0000{i}",
        links=(Link(f"https://github.com/quill/{name.lower()}", "code"), Link(f"https://arxiv.org/abs/2611.0000{i}", "paper")),
        code_url=f"https://github.com/quill/{name.lower()}",
        source="daily.txt",
        line=10 * i + 2,
        extra=(("categories", "cs.AI cs.CL"), ("upvotes", str(10 + i))),
    )
    for i, name in enumerate(["Quillstep", "Mossbank", "Harbor", "Loomcraft", "Pebble"], 1)
]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fake tools are POSIX shell scripts")


# ---- o: the browser's real outcome -------------------------------------------------------------


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A graphical session (DISPLAY) without a local clipboard; returns the fake browser's log."""
    without_local_clipboard(monkeypatch)
    monkeypatch.setenv("DISPLAY", ":0")
    log = tmp_path / "browser.argv"
    monkeypatch.setenv("FAKE_BROWSER_OUT", str(log))
    return log


def use_browser(monkeypatch: pytest.MonkeyPatch, fake: str) -> None:
    # xdg-open is what webbrowser picks on a Linux desktop: a BackgroundBrowser.
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(str(FAKE_TOOLS / fake)))


async def test_o_with_a_browser_that_fails_says_so_and_copies_the_link(desktop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, "browser_fail")
    sent: list[str] = []
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, sent)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = messages(app)
        assert not any("Sent to the browser" in message for message in shown)
        failure = next(message for message in shown if "Could not open" in message)
        assert "browser_fail exited 3" in failure
        assert "OSC 52" in failure and "https://github.com/quill/quillstep" in failure
        assert "\x1b" not in failure
        assert sent == ["https://github.com/quill/quillstep"]  # copied instead (OSC 52)
        assert desktop.read_text() == "https://github.com/quill/quillstep\n"


async def test_o_with_a_failing_browser_and_a_local_clipboard_says_link_copied(
    desktop: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_browser(monkeypatch, "browser_fail")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "xclip").symlink_to(FAKE_TOOLS / "copy_ok")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_CLIPBOARD_OUT", str(tmp_path / "clipboard.out"))
    monkeypatch.setenv("DIGEST_READER_LOCAL_CLIPBOARD", "1")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failure = next(message for message in messages(app) if "Could not open" in message)
        assert "(browser_fail exited 3" in failure
        assert failure.endswith("; link copied: https://github.com/quill/quillstep")
        assert (tmp_path / "clipboard.out").read_text() == "https://github.com/quill/quillstep"


async def test_o_with_a_browser_that_works_says_sent(desktop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, "browser_ok")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sent to the browser: https://github.com/quill/quillstep" in messages(app)
        assert desktop.read_text() == "https://github.com/quill/quillstep\n"


# ---- every theme: readable text in every pane -------------------------------------------------

BOX_CHARACTERS = frozenset("▏▕▁▂▃▄▅▆▇█▔▎▍▌▋▊▉│┃─━╭╮╰╯")
"""Borders and scrollbars: drawn in colours meant to recede."""


def contrast_of_region(app, region) -> list[tuple[float, str]]:
    """(WCAG contrast ratio, text) of every run of text drawn in *region* of the
    frame, skipping borders and scrollbars and the ANSI colours an ANSI theme
    leaves to the terminal's own palette."""
    from tui.widgets.contrast import contrast_ratio

    update = app.screen._compositor.render_update(full=True)
    found: list[tuple[float, str]] = []
    for y in range(region.y, region.bottom):
        x = 0
        for strip in update.strips[y]:
            for segment in strip:
                text, style = segment.text, segment.style
                start, x = x, x + segment.cell_length
                if style is None or start >= region.right or x <= region.x:
                    continue
                visible = "".join(c for c in text if c not in BOX_CHARACTERS).strip()
                if not visible or style.color is None or style.bgcolor is None:
                    continue
                if not (style.color.is_system_defined is False and style.color.triplet and style.bgcolor.triplet):
                    continue  # (an ANSI colour: the terminal's palette decides)
                from textual.color import Color

                foreground, background = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
                if style.reverse:
                    foreground, background = background, foreground
                found.append((contrast_ratio(foreground, background), visible))
    return found


def worst(found: list[tuple[float, str]], words: bool) -> list[tuple[float, str]]:
    """The runs with letters or digits (*words*) or the others (markers), worst first."""
    return sorted((ratio, text) for ratio, text in found if any(c.isalnum() for c in text) == words)


async def test_every_theme_keeps_every_pane_readable() -> None:
    from textual.geometry import Region

    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")  # (the defect showed after moving)
        await pilot.pause()
        themes = sorted(app.available_themes)
        assert {"textual-light", "solarized-light", "catppuccin-latte", "rose-pine-dawn", "textual-dark"} <= set(themes)
        failures: list[str] = []
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            await pilot.pause()
            papers = screen.paper_list
            cursor_y = papers.region.y + papers.cursor - papers.scroll_offset.y
            parts = {
                # part: (region, minimum for words, minimum for markers)
                "top bar": (screen.query_one("#top-bar").region, 4.5, 3.0),
                "list rows": (Region(papers.region.x, cursor_y + 1, papers.region.width, 3), 4.5, 3.0),
                # The cursor's row is bold: WCAG's large-text minimum.
                "cursor row": (Region(papers.region.x, cursor_y, papers.region.width, 1), 3.0, 3.0),
                "detail": (screen.detail.region, 4.5, 3.0),
                "footer": (screen.query_one("ReaderFooter").region, 3.0, 3.0),
            }
            for part, (region, for_words, for_marks) in parts.items():
                found = contrast_of_region(app, region)
                for words, minimum in ((True, for_words), (False, for_marks)):
                    bad = [(round(ratio, 2), text) for ratio, text in worst(found, words) if ratio < minimum]
                    if bad:
                        failures.append(f"{theme} {part}: {bad[:3]}")
        assert not failures, "\n".join(failures)


async def test_the_detail_pane_follows_a_theme_picked_later() -> None:
    # Picked in the command palette after the paper was shown: the pane's wrapped
    # lines must take the new theme's colours, not keep the old one's background.
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        title = next(segment for segment in screen.detail.render_line(0) if segment.text.strip())
        from textual.color import Color

        from tui.widgets.contrast import contrast_ratio

        assert title.style is not None and title.style.bgcolor is not None and title.style.color is not None
        background = Color.from_rich_color(title.style.bgcolor)
        assert background == Color.parse(app.theme_variables["background"])
        assert contrast_ratio(Color.from_rich_color(title.style.color), background) >= 4.5


# ---- the footer: Quit at 60 columns; the way back from the full-screen detail --------------------


def footer_text(app) -> str:
    from tests.tui_helpers import frame_text

    return frame_text(app).splitlines()[-1]


@pytest.mark.parametrize("width", [60, 50, 80, 120])
async def test_the_footer_shows_quit_and_help_at_any_width(width: int) -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(width, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        footer = footer_text(app)
        assert "q Quit" in footer and "? Help" in footer, footer
        if width >= 120:
            assert "Copy code" in footer and "palette" in footer  # (nothing dropped where it fits)


async def test_the_footer_keeps_its_keys_until_what_it_shows_changes() -> None:
    from tui.widgets.footer import ReaderFooter

    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        footer = screen.query_one(ReaderFooter)
        keys = list(footer.query_children("FooterKey"))
        for _ in range(2):
            await pilot.press("j")
            screen.refresh_bindings()  # (as a focus change or a new sort does: the same keys announced again)
            await pilot.pause()
        assert list(footer.query_children("FooterKey")) == keys  # the same widgets: not rebuilt
        await pilot.press("enter")  # the detail pane: Back is shown
        await pilot.pause()
        await pilot.pause()
        assert "Back" in footer_text(app)
        assert list(footer.query_children("FooterKey")) != keys


async def test_the_footer_shows_a_remapped_quit_key() -> None:
    app = app_for_papers(PAPERS, keymap={"quit": "x"})
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert "x Quit" in footer_text(app)


async def test_the_full_screen_detail_says_how_to_go_back() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(70, 24)) as pilot:
        screen = await ready(pilot)
        assert "Back" not in footer_text(app)  # (nothing to go back from)
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.paper_list.display or not screen.query_one("#list-pane").display
        assert "Esc Back" in footer_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Back" not in footer_text(app)


async def test_the_way_back_reads_the_keymap() -> None:
    app = app_for_papers(PAPERS, keymap={"back": "x"})
    async with app.run_test(size=(70, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "x Back" in footer_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert not screen.has_class("-detail-open")


async def test_a_maximized_detail_says_how_to_go_back() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        screen.set_focus(screen.detail)
        await pilot.pause()
        screen.action_maximize()  # (ctrl+p → Maximize)
        await pilot.pause()
        await pilot.pause()
        assert screen.maximized is screen.detail
        assert "Esc Back" in footer_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None


# ---- the help at 60 columns; the detail pane's rows ---------------------------------------------


@pytest.mark.parametrize("width", [40, 54, 62, 86])
def test_help_lines_fit_their_width_and_keep_text_out_of_the_key_column(width: int) -> None:
    from tui.screens.help import KEY_COLUMN, STACKED_INDENT, help_content

    lines = help_content(width).plain.splitlines()
    assert max(len(line) for line in lines) <= width  # nothing left for the widget to wrap
    stacked = width < KEY_COLUMN + 2 + 30
    for line in lines:
        if line.startswith("  ") and not line.startswith("   "):  # a key ("  j / ↓"), or the markers
            continue
        if line.startswith(" "):  # a description, or its continuation: in the text column
            indent = len(line) - len(line.lstrip(" "))
            assert indent == (STACKED_INDENT if stacked else KEY_COLUMN + 2), line


async def test_help_at_60_columns_keeps_descriptions_out_of_the_key_column() -> None:
    from tests.tui_helpers import frame_text

    app = app_for_papers(PAPERS)
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        frame = frame_text(app)
        assert "│   j / ↓, k / ↑" in frame
        assert "│       Next / previous paper (scroll in the detail" in frame  # under itself, indented
        assert "│       pane)" in frame


async def test_detail_rows_are_labelled_with_a_gap_and_never_empty() -> None:
    paper = Paper(title="Rows", abstract="a", source="d.txt", line=3,
                  extra=(("categories", "cs.AI"), ("organization", "Quill Lab"), ("upvotes", "  "),
                         ("github_stars", "\u200b")))
    app = app_for_papers([paper])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        text = screen.detail.plain_text()
        assert "Categories    cs.AI" in text and "Organization  Quill Lab" in text
        assert "Upvotes" not in text and "GitHub" not in text  # (blank once cleaned: no row)
        rows = text.split("\n\n")[1].splitlines()
        assert all(len(row.split(None, 1)) == 2 for row in rows if row), rows


# ---- ctrl+p → Screenshot: saved where it can be, and the message says where -------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own (no Pictures yet), and a working directory of its own."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


async def take_screenshot(app) -> list[str]:
    from textual.app import SystemCommand

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await ready(pilot)
        command = next(c for c in app.get_system_commands(screen) if isinstance(c, SystemCommand) and c.title == "Screenshot")
        command.callback()
        await pilot.pause(0.2)  # (the palette's own 0.1 s timer, as in Textual: the palette closes first)
        await pilot.pause()
        return messages(app)


async def test_screenshot_goes_to_pictures_when_it_exists(home: Path) -> None:
    (home / "Pictures").mkdir()
    shown = await take_screenshot(app_for_papers(PAPERS))
    saved = sorted((home / "Pictures").glob("*.svg"))
    assert len(saved) == 1 and saved[0].read_text().startswith("<svg")
    assert f"Screenshot saved: {saved[0]}" in shown


async def test_screenshot_without_pictures_goes_to_the_working_directory(home: Path) -> None:
    shown = await take_screenshot(app_for_papers(PAPERS))
    saved = sorted(Path.cwd().glob("*.svg"))
    assert len(saved) == 1
    assert f"Screenshot saved: {saved[0]}" in shown
    assert not (home / "Downloads").exists()


async def test_screenshot_that_cannot_be_saved_says_why(home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    monkeypatch.setattr("tui.system.screenshots.screenshot_folders", lambda data_folder=None: [blocked / "shots"])
    shown = await take_screenshot(app_for_papers(PAPERS))
    failure = next(message for message in shown if message.startswith("Screenshot not saved"))
    assert f"{blocked / 'shots'}: Not a directory" in failure


def test_save_svg_tries_each_folder_and_creates_a_missing_one(tmp_path: Path) -> None:
    from tui.system.screenshots import save_svg

    blocked = tmp_path / "blocked"
    blocked.write_text("x")
    outcome = save_svg("<svg/>", "shot.svg", [blocked / "a", tmp_path / "new" / "screenshots"])
    assert outcome.path == tmp_path / "new" / "screenshots" / "shot.svg"
    assert outcome.path.read_text() == "<svg/>"
    assert outcome.message == f"Screenshot saved: {outcome.path}"
    again = save_svg("<svg/>", "shot.svg", [tmp_path / "new" / "screenshots"])  # never over a file
    assert again.path is None and "File exists" in again.message and outcome.path.read_text() == "<svg/>"


# ---- R can be undone; un-bookmarking a paper with a note asks first -------------------------------


def loaded_state():
    from digest_parser.models import Digest
    from tui.core.library import build_library
    from tui.core.state import ReaderState

    state = ReaderState()
    state.loaded(build_library([Digest(format="test", source="d.txt", papers=tuple(PAPERS))]), 1, 1)
    state.show_all()
    return state


def test_state_undo_of_mark_all_read_unmarks_only_what_it_marked() -> None:
    from tui.core.state import Changes

    state = loaded_state()
    state.toggle_read(PAPERS[1].key)  # read before R: stays read after the undo
    state.mark_read_locally(PAPERS[2].key)  # shown, not yet written: stays read too
    assert state.take_pending_read() == [PAPERS[2].key]
    changes, keys = state.mark_rows_read()
    assert keys == [paper.key for paper in PAPERS] and state.unread_count() == 0
    assert state.read_undo is not None and state.read_undo.keys == (PAPERS[0].key, PAPERS[3].key, PAPERS[4].key)
    changes, unmarked = state.undo_mark_rows_read()
    assert Changes.MARKS in changes and Changes.HEADER in changes and Changes.DETAIL in changes
    assert unmarked == [PAPERS[0].key, PAPERS[3].key, PAPERS[4].key]
    assert {paper.key for paper in PAPERS if state.is_read(paper.key)} == {PAPERS[1].key, PAPERS[2].key}
    assert state.unread_count() == 3
    assert state.undo_mark_rows_read() == (Changes.NONE, [])  # once


def test_state_says_what_unbookmarking_would_lose() -> None:
    from tui.stores.bookmarks import Bookmark

    state = loaded_state()
    plain, noted, tagged, both = PAPERS[:4]
    marks = {
        plain.key: Bookmark(key=plain.key, title=plain.title),
        noted.key: Bookmark(key=noted.key, title=noted.title, note="read §3 again"),
        tagged.key: Bookmark(key=tagged.key, title=tagged.title, tags=("agents",)),
        both.key: Bookmark(key=both.key, title=both.title, note="x", tags=("a", "b")),
    }
    state.stores_changed(marks, set())
    assert state.unbookmarking_loses(plain) is None
    assert state.unbookmarking_loses(noted) == "its note"
    assert state.unbookmarking_loses(tagged) == "its tag"
    assert state.unbookmarking_loses(both) == "its note and its 2 tags"
    assert state.unbookmarking_loses(PAPERS[4]) is None  # not bookmarked: b adds it


async def test_r_then_u_undoes_mark_all_read_on_screen_and_on_disk() -> None:
    from tests.tui_helpers import stores_settled
    from tui.stores.readstate import ReadStateStore

    app = app_for_papers(PAPERS, keymap={"undo_read": "z"})
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        await pilot.press("R")
        await stores_settled(pilot)
        assert screen.state.unread_count() == 0
        # (the first paper was read by being shown: four were unread)
        assert "Marked 4 paper(s) read — z to undo." in messages(app)
        await pilot.press("z")
        await stores_settled(pilot)
        assert screen.state.unread_count() == 4
        assert "4 paper(s) unread again." in messages(app)
    store = ReadStateStore()
    store.load()
    assert store.read_keys() == {PAPERS[0].key}


async def test_unbookmarking_a_paper_with_a_note_asks_first() -> None:
    from datetime import UTC, datetime

    from tests.tui_helpers import frame_text, stores_settled
    from tui.screens.dialogs import ConfirmDialog
    from tui.stores.bookmarks import BookmarkStore

    store = BookmarkStore()
    store.load()
    moment = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    store.add(PAPERS[0], note="[bold]read §3 again[/bold]", now=moment)
    store.add(PAPERS[1], now=moment)
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        frame = frame_text(app)
        assert "its note?" in frame and "Note: [bold]read §3 again[/bold]" in frame  # (as typed: no markup)
        await pilot.press("n")
        await stores_settled(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert PAPERS[0].key in screen.state.bookmarked
        await pilot.press("b", "y")
        await stores_settled(pilot)
        assert PAPERS[0].key not in screen.state.bookmarked
        await pilot.press("j", "b")  # no note, no tags: no question
        await stores_settled(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert PAPERS[1].key not in screen.state.bookmarked
