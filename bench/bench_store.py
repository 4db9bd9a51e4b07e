"""Benchmark of one change to the stores at scale (tui/stores/, docs/stores.md).

Run: ``python bench/bench_store.py [--bookmarks 1000,5000,10000] [--reads 10000,100000]
[--repeat 5] [--quick]``. Prints numbers, asserts nothing.

For each size it writes a store file of invented entries in a fresh temporary
directory (on the same filesystem as ``bench/out/``, so fsync costs what it
costs for real), loads it the way the reader does, then times:

- ``toggle``: one ``b`` on a paper that is not bookmarked (add), then the same
  ``b`` again (remove): the whole change protocol, lock, check, write, fsync,
  backups;
- ``mark``: one "mark read" batch of 20 new keys (what scrolling through a
  page of papers sends), then the same keys marked unread.

The bookmarks carry a 300-character note, five authors and three links each:
the scale target is 10k bookmarks with notes and 100k papers read. The size of
each file is printed too: the largest file the reader accepts is
``files.MAX_FILE_BYTES``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Link, Paper
from tui.stores.bookmarks import Bookmark, BookmarkStore
from tui.stores.files import MAX_FILE_BYTES
from tui.stores.readstate import ReadStateStore

OUT = Path(__file__).resolve().parent / "out"
_WORDS = ("sparse", "routing", "diffusion", "agents", "alignment", "retrieval", "scaling", "tokens", "memory",
          "graph", "policy", "vision", "speech", "robust", "efficient", "benchmark", "planning", "experts")


def _paper(rng: random.Random, index: int) -> Paper:
    title = " ".join(rng.choice(_WORDS) for _ in range(10)).capitalize() + f" {index}"
    arxiv_id = f"26{index // 100000 % 100:02d}.{index % 100000:05d}"
    return Paper(
        title=title,
        abstract="",
        authors=tuple(f"Author{rng.randint(0, 999)} Lastname{rng.randint(0, 999)}" for _ in range(5)),
        arxiv_id=arxiv_id,
        code_url=f"https://github.com/lab{index}/repo{index}",
        links=(
            Link(f"https://github.com/lab{index}/repo{index}", "code"),
            Link(f"https://huggingface.co/lab{index}/model", "model"),
            Link(f"https://lab{index}.github.io/project", "project"),
        ),
        source="digest-2026-03-14.txt",
    )


def _note(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(40))[:300]


def _bookmarks_file(directory: Path, count: int) -> Path:
    rng = random.Random(count)
    path = directory / "bookmarks.json"
    seed = BookmarkStore(path)
    seed.load()
    seed.import_bookmarks(Bookmark.from_paper(_paper(rng, n), note=_note(rng)) for n in range(count))
    return path


def _read_file(directory: Path, count: int) -> Path:
    path = directory / "read.json"
    seed = ReadStateStore(path)
    seed.load()
    seed.mark(f"arxiv:26{n // 100000 % 100:02d}.{n % 100000:05d}" for n in range(count))
    return path


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench_bookmarks(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        path = _bookmarks_file(Path(scratch), count)
        store = BookmarkStore(path)
        store.load()
        extra = _paper(random.Random(-1), 10_000_000)
        adds, removes = [], []
        for _round in range(repeat):
            adds.append(_timed(lambda: store.toggle(extra)))
            removes.append(_timed(lambda: store.toggle(extra)))
        size = path.stat().st_size
    print(
        f"bookmarks {count:>7,}  file {size / 1e6:6.2f} MB  "
        f"toggle add {_ms(adds)}  toggle remove {_ms(removes)}"
    )


def bench_reads(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        path = _read_file(Path(scratch), count)
        store = ReadStateStore(path)
        store.load()
        batch = [f"title:never read paper number {n}" for n in range(20)]
        marks, unmarks = [], []
        for _round in range(repeat):
            marks.append(_timed(lambda: store.mark(batch, True)))
            unmarks.append(_timed(lambda: store.mark(batch, False)))
        size = path.stat().st_size
    print(f"read keys {count:>7,}  file {size / 1e6:6.2f} MB  mark 20 {_ms(marks)}  unmark 20 {_ms(unmarks)}")


def _ms(times: list[float]) -> str:
    best = min(times) * 1000
    if len(times) == 1:
        return f"{best:6.1f} ms"
    return f"{best:6.1f} ms (median {statistics.median(times) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookmarks", default="1000,5000,10000", help="bookmark counts (comma-separated)")
    parser.add_argument("--reads", default="10000,100000", help="read-key counts (comma-separated)")
    parser.add_argument("--repeat", type=int, default=5, help="changes timed per size (best and median shown)")
    parser.add_argument("--quick", action="store_true", help="one change per size (a shared machine)")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    OUT.mkdir(exist_ok=True)
    print(f"largest readable file: {MAX_FILE_BYTES / 2**20:.0f} MiB")
    for count in (int(n) for n in args.bookmarks.split(",") if n):
        bench_bookmarks(count, repeat)
    for count in (int(n) for n in args.reads.split(",") if n):
        bench_reads(count, repeat)


if __name__ == "__main__":
    main()
