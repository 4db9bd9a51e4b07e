"""The two sizes of the torture suite, and the run of every group in order."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path

from bench.torture.common import CaseResult

GROUPS = ("kills", "concurrency", "corrupt", "hostile", "orphan")


@dataclass(frozen=True)
class Plan:
    """How much of each group to run."""

    kills: int
    """SIGKILLs per store (bookmarks, then read state)."""
    prefill: int
    """Entries in a store before its kills start: bigger files, longer writes to land in."""
    bookmarks_per_writer: int
    shared_read_keys: int
    quick: bool
    """Fewer hostile digests, and the slowest corrupt case through one door only."""
    seed: int = 20260314

    def with_kills(self, total: int) -> Plan:
        """The same plan with *total* kills, split between the two stores."""
        return replace(self, kills=max(1, total // 2))


QUICK = Plan(kills=10, prefill=300, bookmarks_per_writer=50, shared_read_keys=20, quick=True)
"""About 30 s: what tests/test_torture.py runs."""
FULL = Plan(kills=150, prefill=1000, bookmarks_per_writer=150, shared_read_keys=60, quick=False)
"""What bench/README.md quotes: 300 kills, 3 x 150 bookmarks, every hostile digest."""


def run_group(group: str, plan: Plan, work: Path) -> list[CaseResult]:
    """One group's cases. A failure of the harness itself becomes a row saying so."""
    from bench.torture import concurrency, corrupt, hostile, kills, orphan

    runners: dict[str, Callable[[], list[CaseResult]]] = {
        "kills": lambda: [
            kills.run_kills(kind, plan.kills, work, seed=plan.seed + n, prefill=plan.prefill)
            for n, kind in enumerate(kills.KINDS)
        ],
        "concurrency": lambda: [
            concurrency.run_bookmark_writers(plan.bookmarks_per_writer, work),
            concurrency.run_read_togglers(plan.shared_read_keys, work),
        ],
        "corrupt": lambda: corrupt.run_corrupt_cases(work, quick=plan.quick),
        "hostile": lambda: hostile.run_hostile(work, quick=plan.quick),
        "orphan": lambda: [orphan.run_orphan(work)],
    }
    try:
        return runners[group]()
    except Exception as error:  # the suite reports; one broken group must not hide the others
        failed = CaseResult(group, "the harness failed")
        failed.note(traceback.format_exception_only(type(error), error)[-1].strip())
        return [failed]


def run_suite(plan: Plan, work: Path, groups: Collection[str] = GROUPS,
              progress: Callable[[str], None] | None = None) -> list[CaseResult]:
    """Every group asked for, in the order of :data:`GROUPS`, each in its own folder of *work*."""
    results: list[CaseResult] = []
    for group in GROUPS:
        if group not in groups:
            continue
        if progress is not None:
            progress(group)
        folder = work / group
        folder.mkdir(parents=True, exist_ok=True)
        results += run_group(group, plan, folder)
    return results
