"""A second digest-reader process for the multi-process store tests.

    python tests/store_worker.py add PATH PREFIX COUNT [--wait]
        add COUNT bookmarks "<PREFIX> paper <i>" one change at a time; with
        --wait, print "ready" and wait for a line on stdin before starting, so
        two workers start together without any sleeping.
    python tests/store_worker.py add-forever PATH PREFIX
        add bookmarks until killed; print "ready" after the first one is saved.

Each bookmark carries a long abstract-free title and several links, so the
file grows quickly and a SIGKILL often lands in the middle of a write.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Link, Paper
from tui.stores.bookmarks import BookmarkStore


def worker_paper(prefix: str, index: int) -> Paper:
    """The paper a worker adds at step *index* (tests rebuild keys with it)."""
    links = tuple(Link(f"https://example.org/{prefix}/{index}/{n}", "project") for n in range(4))
    return Paper(
        title=f"{prefix} paper {index} " + "padding words " * 20,
        abstract="",
        authors=tuple(f"Author {n} of {prefix}" for n in range(5)),
        links=links,
        source="worker.txt",
    )


def main(argv: list[str]) -> int:
    command, path, prefix = argv[0], Path(argv[1]), argv[2]
    store = BookmarkStore(path, lock_timeout=60)
    store.load()
    if command == "add":
        if "--wait" in argv:
            print("ready", flush=True)
            sys.stdin.readline()
        for index in range(int(argv[3])):
            store.add(worker_paper(prefix, index))
        return 0
    if command == "add-forever":
        for index in itertools.count():
            store.add(worker_paper(prefix, index))
            if index == 0:
                print("ready", flush=True)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
