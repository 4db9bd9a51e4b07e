"""`?`: every key and the search query language."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.config import display_key
from tui.core.filters import FILTERS
from tui.core.query import QUERY_SYNTAX
from tui.keys import (
    COMMANDS,
    DETAIL_EXTRA_KEYS,
    DETAIL_FOR_LIST,
    DETAIL_HELP,
    DETAIL_KEYS,
    KEY_LABELS,
    LIST_KEYS,
    NAVIGATION_HELP,
    OTHER_MOVES_HELP,
    QUIT_ANYWHERE_KEYS,
)

KEY_COLUMN = 30
"""Wide enough for the longest keys (PgDn / ctrl+d, PgUp / ctrl+u) and a gap."""
TEXT_COLUMN = 54
MIN_TEXT_COLUMN = 30
"""Narrower than the key column plus this, each key goes on a line of its own, its text under it."""
STACKED_INDENT = 6
FULL_WIDTH = KEY_COLUMN + 2 + TEXT_COLUMN


def keys_label(keys: str) -> str:
    """How *keys* (comma-separated binding keys) read in the help: ``j / ↓``,
    ``ctrl+;`` for ``ctrl+semicolon``."""
    return " / ".join(KEY_LABELS.get(key) or display_key(key) for key in keys.split(","))


def _detail_differs(keymap: Mapping[str, str]) -> bool:
    """Whether the detail pane's keys in effect are not the list's (its own extra
    ``space`` for a page down aside)."""
    for list_id, detail_id in DETAIL_FOR_LIST.items():
        list_keys = set(keymap.get(list_id, LIST_KEYS[list_id]).split(","))
        detail_keys = set(keymap.get(detail_id, DETAIL_KEYS[detail_id]).split(","))
        if detail_id not in keymap and detail_id in DETAIL_EXTRA_KEYS:
            detail_keys -= set(DETAIL_EXTRA_KEYS[detail_id].split(","))
        if list_keys != detail_keys:
            return True
    return False


def _row(keys: str, text: str, width: int) -> list[tuple[str, str] | str]:
    """One help row, in *width* columns; long text wraps under itself, never under
    the keys (the help is laid out for its width, so nothing wraps it again). Keys
    too long for their column (remapped to many) go on a line of their own."""
    if width >= KEY_COLUMN + 2 + MIN_TEXT_COLUMN and len(keys) < KEY_COLUMN:
        lines = textwrap.wrap(text, min(TEXT_COLUMN, width - KEY_COLUMN - 2)) or [""]
        parts: list[tuple[str, str] | str] = [(f"  {keys:<{KEY_COLUMN}}", "bold"), lines[0], "\n"]
        for line in lines[1:]:
            parts += [" " * (KEY_COLUMN + 2), line, "\n"]
        return parts
    parts = []
    for line in textwrap.wrap(keys, max(10, width - 2), break_on_hyphens=False) or [""]:
        parts += [(f"  {line}", "bold"), "\n"]
    for line in textwrap.wrap(text, max(10, width - STACKED_INDENT)) or [""]:
        parts += [" " * STACKED_INDENT, line, "\n"]
    return parts


def help_content(width: int = FULL_WIDTH, keymap: Mapping[str, str] | None = None) -> Content:
    """The help text laid out for *width* columns, with each command's keys as
    *keymap* (config.toml's ``[keys]``, binding id -> keys) sets them; built only
    from the app's own strings (no digest text)."""
    keymap = keymap or {}
    parts: list[Content | tuple[str, str] | str] = [("Moving", "bold underline"), "\n"]
    detail_apart = _detail_differs(keymap)
    for ids, text in NAVIGATION_HELP:
        if detail_apart:
            text = text.replace(" (scroll in the detail pane)", "")
        parts += _row(", ".join(keys_label(keymap.get(id_, LIST_KEYS[id_])) for id_ in ids), text, width)
    if detail_apart:  # (else the list's keys scroll it, as the first row says)
        for ids, text in DETAIL_HELP:
            parts += _row(", ".join(keys_label(keymap.get(id_, DETAIL_KEYS[id_])) for id_ in ids), text, width)
    for keys, text in OTHER_MOVES_HELP:
        parts += _row(keys, text, width)
    group = ""
    for command in COMMANDS:
        if command.group != group:
            group = command.group
            parts += ["\n", (group, "bold underline"), "\n"]
        text = command.help
        if command.action == "quit":  # (its text names the app's own quit key, which can be remapped too)
            text = text.replace(QUIT_ANYWHERE_KEYS, keys_label(keymap.get("app.quit", QUIT_ANYWHERE_KEYS)))
        parts += _row(keys_label(keymap.get(command.action, command.keys)), text, width)
    parts += ["\n", ("Search query language", "bold underline"), "\n"]
    for row in QUERY_SYNTAX:
        parts += _row(row.syntax, row.help, width)
    for spec in FILTERS:
        parts += _row(spec.name, spec.help, width)
    markers = ["•  unread", "★  bookmarked", "#  bookmarked, with tags", "◆  has a code link"]
    parts += ["\n", ("List markers", "bold"), "\n"]
    line = ""
    for marker in markers:  # (as many to a line as fit)
        if line and len(line) + 4 + len(marker) > width:
            parts += [line, "\n"]
            line = ""
        line = f"{line}    {marker}" if line else f"  {marker}"
    parts += [line, "\n"]
    return Content.assemble(*parts)


class HelpText(Static):
    """The help text, laid out again for its width whenever that changes."""

    def __init__(self, keymap: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(help_content(keymap=keymap), id=id)
        self._keymap = keymap
        self._laid_out_for: int | None = None

    def on_resize(self) -> None:
        width = self.size.width
        if width > 0 and width != self._laid_out_for:
            self._laid_out_for = width
            self.update(help_content(width, self._keymap))


CLOSE_KEYS = "escape,q,question_mark"


def close_hint(keys: str) -> str:
    """``Esc, q or ? closes this help.`` for *keys*."""
    labels = [keys_label(key) for key in keys.split(",")]
    spoken = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return f"{spoken} closes this help."


class HelpScreen(ModalScreen[None]):
    """Every key (as remapped in config.toml) and the query language."""

    BINDINGS = [
        Binding(CLOSE_KEYS, "dismiss", "Close", id="help_screen.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="help_screen.scroll_down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="help_screen.scroll_up"),
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self._keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Help"
            with VerticalScroll(id="dialog-body"):
                yield HelpText(self._keymap, id="help-text")
            yield Static(Content(close_hint(self._keymap.get("help_screen.close", CLOSE_KEYS))), id="dialog-hint")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#dialog-body", VerticalScroll)
        body.scroll_down() if direction == "down" else body.scroll_up()
