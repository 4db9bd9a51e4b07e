"""SIGKILL at random moments while a child changes the bookmarks or the read state.

A child (``worker.py bookmarks-forever`` / ``read-forever``) changes the store
in a loop and prints ``ok ± KEY`` after each call returns. Once it has saved one
change, it is killed after a random delay (seeded). Then, for each kill:

- the file must still be a strictly valid store (else it is a **broken file**);
- the next start (a fresh store's ``load``, as the reader and the CLI do) must
  neither warn nor quarantine it (else **broken** too);
- every acknowledged change must be on disk (else a **lost change**); the one
  change in flight when the kill landed may or may not be;
- temporary files are counted right after the kill and again after the next
  start (a start that cleans them up reads 0 there).

The store is filled first (``prefill`` entries), so each write takes long enough
for most kills to land inside one.
"""

from __future__ import annotations

import random
import signal
import subprocess
from pathlib import Path

from bench.torture.common import (
    CHILD_TIMEOUT,
    TRACEBACK,
    CaseResult,
    LineReader,
    quarantined,
    start_worker,
    strictly_readable,
    temp_files,
)
from bench.torture.worker import worker_paper

KINDS = ("bookmarks", "read")


def _prefill(kind: str, path: Path, count: int) -> None:
    from tui.stores.bookmarks import Bookmark, BookmarkStore
    from tui.stores.readstate import ReadStateStore

    if count <= 0:
        return
    if kind == "bookmarks":
        store = BookmarkStore(path)
        store.load()
        store.import_bookmarks(Bookmark.from_paper(worker_paper("prefill", n)) for n in range(count))
    else:
        read_store = ReadStateStore(path)
        read_store.load()
        read_store.mark(f"prefill-{n}" for n in range(count))


def _acknowledged(lines: list[str]) -> tuple[dict[str, bool], str | None]:
    """Each key's state after the child's last acknowledged change, and the key in flight."""
    states: dict[str, bool] = {}
    in_flight: str | None = None
    for line in lines:
        if line.startswith("> "):
            in_flight = line[2:]
        elif line.startswith("ok "):
            _, state, key = line.split(" ", 2)
            states[key] = state == "+"
            in_flight = None
    return states, in_flight


def _on_disk(kind: str, path: Path) -> tuple[set[str], tuple[str, ...]]:
    """The keys a fresh store loads (the next start), and the warnings it gave."""
    from tui.stores.bookmarks import BookmarkStore
    from tui.stores.readstate import ReadStateStore

    if kind == "bookmarks":
        store = BookmarkStore(path)
        report = store.load()
        return set(store.bookmarks()), report.warnings
    read_store = ReadStateStore(path)
    report = read_store.load()
    return set(read_store.read_keys()), report.warnings


def run_kills(kind: str, runs: int, work: Path, *, seed: int, prefill: int, max_delay: float = 0.08) -> CaseResult:
    """Kill *runs* children writing *kind* ("bookmarks" or "read") at random moments.

    Args:
        work: An empty directory; the store's data directory is made inside it.
        seed: Seeds the kill delays, so a run can be repeated exactly.
        prefill: Entries written before the first child starts.
        max_delay: Kills land uniformly between 0 and this many seconds after
            the child's first acknowledged change.
    """
    result = CaseResult("kills", f"SIGKILL during {'bookmark' if kind == 'bookmarks' else 'read-state'} writes")
    chance = random.Random(seed)
    data_dir = work / f"kills-{kind}"
    data_dir.mkdir(parents=True)
    path = data_dir / ("bookmarks.json" if kind == "bookmarks" else "read.json")
    top, shape = ("bookmarks", list) if kind == "bookmarks" else ("read", dict)
    _prefill(kind, path, prefill)
    expected: dict[str, bool] = {}
    kills_leaving_temp = kills_in_change = 0
    for run in range(runs):
        worker = start_worker([f"{kind}-forever", str(path), f"k{run}"], data_dir)
        reader = LineReader(worker)
        if not reader.until(lambda line: line.startswith("ok "), CHILD_TIMEOUT):
            result.note(f"run {run}: the child saved nothing before the timeout")
        try:
            worker.wait(timeout=chance.uniform(0.0, max_delay))  # the random kill moment
        except subprocess.TimeoutExpired:
            pass
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        lines = reader.drain()
        assert worker.stderr is not None and worker.stdout is not None
        stderr = worker.stderr.read().decode("utf-8", "replace")
        worker.stdout.close()
        worker.stderr.close()
        result.runs += 1
        if TRACEBACK in stderr:
            result.tracebacks += 1
            result.note(f"run {run}: the child failed: {stderr.strip().splitlines()[-1][:100]}")
        if worker.returncode != -signal.SIGKILL:
            result.note(f"run {run}: the child ended by itself (status {worker.returncode})")

        left = temp_files(data_dir)
        result.temp_after_kill += len(left)
        kills_leaving_temp += bool(left)
        before = len(quarantined(path))
        broken = not path.exists() or not strictly_readable(path.read_bytes(), top, shape)
        keys, warnings = _on_disk(kind, path)
        broken |= bool(warnings) or len(quarantined(path)) > before
        if broken:
            result.broken_files += 1
            result.note(f"run {run}: the store did not load cleanly: {'; '.join(warnings)[:120]}")
        result.temp_after_start += len(temp_files(data_dir))

        states, in_flight = _acknowledged(lines)
        kills_in_change += in_flight is not None
        expected.update(states)
        lost = [key for key, present in expected.items() if key != in_flight and (key in keys) != present]
        if lost:
            result.lost_changes += len(lost)
            result.note(f"run {run}: {len(lost)} acknowledged change(s) missing, e.g. {lost[0][:60]}")
        for key in [*lost, *([in_flight] if in_flight else [])]:
            expected[key] = key in keys  # counted once; the in-flight change may have landed or not
    result.figures["kills before the change returned"] = f"{kills_in_change}/{runs}"
    result.figures["kills leaving a temp file"] = f"{kills_leaving_temp}/{runs}"
    return result
