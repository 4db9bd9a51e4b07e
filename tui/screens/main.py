"""The main screen: it owns the reader's state and passes it down.

State (the library, the view, the search, bookmarks, read keys) lives here;
the list and the detail pane receive it through ``show``/``set_marks`` and send
messages up. Slow work (reading, parsing, search, file writes, clipboard,
browser) runs in workers or on the store thread and posts results back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from digest_parser import DigestReadError, parse_text
from digest_parser.api import load_progressively
from digest_parser.models import Digest, Paper
from digest_parser.sanitize import clean_line
from tui.core.library import Library, build_library, paper_from_bookmark
from tui.core.query import Query
from tui.core.search import title_highlights
from tui.keys import screen_bindings
from tui.core.sources import keep_read_buffers_out_of_the_heap
from tui.stores.persistence import Persistence
from tui.system.tuning import freeze_long_lived
from tui.screens.link_actions import LinkActions
from tui.screens.search_actions import Activity, IndexCache, SearchActions, SearchResult
from tui.screens.store_actions import REFRESH_SECONDS, StoreActions
from tui.widgets.paper_detail import DetailState, PaperDetail
from tui.widgets.paper_list import PaperList, RowMarks

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark

NARROW_WIDTH = 100
"""Below this many columns the detail pane opens full screen instead of beside the list."""


class MainScreen(SearchActions, StoreActions, LinkActions, Screen[None]):
    """List pane, detail pane, search box, header line and footer."""

    BINDINGS = screen_bindings()

    @dataclass
    class LibraryLoaded(Message):
        """The papers loaded so far (posted from the loading worker)."""

        library: Library
        done: int
        total: int
        partial: bool = False
        """More of the current digest is still coming."""

    @dataclass
    class LoadFailed(Message):
        path: str
        error: str
        fatal: bool

    def __init__(self) -> None:
        super().__init__()
        self.library = Library()
        self.is_loading = True
        self.load_progress = (0, 0)
        # The view: all papers, or bookmarks only (which adds bookmarked papers
        # missing from the open digests, rebuilt from what the bookmark stored).
        self.bookmarks_view = False
        self.view_papers: tuple[Paper, ...] = ()
        self.rows: Sequence[int] = ()
        # Search state.
        self.search_query = Query()
        self._search_generation = 0
        self._indexes = IndexCache()
        self._searching = Activity()
        self._last_result: SearchResult | None = None
        self._last_exact: SearchResult | None = None
        """The latest stage-1 result: a longer query narrows it (SearchIndex.narrow within=)."""
        # Stored state (mirrors of the files, updated by StoresChanged).
        self.bookmarks: Mapping[str, Bookmark] = {}
        self.bookmarked: frozenset[str] = frozenset()
        # Read keys: a set changed in place (copying 100k keys on every cursor
        # move would cost more than the move); _read_version tells the list.
        self.read: set[str] = set()
        self._read_version = 0
        self._pending_read: set[str] = set()
        self._stores_ready = False
        self._unread_cache: tuple[tuple[int, int] | None, int] = (None, 0)
        self.persistence: Persistence | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="top-bar", markup=False)
        yield Input(id="search", placeholder="Search: words, \"phrase\", -exclude, title: author: has:code is:unread …")
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

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def current_paper(self) -> Paper | None:
        return self.paper_list.current_paper

    def on_mount(self) -> None:
        self._update_layout_class(self.size.width)
        self.set_focus(self.paper_list)
        self._refresh_top_bar()
        self.query_one("#empty", Static).update(Content("Loading…"))
        self.persistence = Persistence(
            lambda snapshot: self.post_message(self.StoresChanged(snapshot)),
            getattr(self.app, "bookmarks_path", None),
        )
        # After the first frame: reading the files (and importing the stores) on the
        # store thread would otherwise compete with it for the GIL.
        self.call_after_refresh(self.persistence.load)
        self.set_interval(REFRESH_SECONDS, self._poll_stores)
        self.set_interval(1.0, self._flush_read)
        sources = self.app.sources  # type: ignore[attr-defined]
        if sources and all(source.digest is not None for source in sources):
            # Parsed before the app started (small digests): show them in the
            # first frame rather than one worker round trip (~40 ms) later.
            digests = [source.digest for source in sources if source.digest is not None]
            self._library_loaded(self.LibraryLoaded(build_library(digests), len(digests), len(digests)))
        else:
            self.load_digests()

    def on_unmount(self) -> None:
        if self.persistence is not None:
            self._flush_read()
            self.persistence.close()

    def on_resize(self) -> None:
        self._update_layout_class(self.size.width)

    def _update_layout_class(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    @property
    def detail_visible(self) -> bool:
        return not self.has_class("-narrow") or self.has_class("-detail-open")

    # ---- loading -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Loading digests")
    def load_digests(self) -> None:
        worker = get_current_worker()
        key_pause = self.app.key_pause  # type: ignore[attr-defined]
        sources = self.app.sources  # type: ignore[attr-defined]
        digest_format = self.app.digest_format  # type: ignore[attr-defined]
        total = len(sources)
        # Merging (one dict insert per paper) runs here too, not on the UI thread.
        digests: list[Digest] = []
        if not total:
            self.post_message(self.LibraryLoaded(build_library(digests), 0, 0))
            return
        for done, source in enumerate(sources, 1):
            if worker.is_cancelled:
                return
            try:
                if source.digest is not None:
                    digest = source.digest
                elif source.text is not None:
                    digest = parse_text(source.text, source=source.path, format=digest_format)
                else:
                    # A large digest arrives in parts: its first titles show
                    # while the rest is still being read.
                    keep_read_buffers_out_of_the_heap()
                    digest = None
                    for digest in load_progressively(source.path, format=digest_format):
                        key_pause.wait(lambda: worker.is_cancelled)  # cursor keys go first
                        if worker.is_cancelled:
                            return
                        self.post_message(self.LibraryLoaded(build_library([*digests, digest]), done - 1, total, True))
            except DigestReadError as error:
                self.post_message(self.LoadFailed(source.path, str(error), fatal=not source.optional))
                digest = Digest(format="none", source=source.path)
            assert digest is not None
            digests.append(digest)
            self.post_message(self.LibraryLoaded(build_library(digests), done, total))

    @on(LibraryLoaded)
    def _library_loaded(self, message: LibraryLoaded) -> None:
        self.load_progress = (message.done, message.total)
        self.is_loading = message.partial or message.done < message.total
        self.library = message.library
        self._rebuild_view()
        if not self.is_loading:
            # The papers live as long as the reader: take them (and what the app built
            # so far) out of the cyclic GC's full collections, which at 100k papers
            # walked 250k objects for ~50 ms with the GIL held, stalling a key now and then.
            freeze_long_lived()
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
                f"{len(problems)} block(s) could not be used; press P to see them.",
                title="Parse problems",
                severity="warning",
                markup=False,
            )

    # ---- the view and its rows -------------------------------------------------

    def _rebuild_view(self) -> None:
        """Recompute the papers of the current view, then re-run the search."""
        if self.bookmarks_view:
            in_library = [paper for paper in self.library.papers if paper.key in self.bookmarked]
            present = {paper.key for paper in in_library}
            standalone = [
                paper_from_bookmark(bookmark) for key, bookmark in self.bookmarks.items() if key not in present
            ]
            self.view_papers = (*in_library, *standalone)
        else:
            self.view_papers = self.library.papers
        self._last_result = self._last_exact = None
        self._run_search(self.search_query)
        if self.has_class("-searching") and not self.is_loading and self.view_papers:
            self._build_index(self.view_papers)

    def _show_rows(self, rows: Sequence[int], *, keep_key: str | None = None, keep_current: bool = True) -> None:
        self.rows = rows
        if keep_key is None and keep_current and self.current_paper is not None:
            keep_key = self.current_paper.key
        highlighter = None
        if not self.search_query.is_empty:
            query = self.search_query
            highlighter = lambda title: title_highlights(query, title)  # noqa: E731
        self.paper_list.show(self.view_papers, rows, keep_key=keep_key, highlighter=highlighter)
        self._refresh_marks()
        self._refresh_empty()
        self._refresh_top_bar()

    def _refresh_marks(self) -> None:
        self.paper_list.set_marks(RowMarks(bookmarked=self.bookmarked, read=self.read, version=self._read_version))

    def _unread_count(self) -> int:
        # Counting 100k keys costs a few ms: do it once per (library, read set).
        cache_key = (id(self.library), self._read_version)
        if self._unread_cache[0] != cache_key:
            count = sum(1 for paper in self.library.papers if paper.key not in self.read)
            self._unread_cache = (cache_key, count)
        return self._unread_cache[1]

    def _refresh_empty(self) -> None:
        empty = not self.rows
        self.set_class(empty, "-empty")
        if not empty:
            if self.focused is None:
                # Hiding the list while it was empty took the focus away.
                self.set_focus(self.paper_list)
            return
        if self.is_loading:
            message = "Loading…"
        elif not self.view_papers:
            if self.bookmarks_view:
                message = "No bookmarks yet. Press b on a paper to keep it; B goes back to all papers."
            else:
                message = "This digest has no papers.\n\nOpen another one with: digest-reader PATH"
        else:
            # Worked out by the search worker: at 100k papers it is several scans.
            explanation = self._last_result.explanation if self._last_result is not None else ""
            message = f"{clean_line(explanation) or 'No paper matches.'}\n\nEsc clears the search."
        self.query_one("#empty", Static).update(Content(message))

    def _refresh_top_bar(self) -> None:
        library = self.library
        total = len(self.view_papers)
        parts = [library.title if library.sources else "digest-reader"]
        if self.bookmarks_view:
            parts.append("bookmarks")
        if not self.search_query.is_empty:
            parts.append(f"{len(self.rows)}/{total} match")
        else:
            parts.append(f"{len(self.rows)}/{total} papers")
        if self.bookmarked:
            parts.append(f"★ {len(self.bookmarked)}")
        if library.papers:
            parts.append(f"{self._unread_count()} unread")
        if self.is_loading:
            done, total_files = self.load_progress
            parts.append(f"loading {done}/{total_files}…" if total_files > 1 else "loading…")
        if getattr(self.app, "demo", False):
            parts.append("demo digest: open yours with digest-reader PATH")
        # One line of fixed height: no layout pass needed (this runs on cursor moves).
        self.query_one("#top-bar", Static).update(Content("  ·  ".join(clean_line(part) for part in parts)), layout=False)

    # ---- selection and read state ------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        self._show_detail(message.paper)

    def _show_detail(self, paper: Paper | None) -> None:
        if paper is None:
            self.detail.show(None, DetailState(empty_message="No paper selected."))
            return
        key = paper.key
        # Read means "its detail was in front of the user": not while they type
        # a query and the first result flickers through the pane.
        if self.detail_visible and key not in self.read and not self.search_box.has_focus:
            self._mark_read_locally(key)
        self.detail.show(paper, self._detail_state(paper))

    def _detail_state(self, paper: Paper) -> DetailState:
        key = paper.key
        bookmark = self.bookmarks.get(key)
        return DetailState(
            bookmarked=key in self.bookmarked,
            read=key in self.read,
            note=bookmark.note if bookmark else "",
            also_in=self.library.also_in.get(key, ()),
        )

    def _refresh_detail(self) -> None:
        paper = self.detail.paper
        if paper is None:
            return
        self.detail.show(paper, self._detail_state(paper), keep_scroll=True)

    @on(PaperList.Chosen)
    def _chosen(self) -> None:
        self.action_open_detail()

    # ---- actions: moving ---------------------------------------------------------

    def action_switch_pane(self) -> None:
        if self.detail.has_focus:
            self.action_back()
        else:
            self.action_open_detail()

    def action_open_detail(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        self.add_class("-detail-open")
        self.set_focus(self.detail)
        self._show_detail(paper)

    def action_back(self) -> None:
        if self.search_box.has_focus or (self.has_class("-searching") and not self.detail.has_focus):
            self._clear_search()
            return
        self.remove_class("-detail-open")
        self.set_focus(self.paper_list)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_show_problems(self) -> None:
        from tui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.library.problems))

    def action_quit(self) -> None:
        self.app.exit()
