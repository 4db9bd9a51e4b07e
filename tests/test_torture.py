"""The torture suite's quick run (``python -m bench.torture --quick``) as tests.

Each group runs once per module (the fixtures are module-scoped) and the tests
assert its figures: no broken file, no lost acknowledged change, no traceback,
every original kept, every file that must be left alone left alone, no escape
sequence reaching the terminal. What each group does is in its module's
docstring under ``bench/torture/``; the full run's figures are in
``bench/README.md`` ("Torture suite").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.torture import QUICK, concurrency, corrupt, hostile, kills, orphan
from bench.torture.common import CaseResult
from bench.torture.report import table

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL, ptys, /proc and tmpfs: Linux only")

SYMLINK_CASES = ("symlink inside data dir", "symlink outside data dir")
NEWER_RULES = (*SYMLINK_CASES, "read-only file", "change crossing the cap")
"""Cases with a test of their own below; the two general tests cover the rest."""
NEEDS_A_MOUNT = ("full disk", "read-only directory")


def _explain(result: CaseResult) -> str:
    return f"{result.group}: {result.case}: {result.problems[:5]} {result.figures}"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("torture")


@pytest.fixture(scope="module")
def kill_results(work: Path) -> list[CaseResult]:
    return [
        kills.run_kills(kind, QUICK.kills, work, seed=QUICK.seed + n, prefill=QUICK.prefill)
        for n, kind in enumerate(kills.KINDS)
    ]


@pytest.fixture(scope="module")
def corrupt_results(work: Path) -> dict[str, CaseResult]:
    return {result.case: result for result in corrupt.run_corrupt_cases(work, quick=True)}


# --------------------------------------------------------------------------- kills


def test_sigkill_during_writes_breaks_no_file_and_loses_no_acknowledged_change(kill_results: list[CaseResult]) -> None:
    for result in kill_results:
        assert result.runs == QUICK.kills
        assert (result.broken_files, result.lost_changes, result.tracebacks) == (0, 0, 0), _explain(result)
        assert not result.problems, _explain(result)


def test_the_next_start_removes_temporary_files_a_kill_left(kill_results: list[CaseResult]) -> None:
    for result in kill_results:
        assert result.temp_after_start == 0, _explain(result)


# --------------------------------------------------------------------------- concurrency


def test_three_processes_adding_bookmarks_keep_every_one(work: Path) -> None:
    result = concurrency.run_bookmark_writers(QUICK.bookmarks_per_writer, work)
    assert (result.broken_files, result.lost_changes, result.tracebacks) == (0, 0, 0), _explain(result)
    assert result.figures["kept"] == f"{3 * QUICK.bookmarks_per_writer}/{3 * QUICK.bookmarks_per_writer}"
    assert not result.problems, _explain(result)


def test_three_processes_toggling_the_same_read_marks_lose_no_toggle(work: Path) -> None:
    result = concurrency.run_read_togglers(QUICK.shared_read_keys, work)
    assert (result.broken_files, result.lost_changes, result.tracebacks) == (0, 0, 0), _explain(result)
    assert not result.problems, _explain(result)


# --------------------------------------------------------------------------- corrupt stores


def test_every_corrupt_store_case_ran(corrupt_results: dict[str, CaseResult]) -> None:
    assert set(corrupt_results) == {case.name for case in corrupt.CASES}
    for name, result in corrupt_results.items():
        if name in NEEDS_A_MOUNT and result.skipped:
            continue  # test_cases_needing_a_mount_ran_or_say_why
        assert result.skipped is None and result.runs >= 1, _explain(result)


def test_corrupt_stores_keep_the_original_bytes_and_show_no_traceback(corrupt_results: dict[str, CaseResult]) -> None:
    for name, result in corrupt_results.items():
        if name in NEWER_RULES:
            continue
        assert (result.tracebacks, result.originals_lost, result.touched) == (0, 0, 0), _explain(result)


def test_corrupt_stores_give_one_clear_message_and_the_documented_exit(corrupt_results: dict[str, CaseResult]) -> None:
    for name, result in corrupt_results.items():
        if name in NEWER_RULES:
            continue
        assert result.messages_ok == result.messages_checked, _explain(result)
        assert result.exits_ok == result.exits_checked, _explain(result)
        assert not result.problems, _explain(result)


@pytest.mark.parametrize("name", SYMLINK_CASES)
def test_a_symlinked_store_that_cannot_be_read_leaves_its_target_alone(
    corrupt_results: dict[str, CaseResult], name: str
) -> None:
    """Read-only, one message naming link and target, target's inode, mode and bytes the same."""
    result = corrupt_results[name]
    assert (result.tracebacks, result.originals_lost, result.touched) == (0, 0, 0), _explain(result)
    assert result.clean, _explain(result)


def test_a_read_only_file_is_never_rewritten(corrupt_results: dict[str, CaseResult]) -> None:
    result = corrupt_results["read-only file"]
    assert (result.tracebacks, result.originals_lost, result.touched) == (0, 0, 0), _explain(result)
    assert result.clean, _explain(result)


def test_a_change_that_would_cross_the_size_cap_is_refused_and_the_file_kept(corrupt_results: dict[str, CaseResult]) -> None:
    result = corrupt_results["change crossing the cap"]
    assert (result.tracebacks, result.originals_lost, result.touched) == (0, 0, 0), _explain(result)
    assert result.clean, _explain(result)


@pytest.mark.parametrize("name", NEEDS_A_MOUNT)
def test_cases_needing_a_mount_ran_or_say_why(corrupt_results: dict[str, CaseResult], name: str) -> None:
    result = corrupt_results[name]
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.clean, _explain(result)


# --------------------------------------------------------------------------- hostile digests


def test_hostile_digests_leak_no_escape_through_parse_or_the_reader(work: Path) -> None:
    for result in hostile.run_hostile(work, quick=True):
        assert result.runs == len(hostile.QUICK_FILES), _explain(result)
        assert result.tracebacks == 0, _explain(result)
        assert result.messages_ok == result.messages_checked == len(hostile.QUICK_FILES), _explain(result)
        assert result.exits_ok == result.exits_checked, _explain(result)


# --------------------------------------------------------------------------- orphaned terminal


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_a_reader_whose_terminal_closes_exits_within_a_second_even_ignoring_sighup(work: Path) -> None:
    result = orphan.run_orphan(work)
    assert result.skipped is None, result.skipped
    assert orphan.orphan_exited(result), _explain(result)


# --------------------------------------------------------------------------- the table


def test_the_summary_table_has_one_row_per_case_and_the_quoted_columns() -> None:
    rows = table([CaseResult("kills", "a", runs=3), CaseResult("corrupt", "b | c", skipped="no tmpfs")]).splitlines()
    assert rows[0].startswith("| case | runs | broken files | lost changes |")
    assert len(rows) == 4 and "skipped: no tmpfs" in rows[3]
    assert rows[3].count("|") == rows[0].count("|"), "a | in a case name must not add a column"
