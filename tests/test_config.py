"""config.toml (docs/config.md): reading, checking, the one-line errors with
their line and exit status 78, `digest-reader config` and `config --default`.

The launcher is run in process (its app's ``run`` replaced, so a file wrongly
accepted fails the test instead of starting a screen), and once as a real
process to see the exit status and stderr a user sees.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui import cli, config, launch
from tui.app import DigestApp, binding_catalogue, theme_names
from tui.config import ConfigError, ConfigLocation, Settings, check, line_of, load, locate

REPO = Path(__file__).resolve().parent.parent
DIGEST = REPO / "tests" / "fixtures" / "reader" / "small.txt"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the config of whoever runs the suite."""
    folder = tmp_path / "config"
    monkeypatch.setenv("DIGEST_READER_CONFIG_DIR", str(folder))
    monkeypatch.delenv("DIGEST_READER_CONFIG", raising=False)
    monkeypatch.delenv("DIGEST_READER_LOCAL_CLIPBOARD", raising=False)
    return folder


@pytest.fixture
def no_screen(monkeypatch: pytest.MonkeyPatch) -> list[DigestApp]:
    """The launcher builds its app but never runs it; the apps built are returned."""
    built: list[DigestApp] = []

    def run(self: DigestApp, *args: object, **kwargs: object) -> None:
        built.append(self)

    monkeypatch.setattr(DigestApp, "run", run)
    monkeypatch.setattr(launch, "_is_terminal", lambda fd: True)  # pytest's stdin is not one
    return built


def write(folder: Path, text: str, name: str = "config.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def checked(text: str, folder: Path) -> tuple[config.Config, dict[str, str]]:
    loaded = load(ConfigLocation(write(folder, text), config.FROM_OPTION))
    return loaded, check(loaded, themes=theme_names(), bindings=binding_catalogue)


def refused(text: str, folder: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        checked(text, folder)
    return caught.value


# --- where the file is ----------------------------------------------------------------------


def test_the_file_is_found_by_option_then_environment_then_the_config_directory(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    assert locate(None, {}) == ConfigLocation(folder / "config.toml", "default")
    assert locate(None, {"DIGEST_READER_CONFIG": "/x/env.toml"}) == ConfigLocation(Path("/x/env.toml"), "DIGEST_READER_CONFIG")
    assert locate("/x/opt.toml", {"DIGEST_READER_CONFIG": "/x/env.toml"}) == ConfigLocation(Path("/x/opt.toml"), "--config")


def test_the_xdg_config_home_is_the_default_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DIGEST_READER_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert locate(None, {}).path == tmp_path / "xdg" / "digest-reader" / "config.toml"


def test_no_file_at_the_default_place_means_every_default(tmp_path: Path) -> None:
    loaded = load(locate(None, {}))
    assert (loaded.exists, loaded.settings, loaded.present, loaded.unknown) == (False, Settings(), frozenset(), ())


def test_dev_null_means_every_default() -> None:
    loaded = load(ConfigLocation(Path(os.devnull), config.FROM_ENV))
    assert loaded.settings == Settings()


def test_every_setting_is_read(tmp_path: Path) -> None:
    loaded, keymap = checked(
        '# mine\ntheme = "nord"\nsort = "title"\nsources = ["hf", "digests/today.txt", "~/x.txt"]\n'
        'local_clipboard = false\n\n[cache]\nfresh_minutes = 2.5\n\n[keys]\ntoggle_bookmark = "x"\n'
        'list.cursor_down = ["ctrl+n", "down"]\nsearch = "slash,f3"\n',
        tmp_path,
    )
    settings = loaded.settings
    assert (settings.theme, settings.sort, settings.local_clipboard, settings.fresh_minutes) == ("nord", "title", False, 2.5)
    # Relative paths start at the config file's folder; specs stay as written.
    assert settings.sources == ("hf", str(tmp_path / "digests" / "today.txt"), str(Path("~/x.txt").expanduser()))
    assert keymap == {"toggle_bookmark": "x", "list.cursor_down": "ctrl+n,down", "search": "slash,f3"}
    assert {"theme", "sort", "sources", "local_clipboard", "cache.fresh_minutes", "keys.search"} <= loaded.present


def test_dotted_ids_may_be_written_as_sub_tables(tmp_path: Path) -> None:
    _, keymap = checked('[keys.list]\ncursor_down = "ctrl+n"\n\n[keys]\n"detail.top" = "f2"', tmp_path)
    assert keymap == {"list.cursor_down": "ctrl+n", "detail.top": "f2"}


def test_local_clipboard_auto_is_none(tmp_path: Path) -> None:
    loaded, _ = checked('local_clipboard = "auto"\n', tmp_path)
    assert loaded.settings.local_clipboard is None
    loaded, _ = checked("local_clipboard = true\n", tmp_path)
    assert loaded.settings.local_clipboard is True


# --- every error: one line, with its line -------------------------------------------------

ERRORS = [
    # (file, line, words in the message)
    ('theme = "nord"\n\nsort = = "title"\n', 3, ["not valid TOML"]),
    ('theme = "nord"\nsort = 3\n', 2, ["sort must be a string, not an integer"]),
    ('theme = "nord"\n\nsort = "votes"\n', 3, ["unknown sort 'votes'", "digest, upvotes"]),
    ('# comment\ntheme = "nordd"\n', 2, ["unknown theme 'nordd'", "did you mean 'nord'"]),
    ("theme = 7\n", 1, ["theme must be a theme's name"]),
    ('sources = "hf"\n', 1, ["sources must be an array"]),
    ('sources = ["hf", 3]\n', 1, ["sources must hold source specs or paths, not an integer"]),
    ('\nsources = ["hf:2024-13-01"]\n', 2, ["sources:", "hf:2024-13-01"]),
    ('sources = ["-"]\n', 1, ["standard input"]),
    ('local_clipboard = "yes"\n', 1, ["local_clipboard must be \"auto\", true or false, not 'yes'"]),
    ("[cache]\nfresh_minutes = -1\n", 2, ["fresh_minutes -1 is out of range"]),
    ('[cache]\nfresh_minutes = "15"\n', 2, ["fresh_minutes must be a number, not a string"]),
    ("[cache]\nfresh_minutes = true\n", 2, ["fresh_minutes must be a number, not true or false"]),
    ("keys = 3\n", 1, ["keys must be a table"]),
    ('[keys]\n\nbookmark = "x"\n', 3, ["unknown binding id 'bookmark'", "did you mean 'toggle_bookmark'"]),
    ('[keys]\ntoggle_read = "b"\n', 2, ["'b' would run both toggle_bookmark and toggle_read", "another key"]),
    ('[keys]\ntoggle_read = "x"\ncopy_code = "x"\n', 3, ["'x' would run both toggle_read and copy_code"]),
    ('[keys]\nlist.first = "j"\n', 2, ["'j' would run both list.cursor_down and list.first"]),
    ('[keys]\ncycle_sort = "ctrl+p"\n', 2, ["'ctrl+p' would run both Command palette (built in) and cycle_sort"]),
    ('[keys.list]\ncursor_down = 5\n', 2, ["keys.list.cursor_down must be a string of keys, not an integer"]),
    ('[keys]\nsearch = "ctrl+bananas"\n', 2, ["unknown key 'ctrl+bananas'"]),
    ('[keys]\nsearch = "hyperr+x"\n', 2, ["unknown modifier 'hyperr'"]),
    ('[keys]\nsearch = "a,,b"\n', 2, ["an empty key"]),
    ('[keys]\nsearch = "f"\n', 2, ["'f' types text", "acts even in the search box"]),
    ('[keys]\napp.quit = "x"\n', 2, ["'x' types text"]),
]


@pytest.mark.parametrize(("text", "line", "words"), ERRORS)
def test_a_bad_file_is_one_line_naming_its_line_and_exit_78(
    text: str, line: int, words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    no_screen: list[DigestApp],
) -> None:
    path = write(tmp_path, text)
    assert cli.main(["--config", str(path), str(DIGEST)]) == 78
    assert no_screen == []  # never started, not even half configured
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"digest-reader: {path}: line {line}: "), lines[0]
    assert "; " in lines[0]  # what is wrong; what to do
    for word in words:
        assert word in lines[0]


def test_a_missing_file_the_user_named_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, no_screen: list[DigestApp]) -> None:
    assert cli.main(["--config", str(tmp_path / "nope.toml")]) == 78
    assert "nope.toml: no such file (named by --config); " in capsys.readouterr().err
    monkeypatch.setenv("DIGEST_READER_CONFIG", str(tmp_path / "gone.toml"))
    assert cli.main([]) == 78
    assert "gone.toml: no such file (named by DIGEST_READER_CONFIG)" in capsys.readouterr().err
    assert no_screen == []


def test_a_directory_or_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load(ConfigLocation(tmp_path, config.FROM_OPTION))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load(ConfigLocation(fifo, config.FROM_OPTION))


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "nord"\nsort = "\xff"\n')
    with pytest.raises(ConfigError) as caught:
        load(ConfigLocation(path, config.FROM_OPTION))
    assert caught.value.line == 2 and "not UTF-8" in str(caught.value)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbfsort = "title"\n')
    assert load(ConfigLocation(path, config.FROM_OPTION)).settings.sort == "title"


def test_the_error_line_is_cleaned_of_control_characters(tmp_path: Path) -> None:
    error = refused('theme = "\\u001b[31mred"\n', tmp_path)
    assert "\x1b" not in str(error) and "\n" not in str(error)


def test_a_real_process_exits_78_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, '[keys]\ntoggle_read = "b"\n')
    result = subprocess.run([sys.executable, "-m", "tui", "--config", str(path)], capture_output=True, text=True,
                            timeout=60, cwd=REPO, stdin=subprocess.DEVNULL, env=dict(os.environ, TERM="dumb"))
    assert result.returncode == 78
    assert result.stdout == ""
    assert result.stderr == f"digest-reader: {path}: line 2: keys: 'b' would run both toggle_bookmark and toggle_read; " \
        "give one of them another key\n"


# --- unknown settings: warnings, not errors ----------------------------------------------


def test_an_unknown_setting_is_a_warning_with_its_line(tmp_path: Path) -> None:
    loaded, _ = checked('sort = "title"\ncolour = "red"\n\n[cache]\nfresh_minutes = 5\nsize_mb = 3\n', tmp_path)
    assert loaded.settings.sort == "title"
    assert loaded.unknown == ("colour", "cache.size_mb")
    warnings = loaded.warnings()
    assert warnings[0].endswith("line 2: unknown setting 'colour' (ignored); a newer version's setting, or a typo: "
                                "digest-reader config --default lists them")
    assert ": line 6: unknown setting 'cache.size_mb'" in warnings[1]


def test_an_unknown_setting_does_not_stop_the_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     no_screen: list[DigestApp]) -> None:
    path = write(tmp_path, "future_setting = 1\n")
    assert cli.main(["--config", str(path), str(DIGEST)]) == 0
    assert len(no_screen) == 1
    assert no_screen[0].config is not None and no_screen[0].config.unknown == ("future_setting",)
    assert capsys.readouterr().err == ""  # (shown as a notification in the app: tests/test_config_ui.py)


# --- what the launcher does with the settings ------------------------------------------------


def test_sources_open_when_no_path_is_given(tmp_path: Path, no_screen: list[DigestApp]) -> None:
    (tmp_path / "digests").mkdir()
    digest = tmp_path / "digests" / "mine.txt"
    digest.write_text(DIGEST.read_text(encoding="utf-8"), encoding="utf-8")
    path = write(tmp_path, 'sources = ["digests/mine.txt"]\n')
    assert cli.main(["--config", str(path)]) == 0
    app = no_screen[0]
    assert [source.path for source in app.sources] == [str(digest)]
    assert app.demo is False
    assert app.sources[0].digest is not None and app.sources[0].digest.papers  # read and parsed, as a PATH is


def test_a_path_on_the_command_line_wins_over_sources(tmp_path: Path, no_screen: list[DigestApp]) -> None:
    path = write(tmp_path, 'sources = ["nowhere.txt"]\n')
    assert cli.main(["--config", str(path), str(DIGEST)]) == 0
    assert [source.path for source in no_screen[0].sources] == [str(DIGEST)]


def test_without_sources_the_demo_opens(tmp_path: Path, no_screen: list[DigestApp]) -> None:
    path = write(tmp_path, 'sort = "title"\nsources = []\n')
    assert cli.main(["--config", str(path)]) == 0
    assert no_screen[0].demo is True


def test_a_missing_source_says_it_came_from_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        no_screen: list[DigestApp]) -> None:
    path = write(tmp_path, 'sources = ["gone.txt"]\n')
    assert cli.main(["--config", str(path)]) == 66
    assert capsys.readouterr().err == (f"digest-reader: {tmp_path / 'gone.txt'}: no such file; check the path "
                                       f"(listed in sources of {path})\n")


def test_the_app_gets_every_setting(tmp_path: Path, no_screen: list[DigestApp]) -> None:
    path = write(tmp_path, 'theme = "nord"\nsort = "newest"\n[cache]\nfresh_minutes = 3\n[keys]\ncycle_sort = "ctrl+o"\n')
    assert cli.main(["--config", str(path), str(DIGEST)]) == 0
    app = no_screen[0]
    assert (app.settings.theme, app.settings.sort) == ("nord", "newest")
    assert app.fresh_for.total_seconds() == 180
    assert app._keymap == {"cycle_sort": "ctrl+o"}


# --- line numbers ------------------------------------------------------------------------


def test_line_of_reads_tables_dotted_and_quoted_keys() -> None:
    text = ('theme = "x"  # sort = 1\n'
            "[cache]\n"
            "fresh_minutes = 1\n"
            "[keys]\n"
            'list . cursor_down = "a"\n'
            '"detail.top" = "b"\n'
            "[keys.help_screen]\n"
            "close = 'q'\n")
    assert line_of(text, "theme") == 1
    assert line_of(text, "sort") is None
    assert line_of(text, "cache.fresh_minutes") == 3
    assert line_of(text, "keys.list.cursor_down") == 5
    assert line_of(text, "keys.help_screen.close") == 8
    assert line_of(text, "keys") == 4


def test_keys_are_normalised_as_textual_names_them() -> None:
    assert config.normalise_key("/") == "slash"
    assert config.normalise_key("?") == "question_mark"
    assert config.normalise_key("ctrl+/") == "ctrl+slash"
    assert config.normalise_key("G") == "G"
    assert config.display_key("left_square_bracket") == "["
    assert config.display_key("space") == "space"
    assert config.display_key("enter") == "enter"
    assert config.key_problem("ctrl+shift+up") is None
    assert config.key_problem("f24") is None
    assert config.key_problem("question_mark") is None
    assert config.key_problem("ctrl+nothing_like_this") is not None
    assert config.is_text_key("x") and config.is_text_key("slash") and config.is_text_key("space")
    assert not config.is_text_key("ctrl+x") and not config.is_text_key("f5") and not config.is_text_key("enter")


def test_every_binding_has_a_unique_id_and_the_defaults_do_not_clash() -> None:
    catalogue = binding_catalogue()
    ids = [info.id for info in catalogue if info.id is not None]
    assert len(ids) == len(set(ids))
    assert {"app.quit", "quit", "search", "list.cursor_down", "detail.page_down", "help_screen.close", "links.copy",
            "note.cancel"} <= set(ids)
    # Every binding given its own default keys, all at once: nothing clashes.
    lines = "".join(f'"{info.id}" = "{info.keys}"\n' for info in catalogue if info.id is not None)
    loaded = config.parse(f"[keys]\n{lines}", ConfigLocation(Path("c.toml"), "--config"))
    assert len(check(loaded, themes=theme_names(), bindings=lambda: catalogue)) == len(ids)


# --- digest-reader config ----------------------------------------------------------------------


def run_config(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["config", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_config_prints_the_path_and_every_setting_marking_defaults(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'theme = "nord"\nnewer = 1\n[keys]\ncycle_sort = "ctrl+o"\n')
    status, out, err = run_config(capsys, "--config", str(path))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"# config file: {path} (from --config)"
    assert 'theme = "nord"' in lines
    assert 'sort = "digest"  # default' in lines
    assert 'sources = []  # default; the demo digest' in lines
    assert 'local_clipboard = "auto"  # default' in lines
    assert "fresh_minutes = 15  # default" in lines
    assert 'cycle_sort = "ctrl+o"' in lines
    assert 'search = "/"  # default' in lines
    assert 'app.quit = "ctrl+q"  # default' in lines
    assert err == f"digest-reader config: warning: {path}: line 2: unknown setting 'newer' (ignored); " \
        "a newer version's setting, or a typo: digest-reader config --default lists them\n"
    # What it prints is itself a config file giving the same settings.
    again = write(tmp_path, out, "again.toml")
    reloaded, keymap = checked(again.read_text(encoding="utf-8"), tmp_path)
    assert reloaded.settings.theme == "nord" and keymap["cycle_sort"] == "ctrl+o" and keymap["search"] == "slash"


def test_config_without_a_file_says_so(capsys: pytest.CaptureFixture[str], _isolated_config: Path) -> None:
    status, out, _ = run_config(capsys)
    assert status == 0
    assert out.splitlines()[:2] == [f"# config file: {_isolated_config / 'config.toml'} (the user config directory)",
                                    "# (there is no such file: every setting below is its default)"]
    assert 'theme = "textual-dark"  # default' in out


def test_config_says_when_the_environment_overrides_the_clipboard(capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_READER_LOCAL_CLIPBOARD", "0")
    _, out, _ = run_config(capsys)
    assert 'local_clipboard = "auto"  # default; DIGEST_READER_LOCAL_CLIPBOARD=0 wins' in out


def test_config_with_a_bad_file_is_the_same_one_line_and_78(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'sort = "votes"\n')
    status, out, err = run_config(capsys, "--config", str(path))
    assert (status, out) == (78, "")
    assert err == f"digest-reader: {path}: line 1: unknown sort 'votes'; use one of " \
        f"{', '.join(order.name for order in config.ORDERS)}\n"


def test_config_default_is_fully_commented_and_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_config(capsys, "--default")
    assert status == 0
    for line in out.splitlines():
        assert line == "" or line.startswith("#") or line in ("[cache]", "[keys]"), line
    loaded, keymap = checked(out, tmp_path)
    assert (loaded.present, loaded.unknown, loaded.settings, keymap) == (frozenset(), (), Settings(), {})
    # Every setting and every binding id is there, with one line saying what it does.
    for name in ("theme", "sort", "sources", "local_clipboard", "fresh_minutes"):
        assert re.search(rf"^# {name} = ", out, re.MULTILINE), name
    for info in binding_catalogue():
        if info.id is not None:
            assert re.search(rf"^# {re.escape(info.id)} = \"[^\"]+\"  # \S", out, re.MULTILINE), info.id


def test_config_default_uncommented_gives_the_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_config(capsys, "--default")
    setting = re.compile(r"^# ([\w.]+ = .*)$")
    uncommented = "\n".join(match.group(1) if (match := setting.match(line)) else line for line in out.splitlines())
    loaded, keymap = checked(uncommented, tmp_path)
    assert loaded.unknown == ()
    settings = loaded.settings
    assert (settings.theme, settings.sort, settings.sources, settings.local_clipboard, settings.fresh_minutes) == (
        "textual-dark", "digest", (), None, 15)
    catalogue = {info.id: info for info in binding_catalogue() if info.id is not None}
    assert set(keymap) == set(catalogue)
    for binding, keys in keymap.items():  # each default written back is the default itself
        assert keys == ",".join(config.normalise_key(key) for key in catalogue[binding].keys.split(","))


def test_config_help_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_config(capsys, "--help")[0] == 0
    assert run_config(capsys, "--bogus")[0] == 2


def test_no_binding_id_is_the_table_of_another() -> None:
    """``help = "?"`` and ``help.close = …`` could not both be written in one TOML file."""
    ids = {info.id for info in binding_catalogue() if info.id is not None}
    for binding in ids:
        prefix = binding.rpartition(".")[0]
        while prefix:
            assert prefix not in ids, (prefix, binding)
            prefix = prefix.rpartition(".")[0]


def test_reading_a_config_file_at_start_leaves_tomlkit_for_later(tmp_path: Path) -> None:
    """tomllib reads the file; tomlkit is imported only to write the theme back."""
    path = write(tmp_path, 'theme = "nord"\nsort = "title"\n[keys]\ncycle_sort = "ctrl+o"\n')
    script = (
        "import json, sys\n"
        "import tui.launch, tui.app\n"
        "from tui.config import check, load, locate\n"
        "config = load(locate())\n"
        "check(config, themes=tui.app.theme_names(), bindings=tui.app.binding_catalogue)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO,
                            env=dict(os.environ, DIGEST_READER_CONFIG=str(path)))
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout))
    assert "tomllib" in modules  # the probe works
    assert not {"tomlkit", "tui.stores.files", "tui.system.clipboard"} & modules


def test_every_binding_with_an_id_is_in_the_catalogue() -> None:
    """A screen or widget added later must be added to tui.app.binding_catalogue,
    or its keys would not be checked for clashes."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import tui.screens
    import tui.widgets

    known = {info.id for info in binding_catalogue()}
    for package in (tui.screens, tui.widgets):
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    for binding in value.__dict__.get("BINDINGS", []):
                        if isinstance(binding, Binding) and binding.id is not None:
                            assert binding.id in known, (value.__name__, binding.id)


def test_a_key_moved_away_first_may_be_given_to_another_action(tmp_path: Path) -> None:
    _, keymap = checked('[keys]\ntoggle_read = "b"\ntoggle_bookmark = "x"\n', tmp_path)
    assert keymap == {"toggle_read": "b", "toggle_bookmark": "x"}


def test_docs_list_every_binding_id_and_setting() -> None:
    docs = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    for info in binding_catalogue():
        if info.id is None:
            continue
        written = re.sub(r"^links\.copy_[2-8]$", "links.copy_1", info.id)  # (written as links.copy_1 … links.copy_9)
        assert f"`{written}`" in docs, info.id
    for setting in config.SETTINGS:
        name = "[keys]" if setting == "keys" else setting.rpartition(".")[2]
        assert f"`{name}`" in docs, setting
    for order in config.ORDERS:
        assert f"`{order.name}`" in docs, order.name
    for theme in theme_names():
        assert f"`{theme}`" in docs, theme
