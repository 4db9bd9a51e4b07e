"""The search box of the main screen (`/`): two-stage search in a worker.

Every keystroke starts a search worker (``exclusive``: a new key cancels the
stale one). Stage 1 (exact, folded substring match, incremental when the query
only grew) posts its rows at once; stage 2 (ranked, typo-tolerant) replaces
them when it finishes. A generation number drops results of older queries, so
results never arrive out of order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from digest_parser.models import Paper
from tui.data.query import Query, parse_query
from tui.data.search import SearchIndex
from tui.widgets.paper_list import PaperList

QUICK_ABSTRACTS = 20_000
"""Up to this many papers, the instant search stage also looks in abstracts."""


class IndexCache:
    """One SearchIndex per papers tuple, built once even when the indexing
    worker and a search worker ask for it at the same time (the second waits)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._papers: tuple[Paper, ...] | None = None
        self._index: SearchIndex | None = None

    def get(self, papers: tuple[Paper, ...]) -> SearchIndex:
        with self._lock:
            if self._papers is not papers or self._index is None:
                self._index = None  # let the old one go before building the new
                self._index = SearchIndex(papers)
                self._papers = papers
            return self._index

    def peek(self, papers: tuple[Paper, ...]) -> SearchIndex | None:
        return self._index if self._papers is papers else None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Rows for one query; stage 1 (exact, corpus order) or stage 2 (ranked)."""

    generation: int
    query: Query
    rows: list[int]
    ranked: bool


class SearchActions(Screen[None]):
    """Mixed into MainScreen, which provides the state named below."""

    view_papers: tuple[Paper, ...]
    rows: list[int]
    bookmarked: frozenset[str]
    read: set[str]
    is_loading: bool
    search_query: Query
    _search_generation: int
    _last_result: SearchResult | None
    _indexes: IndexCache
    paper_list: PaperList
    search_box: Input
    current_paper: Paper | None

    @dataclass
    class SearchDone(Message):
        result: SearchResult

    def _show_rows(self, rows: list[int], *, keep_key: str | None = None, keep_current: bool = True) -> None:
        raise NotImplementedError

    def _show_detail(self, paper: Paper | None) -> None:
        raise NotImplementedError

    def action_search(self) -> None:
        if self.search_box.has_focus:  # "/" is a priority key: inside the box it is text
            self.search_box.insert_text_at_cursor("/")
            return
        # set_focus, not focus(): focus() waits for the message queue, and the
        # keys typed right after "/" are already in it; they must reach the box.
        self.add_class("-searching")
        self.set_focus(self.search_box)
        # The index (about 1 s and 250 MB at 100k papers) is built when search
        # is first wanted, while the user types, so reading alone stays light.
        if self._indexes.peek(self.view_papers) is None and not self.is_loading and self.view_papers:
            self._build_index(self.view_papers)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._run_search(parse_query(event.value))

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.paper_list.cursor = 0
        self.set_focus(self.paper_list)
        self._show_detail(self.current_paper)  # now it is in front of the user

    def _run_search(self, query: Query) -> None:
        """Show the rows for *query*: at once when it constrains nothing,
        otherwise from the search worker (stage 1, then the ranked stage 2)."""
        previous = self.search_query
        self.search_query = query
        self._search_generation += 1
        if query.is_empty:
            self._shown_generation = self._search_generation
            self._last_result = None
            self._show_rows(list(range(len(self.view_papers))))
            return
        within = None
        last = self._last_result
        if last is not None and not last.ranked and query.refines(previous) and last.query == previous:
            within = last.rows
        # The worker needs its own copy of the read set only when the query asks about it.
        read = frozenset(self.read) if any(f.name in ("is:read", "is:unread") for f in query.filters) else frozenset()
        self._search(self._search_generation, query, within, self.view_papers, self.bookmarked, read)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def _search(
        self,
        generation: int,
        query: Query,
        within: list[int] | None,
        papers: tuple[Paper, ...],
        bookmarked: frozenset[str],
        read: frozenset[str],
    ) -> None:
        worker = get_current_worker()
        index = self._indexes.get(papers)
        if worker.is_cancelled:
            return
        # Stage 1 answers within a frame: at 100k papers that means titles and
        # authors only; abstracts come with the ranked stage 2.
        rows = index.narrow(
            query, within=within, abstracts=len(papers) <= QUICK_ABSTRACTS, bookmarked=bookmarked, read=read
        )
        self.post_message(self.SearchDone(SearchResult(generation, query, rows, ranked=False)))
        ranked = index.rank(query, is_cancelled=lambda: worker.is_cancelled, bookmarked=bookmarked, read=read)
        if ranked is not None and not worker.is_cancelled:
            self.post_message(self.SearchDone(SearchResult(generation, query, ranked, ranked=True)))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="Indexing for search")
    def _build_index(self, papers: tuple[Paper, ...]) -> None:
        worker = get_current_worker()
        index = self._indexes.get(papers)
        index.warm(is_cancelled=lambda: worker.is_cancelled)

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        result = message.result
        # Results of an older query, or stage 1 after stage 2, are stale.
        if result.generation != self._search_generation:
            return
        if not result.ranked and self._last_result is not None and self._last_result.generation == result.generation:
            return
        self._last_result = result
        self._shown_generation = result.generation
        # Typing puts the cursor on the best match; once the user moved into
        # the results, a late ranked order keeps their paper selected.
        self._show_rows(result.rows, keep_current=not self.search_box.has_focus)

    def _clear_search(self) -> None:
        keep = self.current_paper.key if self.current_paper else None
        self.remove_class("-searching")
        with self.search_box.prevent(Input.Changed):
            self.search_box.value = ""
        self.search_query = Query()
        self._search_generation += 1
        self._last_result = None
        self._show_rows(list(range(len(self.view_papers))), keep_key=keep)
        self.set_focus(self.paper_list)
