"""A second digest-reader process for the torture suite: it changes a store and says what it did.

    python bench/torture/worker.py bookmarks-forever PATH PREFIX
    python bench/torture/worker.py read-forever PATH PREFIX
        change the store until killed. Before each change it prints ``> KEY``;
        once the call has returned, ``ok + KEY`` (the paper is bookmarked/read
        now) or ``ok - KEY`` (it is not). A change is acknowledged only by its
        ``ok`` line, so the parent knows which keys must have survived a kill
        and which one change was in flight.
    python bench/torture/worker.py add PATH PREFIX COUNT
        print "ready", wait for a line on stdin (so several workers start
        together without sleeping), then add COUNT bookmarks one change at a time.
    python bench/torture/worker.py toggle-read PATH INDEX KEYS
        print "ready", wait for a line, then toggle the read mark of the shared
        keys ``shared-0 … shared-(KEYS-1)``, key k ``toggles_for(INDEX, k)`` times.

Run by path (not ``-m``) so the only imports are the stores: a kill should find
the child writing, not importing. The same approach as ``tests/store_worker.py``.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from digest_parser.models import Link, Paper
from tui.stores.bookmarks import BookmarkStore
from tui.stores.readstate import ReadStateStore

LOCK_TIMEOUT = 120.0
"""Long enough that several workers queueing for one lock never give up."""


def worker_paper(prefix: str, index: int) -> Paper:
    """The paper a worker adds at step *index*: long title and several links, so writes take a while."""
    links = tuple(Link(f"https://example.org/{prefix}/{index}/{n}", "project") for n in range(4))
    return Paper(
        title=f"{prefix} paper {index} " + "padding words " * 20,
        abstract="",
        authors=tuple(f"Author {n} of {prefix}" for n in range(5)),
        links=links,
        source="torture.txt",
    )


def toggles_for(worker_index: int, key_index: int) -> int:
    """How often worker *worker_index* toggles shared key *key_index* (1 or 2 times).

    With three workers, an even key is toggled 4 times in all and an odd key 5:
    whatever the interleaving, the even keys end unread and the odd keys read,
    unless a toggle was lost.
    """
    return 1 + (worker_index + key_index) % 2


def say(line: str) -> None:
    print(line, flush=True)


def bookmarks_forever(path: Path, prefix: str) -> None:
    store = BookmarkStore(path, lock_timeout=LOCK_TIMEOUT)
    store.load()
    for index in itertools.count():
        paper = worker_paper(prefix, index)
        say(f"> {paper.key}")
        store.add(paper)
        say(f"ok + {paper.key}")
        if index % 7 == 6:  # removals are changes too
            earlier = worker_paper(prefix, index - 3)
            say(f"> {earlier.key}")
            store.remove(earlier.key)
            say(f"ok - {earlier.key}")


def read_forever(path: Path, prefix: str) -> None:
    store = ReadStateStore(path, lock_timeout=LOCK_TIMEOUT)
    store.load()
    for index in itertools.count():
        key = f"{prefix}-{index}"
        say(f"> {key}")
        store.mark([key], True)
        say(f"ok + {key}")
        if index % 4 == 3:
            earlier = f"{prefix}-{index - 2}"
            say(f"> {earlier}")
            store.mark([earlier], False)
            say(f"ok - {earlier}")
        if index % 3 == 2:
            earlier = f"{prefix}-{index - 1}"
            say(f"> {earlier}")
            state = "+" if store.toggle(earlier) else "-"
            say(f"ok {state} {earlier}")


def add_together(path: Path, prefix: str, count: int) -> None:
    store = BookmarkStore(path, lock_timeout=LOCK_TIMEOUT)
    store.load()
    say("ready")
    sys.stdin.readline()
    for index in range(count):
        store.add(worker_paper(prefix, index))


def toggle_together(path: Path, worker_index: int, keys: int) -> None:
    store = ReadStateStore(path, lock_timeout=LOCK_TIMEOUT)
    store.load()
    say("ready")
    sys.stdin.readline()
    for key_index in range(keys):
        for _ in range(toggles_for(worker_index, key_index)):
            store.toggle(f"shared-{key_index}")


def main(argv: list[str]) -> int:
    command, path = argv[0], Path(argv[1])
    if command == "bookmarks-forever":
        bookmarks_forever(path, argv[2])
    elif command == "read-forever":
        read_forever(path, argv[2])
    elif command == "add":
        add_together(path, argv[2], int(argv[3]))
    elif command == "toggle-read":
        toggle_together(path, int(argv[2]), int(argv[3]))
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
