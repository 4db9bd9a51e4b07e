"""Which papers the user has read, across digests.

Kept in ``read.json`` next to the bookmarks file, with the same durability,
locking and quarantine rules (:mod:`tui.stores.jsonstore`, ``docs/stores.md``)::

    {"version": 1, "read": {"arxiv:2603.00101": "2026-03-14T09:30:00Z"}}

Keys are :attr:`Paper.key <digest_parser.models.Paper.key>`; values are when the
paper was marked read (ISO 8601 UTC). An entry whose value is not an ISO 8601
string is unreadable (the file is moved aside, the other entries kept).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from digest_parser.sanitize import clean_line
from tui.stores import locations
from tui.stores.bookmarks import utc_now
from tui.stores.jsonstore import DEFAULT_LOCK_TIMEOUT, Decoded, JsonStore, ShapeError, encode_pair

FORMAT_VERSION = 1


def decode_read_state(document: Mapping[str, Any]) -> Decoded[str]:
    """When each paper (by key) was marked read, from a parsed document; entries that
    are not a key and an ISO time are left out (counted as rejected).

    Raises:
        ShapeError: ``read`` is missing or not an object.
    """
    marks = document.get("read")
    if not isinstance(marks, dict):
        raise ShapeError('"read" is not an object')
    entries: dict[str, str] = {}
    rejected = 0
    for key, when in marks.items():
        clean_key = clean_line(key)
        if not clean_key or not isinstance(when, str) or not _is_iso_time(when) or clean_key in entries:
            rejected += 1
            continue
        entries[clean_key] = clean_line(when)
    return Decoded(entries, rejected)


class ReadStateStore(JsonStore[str]):
    """Read marks by paper key, synchronous and thread-safe.

    Changes raise :class:`~tui.stores.files.StoreError` (read-only, locked,
    unwritable); :meth:`mark` changes any number of keys in one write.
    """

    WHAT: ClassVar[str] = "read state"
    TITLE: ClassVar[str] = "Read state"
    NOUN: ClassVar[tuple[str, str]] = ("paper read", "papers read")
    LOCKED: ClassVar[str] = "read state is locked by another process"
    VERSION: ClassVar[int] = FORMAT_VERSION
    FIELD: ClassVar[str] = "read"
    FIELD_IS_OBJECT: ClassVar[bool] = True

    def __init__(self, path: Path | None = None, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        """Args:
        path: The file; None means ``read.json`` beside the default bookmarks
            file (:func:`locations.read_state_path`).
        lock_timeout: Seconds to wait for another instance's change.
        """
        super().__init__(Path(path) if path is not None else locations.read_state_path(), lock_timeout=lock_timeout)

    def _decode(self, document: dict[str, Any]) -> Decoded[str]:
        return decode_read_state(document)

    def _encode(self, entries: dict[str, str]) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "read": dict(entries)}

    def _entry_line(self, key: str, value: str) -> str:
        return encode_pair(key, value)

    def restore_command(self, number: int | str) -> str | None:
        command = f"digest-reader bookmarks --read-state --restore {number}"
        if self.path == locations.read_state_path():
            return command
        if self.path.name != locations.READ_STATE_FILE:
            return None  # --bookmarks can only name the directory of read.json
        bookmarks = self.path.parent / locations.BOOKMARKS_FILE
        return command + f" --bookmarks {shlex.quote(str(bookmarks))}"

    def read_keys(self) -> frozenset[str]:
        """The keys of every paper marked read."""
        with self._state:
            return frozenset(self._entries)

    def is_read(self, key: str) -> bool:
        """True when the paper with this key is marked read."""
        with self._state:
            return key in self._entries

    def mark(self, keys: Iterable[str], read: bool = True, *, now: datetime | None = None) -> int:
        """Mark many papers read (or unread) in one locked write.

        A key already read keeps its original time.

        Returns:
            How many keys changed state (0 writes nothing).
        """
        wanted = list(dict.fromkeys(keys))
        stamp = utc_now(now)

        def change(entries: dict[str, str]) -> int:
            changed = 0
            for key in wanted:
                if read and key not in entries:
                    entries[key] = stamp
                    changed += 1
                elif not read and entries.pop(key, None) is not None:
                    changed += 1
            return changed

        return self._change(change)

    def toggle(self, key: str, *, now: datetime | None = None) -> bool:
        """Flip one paper's read mark, based on what the file says now.

        Returns:
            True when the paper is read afterwards.
        """
        stamp = utc_now(now)

        def change(entries: dict[str, str]) -> bool:
            if entries.pop(key, None) is not None:
                return False
            entries[key] = stamp
            return True

        return self._change(change)


def _is_iso_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
