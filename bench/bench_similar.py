"""Benchmark of the similarity engine (tui/core/similar/) on synthetic corpora.

Run: ``python bench/bench_similar.py [--sizes 1000,10000,100000]
[--reference-sizes 1000,10000] [--sklearn]``. Prints numbers, asserts nothing.

The corpus is bench_search.py's (deterministic, invented words; titles of about
80 characters, abstracts of about 1.5 KB). For each size:

- ``build``: :meth:`SimilarityIndex.build` in a worker thread while this thread
  ticks every 1 ms like a UI loop: the build time, the longest step between two
  ``is_cancelled`` calls (how long a key can wait for the build to step aside),
  and the longest gap of the ticker (how long one C call held the GIL);
- ``peak MB``: the most resident memory the build added (VmHWM, reset before the
  build), and ``kept MB``: what the built index holds once the build's temporary
  arrays are gone;
- ``similar_to`` and ``similar_to_text``: p50 / p90 / max over 50 random papers;
- ``rank_for``: one "for you" ranking of the whole corpus for profiles of 20 and
  200 bookmarks (texts of other synthetic papers).

``--reference-sizes`` times the plain-Python definition
(:mod:`tui.core.similar.reference`) the same way, for comparison; ``--sklearn``
times scikit-learn's TfidfVectorizer with the same terms, when it is installed
(it is not a dependency: the comparison is why).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_search import make_corpus
from digest_parser.models import Paper
from tui.core.similar import SimilarityIndex
from tui.core.similar.reference import ReferenceIndex
from tui.core.similar.text import term_counts

QUERIES = 50
PROFILE_SIZES = (20, 200)


def _status_kb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1])
    return float("nan")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def build_in_worker(papers: Sequence[Paper]) -> tuple[SimilarityIndex, float, float, float]:
    """The build in a worker thread, a 1 ms ticker here.

    Returns (index, seconds, longest step between is_cancelled calls, longest ticker gap).
    """
    checks: list[float] = []
    result: list[SimilarityIndex | None] = []

    def is_cancelled() -> bool:
        checks.append(time.perf_counter())
        return False

    start = time.perf_counter()
    worker = threading.Thread(target=lambda: result.append(SimilarityIndex.build(papers, is_cancelled=is_cancelled)))
    worker.start()
    last, worst_gap = time.perf_counter(), 0.0
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        worst_gap, last = max(worst_gap, now - last), now
    worker.join()
    end = time.perf_counter()
    marks = [start, *checks, end]
    longest_step = max(b - a for a, b in itertools.pairwise(marks))
    index = result[0]
    assert index is not None
    return index, end - start, longest_step, worst_gap


def _profile(corpus: Sequence[Paper], size: int, rng: random.Random) -> list[tuple[str, str, str]]:
    return [(f"bookmark:{n}", paper.title, paper.abstract) for n, paper in enumerate(rng.sample(list(corpus), size))]


def bench_index(papers: Sequence[Paper], others: Sequence[Paper]) -> None:
    gc.collect()
    rss_before = _status_kb("VmRSS")
    peak_known = _reset_peak()
    index, seconds, step, gap = build_in_worker(papers)
    peak = (_status_kb("VmHWM") - rss_before) / 1024 if peak_known else float("nan")
    gc.collect()
    kept = (_status_kb("VmRSS") - rss_before) / 1024
    print(f"{'index':10} {len(papers):>7} build {_ms(seconds)} ms  longest step {_ms(step)} ms  "
          f"longest GIL hold {_ms(gap)} ms  peak +{peak:.0f} MB  kept +{kept:.0f} MB")
    rng = random.Random(3)
    targets = [rng.randrange(len(papers)) for _ in range(QUERIES)]
    _query_line("similar_to", [_timed(lambda n=n: index.similar_to(n)) for n in targets])
    _query_line("..._text", [_timed(lambda n=n: index.similar_to_text(papers[n].title, papers[n].abstract))
                             for n in targets])
    for size in PROFILE_SIZES:
        profile = _profile(others, size, rng)
        start = time.perf_counter()
        steps: list[float] = []

        def is_cancelled(steps: list[float] = steps) -> bool:
            steps.append(time.perf_counter())
            return False

        ranked = index.rank_for(profile, is_cancelled=is_cancelled)
        end = time.perf_counter()
        assert ranked is not None and len(ranked) == len(papers)
        marks = [start, *steps, end]
        longest = max(b - a for a, b in itertools.pairwise(marks))
        print(f"{'':10} {'':>7} rank_for {size:4} bookmarks {_ms(end - start)} ms  longest step {_ms(longest)} ms")


def _query_line(label: str, times: list[float]) -> None:
    print(f"{'':10} {'':>7} {label:12} p50 {_ms(statistics.median(times))}  p90 {_ms(_percentile(times, 0.9))}"
          f"  max {_ms(max(times))} ms")


def bench_reference(papers: Sequence[Paper], others: Sequence[Paper]) -> None:
    gc.collect()
    rss_before = _status_kb("VmRSS")
    start = time.perf_counter()
    reference = ReferenceIndex(papers)
    seconds = time.perf_counter() - start
    gc.collect()
    kept = (_status_kb("VmRSS") - rss_before) / 1024
    print(f"{'reference':10} {len(papers):>7} build {_ms(seconds)} ms  (one step)  kept +{kept:.0f} MB")
    rng = random.Random(3)
    targets = [rng.randrange(len(papers)) for _ in range(QUERIES)]
    _query_line("similar_to", [_timed(lambda n=n: reference.similar_to(n)) for n in targets])
    for size in PROFILE_SIZES[:1]:  # (200 bookmarks take minutes at 10k)
        profile = _profile(others, size, rng)
        print(f"{'':10} {'':>7} rank_for {size:4} bookmarks {_ms(_timed(lambda p=profile: reference.rank_for(p)))} ms")


def _terms(text: str) -> list[str]:
    """A title and abstract joined by a NUL: the terms term_counts counts, repeated."""
    title, _, abstract = text.partition("\0")
    return [term for term, count in term_counts(title, abstract).items() for _ in range(count)]


def bench_sklearn(papers: Sequence[Paper]) -> None:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-not-found]
    except ImportError:
        print("sklearn: not installed, skipped")
        return
    import numpy as np

    gc.collect()
    rss_before = _status_kb("VmRSS")
    peak_known = _reset_peak()
    vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, smooth_idf=True, dtype=np.float32)
    start = time.perf_counter()
    matrix: Any = vectorizer.fit_transform([p.title + "\0" + p.abstract for p in papers]).tocsr()
    seconds = time.perf_counter() - start
    peak = (_status_kb("VmHWM") - rss_before) / 1024 if peak_known else float("nan")
    print(f"{'sklearn':10} {len(papers):>7} build {_ms(seconds)} ms  (one call: no step between)  "
          f"peak +{peak:.0f} MB")
    rng = random.Random(3)
    targets = [rng.randrange(len(papers)) for _ in range(QUERIES)]

    def query(n: int) -> object:
        scores = (matrix @ matrix[n].T).toarray().ravel()
        return np.argpartition(-scores, 50)[:50]

    _query_line("similar_to", [_timed(lambda n=n: query(n)) for n in targets])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--reference-sizes", default="1000,10000")
    parser.add_argument("--sklearn", action="store_true", help="also time scikit-learn's TfidfVectorizer")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    reference_sizes = [int(s) for s in args.reference_sizes.split(",") if s]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; times in ms")
    start = time.perf_counter()
    largest = max(sizes + reference_sizes)
    corpus = make_corpus(largest + max(PROFILE_SIZES))
    papers, others = corpus[:largest], corpus[largest:]  # bookmarks are papers outside the corpus
    print(f"corpus generated in {time.perf_counter() - start:.1f} s")
    # As the reader does once its papers are loaded and indexed for search
    # (tui.system.tuning.settle_long_lived_objects): full collections no longer walk them.
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    SimilarityIndex.build(papers[:10])
    print(f"first build imports numpy and scipy: {_ms(time.perf_counter() - start)} ms")
    for size in sorted(set(sizes) | set(reference_sizes)):
        print(f"\n=== {size} papers ===")
        if size in sizes:
            bench_index(papers[:size], others)
            if args.sklearn:
                bench_sklearn(papers[:size])
        if size in reference_sizes:
            bench_reference(papers[:size], others)


if __name__ == "__main__":
    main()
