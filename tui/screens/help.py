"""`?`: every key and the search query language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import COMMANDS, NAVIGATION_HELP, key_label
from tui.search_help import QUERY_HELP


def help_content() -> Content:
    """The help text; built only from the app's own strings (no digest text)."""
    parts: list[Content | tuple[str, str] | str] = [("Keys", "bold"), "\n"]
    for keys, text in NAVIGATION_HELP:
        parts += [(f"  {keys:<30}", "bold"), text, "\n"]
    group = ""
    for command in COMMANDS:
        if command.group != group:
            group = command.group
            parts += ["\n", (group, "bold underline"), "\n"]
        keys = " / ".join(key_label(key) for key in command.keys.split(","))
        parts += [(f"  {keys:<30}", "bold"), command.help, "\n"]
    parts += ["\n", ("Search query language", "bold"), "\n"]
    for syntax, text in QUERY_HELP:
        parts += [(f"  {syntax:<30}", "bold"), text, "\n"]
    parts += ["\n", ("List markers", "bold"), "\n", "  •  unread    ★  bookmarked    ◆  has a code link\n"]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Help"
            with VerticalScroll(id="dialog-body"):
                yield Static(help_content(), id="help-text")
            yield Static(Content("Esc, q or ? closes this help."), id="dialog-hint")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#dialog-body", VerticalScroll)
        body.scroll_down() if direction == "down" else body.scroll_up()
