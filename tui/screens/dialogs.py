"""Small modal screens: the link picker (`u`), the note editor (`n`), the tag editor (`t`)
and the confirmation asked before `b` throws a note or tags away."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from digest_parser.models import Link
from digest_parser.sanitize import clean_line
from tui.system.urlpolicy import display_url

LinkVerb = Literal["copy", "open"]


@dataclass(frozen=True, slots=True)
class LinkChoice:
    link: Link
    verb: LinkVerb


class LinkPicker(ModalScreen[LinkChoice | None]):
    """Every link of a paper, numbered as in the detail pane, and written as
    there: as it would be copied or opened, a look-alike host in punycode.

    1–9 or Enter copy a link; ``c`` copies and ``o`` opens the highlighted one.
    """

    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Close", id="links.close"),
        Binding("c", "choose('copy')", "Copy", id="links.copy"),
        Binding("o", "choose('open')", "Open", id="links.open"),
        Binding("j", "cursor('down')", "Next link", show=False, id="links.cursor_down"),
        Binding("k", "cursor('up')", "Previous link", show=False, id="links.cursor_up"),
        *(Binding(str(number), f"number({number})", f"Copy link {number}", show=False, id=f"links.copy_{number}")
          for number in range(1, 10)),
    ]

    def __init__(self, title: str, links: Sequence[Link]) -> None:
        super().__init__()
        self.paper_title = title
        self.links = list(links)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Links"
            yield Static(Content(clean_line(self.paper_title)), id="picker-title")
            yield OptionList(
                *(
                    Option(Content.assemble(f"[{number}] ", (f"{link.kind:<8}", "bold"), display_url(link.url)))
                    for number, link in enumerate(self.links, 1)
                ),
                id="picker-links",
            )
            yield Static(Content("1-9 or Enter copy · c copy · o open · Esc close"), id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor(self, direction: str) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if direction == "down" else options.action_cursor_up()

    def action_number(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.dismiss(LinkChoice(self.links[number - 1], "copy"))

    def action_choose(self, verb: LinkVerb) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss(LinkChoice(self.links[highlighted], verb))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(LinkChoice(self.links[event.option_index], "copy"))


class NoteEditor(ModalScreen[str | None]):
    """Edit a bookmark's note: Enter saves (empty removes it), Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(Content(clean_line(self.paper_title)), id="note-title")
            yield Input(value=clean_line(self.note), placeholder="A note for this paper", id="note-input")
            yield Static(Content("Enter saves (an empty note removes it) · Esc cancels"), id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(clean_line(event.value).strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagSuggester(Suggester):
    """Completes the tag being typed (the last word) from the tags already in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        typed = {word.lower() for word in head.split()}
        for tag in self.tags:  # (most used first)
            if tag.lower().startswith(last.lower()) and tag.lower() != last.lower() and tag.lower() not in typed:
                return f"{head} {tag}" if head else tag
        return None


class TagEditor(ModalScreen[str | None]):
    """Edit a paper's tags, separated by spaces or commas: Enter saves (none removes
    them), Esc cancels; the tag being typed completes from the tags in use (→ or End
    accepts)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, title: str, tags: Sequence[str], known: Sequence[str]) -> None:
        super().__init__()
        self.paper_title = title
        self.tags = list(tags)
        self.known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Tags"
            yield Static(Content(clean_line(self.paper_title)), id="tags-title")
            value = " ".join(clean_line(tag) for tag in self.tags)
            yield Input(value=value + (" " if value else ""), placeholder="tags, separated by spaces",
                        id="tags-input", suggester=TagSuggester(self.known))
            in_use = ", ".join(clean_line(tag) for tag in self.known[:12])
            hint = "Enter saves (no tags removes them) · Esc cancels · → completes"
            yield Static(Content(f"In use: {in_use}\n{hint}" if in_use else hint), id="tags-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(clean_line(event.value).strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question before something that cannot be undone: ``y`` answers
    yes; ``n`` or Esc no. Every line given is shown as plain text (cleaned): a
    paper's title or note never reaches a markup parser."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, lines: Sequence[str], hint: str) -> None:
        super().__init__()
        self.dialog_title = title
        self.question = question
        self.lines = list(lines)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.dialog_title
            yield Static(Content(clean_line(self.question)), id="confirm-question")
            yield Static(Content("\n".join(clean_line(line) for line in self.lines)), id="confirm-details")
            yield Static(Content(self.hint), id="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
