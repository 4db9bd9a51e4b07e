"""When search work runs, and which of its results count: no Textual here.

A query is answered in two stages (see :mod:`tui.core.search`):

* Stage 1 (exact, folded substring match, in corpus order) runs in the key's own
  handler when it is a few scans of folded titles, so its rows are in the frame
  that echoes the key; otherwise in the search worker.
* Stage 2 (ranked, typo-tolerant) always runs in the worker, after a short delay
  that lets a fast typist's next key cancel it first. Above
  :data:`QUICK_ABSTRACTS` papers it ranks titles and authors first, then waits for
  a pause in typing before the pass over abstracts.

Every query gets a generation number; a result of an older generation, or a
stage-1 result arriving after its stage 2, is dropped, so results never arrive
out of order. :class:`SearchSession` holds that bookkeeping; :func:`run_stages`
and :func:`warm_index` are the bodies of the screen's search and indexing
workers, given the worker's cancellation, a way to post results and a key pause
(:class:`KeyPauseLike`), so they are tested with plain calls and a fake clock.
bench/README.md has the measurements behind each constant.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Protocol

from digest_parser.models import Paper
from tui.core.filters import FilterContext, context_for
from tui.core.query import Query
from tui.core.search import SearchIndex, explain_empty

QUICK_ABSTRACTS = 5_000
"""Up to this many papers, stage 1 also looks in abstracts, the ranked pass is one
pass over every field, and the abstracts pass does not wait for a typing pause."""

QUICK_NARROW = 100_000
"""Stage 1 over at most this many rows runs in the key's handler, so its rows are
in the frame that echoes the key (in the worker it waited for the GIL while the UI
thread drew the echo, and the rows came a frame or two later)."""

RANK_DELAY_STEPS = 5
RANK_DELAY_STEP_SECONDS = 0.01
"""Stage 2 starts this long after stage 1 unless another key came first."""

TYPING_PAUSE_SECONDS = 0.15
"""Above QUICK_ABSTRACTS papers, the ranked pass over abstracts and index warming
wait until no key came for this long: run while someone types, their scans hold
the GIL in steps and delay each next key to the screen."""

SETTLE_SECONDS = 0.5
"""While the index is warmed, what it built so far is settled (taken out of the
cyclic GC) at most this often."""

SETTLE_MIN_PAPERS = QUICK_ABSTRACTS
"""Smaller indexes are left to the GC: they cost its collections little."""


class KeyPauseLike(Protocol):
    """What the workers need of :class:`tui.system.keypause.KeyPause`."""

    def wait(self, is_cancelled: Callable[[], bool] = ...) -> None: ...

    def wait_until_idle(self, seconds: float, is_cancelled: Callable[[], bool] = ...) -> bool: ...


class IndexCache:
    """One SearchIndex per papers tuple, built once even when the indexing worker
    and a search worker ask for it at the same time (the second waits).

    *settle* takes a warmed index out of the cyclic GC
    (:func:`tui.system.tuning.settle_long_lived_objects`, given by the screen: this
    module does no process tuning of its own); *clock* is injectable for tests.
    """

    def __init__(self, settle: Callable[[], None] = lambda: None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._papers: tuple[Paper, ...] | None = None
        self._index: SearchIndex | None = None
        self._complete = False
        self._settled = float("-inf")
        self._settle = settle
        self._clock = clock
        self.settle_min_papers = SETTLE_MIN_PAPERS

    def get(self, papers: tuple[Paper, ...]) -> SearchIndex:
        with self._lock:
            if self._papers is not papers or self._index is None:
                self._index = None  # let the old one go before building the new
                self._index = SearchIndex(papers)
                self._papers = papers
                self._complete = False
            return self._index

    def peek(self, papers: tuple[Paper, ...]) -> SearchIndex | None:
        return self._index if self._papers is papers else None

    def settle(self, papers: tuple[Paper, ...], *, complete: bool) -> None:
        """Take what the index of *papers* built so far out of the cyclic GC: once it
        is *complete*, and while it is warmed (in a pause of typing) at most every
        SETTLE_SECONDS. A complete index is never settled again."""
        with self._lock:
            if self._papers is not papers or self._complete or len(papers) <= self.settle_min_papers:
                return
            now = self._clock()
            if not complete and now - self._settled < SETTLE_SECONDS:
                return
            self._complete, self._settled = complete, now
        self._settle()


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
    context: FilterContext
    exact_done: bool = False
    """Stage 1 already ran in the key's handler: the worker only ranks."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Rows for one query; stage 1 (exact, corpus order) or stage 2 (ranked)."""

    generation: int
    query: Query
    rows: list[int]
    ranked: bool
    explanation: str = ""
    """When *rows* is empty: which term or filter to drop (explain_empty)."""


@dataclass(slots=True)
class SearchSession:
    """The query being answered and the results that count for it.

    The screen owns one (through :class:`tui.core.state.ReaderState`): it calls
    :meth:`start` on every change of the query, hands the returned job to its
    worker, and passes every result through :meth:`accept`.
    """

    query: Query = field(default_factory=Query)
    generation: int = 0
    last_result: SearchResult | None = None
    last_exact: SearchResult | None = None
    """The latest stage-1 result: a longer query narrows it (SearchIndex.narrow within=)."""

    def start(self, query: Query, papers: tuple[Paper, ...], *, bookmarked: AbstractSet[str],
              read: AbstractSet[str], index: SearchIndex | None, tagged: AbstractSet[str] = frozenset(),
              tags: Mapping[str, AbstractSet[str]] | None = None) -> tuple[SearchJob | None, SearchResult | None]:
        """Begin answering *query* over *papers*.

        Returns the job for the search worker (None when the query constrains
        nothing: every paper shows, in order) and, when stage 1 was cheap enough to
        run here with the *index* already built, its result (to show through :meth:`accept`).
        """
        self.query = query
        self.generation += 1
        if query.is_empty:
            self.last_result = self.last_exact = None
            return None, None
        # Narrow the last exact result when the new query can only match fewer
        # papers (usually: one more letter), even after its ranked order came.
        exact = self.last_exact
        within = exact.rows if exact is not None and query.refines(exact.query) else None
        context = context_for(query, bookmarked=bookmarked, read=read, tagged=tagged, tags=tags)
        job = SearchJob(self.generation, query, within, papers, context)
        quick_abstracts = len(papers) <= QUICK_ABSTRACTS
        rows_to_test = len(within) if within is not None else len(papers)
        if index is None or rows_to_test > QUICK_NARROW or not index.narrows_quickly(query, abstracts=quick_abstracts):
            return job, None
        rows = index.narrow(query, within=within, abstracts=quick_abstracts, context=context)
        if not rows:  # (an empty result needs explain_empty: several full scans, in the worker)
            return job, None
        result = SearchResult(job.generation, query, rows, False)
        return SearchJob(job.generation, query, within, papers, context, exact_done=True), result

    def accept(self, result: SearchResult) -> bool:
        """Whether *result* should be shown: it answers the current query, and is not
        a stage-1 result arriving after that query's stage 2."""
        if result.generation != self.generation:
            return False
        if not result.ranked and self.last_result is not None and self.last_result.generation == result.generation:
            return False
        self.last_result = result
        if not result.ranked:
            self.last_exact = result
        return True

    def clear(self) -> None:
        """No query: results still on their way are dropped."""
        self.query = Query()
        self.generation += 1
        self.last_result = self.last_exact = None

    def forget_results(self) -> None:
        """The papers searched changed: nothing from before may be narrowed."""
        self.last_result = self.last_exact = None

    @property
    def explanation(self) -> str:
        """Why the last result is empty (worked out by the worker)."""
        return self.last_result.explanation if self.last_result is not None else ""


def run_stages(job: SearchJob, indexes: IndexCache, *, post: Callable[[SearchResult], None],
               cancelled: Callable[[], bool], key_pause: KeyPauseLike,
               sleep: Callable[[float], None] = time.sleep) -> None:
    """The search worker: stage 1 (unless the key's handler ran it), then stage 2.

    *cancelled* is the worker's own flag (a new key cancels it); *post* hands a
    result to the UI thread.
    """
    query, within, papers, context = job.query, job.within, job.papers, job.context

    def is_cancelled() -> bool:
        key_pause.wait(cancelled)  # a key just came: let it through
        return cancelled()

    index = indexes.get(papers)
    if cancelled():
        return
    # Stage 1 answers within a frame: above QUICK_ABSTRACTS papers that means
    # titles and authors only; abstracts come with stage 2.
    quick_abstracts = len(papers) <= QUICK_ABSTRACTS
    if not job.exact_done:
        rows = index.narrow(query, within=within, abstracts=quick_abstracts, context=context)
        explanation = "" if rows else explain_empty(index, query, abstracts=quick_abstracts, context=context,
                                                    is_cancelled=is_cancelled)
        post(SearchResult(job.generation, query, rows, False, explanation))
    # A fast typist's next key usually comes within this pause: it cancels this
    # worker before the heavier ranking competes with it for the GIL.
    for _ in range(RANK_DELAY_STEPS):
        sleep(RANK_DELAY_STEP_SECONDS)
        if cancelled():
            return
    passes: Sequence[bool] = (True,) if quick_abstracts else (False, True)
    for abstracts in passes:
        if abstracts and not quick_abstracts and not key_pause.wait_until_idle(TYPING_PAUSE_SECONDS, cancelled):
            return
        ranked = index.rank(query, abstracts=abstracts, is_cancelled=is_cancelled, context=context)
        if ranked is None or cancelled():
            return
        explanation = "" if ranked else explain_empty(index, query, abstracts=abstracts, context=context,
                                                      is_cancelled=is_cancelled)
        post(SearchResult(job.generation, query, ranked, True, explanation))


def warm_index(papers: tuple[Paper, ...], indexes: IndexCache, activity: Activity, *,
               cancelled: Callable[[], bool], key_pause: KeyPauseLike) -> bool:
    """The indexing worker: titles and authors first (quick); then, while nobody
    types, the abstract side. A search running makes it stop (it resumes after
    that search); returns True once the index is complete."""
    index = indexes.get(papers)
    activity.wait_idle()

    def stop() -> bool:
        return cancelled() or activity.busy

    def is_cancelled() -> bool:
        if len(papers) > QUICK_ABSTRACTS:
            # Large: each step holds the GIL a while; let someone typing finish.
            paused = key_pause.wait_until_idle(TYPING_PAUSE_SECONDS, stop)
        else:
            key_pause.wait(stop)
            paused = True
        if not paused or stop():
            return True
        indexes.settle(papers, complete=False)  # (nobody is typing: see above)
        return False

    if index.warm(is_cancelled=is_cancelled):
        indexes.settle(papers, complete=True)
        return True
    return False
