"""The reader application."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.sources import DigestSource
from tui.keys import COMMANDS
from tui.screens.main import MainScreen
from tui.system.keypause import KeyPause, input_waiting_on
from tui.system.textual_internals import install_key_hook, terminal_input_fd


class DigestApp(App[None]):
    """digest-reader: a list of papers, a detail pane, search, bookmarks, links."""

    CSS_PATH = "app.tcss"
    TITLE = "digest-reader"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        sources: Sequence[DigestSource],
        *,
        format: str = "auto",
        bookmarks_path: str | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.sources = tuple(sources)
        self.digest_format = format
        self.bookmarks_path = bookmarks_path
        self.demo = demo
        self.fatal_error: str | None = None
        """Set when loading failed in a way that ends the app; printed after exit."""
        self.key_pause = KeyPause()
        """Background workers step aside briefly after each key (see tui.system.keypause)."""

    def on_mount(self) -> None:
        # The key is noted on the driver's input thread, before it waits for the
        # GIL to enter the event loop (see tui.system.textual_internals).
        install_key_hook(self, self.key_pause.key_arrived)
        terminal = terminal_input_fd(self)  # None when headless
        if terminal is not None:
            self.key_pause.input_waiting = input_waiting_on(terminal)

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for command in COMMANDS:
                if command.action == "quit":
                    continue
                yield SystemCommand(command.title, command.help, partial(screen.run_action, command.action))

    def fail(self, message: str) -> None:
        """End the app because of *message* (printed on stderr after exit)."""
        self.fatal_error = message
        self.exit(return_code=65)
