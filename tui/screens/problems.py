"""`P`: the blocks of the digest that could not be used, with file and line."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from digest_parser.models import Problem
from digest_parser.sanitize import clean_line


def problems_content(problems: Sequence[Problem]) -> Content:
    if not problems:
        return Content("Every block of the digest was parsed.")
    parts: list[tuple[str, str] | str] = []
    for problem in problems:
        parts += [(clean_line(f"{problem.source}:{problem.line}"), "bold"), "  ", clean_line(problem.reason), "\n"]
    return Content.assemble(*parts)


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,P", "dismiss", "Close")]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Parse problems ({len(self.problems)})"
            with VerticalScroll(id="dialog-body"):
                yield Static(problems_content(self.problems))
            yield Static(Content("Esc closes."), id="dialog-hint")
