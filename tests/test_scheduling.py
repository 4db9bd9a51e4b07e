"""Search scheduling without Textual: plain calls, a fake clock, a fake key pause."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from digest_parser.models import Paper
from tui.core import scheduling
from tui.core.query import parse_query
from tui.core.scheduling import (
    SETTLE_SECONDS,
    Activity,
    IndexCache,
    SearchResult,
    SearchSession,
    run_stages,
    warm_index,
)

PAPERS = tuple(
    Paper(title=title, abstract=abstract, authors=authors)
    for title, abstract, authors in (
        ("Tiny Vision Transformers", "Small transformers for images.", ("Ada Quill",)),
        ("Graph Message Passing", "Messages between atoms with attention.", ("Bo Fern",)),
        ("Sparse Attention for Long Documents", "Attention that skips tokens.", ("Cedar Lin",)),
        ("Reinforcement Learning from Play", "Agents learn from tiny games.", ("Dee Tiny",)),
    )
)


class FakeKeyPause:
    """A key pause whose typist paused long ago unless told otherwise."""

    def __init__(self, idle: bool = True) -> None:
        self.idle = idle
        self.waits = 0

    def wait(self, is_cancelled: Callable[[], bool] = lambda: False) -> None:
        self.waits += 1

    def wait_until_idle(self, seconds: float, is_cancelled: Callable[[], bool] = lambda: False) -> bool:
        return self.idle and not is_cancelled()


def collect(job_query: str, papers: tuple[Paper, ...] = PAPERS, **kwargs: object) -> list[SearchResult]:
    session = SearchSession()
    job, quick = session.start(parse_query(job_query), papers, bookmarked=frozenset(), read=set(), index=None)
    assert job is not None and quick is None  # (no index yet: everything in the worker)
    results: list[SearchResult] = []
    sleeps: list[float] = []
    run_stages(job, IndexCache(), post=results.append, cancelled=lambda: False,
               key_pause=kwargs.get("key_pause", FakeKeyPause()), sleep=sleeps.append)  # type: ignore[arg-type]
    assert sum(sleeps) == pytest.approx(scheduling.RANK_DELAY_STEPS * scheduling.RANK_DELAY_STEP_SECONDS)
    return results


def test_the_worker_posts_stage_one_then_the_ranked_order() -> None:
    results = collect("tiny")
    assert [r.ranked for r in results] == [False, True]
    assert results[0].rows == [0, 3]  # exact, in corpus order
    assert results[1].rows[0] == 0 and {0, 3} <= set(results[1].rows)  # title first; typos too
    assert all(result.generation == 1 for result in results)


def test_an_empty_result_carries_what_to_remove() -> None:
    results = collect("tiny has:code")
    assert results[-1].explanation == "No paper matches. Remove has:code to see 2 papers."


def test_large_corpora_rank_titles_first_and_abstracts_only_in_a_typing_pause(monkeypatch) -> None:
    monkeypatch.setattr(scheduling, "QUICK_ABSTRACTS", 2)
    results = collect("tiny")
    assert [r.ranked for r in results] == [False, True, True]  # stage 1, titles pass, abstracts pass
    results = collect("tiny", key_pause=FakeKeyPause(idle=False))
    assert [r.ranked for r in results] == [False, True]  # still typing: no abstracts pass yet


def test_a_cancelled_worker_posts_nothing_more() -> None:
    session = SearchSession()
    job, _ = session.start(parse_query("tiny"), PAPERS, bookmarked=frozenset(), read=set(), index=None)
    assert job is not None
    results: list[SearchResult] = []
    cancelled = [False]

    def sleep(seconds: float) -> None:
        cancelled[0] = True  # a key came during the delay before ranking

    run_stages(job, IndexCache(), post=results.append, cancelled=lambda: cancelled[0],
               key_pause=FakeKeyPause(), sleep=sleep)
    assert [r.ranked for r in results] == [False]


def test_stage_one_runs_in_the_handler_once_the_index_exists_and_narrows_the_last_result() -> None:
    session = SearchSession()
    indexes = IndexCache()
    index = indexes.get(PAPERS)
    assert index.warm()  # (until the abstracts are folded, stage 1 would scan them all: worker)
    job, quick = session.start(parse_query("t"), PAPERS, bookmarked=frozenset(), read=set(), index=index)
    assert quick is not None and job is not None and job.exact_done
    assert session.accept(quick)
    job, quick = session.start(parse_query("tiny"), PAPERS, bookmarked=frozenset(), read=set(), index=index)
    assert job is not None and job.within == [0, 1, 2, 3]  # the last exact result, narrowed
    assert quick is not None and quick.rows == [0, 3]
    # An empty stage 1 is left to the worker (it explains what to remove).
    job, quick = session.start(parse_query("zzzz"), PAPERS, bookmarked=frozenset(), read=set(), index=index)
    assert quick is None and job is not None and not job.exact_done


def test_the_read_set_is_copied_only_for_a_query_that_reads_it() -> None:
    session = SearchSession()
    read = {PAPERS[0].key}
    job, _ = session.start(parse_query("tiny"), PAPERS, bookmarked=frozenset(), read=read, index=None)
    assert job is not None and not job.context.read
    job, _ = session.start(parse_query("is:unread tiny"), PAPERS, bookmarked=frozenset(), read=read, index=None)
    assert job is not None and job.context.read == read and job.context.read is not read
    read.add(PAPERS[3].key)  # marking more papers read does not change a running search
    assert job.context.read == {PAPERS[0].key}


def test_an_empty_query_needs_no_worker_and_clear_drops_late_results() -> None:
    session = SearchSession()
    job, _ = session.start(parse_query("tiny"), PAPERS, bookmarked=frozenset(), read=set(), index=None)
    assert job is not None
    assert session.start(parse_query("  "), PAPERS, bookmarked=frozenset(), read=set(), index=None) == (None, None)
    session.clear()
    assert not session.accept(SearchResult(job.generation, job.query, [0], True))


def test_warming_completes_and_settles_once_when_nobody_types() -> None:
    settles: list[int] = []
    indexes = IndexCache(settle=lambda: settles.append(1))
    indexes.settle_min_papers = 0
    assert warm_index(PAPERS, indexes, Activity(), cancelled=lambda: False, key_pause=FakeKeyPause())
    assert settles  # while warmed and once complete
    count = len(settles)
    assert warm_index(PAPERS, indexes, Activity(), cancelled=lambda: False, key_pause=FakeKeyPause())
    assert len(settles) == count  # complete: never settled again


def test_warming_steps_aside_for_a_running_search() -> None:
    activity = Activity()
    indexes = IndexCache()
    with activity:
        # (wait_idle gives up after its timeout; the search is still running after it)
        activity_wait = activity.wait_idle
        activity.wait_idle = lambda timeout=5.0: activity_wait(0.0)  # type: ignore[method-assign]
        assert not warm_index(PAPERS, indexes, activity, cancelled=lambda: False, key_pause=FakeKeyPause())
    assert warm_index(PAPERS, indexes, activity, cancelled=lambda: False, key_pause=FakeKeyPause())


def test_an_index_is_settled_while_warmed_at_most_every_settle_seconds() -> None:
    now = [100.0]
    settles: list[float] = []
    papers = PAPERS * 2
    cache = IndexCache(settle=lambda: settles.append(now[0]), clock=lambda: now[0])
    cache.get(papers)
    cache.settle_min_papers = len(papers)
    cache.settle(papers, complete=True)
    assert settles == []  # small: left to the GC
    cache.settle_min_papers = 0
    for step in range(8):
        now[0] = 100.0 + step * 0.2
        cache.settle(papers, complete=False)
    assert SETTLE_SECONDS == 0.5
    assert settles == [100.0, 100.6, 101.2]
    cache.settle(PAPERS, complete=True)  # not the cached papers: nothing
    now[0] = 101.5
    cache.settle(papers, complete=True)
    cache.settle(papers, complete=True)
    cache.settle(papers, complete=False)
    assert settles == [100.0, 100.6, 101.2, 101.5]
