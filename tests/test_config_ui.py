"""config.toml in the running reader (docs/config.md): the keymap, the theme
(applied, and saved back keeping the file as written), the sort at start,
unknown settings as a notification, the clipboard mode and the cache interval
reaching the fetch."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from digest_parser.models import Digest, Paper
from tests.tui_helpers import app_for_papers, frame_text, ready
from tui import config as config_module
from tui.app import DigestApp, binding_catalogue, theme_names
from tui.config import ConfigLocation, check, load
from tui.core.sources import DigestSource
from tui.live import LiveResult, parse_spec
from tui.system import clipboard

PAPERS = tuple(
    Paper(title=title, abstract="An abstract.", date=date)
    for title, date in (("Charlie paper", "2026-11-02"), ("alpha paper", "2026-12-01"), ("Bravo paper", "2025-01-30"))
)

COMMENTED = (
    "# My reader settings.\n"
    "# The sort I like:\n"
    'sort = "title"   # by title\n'
    "\n"
    'theme = "nord"  # cool colours\n'
    "\n"
    "[cache]\n"
    "# ten minutes is enough\n"
    "fresh_minutes = 10\n"
    "\n"
    "[keys]\n"
    'cycle_sort = "ctrl+o"  # s is for something else\n'
)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_READER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DIGEST_READER_CONFIG", raising=False)
    monkeypatch.setattr(clipboard, "_configured", None)


def configured(path: Path, text: str | None = None) -> tuple[config_module.Config, dict[str, str]]:
    if text is not None:
        path.write_text(text, encoding="utf-8")
    loaded = load(ConfigLocation(path, config_module.FROM_OPTION))
    return loaded, check(loaded, themes=theme_names(), bindings=binding_catalogue)


def app_with(path: Path, text: str | None = None, papers: tuple[Paper, ...] = PAPERS) -> DigestApp:
    loaded, keymap = configured(path, text)
    return app_for_papers(papers, config=loaded, keymap=keymap)


def shown_titles(app: DigestApp) -> list[str]:
    screen = app.screen
    state = screen.state  # type: ignore[attr-defined]
    return [state.view_papers[row].title for row in state.rows]


async def saves_settled(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- keys --------------------------------------------------------------------------------


async def test_a_remapped_key_runs_its_action_and_the_old_key_no_longer_does(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml",
                   '[keys]\ncycle_sort = "ctrl+o"\nlist.cursor_down = "ctrl+n"\ntoggle_bookmarks_view = "f2"\n')
    async with app.run_test() as pilot:
        screen = await ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert screen.state.sort == "digest"  # s does nothing now
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.state.sort != "digest"
        start = screen.paper_list.cursor  # type: ignore[attr-defined]
        await pilot.press("j")
        await pilot.pause()
        assert screen.paper_list.cursor == start  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.paper_list.cursor == start + 1  # type: ignore[attr-defined]
        await pilot.press("B")
        await pilot.pause()
        assert screen.state.bookmarks_view is False
        await pilot.press("f2")
        await pilot.pause()
        assert screen.state.bookmarks_view is True


async def test_the_footer_shows_the_remapped_key(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml", '[keys]\ntoggle_bookmark = "x"\n')
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        footer = frame_text(app).splitlines()[-1]
        assert " x Bookmark" in footer and " b Bookmark" not in footer
        # Where the screen declares it, not moved last by the keymap.
        assert footer.index("Search") < footer.index("x Bookmark") < footer.index("Copy code"), footer


async def test_the_help_lists_the_remapped_keys(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml",
                   '[keys]\ntoggle_bookmark = "x"\ncycle_sort = "ctrl+o,f5"\nlist.cursor_down = "ctrl+n"\n'
                   'app.quit = "ctrl+w"\nhelp_screen.close = "escape,f1"\n'
                   'list.first = "ctrl+home,ctrl+a,ctrl+shift+home,f9,f10"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = str(app.screen.query_one("#help-text").render()).splitlines()

        def keys_of(description: str) -> list[str]:
            line = next(line for line in lines if description in line)
            return line.split(description)[0].split()

        assert keys_of("Bookmark or un-bookmark") == ["x"]
        assert keys_of("Next sort order") == ["ctrl+o", "/", "f5"]
        assert keys_of("Mark the selected paper read") == ["r"]  # (not remapped: its default)
        assert keys_of("Next / previous paper") == ["ctrl+n,", "k", "/", "↑"]
        assert keys_of("Quit (ctrl+w too)") == ["q"]
        # The list moves with ctrl+n now, the detail pane still with j: each gets its rows.
        assert keys_of("Scroll the detail pane down / up") == ["j", "/", "↓,", "k", "/", "↑"]
        assert not any("(scroll in the detail pane)" in line for line in lines)
        # Keys longer than their column: on a line of their own, the text under them.
        at = lines.index("  ctrl+home / ctrl+a / ctrl+shift+home / f9 / f10, G / End")
        assert lines[at + 1].strip() == "First / last paper"
        assert str(app.screen.query_one("#dialog-hint").render()) == "Esc or f1 closes this help."
        from tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


def test_the_help_lists_the_detail_panes_keys_when_they_are_remapped_apart() -> None:
    from tui.screens.help import help_content

    default = help_content().plain
    assert "Scroll the detail pane" not in default and "(scroll in the detail pane)" in default
    both = help_content(keymap={"list.cursor_down": "ctrl+n", "detail.scroll_down": "ctrl+n"}).plain
    assert "Scroll the detail pane" not in both  # (moved together: one row says it)
    semicolon = help_content(keymap={"toggle_bookmark": "ctrl+semicolon"}).plain.splitlines()
    assert next(line for line in semicolon if "Bookmark or un-bookmark" in line).split()[0] == "ctrl+;"
    lines = help_content(keymap={"detail.scroll_down": "ctrl+e", "detail.scroll_up": "ctrl+y"}).plain.splitlines()
    row = next(line for line in lines if "Scroll the detail pane down / up" in line)
    assert row.split()[:4] == ["ctrl+e,", "ctrl+y", "Scroll", "the"]
    at = next(number for number, line in enumerate(lines) if "Page down / up in the detail pane" in line)
    # (its defaults, too long for the key column: on the line above the text)
    assert lines[at - 1].strip() == "PgDn / ctrl+d / space, PgUp / ctrl+u"


async def test_quit_remapped_from_ctrl_q(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml", '[keys]\napp.quit = "ctrl+w"\n')
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+w")
        await pilot.pause()
    assert app.return_code == 0


# --- theme -------------------------------------------------------------------------------


async def test_the_theme_is_applied_at_start(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml", 'theme = "gruvbox"\n')
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "gruvbox"
        await saves_settled(pilot)
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == 'theme = "gruvbox"\n'  # nothing written


async def test_a_theme_picked_in_the_palette_is_saved_keeping_the_file_as_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = app_with(path, COMMENTED)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "nord"
        app.action_change_theme()  # the palette's "Theme" command
        await pilot.pause()
        await pilot.press(*"dracula")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await saves_settled(pilot)
        assert app.theme == "dracula"
    written = path.read_bytes()
    before, after = COMMENTED.encode().split(b'theme = "nord"')
    assert written == before + b'theme = "dracula"' + after  # every other byte as it was
    reloaded, _ = configured(path)
    assert reloaded.settings.theme == "dracula"


async def test_a_theme_is_added_to_a_file_without_one(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = '# mine\nsort = "title"\n\n[keys]\ncycle_sort = "ctrl+o"\n'
    app = app_with(path, original)
    async with app.run_test() as pilot:
        await ready(pilot)
        app.theme = "monokai"
        await saves_settled(pilot)
    written = path.read_text(encoding="utf-8")
    assert written == '# mine\nsort = "title"\ntheme = "monokai"\n\n[keys]\ncycle_sort = "ctrl+o"\n'


async def test_the_file_is_created_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    loaded = load(ConfigLocation(path, config_module.FROM_DEFAULT))
    app = app_for_papers(PAPERS, config=loaded, keymap={})
    async with app.run_test() as pilot:
        await ready(pilot)
        app.theme = "tokyo-night"
        await saves_settled(pilot)
    assert path.read_text(encoding="utf-8") == config_module.NEW_FILE_HEADER + 'theme = "tokyo-night"\n'
    assert configured(path)[0].settings.theme == "tokyo-night"


async def test_a_symlinked_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "digest-reader.toml"
    real.parent.mkdir()
    real.write_text('sort = "title"\n', encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    app = app_with(link)
    async with app.run_test() as pilot:
        await ready(pilot)
        app.theme = "nord"
        await saves_settled(pilot)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == 'sort = "title"\ntheme = "nord"\n'


async def test_a_file_broken_since_the_start_is_not_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    app = app_with(path, 'sort = "title"\n')
    notes: list[str] = []
    original_notify = DigestApp.notify

    def notify(self: DigestApp, message: str, **kwargs: object) -> None:
        notes.append(message)
        original_notify(self, message, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DigestApp, "notify", notify)
    async with app.run_test() as pilot:
        await ready(pilot)
        path.write_text("sort = = \n", encoding="utf-8")  # edited meanwhile, badly
        app.theme = "nord"
        await saves_settled(pilot)
    assert path.read_text(encoding="utf-8") == "sort = = \n"
    expected = f"Theme not saved: {path}: line 1: not valid TOML any more: Unexpected character: '='; fix it, then pick"
    assert f"{expected} the theme again" in notes, notes


async def test_a_failed_write_is_a_notification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    app = app_with(path, 'sort = "title"\n')
    notes: list[str] = []
    original_notify = DigestApp.notify

    def notify(self: DigestApp, message: str, **kwargs: object) -> None:
        notes.append(message)
        original_notify(self, message, **kwargs)  # type: ignore[arg-type]

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(DigestApp, "notify", notify)
    monkeypatch.setattr("tui.stores.files.atomic_write", refuse)
    async with app.run_test() as pilot:
        await ready(pilot)
        app.theme = "nord"
        await saves_settled(pilot)
    assert path.read_text(encoding="utf-8") == 'sort = "title"\n'
    assert f"Theme not saved: {path}: Permission denied" in notes


def test_dev_null_is_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(config_module.ConfigError, match="not a regular file"):
        config_module.save_theme(Path(os.devnull), "nord")


# --- sort, warnings, clipboard, cache ---------------------------------------------------------


async def test_the_sort_is_applied_at_start(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml", 'sort = "title"\n')
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.state.sort == "title"
        assert shown_titles(app) == ["alpha paper", "Bravo paper", "Charlie paper"]
        assert "by title" in frame_text(app).splitlines()[0]


async def test_without_a_sort_the_digest_order_stays(tmp_path: Path) -> None:
    app = app_with(tmp_path / "config.toml", 'theme = "nord"\n')
    async with app.run_test() as pilot:
        await ready(pilot)
        assert shown_titles(app) == [paper.title for paper in PAPERS]


async def test_an_unknown_setting_is_one_notification_and_the_rest_applies(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    notes: list[tuple[str, object]] = []
    original_notify = DigestApp.notify

    def notify(self: DigestApp, message: str, **kwargs: object) -> None:
        notes.append((message, kwargs.get("severity")))
        original_notify(self, message, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DigestApp, "notify", notify)
    path = tmp_path / "config.toml"
    app = app_with(path, 'sort = "title"\nfrom_the_future = true\n')
    async with app.run_test() as pilot:
        screen = await ready(pilot)
        assert screen.state.sort == "title"
    warnings = [note for note in notes if "from_the_future" in note[0]]
    assert warnings == [(f"{path}: line 2: unknown setting 'from_the_future' (ignored); a newer version's setting, "
                         "or a typo: digest-reader config --default lists them", "warning")]


@pytest.mark.parametrize(("setting", "expected"), [("true", True), ("false", False), ('"auto"', None)])
async def test_local_clipboard_reaches_the_clipboard_helper(tmp_path: Path, setting: str, expected: bool | None) -> None:
    app = app_with(tmp_path / "config.toml", f"local_clipboard = {setting}\n")
    async with app.run_test() as pilot:
        await ready(pilot)
        assert clipboard._configured is expected


def test_local_clipboard_off_and_on_and_the_variable_winning() -> None:
    display = {"DISPLAY": ":0"}
    ssh = {"SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":0"}
    assert clipboard.local_clipboard_commands(display, "linux", configured=False) == (
        (), "the local clipboard is turned off (local_clipboard = false in config.toml)")
    assert clipboard.local_clipboard_commands(ssh, "linux", configured=True)[0]  # forced on, even over SSH
    assert not clipboard.local_clipboard_commands(ssh, "linux")[0]  # auto: not over SSH
    # The environment variable, when set, wins over the file either way.
    on = {**display, clipboard.OVERRIDE_VARIABLE: "1"}
    assert clipboard.local_clipboard_commands(on, "linux", configured=False)[0]
    off = {**ssh, clipboard.OVERRIDE_VARIABLE: "0"}
    assert clipboard.local_clipboard_commands(off, "linux", configured=True)[0] == ()


async def test_the_cache_interval_reaches_the_fetch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = parse_spec("hf:2024-10-22")
    assert spec is not None
    calls: list[object] = []

    def load_live(live: object, **kwargs: object) -> LiveResult:
        calls.append(kwargs.get("fresh_for"))
        return LiveResult(digest=Digest(format="hf-json", source=spec.canonical, papers=PAPERS), spec=spec,
                          fetched_at=datetime(2024, 10, 22, tzinfo=UTC), from_cache=True)

    monkeypatch.setattr("tui.live.fetch.load_live", load_live)
    path = tmp_path / "config.toml"
    loaded, keymap = configured(path, "[cache]\nfresh_minutes = 3\n")
    app = DigestApp([DigestSource("hf:2024-10-22", live=spec)], config=loaded, keymap=keymap)
    async with app.run_test() as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert calls == [timedelta(minutes=3)]
