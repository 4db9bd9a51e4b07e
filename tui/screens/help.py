"""`?`: every key and the search query language."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.filters import FILTERS
from tui.core.query import QUERY_SYNTAX
from tui.keys import COMMANDS, NAVIGATION_HELP, key_label

KEY_COLUMN = 30
"""Wide enough for the longest keys (PgDn / ctrl+d, PgUp / ctrl+u) and a gap."""
TEXT_COLUMN = 54


def _row(keys: str, text: str) -> list[tuple[str, str] | str]:
    """One help row; long text wraps under itself, not under the keys."""
    lines = textwrap.wrap(text, TEXT_COLUMN) or [""]
    parts: list[tuple[str, str] | str] = [(f"  {keys:<{KEY_COLUMN}}", "bold"), lines[0], "\n"]
    for line in lines[1:]:
        parts += [" " * (KEY_COLUMN + 2), line, "\n"]
    return parts


def help_content() -> Content:
    """The help text; built only from the app's own strings (no digest text)."""
    parts: list[Content | tuple[str, str] | str] = [("Moving", "bold underline"), "\n"]
    for keys, text in NAVIGATION_HELP:
        parts += _row(keys, text)
    group = ""
    for command in COMMANDS:
        if command.group != group:
            group = command.group
            parts += ["\n", (group, "bold underline"), "\n"]
        keys = " / ".join(key_label(key) for key in command.keys.split(","))
        parts += _row(keys, command.help)
    parts += ["\n", ("Search query language", "bold underline"), "\n"]
    for row in QUERY_SYNTAX:
        parts += _row(row.syntax, row.help)
    for spec in FILTERS:
        parts += _row(spec.name, spec.help)
    markers = "  •  unread    ★  bookmarked    #  bookmarked, with tags    ◆  has a code link\n"
    parts += ["\n", ("List markers", "bold"), "\n", markers]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help_screen.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="help_screen.scroll_down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="help_screen.scroll_up"),
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
