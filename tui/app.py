"""The reader application."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tui.core.sorting import ORDERS
from tui.core.sources import DigestSource
from tui.keys import COMMANDS
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
        self.terminal_gone = False
        """Set once the terminal has gone away; the app is then exiting."""
        self._stop_watching_terminal: list[Callable[[], None]] = []

    def on_mount(self) -> None:
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

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for command in COMMANDS:
                if command.action == "quit":
                    continue
                yield SystemCommand(command.title, command.help, partial(screen.run_action, command.action))
            for order in ORDERS:
                if order.applies(screen.state.view_papers):
                    yield SystemCommand(f"Sort: {order.title}", f"Sort the list: {order.title}",
                                        partial(screen.sort_by, order.name))

    def fail(self, message: str, exit_code: int = 65) -> None:
        """End the app because of *message* (printed on stderr after exit), with
        *exit_code*: 65 for bad data, 69 for a live source that could not be had."""
        self.fatal_error = message
        self.exit(return_code=exit_code)
