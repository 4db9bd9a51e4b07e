"""The search box of the main screen (`/`): two-stage search.

Stage 1 (exact, folded substring match, incremental when the query only grew)
runs in the key's handler when it is a few scans of folded titles (up to
QUICK_NARROW rows, ~10 ms), so its rows are in the frame that echoes the key;
otherwise in the search worker. Every keystroke starts that worker
(``exclusive``: a new key cancels the stale one); stage 2 (ranked,
typo-tolerant) runs there and replaces the rows when it finishes. A generation
number drops results of older queries, so results never arrive out of order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from digest_parser.models import Paper
from tui.core.filters import FilterContext
from tui.core.query import Query, parse_query
from tui.core.search import SearchIndex, explain_empty
from tui.system.textual_internals import repaint_in_this_frame
from tui.system.tuning import settle_long_lived_objects
from tui.widgets.paper_list import PaperList

QUICK_ABSTRACTS = 5_000
"""Up to this many papers, the instant search stage also looks in abstracts."""

QUICK_NARROW = 100_000
"""Stage 1 over at most this many rows runs on the UI thread, in the handler of the
key (about 10 ms for 100k titles, 1-6 ms when narrowing the last result), so its rows
are in the frame that echoes the key. In the worker it waited for the GIL while the
UI thread drew the echo, and the rows came one or two frames later."""

RANK_DELAY_STEPS = 5
"""Stage 2 starts 50 ms (5 x 10 ms) after stage 1 unless another key came."""

TYPING_PAUSE_SECONDS = 0.15
"""At more than QUICK_ABSTRACTS papers, the ranked pass over abstracts (100-250 ms of
scans, sorts and set operations at 100k, each holding the GIL for a few ms) waits
until no key came for this long: run while someone types, it delayed each next key
to the screen by 10-40 ms. The titles pass before it is quick and does not wait."""


SETTLE_SECONDS = 0.5
"""While the index is warmed, what it built so far is taken out of the cyclic GC at
most this often (see settle_long_lived_objects)."""

SETTLE_MIN_PAPERS = QUICK_ABSTRACTS
"""Smaller indexes are left to the GC: they cost its collections little."""


class IndexCache:
    """One SearchIndex per papers tuple, built once even when the indexing
    worker and a search worker ask for it at the same time (the second waits)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._papers: tuple[Paper, ...] | None = None
        self._index: SearchIndex | None = None
        self._complete = False
        self._settled = float("-inf")

    def get(self, papers: tuple[Paper, ...]) -> SearchIndex:
        with self._lock:
            if self._papers is not papers or self._index is None:
                self._index = None  # let the old one go before building the new
                self._index = SearchIndex(papers)
                self._papers = papers
                self._complete = False
            return self._index

    def settle(self, papers: tuple[Paper, ...], *, complete: bool) -> None:
        """Take what the index of *papers* built so far out of the cyclic GC
        (settle_long_lived_objects): once it is *complete*, and while it is warmed
        (in a pause of typing) at most every SETTLE_SECONDS."""
        with self._lock:
            if self._papers is not papers or self._complete or len(papers) <= SETTLE_MIN_PAPERS:
                return
            now = time.monotonic()
            if not complete and now - self._settled < SETTLE_SECONDS:
                return
            self._complete, self._settled = complete, now
        settle_long_lived_objects()

    def peek(self, papers: tuple[Paper, ...]) -> SearchIndex | None:
        return self._index if self._papers is papers else None


class Activity:
    """Counts search workers running, so background warming can step aside."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = threading.Condition()

    def __enter__(self) -> None:
        with self._idle:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    @property
    def busy(self) -> bool:
        return self._count > 0

    def wait_idle(self, timeout: float = 5.0) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._count == 0, timeout)


@dataclass(frozen=True, slots=True)
class SearchJob:
    """Everything a search worker needs, copied at the keystroke."""

    generation: int
    query: Query
    within: list[int] | None
    papers: tuple[Paper, ...]
    bookmarked: frozenset[str]
    read: frozenset[str]
    exact_done: bool = False
    """Stage 1 already ran on the UI thread: the worker only ranks."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Rows for one query; stage 1 (exact, corpus order) or stage 2 (ranked)."""

    generation: int
    query: Query
    rows: list[int]
    ranked: bool
    explanation: str = ""
    """When *rows* is empty: which term or filter to drop (explain_empty)."""


class SearchActions(Screen[None]):
    """Mixed into MainScreen, which provides the state named below."""

    view_papers: tuple[Paper, ...]
    rows: Sequence[int]
    bookmarked: frozenset[str]
    read: set[str]
    is_loading: bool
    search_query: Query
    _search_generation: int
    _last_result: SearchResult | None
    _last_exact: SearchResult | None
    _indexes: IndexCache
    _searching: Activity
    paper_list: PaperList
    search_box: Input
    current_paper: Paper | None

    @dataclass
    class SearchDone(Message):
        result: SearchResult

    def _show_rows(self, rows: Sequence[int], *, keep_key: str | None = None, keep_current: bool = True) -> None:
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
        """Show the rows for *query*: at once when it constrains nothing; else
        stage 1 here when it is cheap (or in the worker), then the worker's
        ranked stage 2."""
        self.search_query = query
        self._search_generation += 1
        if query.is_empty:
            self._last_result = self._last_exact = None
            self._show_rows(range(len(self.view_papers)))
            return
        # Narrow the last exact result when the new query can only match fewer
        # papers (usually: one more letter), even after its ranked order came.
        exact = self._last_exact
        within = exact.rows if exact is not None and query.refines(exact.query) else None
        # The worker needs its own copy of the read set only when the query asks about it.
        read = frozenset(self.read) if any(f.name in ("is:read", "is:unread") for f in query.filters) else frozenset()
        job = SearchJob(self._search_generation, query, within, self.view_papers, self.bookmarked, read)
        index = self._indexes.peek(self.view_papers)
        quick_abstracts = len(self.view_papers) <= QUICK_ABSTRACTS
        rows_to_test = len(within) if within is not None else len(self.view_papers)
        if index is not None and rows_to_test <= QUICK_NARROW and index.narrows_quickly(query, abstracts=quick_abstracts):
            rows = index.narrow(query, within=within, abstracts=quick_abstracts, context=FilterContext(self.bookmarked, read))
            if rows:  # (an empty result needs explain_empty: several full scans, in the worker)
                self._take_result(SearchResult(job.generation, query, rows, False))
                job = replace(job, exact_done=True)
                self._repaint_with_the_echo()
        self._search(job)

    def _repaint_with_the_echo(self) -> None:
        # The box asked the screen for its repaint before this ran; a widget asks
        # on its next idle, and by then the screen's update timer (resumed after a
        # pause) has drawn the box alone and waits 17-33 ms for its next tick.
        # Asking now puts the new rows and counter in the frame that echoes the key.
        repaint_in_this_frame(self.paper_list, self.query_one("#top-bar"))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def _search(self, job: SearchJob) -> None:
        worker = get_current_worker()
        with self._searching:
            self._search_stages(worker, job)
        if not worker.is_cancelled:
            # Resume warming the abstract side (workers start on the UI thread).
            self.post_message(self.WarmIndex(job.papers))

    @dataclass
    class WarmIndex(Message):
        papers: tuple[Paper, ...]

    @on(WarmIndex)
    def _warm_index(self, message: WarmIndex) -> None:
        if message.papers is self.view_papers:
            self._build_index(message.papers)

    def _search_stages(self, worker: Worker[None], job: SearchJob) -> None:
        generation, query, within, papers = job.generation, job.query, job.within, job.papers
        context = FilterContext(job.bookmarked, job.read)
        key_pause = self.app.key_pause  # type: ignore[attr-defined]

        def is_cancelled() -> bool:
            key_pause.wait(lambda: worker.is_cancelled)  # a key just came: let it through
            return worker.is_cancelled

        index = self._indexes.get(papers)
        if worker.is_cancelled:
            return
        # Stage 1 answers within a frame: above QUICK_ABSTRACTS papers that
        # means titles and authors only; abstracts come with stage 2.
        quick_abstracts = len(papers) <= QUICK_ABSTRACTS
        if not job.exact_done:
            rows = index.narrow(query, within=within, abstracts=quick_abstracts, context=context)
            explanation = "" if rows else explain_empty(index, query, abstracts=quick_abstracts, context=context)
            self.post_message(self.SearchDone(SearchResult(generation, query, rows, False, explanation)))
        # A fast typist's next key usually comes within this pause: it cancels
        # this worker before the heavier ranking competes with it for the GIL.
        for _ in range(RANK_DELAY_STEPS):
            time.sleep(0.01)
            if worker.is_cancelled:
                return
        passes = (True,) if quick_abstracts else (False, True)
        for abstracts in passes:
            # (A key meanwhile cancels this worker: the next search takes over.)
            if abstracts and not quick_abstracts and not key_pause.wait_until_idle(
                    TYPING_PAUSE_SECONDS, lambda: worker.is_cancelled):
                return
            ranked = index.rank(query, abstracts=abstracts, is_cancelled=is_cancelled, context=context)
            if ranked is None or worker.is_cancelled:
                return
            explanation = "" if ranked else explain_empty(index, query, abstracts=abstracts, context=context)
            self.post_message(self.SearchDone(SearchResult(generation, query, ranked, True, explanation)))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="Indexing for search")
    def _build_index(self, papers: tuple[Paper, ...]) -> None:
        # Titles and authors first (quick); then, while nobody is typing, the
        # abstract side (folding and its typo vocabulary, about 2 s at 100k).
        # A search worker running makes warm() stop; it resumes next time.
        worker = get_current_worker()
        key_pause = self.app.key_pause  # type: ignore[attr-defined]
        index = self._indexes.get(papers)
        self._searching.wait_idle()

        def stop() -> bool:
            return worker.is_cancelled or self._searching.busy

        def is_cancelled() -> bool:
            if len(papers) > QUICK_ABSTRACTS:
                # Large: each step holds the GIL a few ms; let someone typing finish.
                paused = key_pause.wait_until_idle(TYPING_PAUSE_SECONDS, stop)
            else:
                key_pause.wait(stop)
                paused = True
            if not paused or stop():
                return True
            self._indexes.settle(papers, complete=False)  # (nobody is typing: see above)
            return False

        if index.warm(is_cancelled=is_cancelled):
            self._indexes.settle(papers, complete=True)

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        self._take_result(message.result)

    def _take_result(self, result: SearchResult) -> None:
        # Results of an older query, or stage 1 after stage 2, are stale.
        if result.generation != self._search_generation:
            return
        if not result.ranked and self._last_result is not None and self._last_result.generation == result.generation:
            return
        self._last_result = result
        if not result.ranked:
            self._last_exact = result
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
        self._last_result = self._last_exact = None
        self._show_rows(range(len(self.view_papers)), keep_key=keep)
        self.set_focus(self.paper_list)
