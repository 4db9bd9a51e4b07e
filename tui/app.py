"""The reader application.

It applies config.toml's settings (docs/config.md), already read and checked by
the launcher: the theme and keymap at start, the default sort on the main
screen, the cache interval for fetches, the clipboard mode; a theme picked in
the command palette is written back to the file, off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme

from digest_parser.sanitize import clean_line
from tui.config import DEFAULT_SORT, BindingInfo, Config, ConfigError, Settings, save_theme
from tui.core.sorting import ORDERS
from tui.core.sources import DigestSource
from tui.keys import COMMANDS, QUIT_ANYWHERE_KEYS
from tui.screens.main import MainScreen
from tui.system.keypause import KeyPause, input_waiting_on
from tui.system.terminal import exit_if_still_running_after, on_hangup_signal
from tui.system.textual_internals import install_key_hook, terminal_input_fd, watch_terminal

TERMINAL_GONE_STATUS = 129
"""The exit status once the terminal has gone away: what a shell reports for a
process ended by SIGHUP (128 + 1), though this one saved its work first."""

EXIT_DEADLINE_SECONDS = 5.0
"""Once the terminal has gone, the process ends this long after at the latest,
even if the orderly exit (which saves what is pending) hangs."""


class DigestApp(App[None]):
    """digest-reader: a list of papers, a detail pane, search, bookmarks, links."""

    class TerminalGone(Message):
        """The terminal went away (closed, hung up, end of input): save and exit."""

    CSS_PATH = "app.tcss"
    TITLE = "digest-reader"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding(QUIT_ANYWHERE_KEYS, "quit", "Quit", show=False, priority=True, id="app.quit")]

    def __init__(
        self,
        sources: Sequence[DigestSource],
        *,
        format: str = "auto",
        bookmarks_path: str | None = None,
        demo: bool = False,
        config: Config | None = None,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        """*config*: the settings, checked (tui.config.load and check), with
        *keymap* the checked ``[keys]``; without it every default applies and a
        theme picked is not saved."""
        super().__init__()
        self.sources = tuple(sources)
        self.digest_format = format
        self.bookmarks_path = bookmarks_path
        self.demo = demo
        self.config = config
        self.settings = config.settings if config is not None else Settings()
        self.fresh_for = self.settings.fresh_for
        """How recent a cached live source must be to open without a request (read by the screen)."""
        self.keymap: dict[str, str] = dict(keymap or {})
        """The checked ``[keys]`` (binding id -> keys), for the help screen."""
        if keymap:
            self.set_keymap(dict(keymap))
        self._saved_theme: str | None = None
        self._theme_to_save = ""
        self._theme_save_lock = threading.Lock()
        self.fatal_error: str | None = None
        """Set when loading failed in a way that ends the app; printed after exit."""
        self.key_pause = KeyPause()
        """Background workers step aside briefly after each key (see tui.system.keypause)."""
        self.terminal_gone = False
        """Set once the terminal has gone away; the app is then exiting."""
        self._stop_watching_terminal: list[Callable[[], None]] = []

    def on_mount(self) -> None:
        self._apply_settings()
        # The key is noted on the driver's input thread, before it waits for the
        # GIL to enter the event loop (see tui.system.textual_internals).
        install_key_hook(self, self.key_pause.key_arrived)
        terminal = terminal_input_fd(self)  # None when headless
        if terminal is not None:
            self.key_pause.input_waiting = input_waiting_on(terminal)
            # Textual alone would spin on a terminal that went away under a reader
            # ignoring SIGHUP; and SIGHUP itself would end it before it saved.
            stop_watching = watch_terminal(self, self._terminal_went_away)
            if stop_watching is not None:
                self._stop_watching_terminal.append(stop_watching)
            restore_hangup = on_hangup_signal(self._terminal_went_away)
            if restore_hangup is not None:
                self._stop_watching_terminal.append(restore_hangup)

    def _apply_settings(self) -> None:
        settings = self.settings
        if settings.theme is not None:
            self.theme = settings.theme  # (checked against the themes before the app started)
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.config is not None:
            for warning in self.config.warnings():
                self.notify(warning, title="Config", severity="warning", markup=False, timeout=12)
        if settings.local_clipboard is not None:
            # After the first frame: the clipboard helpers are not on the path to it.
            self.call_after_refresh(_set_local_clipboard, settings.local_clipboard)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme was picked (the command palette): save it to config.toml."""
        if self.config is None or theme.name == self._saved_theme:
            return
        self._theme_to_save = theme.name
        self.run_worker(self._save_theme, thread=True, group="config", exit_on_error=False,
                        description="Saving the theme")

    def _save_theme(self) -> None:
        # One save at a time, and the last theme picked wins: a later worker
        # finds it already saved.
        assert self.config is not None
        path = self.config.location.path
        with self._theme_save_lock:
            name = self._theme_to_save
            if name == self._saved_theme:
                return
            try:
                save_theme(path, name)  # (tomlkit is imported there: only now)
            except ConfigError as error:
                self.call_from_thread(self.notify, f"Theme not saved: {error}", title="Config",
                                      severity="warning", markup=False, timeout=10)
                return
            except OSError as error:
                from tui.stores.files import error_reason

                self.call_from_thread(self.notify, f"Theme not saved: {clean_line(str(path))}: {error_reason(error)}",
                                      title="Config", severity="warning", markup=False, timeout=10)
                return
            self._saved_theme = name
        self.call_from_thread(self.notify, f"Theme {name} saved in {clean_line(str(path))}.",
                              title="Config", markup=False, timeout=3)

    def on_unmount(self) -> None:
        for stop in self._stop_watching_terminal:
            stop()

    def _terminal_went_away(self) -> None:
        # On the watcher's thread, or in the SIGHUP handler: only post.
        self.post_message(self.TerminalGone())

    def on_digest_app_terminal_gone(self) -> None:
        if self.terminal_gone:
            return
        self.terminal_gone = True
        exit_if_still_running_after(EXIT_DEADLINE_SECONDS, TERMINAL_GONE_STATUS)
        # The screens' unmount saves what is pending (read marks, queued writes).
        self.exit(return_code=TERMINAL_GONE_STATUS)

    def get_default_screen(self) -> Screen[None]:
        screen = MainScreen()
        if self.settings.sort != DEFAULT_SORT:
            # Before any paper is loaded: the first rows come sorted (a worker
            # sorts them once loading is done; the header names the order).
            screen.state.choose_sort(self.settings.sort)
        return screen

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":  # Textual's saves into a Downloads folder that may not exist
                yield SystemCommand("Screenshot", "Save an SVG screenshot of the screen (Pictures, else here); "
                                    "the message says where", lambda: self.set_timer(0.1, self.action_screenshot))
            else:
                yield command
        if isinstance(screen, MainScreen):
            for command in COMMANDS:
                if command.action == "quit":
                    continue
                yield SystemCommand(command.title, command.help, partial(screen.run_action, command.action))
            for order in ORDERS:
                if order.applies(screen.state.view_papers):
                    yield SystemCommand(f"Sort: {order.title}", f"Sort the list: {order.title}",
                                        partial(screen.sort_by, order.name))
            for tag in sorted(screen.state.tags):
                yield SystemCommand(f"Sort: for you, tag {tag}", f"Sort the list by likeness to the bookmarks tagged {tag}",
                                    partial(screen.sort_for_you, tag))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG screenshot where it can be saved and say where, or why not
        (tui.system.screenshots); *path*, when given, is tried first."""
        from datetime import datetime
        from pathlib import Path

        from tui.stores.locations import data_dir
        from tui.system.screenshots import save_svg, screenshot_folders, screenshot_name

        try:
            data_folder: Path | None = data_dir() / "screenshots"
        except OSError:
            data_folder = None
        folders = screenshot_folders(data_folder)
        if path:
            folders.insert(0, Path(path).expanduser())
        outcome = save_svg(self.export_screenshot(), filename or screenshot_name(datetime.now()), folders)
        self.notify(outcome.message, title="Screenshot", severity="information" if outcome.path else "error",
                    markup=False, timeout=8)

    def fail(self, message: str, exit_code: int = 65) -> None:
        """End the app because of *message* (printed on stderr after exit), with
        *exit_code*: 65 for bad data, 69 for a live source that could not be had."""
        self.fatal_error = message
        self.exit(return_code=exit_code)


def _set_local_clipboard(mode: bool) -> None:
    from tui.system.clipboard import set_local_clipboard

    set_local_clipboard(mode)


def theme_names() -> list[str]:
    """The themes config.toml may name: Textual's own (the app registers no other)."""
    return sorted(BUILTIN_THEMES)


def binding_catalogue() -> tuple[BindingInfo, ...]:
    """Every binding of the app, with where it acts, for checking config.toml's
    ``[keys]`` (tui.config.keymap_for). Textual's own bindings (ctrl+c, ctrl+p,
    shift+tab, scrolling) are listed without an id: they cannot be remapped,
    but a key given to another action must not clash with them."""
    from textual.binding import BindingsMap
    from textual.dom import DOMNode
    from textual.widgets import OptionList

    from tui.screens.dialogs import ConfirmDialog, LinkPicker, NoteEditor, TagEditor
    from tui.screens.help import HelpScreen
    from tui.screens.problems import ProblemsScreen
    from tui.widgets.paper_detail import PaperDetail
    from tui.widgets.paper_list import PaperList

    dialogs = {"help", "links", "note", "tags", "problems", "confirm"}
    main = {"list", "detail"}
    nodes: list[tuple[type[DOMNode], set[str]]] = [
        (MainScreen, main),
        (DigestApp, main | dialogs),
        (PaperList, {"list"}),
        (PaperDetail, {"detail"}),
        (HelpScreen, {"help"}),
        (LinkPicker, {"links"}),
        (OptionList, {"links"}),
        (NoteEditor, {"note"}),
        (TagEditor, {"tags"}),
        (ConfirmDialog, {"confirm"}),
        (ProblemsScreen, {"problems"}),
    ]
    catalogue: list[BindingInfo] = [
        BindingInfo(None, App.COMMAND_PALETTE_BINDING, "Command palette", frozenset(main | dialogs)),
    ]
    for node, contexts in nodes:
        # As Textual merges a class's bindings: a subclass's key replaces its base's.
        by_key: dict[str, list[Binding]] = {}
        for base in reversed(node.__mro__):
            if "BINDINGS" in base.__dict__:
                for key, bindings in BindingsMap(base.__dict__["BINDINGS"]).key_to_bindings.items():
                    by_key.pop(key, None)  # (moved to the end: the keys keep the order they are declared in)
                    by_key[key] = bindings
        merged: dict[tuple[str | None, str], list[str]] = {}
        described: dict[tuple[str | None, str], Binding] = {}
        for key, bindings in by_key.items():
            for binding in bindings:
                ident = (binding.id, binding.action if binding.id is None else "")
                merged.setdefault(ident, []).append(key)
                described.setdefault(ident, binding)
        for ident, keys in merged.items():
            binding = described[ident]
            catalogue.append(BindingInfo(
                binding.id,
                ",".join(keys),
                binding.tooltip or binding.description or binding.action,
                frozenset(contexts),
                # A priority binding acts before the search box sees the key: a
                # letter given to it could no longer be typed there.
                takes_text_keys=not binding.priority,
            ))
    return tuple(catalogue)
