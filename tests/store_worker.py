"""A second digest-reader process for the multi-process store tests.

    python tests/store_worker.py add PATH PREFIX COUNT [--wait]
        add COUNT bookmarks "<PREFIX> paper <i>" one change at a time; with
        --wait, print "ready" and wait for a line on stdin before starting, so
        two workers start together without any sleeping.
    python tests/store_worker.py add-forever PATH PREFIX
        add bookmarks until killed; print "ready" after the first one is saved.
    python tests/store_worker.py add-one PATH TITLE [--format-version 1]
        add one bookmark; print "added", or "refused: <the error>" and exit 1.
    python tests/store_worker.py list PATH [--format-version 1]
        print the store's keys one a line, then "read-only" or "writable".

``--format-version 1`` runs the store as digest-reader wrote it before tags
(bookmarks file version 1): it reads and writes version 1, and meets any later
version as a newer one. With ``DIGEST_READER_CODE=DIR`` in the environment the
worker imports ``tui`` and ``digest_parser`` from DIR instead of this
repository (the migration tests put an older release's code there).

Each bookmark carries a long abstract-free title and several links, so the
file grows quickly and a SIGKILL often lands in the middle of a write.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, os.environ.get("DIGEST_READER_CODE") or str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Link, Paper
from tui.stores.bookmarks import BookmarkStore
from tui.stores.jsonstore import StoreError, encode_entry


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


class VersionOneStore(BookmarkStore):
    """The bookmarks store as version 1 of the file format had it: no tags.

    It writes ``"version": 1`` entries without ``tags`` and, like every release
    before tags, meets a version-2 file as one from a newer version (read-only).
    """

    VERSION = 1

    def _entry_line(self, key: str, value: Any) -> str:
        entry = value.to_json()
        entry.pop("tags", None)
        return encode_entry(entry)


def open_store(path: Path, argv: list[str]) -> BookmarkStore:
    if "--format-version" in argv and argv[argv.index("--format-version") + 1] == "1":
        return VersionOneStore(path, lock_timeout=60)
    return BookmarkStore(path, lock_timeout=60)


def main(argv: list[str]) -> int:
    command, path = argv[0], Path(argv[1])
    store = open_store(path, argv)
    store.load()
    if command == "add-one":
        try:
            store.add(Paper(title=argv[2], abstract="", source="older.txt"))
        except StoreError as error:
            print(f"refused: {error}", flush=True)
            return 1
        print("added", flush=True)
        return 0
    if command == "list":
        for key in store.bookmarks():
            print(key)
        print("read-only" if store.read_only else "writable", flush=True)
        return 0
    prefix = argv[2]
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
