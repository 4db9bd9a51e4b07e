"""The main screen: it owns the reader's state and passes it down.

State (the library, which rows are shown, bookmarks, read keys) lives here;
the list and the detail pane receive it through ``show``/``set_marks`` and send
messages up. Slow work (reading, parsing, search ranking, file writes,
clipboard, browser) runs in workers that post results back.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from digest_parser import DigestReadError, load, parse_text
from digest_parser.models import Digest, Paper
from digest_parser.sanitize import clean_line
from tui.data.library import Library, build_library
from tui.keys import screen_bindings
from tui.widgets.paper_detail import DetailState, PaperDetail
from tui.widgets.paper_list import PaperList, RowMarks

NARROW_WIDTH = 100
"""Below this many columns the detail pane opens full screen instead of beside the list."""


class MainScreen(Screen[None]):
    """List pane, detail pane, header line and footer."""

    BINDINGS = screen_bindings()

    @dataclass
    class DigestLoaded(Message):
        """One digest finished loading (posted from the loading worker)."""

        digest: Digest
        done: int
        total: int

    @dataclass
    class LoadFailed(Message):
        path: str
        error: str
        fatal: bool

    def __init__(self) -> None:
        super().__init__()
        self.library = Library()
        self._digests: list[Digest] = []
        self.rows: list[int] = []
        self.is_loading = True
        self.load_progress = (0, 0)
        self.bookmarked: frozenset[str] = frozenset()
        self.read: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Static(id="top-bar", markup=False)
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield PaperList(id="papers")
                yield Static(id="empty", markup=False)
            yield PaperDetail(id="detail")
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    def on_mount(self) -> None:
        self._update_layout_class(self.size.width)
        self.paper_list.focus()
        self._refresh_top_bar()
        self.query_one("#empty", Static).update(Content("Loading…"))
        self.load_digests()

    def on_resize(self) -> None:
        self._update_layout_class(self.size.width)

    def _update_layout_class(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    # ---- loading -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Loading digests")
    def load_digests(self) -> None:
        worker = get_current_worker()
        sources = self.app.sources  # type: ignore[attr-defined]
        digest_format = self.app.digest_format  # type: ignore[attr-defined]
        total = len(sources)
        if not total:
            self.post_message(self.DigestLoaded(Digest(format="none", source=""), 0, 0))
            return
        for done, source in enumerate(sources, 1):
            if worker.is_cancelled:
                return
            try:
                if source.text is not None:
                    digest = parse_text(source.text, source=source.path, format=digest_format)
                else:
                    digest = load(source.path, format=digest_format)
            except DigestReadError as error:
                self.post_message(self.LoadFailed(source.path, str(error), fatal=not source.optional))
                continue
            self.post_message(self.DigestLoaded(digest, done, total))

    @on(DigestLoaded)
    def _digest_loaded(self, message: DigestLoaded) -> None:
        if message.total:
            self._digests.append(message.digest)
        self.load_progress = (message.done, message.total)
        self.is_loading = message.done < message.total
        current = self.paper_list.current_paper
        self.library = build_library(self._digests)
        self._apply_rows(keep_key=current.key if current else None)
        if not self.is_loading:
            self._report_problems()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.fatal:
            self.app.fail(message.error)  # type: ignore[attr-defined]
            return
        self.notify(clean_line(message.error), title="Skipped a file", severity="warning", markup=False)

    def _report_problems(self) -> None:
        problems = self.library.problems
        if problems:
            self.notify(
                f"{len(problems)} block(s) could not be parsed; press P to see them.",
                title="Parse problems",
                severity="warning",
                markup=False,
            )
        if not self.library.papers:
            self._refresh_empty()

    # ---- rows ----------------------------------------------------------------

    def _apply_rows(self, *, keep_key: str | None = None) -> None:
        self.rows = list(range(len(self.library.papers)))
        self.paper_list.show(self.library.papers, self.rows, keep_key=keep_key)
        self._refresh_marks()
        self._refresh_empty()
        self._refresh_top_bar()

    def _refresh_marks(self) -> None:
        self.paper_list.set_marks(RowMarks(bookmarked=self.bookmarked, read=self.read))

    def _refresh_empty(self) -> None:
        empty = not self.rows
        self.set_class(empty, "-empty")
        if not empty:
            if self.focused is None:
                # Hiding the list while it was empty took the focus away.
                self.paper_list.focus()
            return
        if self.is_loading:
            message = "Loading…"
        elif not self.library.papers:
            message = "This digest has no papers.\n\nOpen another one with: digest-reader PATH"
        else:
            message = "No paper matches."
        self.query_one("#empty", Static).update(Content(message))

    def _refresh_top_bar(self) -> None:
        library = self.library
        parts = [library.title if library.sources else "digest-reader"]
        parts.append(f"{len(self.rows)}/{len(library.papers)} papers")
        if self.bookmarked:
            parts.append(f"★ {len(self.bookmarked)}")
        if self.is_loading:
            done, total = self.load_progress
            parts.append(f"loading {done}/{total}…" if total > 1 else "loading…")
        if getattr(self.app, "demo", False):
            parts.append("demo digest — open yours with: digest-reader PATH")
        self.query_one("#top-bar", Static).update(Content("  ·  ".join(clean_line(part) for part in parts)))

    # ---- selection -----------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        self._show_detail(message.paper)

    def _show_detail(self, paper: Paper | None) -> None:
        if paper is None:
            self.detail.show(None, DetailState(empty_message="No paper selected."))
            return
        key = paper.key
        self.detail.show(
            paper,
            DetailState(
                bookmarked=key in self.bookmarked,
                read=key in self.read,
                also_in=self.library.also_in.get(key, ()),
            ),
        )

    @on(PaperList.Chosen)
    def _chosen(self, message: PaperList.Chosen) -> None:
        self.action_open_detail()

    # ---- actions: moving -----------------------------------------------------

    def action_switch_pane(self) -> None:
        if self.detail.has_focus:
            self.action_back()
        else:
            self.action_open_detail()

    def action_open_detail(self) -> None:
        if self.paper_list.current_paper is None:
            return
        self.add_class("-detail-open")
        self.detail.focus()

    def action_back(self) -> None:
        self.remove_class("-detail-open")
        self.paper_list.focus()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_show_problems(self) -> None:
        from tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.library.problems))

    def action_quit(self) -> None:
        self.app.exit()
