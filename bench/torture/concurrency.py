"""Several processes changing one store at the same moment: nothing may be lost.

- Bookmarks: three workers, released together, each add ``count`` bookmarks one
  change at a time; the file must end with all ``3 × count``, each once.
- Read state: three workers toggle the same shared keys, each key 1 or 2 times
  per worker (``worker.toggles_for``). A toggle reads the file under the lock,
  so whatever the interleaving, a key toggled an odd number of times in all ends
  read and an even one unread; a lost toggle flips that parity.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.torture.common import CHILD_TIMEOUT, TRACEBACK, CaseResult, LineReader, start_worker, strictly_readable, temp_files
from bench.torture.worker import toggles_for, worker_paper

WORKERS = 3


def _run_together(argvs: list[list[str]], data_dir: Path, result: CaseResult) -> None:
    """Start every worker, wait until each has loaded, release them at once, wait for all."""
    workers = [start_worker(argv, data_dir, stdin=True) for argv in argvs]
    readers = [LineReader(worker) for worker in workers]
    for reader in readers:
        if not reader.until(lambda line: line == "ready", CHILD_TIMEOUT):
            result.note("a worker never became ready")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(b"go\n")
        worker.stdin.close()
    for worker in workers:
        try:
            worker.wait(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            result.note("a worker did not finish in time")
        assert worker.stderr is not None and worker.stdout is not None
        stderr = worker.stderr.read().decode("utf-8", "replace")
        worker.stdout.close()
        worker.stderr.close()
        if TRACEBACK in stderr:
            result.tracebacks += 1
        if worker.returncode != 0:
            last = stderr.strip().splitlines()[-1:] or [""]
            result.note(f"a worker exited with status {worker.returncode}: {last[0][:100]}")


def run_bookmark_writers(count: int, work: Path) -> CaseResult:
    """Three processes add *count* bookmarks each, concurrently."""
    from tui.stores.bookmarks import BookmarkStore

    result = CaseResult("concurrency", f"{WORKERS} processes x {count} bookmarks")
    data_dir = work / "concurrent-bookmarks"
    data_dir.mkdir(parents=True)
    path = data_dir / "bookmarks.json"
    prefixes = [f"w{n}" for n in range(WORKERS)]
    _run_together([["add", str(path), prefix, str(count)] for prefix in prefixes], data_dir, result)
    result.runs = 1
    if not path.exists() or not strictly_readable(path.read_bytes(), "bookmarks", list):
        result.broken_files += 1
    store = BookmarkStore(path)
    if store.load().warnings:
        result.broken_files += 1
    kept = store.bookmarks()
    wanted = {worker_paper(prefix, n).key for prefix in prefixes for n in range(count)}
    result.lost_changes = len(wanted - set(kept))
    result.figures["kept"] = f"{len(wanted & set(kept))}/{len(wanted)}"
    result.temp_after_start = len(temp_files(data_dir))
    return result


def run_read_togglers(keys: int, work: Path) -> CaseResult:
    """Three processes toggle the same *keys* read marks, concurrently."""
    from tui.stores.readstate import ReadStateStore

    result = CaseResult("concurrency", f"{WORKERS} processes toggling {keys} shared read marks")
    data_dir = work / "concurrent-read"
    data_dir.mkdir(parents=True)
    path = data_dir / "read.json"
    _run_together([["toggle-read", str(path), str(n), str(keys)] for n in range(WORKERS)], data_dir, result)
    result.runs = 1
    if not path.exists() or not strictly_readable(path.read_bytes(), "read", dict):
        result.broken_files += 1
    store = ReadStateStore(path)
    if store.load().warnings:
        result.broken_files += 1
    read = store.read_keys()
    toggles = sum(toggles_for(w, k) for w in range(WORKERS) for k in range(keys))
    wrong = [k for k in range(keys) if (f"shared-{k}" in read) != (sum(toggles_for(w, k) for w in range(WORKERS)) % 2 == 1)]
    result.lost_changes = len(wrong)
    result.figures["toggles"] = str(toggles)
    result.temp_after_start = len(temp_files(data_dir))
    return result
