"""The versioned JSON document store shared by the bookmarks and read-state stores.

One small JSON document per file, ``{"version": N, ...}``; ``docs/stores.md``
describes the files and the rules this module keeps for both stores:

- **Nothing unreadable is ever overwritten.** A file that is not UTF-8, not
  strict JSON (NaN and Infinity are refused), or not the expected shape is
  quarantined (:func:`tui.stores.files.quarantine`) and the caller gets a
  warning naming the new name. When only some entries are unreadable the same
  happens, and the readable entries are written back to a fresh file. A
  leading UTF-8 BOM is accepted (editors add one) and not written back.
- **No lost updates.** Every change takes the lock
  (:class:`tui.stores.locking.StoreLock`), re-reads the file, applies itself to
  what is on disk and writes, so two instances merge their changes.
- **Atomic, durable writes.** The document is serialised to bytes first, so an
  unencodable value fails before anything is touched, then written with
  :func:`tui.stores.files.atomic_write`.
- **Newer versions are left alone.** A file with a higher ``version`` is read
  as far as it can be and the store becomes read-only: it never rewrites it.
- **Links.** A symlinked file stays a symlink: the target is resolved with
  ``os.path.realpath`` on every use and replaced.

The stores are synchronous and thread-safe (see :class:`JsonStore` for its two
locks), meant to be called from worker threads.
"""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from tui.stores.files import (
    MAX_FILE_BYTES,
    Signature,
    StoreError,
    atomic_write,
    display_path,
    error_reason,
    file_signature,
    quarantine,
    read_bytes,
    remove_stale_temp_files,
)
from tui.stores.locking import StoreLock

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "Decoded",
    "JsonStore",
    "LoadReport",
    "ShapeError",
    "StoreError",
    "decode_document",
    "encode_document",
]

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a change waits for another instance to finish its own change."""

V = TypeVar("V")
R = TypeVar("R")

_UTF8_BOM = b"\xef\xbb\xbf"


class ShapeError(ValueError):
    """The document is not one this program can read; the message is one line."""


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What happened when a store (re)read its file."""

    warnings: tuple[str, ...] = ()
    """One-line, sanitised messages to show the user (quarantined file, read-only…)."""
    read_only: bool = False
    """True when the store refuses changes (file from a newer version, unreadable file)."""


@dataclass(frozen=True, slots=True)
class Decoded(Generic[V]):
    """Entries read from a document, and how many could not be read."""

    entries: dict[str, V]
    rejected: int = 0


# --------------------------------------------------------------------------- documents


def decode_document(raw: bytes) -> tuple[dict[str, Any], int]:
    """Parse a store file's bytes.

    Args:
        raw: The file content.

    Returns:
        The top-level object and its ``version``.

    Raises:
        ShapeError: Not UTF-8, not strict JSON, not an object, or no valid version.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise ShapeError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ShapeError(f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ShapeError(f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    except RecursionError:
        raise ShapeError("not valid JSON (nested too deeply)") from None
    if not isinstance(document, dict):
        raise ShapeError(f"expected a JSON object, found {_json_type(document)}")
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise ShapeError('no valid "version" field')
    return document, version


def _reject_constant(name: str) -> None:
    raise ShapeError(f"not valid JSON ({name} is not allowed)")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def encode_document(document: dict[str, Any], *, what: str) -> bytes:
    """Serialise a document to the bytes written to disk (pretty UTF-8 JSON).

    Raises:
        StoreError: A value cannot be written as UTF-8 (a lone surrogate).
    """
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = f"U+{ord(text[error.start]):04X}"
        raise StoreError(
            f"could not save {what}: text holds a character that cannot be written as UTF-8 ({bad}); "
            "the file was not changed"
        ) from None


# --------------------------------------------------------------------------- store


@dataclass(slots=True)
class _Reading(Generic[V]):
    """One read of the file: what was there and what could be made of it."""

    entries: dict[str, V] = field(default_factory=dict)
    signature: Signature | None = None
    problem: str | None = None
    """Why the file (or some of its entries) could not be read; it must be moved aside."""
    newer_version: int | None = None


class JsonStore(ABC, Generic[V]):
    """A keyed collection kept in one versioned JSON file (see the module docstring).

    Subclasses say what the entries are (:meth:`_decode`, :meth:`_encode`) and
    expose operations built on :meth:`_change`. Two locks: ``_io`` serialises
    this process's loads and changes (it may wait for another process), while
    ``_state`` guards the in-memory entries and is only held for a moment, so
    queries from the UI thread never wait behind a slow disk or a busy lock.
    """

    WHAT: ClassVar[str] = "data"
    """What the file holds, for messages ("bookmarks", "read state")."""
    LOCKED: ClassVar[str] = "data is locked by another process"
    """Start of the message when the lock cannot be taken in time."""
    VERSION: ClassVar[int] = 1

    def __init__(self, path: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self._path = Path(path)
        self._lock_timeout = lock_timeout
        self._io = threading.RLock()
        self._state = threading.Lock()
        self._entries: dict[str, V] = {}
        self._signature: Signature | None = None
        self._read_only_reason: str | None = None
        self._unreadable = False
        self._warnings: list[str] = []

    @property
    def path(self) -> Path:
        """The file as configured (possibly a symlink)."""
        return self._path

    @property
    def read_only(self) -> bool:
        """True when changes are refused (newer version, or the file could not be read)."""
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why changes are refused (the message they raise), or None."""
        return self._read_only_reason

    @property
    def unreadable(self) -> bool:
        """True when the last load could not read the file at all (not a file, no permission)."""
        return self._unreadable

    @abstractmethod
    def _decode(self, document: dict[str, Any]) -> Decoded[V]:
        """Entries of a document; raise ShapeError when its overall shape is wrong."""

    @abstractmethod
    def _encode(self, entries: dict[str, V]) -> dict[str, Any]:
        """The document to write for *entries*."""

    # ---------------------------------------------------------------- reading

    def load(self) -> LoadReport:
        """(Re)read the file, moving it aside if it cannot be read. Never raises.

        Returns:
            The warnings this load produced and whether the store is read-only.
            The warnings also stay queued for :meth:`take_warnings`, so a caller
            may use either one (not both: it would show them twice).
        """
        with self._io:
            with self._state:
                already = len(self._warnings)
            self._load()
            with self._state:
                return LoadReport(tuple(self._warnings[already:]), self.read_only)

    def refresh_if_changed(self) -> LoadReport | None:
        """Reload when another process changed the file (one ``stat`` otherwise).

        Returns:
            None when the file is unchanged, else the report of the reload.
        """
        with self._io:
            if file_signature(self._path) == self._signature:
                return None
            return self.load()

    def take_warnings(self) -> tuple[str, ...]:
        """Every warning (from loads, refreshes and changes) not taken yet; empties the queue."""
        with self._state:
            warnings, self._warnings = tuple(self._warnings), []
            return warnings

    def _snapshot(self) -> dict[str, V]:
        with self._state:
            return dict(self._entries)

    def _warn(self, message: str) -> None:
        with self._state:
            self._warnings.append(message)

    def _load(self) -> None:
        try:
            reading = self._read(self._real_path())
        except OSError as error:
            reason = f"read-only: could not read {display_path(self._path)}: {error_reason(error)}"
            with self._state:
                self._entries, self._signature = {}, file_signature(self._path)
                self._read_only_reason, self._unreadable = reason, True
                self._warnings.append(reason)
            return
        if reading.problem is not None:
            try:
                with self._file_lock():
                    real = self._real_path()
                    reading = self._read(real)
                    if reading.problem is not None:
                        payload = encode_document(self._encode(reading.entries), what=self.WHAT)
                        self._set_aside(reading)
                        if reading.entries:
                            self._write_bytes(real, payload)
                        reading.signature = file_signature(self._path)
            except (OSError, StoreError) as error:
                # The next change re-reads under the lock and moves the file aside then.
                self._warn(f"{self.WHAT}: {error_reason(error)}")
        self._adopt(reading)

    def _read(self, real: Path) -> _Reading[V]:
        signature = file_signature(real)
        raw = read_bytes(real)
        if raw is None:
            return _Reading()
        try:
            document, version = decode_document(raw)
        except ShapeError as error:
            return _Reading(signature=signature, problem=str(error))
        try:
            decoded = self._decode(document)
        except ShapeError as error:
            if version > self.VERSION:  # a shape we do not know yet: show nothing, touch nothing
                return _Reading(signature=signature, newer_version=version)
            return _Reading(signature=signature, problem=str(error))
        if version > self.VERSION:
            return _Reading(decoded.entries, signature, newer_version=version)
        problem = None
        if decoded.rejected:
            problem = f"{decoded.rejected} unreadable entr{'y' if decoded.rejected == 1 else 'ies'}"
        return _Reading(decoded.entries, signature, problem)

    def _adopt(self, reading: _Reading[V]) -> None:
        """Make *reading* the in-memory state (the file holds exactly this now)."""
        reason = None
        if reading.newer_version is not None:
            reason = (
                f"read-only: written by a newer version of digest-reader "
                f"({display_path(self._path)} has version {reading.newer_version}, this program reads {self.VERSION})"
            )
        with self._state:
            self._entries, self._signature = reading.entries, reading.signature
            self._read_only_reason, self._unreadable = reason, False
            if reason is not None:
                self._warnings.append(reason)

    def _set_aside(self, reading: _Reading[V]) -> None:
        moved = quarantine(self._real_path())
        kept = f"; kept {len(reading.entries)} readable entries" if reading.entries else ""
        self._warn(
            f"{display_path(self._path)} could not be read ({reading.problem}); "
            f"moved aside to {display_path(moved)}{kept}"
        )

    # ---------------------------------------------------------------- writing

    def _change(self, change: Callable[[dict[str, V]], R]) -> R:
        """Apply *change* to the entries on disk under the lock, and save.

        *change* edits the dict in place and returns the operation's result.

        Raises:
            StoreError: Read-only, locked by another process, unreadable or unwritable file.
        """
        with self._io:
            if self._read_only_reason is not None:
                raise StoreError(self._read_only_reason)
            with self._file_lock():
                real = self._real_path()
                try:
                    reading = self._read(real)
                except OSError as error:
                    raise StoreError(f"could not read {display_path(self._path)}: {error_reason(error)}") from None
                if reading.newer_version is not None:
                    self._adopt(reading)
                    raise StoreError(self._read_only_reason or "read-only")
                entries = dict(reading.entries)
                result = change(entries)
                if reading.problem is None and entries == reading.entries:
                    self._adopt(reading)
                    return result
                payload = encode_document(self._encode(entries), what=self.WHAT)
                try:
                    if reading.problem is not None:
                        self._set_aside(reading)
                    self._write_bytes(real, payload)
                except OSError as error:
                    raise StoreError(f"could not save {display_path(self._path)}: {error_reason(error)}") from None
                self._adopt(_Reading(entries, file_signature(self._path)))
                return result

    def _write_bytes(self, real: Path, payload: bytes) -> None:
        remove_stale_temp_files(real)
        atomic_write(real, payload)

    def _real_path(self) -> Path:
        # Resolved on every use: the user may re-point a symlink while we run.
        return Path(os.path.realpath(self._path))

    def _file_lock(self) -> StoreLock:
        return StoreLock(self._real_path(), self._lock_timeout, self.LOCKED)
