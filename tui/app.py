"""The reader application."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.keys import COMMANDS
from tui.loading import DigestSource
from tui.screens.main import MainScreen


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
