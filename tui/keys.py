"""Every command of the reader, declared once.

The main screen's bindings, the help screen (``?``) and the command palette
(ctrl+p) are all built from :data:`COMMANDS`, so they cannot drift apart.
Navigation keys that belong to a widget (j/k in the list, scrolling in the
detail pane) are declared by that widget and listed here for the help screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Command:
    keys: str
    """Textual key names, comma-separated (the first is shown)."""
    action: str
    """Screen action name (without ``action_``)."""
    title: str
    """Short name for the footer and the palette."""
    help: str
    """One line for the help screen and the palette."""
    group: str
    footer: bool = False
    priority: bool = False


QUIT_ANYWHERE_KEYS = "ctrl+q"
"""The app's own quit key (``app.quit``), which works while typing too."""

COMMANDS: tuple[Command, ...] = (
    # priority: "/" must move the focus before the keys typed after it are
    # routed (Textual routes a key to the focused widget when it arrives).
    Command("slash", "search", "Search", "Search titles, authors and abstracts (see the query language below)", "Search", footer=True, priority=True),
    Command("b", "toggle_bookmark", "Bookmark", "Bookmark or un-bookmark the selected paper", "Bookmarks", footer=True),
    Command("B", "toggle_bookmarks_view", "Bookmarks view", "Show only bookmarks (also those not in the open digests) / all papers", "Bookmarks"),
    # priority: the keys typed right after "n" must reach the note editor.
    Command("n", "edit_note", "Note", "Edit the note of the selected paper (bookmarks it)", "Bookmarks", priority=True),
    # priority, as for n: the keys typed right after "t" must reach the tag editor.
    Command("t", "edit_tags", "Tags", "Edit the tags of the selected paper (bookmarks it); tag:NAME finds them", "Bookmarks", priority=True),
    Command("c", "copy_code", "Copy code", "Copy the code repository link", "Links", footer=True),
    Command("y", "copy_paper", "Copy paper", "Copy the paper's own link (arXiv / Hugging Face page)", "Links"),
    Command("Y", "copy_bibtex", "Copy BibTeX", "Copy the paper's BibTeX entry (the one bookmarks --format bibtex writes)", "Links"),
    Command("Z", "send_to_zotero", "To Zotero", "Send the paper to a running Zotero desktop (else copy its BibTeX)", "Links"),
    Command("u", "pick_link", "Links", "Pick any link of the paper: 1-9 or Enter choose, c copies, o opens", "Links", footer=True),
    Command("o", "open_link", "Open", "Open the code link (or the paper link) in the browser", "Links"),
    Command("O", "open_paper", "Open paper", "Open the paper's own page (arXiv, else Hugging Face, else DOI…) in the browser", "Links"),
    Command("p", "open_pdf", "Open PDF", "Open the paper's PDF (arXiv) in the browser", "Links"),
    Command("r", "toggle_read", "Read/unread", "Mark the selected paper read or unread", "Reading"),
    Command("R", "mark_visible_read", "All read", "Mark every paper in the list read (U undoes it)", "Reading"),
    Command("U", "undo_read", "Undo all read", "Undo the last R: the papers it marked read are unread again", "Reading"),
    Command("m", "more_like_this", "Like this", "Papers most like the selected one, from the open digests and your bookmarks, best first; Esc goes back", "Reading"),
    Command("s", "cycle_sort", "Sort", "Next sort order: digest order, most upvoted (when the source has upvotes), newest, title, for you (most like your bookmarks)", "Reading"),
    Command("P", "show_problems", "Problems", "List the blocks of the digest that could not be parsed", "Reading"),
    Command("left_square_bracket", "previous_day", "Previous day", "Hugging Face source (hf): the day before", "Sources"),
    Command("right_square_bracket", "next_day", "Next day", "Hugging Face source (hf): the day after", "Sources"),
    Command("ctrl+r", "refetch", "Fetch again", "Fetch the live sources (hf, arxiv:CAT) again, ignoring the cache's freshness", "Sources"),
    Command("tab", "switch_pane", "Switch pane", "Move focus between the list and the detail pane", "Panes"),
    # priority: in the search box, Enter must leave the box before the keys typed
    # after it are routed (as "/" above).
    Command("enter", "open_detail", "Details", "Focus the detail pane (full screen on narrow terminals)", "Panes", priority=True),
    Command("escape", "back", "Back", "Back to the list; in search, clear the query", "Panes"),
    Command("question_mark", "help", "Help", "Show every key", "Other", footer=True),
    Command("q", "quit", "Quit", f"Quit ({QUIT_ANYWHERE_KEYS} too)", "Other", footer=True),
)

LIST_KEYS = {
    "list.cursor_down": "j,down", "list.cursor_up": "k,up", "list.first": "g,home", "list.last": "G,end",
    "list.page_down": "pagedown,ctrl+d", "list.page_up": "pageup,ctrl+u",
}
"""The list's default keys by binding id (tui.widgets.paper_list binds them)."""
DETAIL_FOR_LIST = {"list.cursor_down": "detail.scroll_down", "list.cursor_up": "detail.scroll_up",
                   "list.first": "detail.top", "list.last": "detail.bottom",
                   "list.page_down": "detail.page_down", "list.page_up": "detail.page_up"}
"""Each list binding's counterpart in the detail pane (the same move there)."""
DETAIL_EXTRA_KEYS = {"detail.page_down": "space"}
"""Keys the detail pane has beyond the list's."""
DETAIL_KEYS = {
    detail_id: ",".join(filter(None, (LIST_KEYS[list_id], DETAIL_EXTRA_KEYS.get(detail_id))))
    for list_id, detail_id in DETAIL_FOR_LIST.items()
}
"""The detail pane's default keys by binding id (tui.widgets.paper_detail binds
them): the list's, and :data:`DETAIL_EXTRA_KEYS`."""
NAVIGATION_HELP: tuple[tuple[tuple[str, ...], str], ...] = (
    (("list.cursor_down", "list.cursor_up"), "Next / previous paper (scroll in the detail pane)"),
    (("list.first", "list.last"), "First / last paper"),
    (("list.page_down", "list.page_up"), "Page down / up"),
)
"""The help's rows for the list's keys: binding ids (keys in :data:`LIST_KEYS` or
as remapped), what they do."""
DETAIL_HELP: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(DETAIL_FOR_LIST[list_id] for list_id in ids), text)
    for (ids, _), text in zip(NAVIGATION_HELP, ("Scroll the detail pane down / up", "Top / bottom of the detail pane",
                                                  "Page down / up in the detail pane"), strict=True)
)
"""Rows the help adds when the detail pane's keys differ from the list's: the same
moves, by the detail pane's binding ids."""
OTHER_MOVES_HELP: tuple[tuple[str, str], ...] = (
    ("mouse", "Click selects a paper, the wheel scrolls"),
    ("ctrl+p", "Command palette: every action by name"),
)

KEY_LABELS = {"slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter", "tab": "Tab",
              "left_square_bracket": "[", "right_square_bracket": "]", "down": "↓", "up": "↑",
              "home": "Home", "end": "End", "pagedown": "PgDn", "pageup": "PgUp"}


def key_label(keys: str) -> str:
    """How the first of *keys* (comma-separated) is shown."""
    first = keys.split(",")[0]
    return KEY_LABELS.get(first, first)


def screen_bindings() -> list[Binding]:
    return [
        Binding(
            command.keys,
            command.action,
            command.title,
            show=command.footer,
            key_display=key_label(command.keys),
            id=command.action,
            tooltip=command.help,
            priority=command.priority,
        )
        for command in COMMANDS
    ]
