"""The versioned JSON document store shared by the bookmarks and read-state stores.

One JSON document per file, ``{"version": N, "<field>": <entries>}``, one entry
a line; ``docs/stores.md`` describes the files and the rules this module keeps
for both stores:

- **Nothing unreadable is ever overwritten.** A file that is not UTF-8, not
  strict JSON (NaN and Infinity are refused), or not the expected shape is
  quarantined (:func:`tui.stores.files.quarantine`) and the caller gets a
  warning naming the new name and the newest backup. When only some entries are
  unreadable the same happens, and the readable entries are written back to a
  fresh file. A leading UTF-8 BOM is accepted (editors add one) and not written back.
- **Nothing that is not ours is touched.** A file the user made write-protected,
  one written by a newer version, and a symlink to a file that is not a store
  make the store read-only: it says why and never moves or rewrites them. When a
  symlinked file must be quarantined its bytes are copied beside the link.
- **No lost updates.** Every change takes the lock
  (:class:`tui.stores.locking.StoreLock`), re-reads the file, applies itself to
  what is on disk and writes, so two instances merge their changes. The re-read
  is a hash of the bytes when they are the ones this store last read or wrote,
  so only another program's change costs a parse.
- **Atomic, durable writes, never too large to read back.** The document is
  serialised to bytes first, so an unencodable value or a file over
  :data:`~tui.stores.files.MAX_FILE_BYTES` fails before anything is touched,
  then written with :func:`tui.stores.files.atomic_write`, which keeps the
  replaced version as the newest of three backups.
- **Older formats.** A file of an older ``version`` is read, and upgraded at its
  first write; its bytes are kept beside it first as ``<name>.v<N>``
  (:func:`tui.stores.files.keep_copy`), never replacing one kept before.
- **Links.** A symlinked file stays a symlink: the target is resolved with
  ``os.path.realpath`` on every use and replaced.

The stores are synchronous and thread-safe (see :class:`JsonStore` for its two
locks), meant to be called from worker threads.
"""

from __future__ import annotations

import os
import stat
import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from tui.stores.document import (
    ShapeError,
    decode_document,
    document_bytes,
    encode_document,
    encode_entry,
    encode_pair,
    utf8_bytes,
)
from tui.stores.files import (
    BACKUP_COUNT,
    MAX_FILE_BYTES,
    FileContent,
    Signature,
    StoreError,
    WriteProtection,
    atomic_write,
    backup_path,
    display_path,
    error_reason,
    file_signature,
    keep_copy,
    older_version_path,
    quarantine,
    quarantine_copy,
    read_file,
    remove_stale_temp_files,
    write_protection,
)
from tui.stores.locking import StoreLock

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "Backup",
    "Decoded",
    "JsonStore",
    "LoadReport",
    "ShapeError",
    "StoreError",
    "decode_document",
    "encode_document",
    "encode_entry",
    "encode_pair",
]

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a change waits for another instance to finish its own change."""

V = TypeVar("V")
R = TypeVar("R")

_MIB = 1024 * 1024


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


@dataclass(frozen=True, slots=True)
class Backup:
    """One of the versions kept beside a store file (:meth:`JsonStore.backups`)."""

    number: int
    """1 is the newest; ``restore(number)`` brings it back."""
    path: Path
    modified: datetime
    """When this version was written (the file's modification time, local time zone)."""
    count: int | None
    """Entries it holds; None when it cannot be read."""
    problem: str | None = None
    """Why it cannot be restored (one line), or None."""


_Digest = tuple[int, int]


def _digest(raw: bytes) -> _Digest:
    """Length and CRC-32 of a file's bytes: with its signature, tells "the bytes we wrote" cheaply."""
    return len(raw), zlib.crc32(raw)


def _count(number: int, noun: tuple[str, str]) -> str:
    return f"{number:,} {noun[0] if number == 1 else noun[1]}"


# --------------------------------------------------------------------------- store


@dataclass(slots=True)
class _Reading(Generic[V]):
    """One read of the file: what was there and what could be made of it."""

    entries: dict[str, V] = field(default_factory=dict)
    signature: Signature | None = None
    problem: str | None = None
    """Why the file (or some of its entries) could not be read; it must be moved aside."""
    partial: bool = False
    """The problem is some entries: the file is a store, the rest of it was read."""
    newer_version: int | None = None
    version: int | None = None
    """The document's ``version`` when it could be read (older versions are upgraded at the first write)."""
    digest: _Digest | None = None
    """Of the bytes read (or written), None when the file is missing."""
    content: FileContent | None = None
    """The bytes read, for a quarantine copy and the file's mode."""


class JsonStore(ABC, Generic[V]):
    """A keyed collection kept in one versioned JSON file (see the module docstring).

    Subclasses say what the entries are (:meth:`_decode`, :meth:`_encode`,
    :meth:`_entry_line`) and expose operations built on :meth:`_change`. Two
    locks: ``_io`` serialises this process's loads and changes (it may wait for
    another process), while ``_state`` guards the in-memory entries and is only
    held for a moment, so queries from the UI thread never wait behind a slow
    disk or a busy lock.
    """

    WHAT: ClassVar[str] = "data"
    """What the file holds, for messages ("bookmarks", "read state")."""
    TITLE: ClassVar[str] = "Data"
    """The same, as the title of a notification ("Bookmarks", "Read state")."""
    NOUN: ClassVar[tuple[str, str]] = ("entry", "entries")
    """One entry and several, for counts in messages ("bookmark", "bookmarks")."""
    LOCKED: ClassVar[str] = "data is locked by another process"
    """Start of the message when the lock cannot be taken in time."""
    VERSION: ClassVar[int] = 1
    FIELD: ClassVar[str] = "entries"
    """The document's member holding the entries."""
    FIELD_IS_OBJECT: ClassVar[bool] = False
    """True when entries are ``"key": value`` members of an object, False for an array."""

    def __init__(self, path: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self._path = Path(path)
        self._lock_timeout = lock_timeout
        self._io = threading.RLock()
        self._state = threading.Lock()
        self._entries: dict[str, V] = {}
        self._signature: Signature | None = None
        self._digest: _Digest | None = None
        """Of the file's bytes when they hold exactly ``_entries`` (read or written here)."""
        self._version: int | None = None
        """The format version of the bytes ``_digest`` describes."""
        self._lines: dict[str, bytes] = {}
        """Each entry's line in the file (UTF-8), by key, so a change encodes only what it changed."""
        self._lines_source: dict[str, V] = {}
        """The entries ``_lines`` holds the lines of (same keys, same order)."""
        self._read_only_reason: str | None = None
        self._protection: WriteProtection | None = None
        """What made the file read-only, when it was its mode, its folder or its filesystem."""
        self._unreadable = False
        self._warnings: list[str] = []

    @property
    def path(self) -> Path:
        """The file as configured (possibly a symlink)."""
        return self._path

    @property
    def read_only(self) -> bool:
        """True when changes are refused (newer version, write-protected or unreadable file)."""
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        """Why changes are refused (the message they raise), or None."""
        return self._read_only_reason

    @property
    def unreadable(self) -> bool:
        """True when the last load could not read the file at all (not a file, no permission,
        or a symlink to a file that is not a store)."""
        return self._unreadable

    @abstractmethod
    def _decode(self, document: dict[str, Any]) -> Decoded[V]:
        """Entries of a document; raise ShapeError when its overall shape is wrong."""

    @abstractmethod
    def _encode(self, entries: dict[str, V]) -> dict[str, Any]:
        """The document for *entries*: what the file holds, as data (:func:`encode_document` of it is the file)."""

    @abstractmethod
    def _entry_line(self, key: str, value: V) -> str:
        """The line of the file holding one entry, as :func:`encode_document` would write it."""

    def restore_command(self, number: int | str) -> str | None:
        """The shell command that brings back backup *number* (or a placeholder such as ``"N"``).

        None when no command can name this file (the base class, or a read state
        not called ``read.json``).
        """
        return None

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
            signature = file_signature(self._path)
            if signature == self._signature and not self._protection_changed(signature):
                return None
            return self.load()

    def _protection_changed(self, signature: Signature | None) -> bool:
        """True when what made the file read-only has changed although the file has not.

        A folder made writable again, or a filesystem remounted, leaves the file's
        signature as it was; only a store already read-only for such a reason pays
        for the check.
        """
        if self._protection is None or signature is None:
            return False
        return write_protection(self._real_path(), stat.S_IMODE(signature[3])) != self._protection

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
        real, linked = self._real_path(), self._is_linked()
        remove_stale_temp_files(real, lock_held=False)  # what a killed writer left, if it is gone
        try:
            reading = self._read(real)
        except OSError as error:
            self._adopt_unreadable(real, linked, error)
            return
        if reading.problem is not None and self._read_only_for(reading, real, linked) is None:
            try:
                with self._file_lock():
                    real, linked = self._real_path(), self._is_linked()
                    reading = self._read(real)
                    if reading.problem is not None and self._read_only_for(reading, real, linked) is None:
                        reading = self._repair(reading, real, linked)
            except (OSError, StoreError) as error:
                # The next change re-reads under the lock and moves the file aside then.
                self._warn(
                    f"{display_path(self._path)} could not be read ({reading.problem}); it will be moved aside "
                    f"at the next change, not now: {error_reason(error)}"
                )
        self._adopt(reading, real, linked)

    def _read(self, real: Path) -> _Reading[V]:
        content = read_file(real)
        if content is None:
            return _Reading()
        digest = _digest(content.raw)
        with self._state:
            if digest == self._digest and content.signature == self._signature:
                # The file this store last read or wrote, untouched: nothing to parse or check.
                return _Reading(self._entries, content.signature, digest=digest, content=content, version=self._version)
        reading = self._parse(content.raw)
        reading.signature, reading.digest, reading.content = content.signature, digest, content
        return reading

    def _parse(self, raw: bytes) -> _Reading[V]:
        try:
            document, version = decode_document(raw)
        except ShapeError as error:
            return _Reading(problem=str(error))
        try:
            decoded = self._decode(document)
        except ShapeError as error:
            if version > self.VERSION:  # a shape we do not know yet: show nothing, touch nothing
                return _Reading(newer_version=version, version=version)
            return _Reading(problem=str(error), version=version)
        if version > self.VERSION:
            return _Reading(decoded.entries, newer_version=version, version=version)
        if decoded.rejected:
            problem = f"{decoded.rejected} unreadable entr{'y' if decoded.rejected == 1 else 'ies'}"
            return _Reading(decoded.entries, problem=problem, partial=True, version=version)
        return _Reading(decoded.entries, version=version)

    def _read_only_for(self, reading: _Reading[V], real: Path, linked: bool) -> str | None:
        """Why the file just read must not be changed, moved or rewritten; None when it may be."""
        path = display_path(self._path)
        if reading.newer_version is not None:
            return (
                f"{path} is read-only: it was written by a newer version of digest-reader "
                f"(version {reading.newer_version}; this program reads {self._versions_read()})"
            )
        protection = _protection_of(reading, real)
        if protection is not None:
            unreadable = f" could not be read ({reading.problem}) and" if reading.problem else ""
            return f"{path}{unreadable} is read-only: {protection.what}; {protection.advice}"
        if linked and reading.problem is not None and not reading.partial:
            return (
                f"{path} is read-only: it is a symlink to {display_path(real)}, which is not a {self.WHAT} file "
                f"({reading.problem}); neither was changed"
            )
        return None

    def _versions_read(self) -> str:
        return "version 1" if self.VERSION == 1 else f"versions 1 to {self.VERSION}"

    def _adopt(self, reading: _Reading[V], real: Path, linked: bool, *, warn: bool = True) -> None:
        """Make *reading* the in-memory state (the file holds exactly this now).

        A read-only file is said so in a warning unless *warn* is False (a refused
        change, whose error already says it).
        """
        reason = self._read_only_for(reading, real, linked)
        good = reading.problem is None and reading.newer_version is None
        if good and reason is None and reading.entries is not self._lines_source:
            try:
                self._payload(reading.entries)  # encode the lines now, so that the first change encodes only itself
            except StoreError:
                pass  # entries that cannot be written: the change that tries will say why
        with self._state:
            self._entries, self._signature = reading.entries, reading.signature
            self._digest = reading.digest if good else None
            self._version = reading.version if good else None
            self._read_only_reason = reason
            self._protection = _protection_of(reading, real) if reason is not None else None
            self._unreadable = reason is not None and reading.problem is not None and not reading.partial
            if reason is not None and warn:
                self._warnings.append(reason)

    def _adopt_unreadable(self, real: Path, linked: bool, error: OSError) -> None:
        path, why = display_path(self._path), error_reason(error)
        if linked:
            reason = f"{path} is read-only: it is a symlink to {display_path(real)}, which could not be read ({why})"
        else:
            reason = f"{path} is read-only: it could not be read ({why})"
        with self._state:
            self._entries, self._signature, self._digest = {}, file_signature(self._path), None
            self._read_only_reason, self._unreadable, self._protection = reason, True, None
            self._warnings.append(reason)

    def _repair(self, reading: _Reading[V], real: Path, linked: bool) -> _Reading[V]:
        """Under the lock: set the unreadable file aside, and write back what could be read."""
        payload = self._payload(reading.entries) if reading.entries else None
        self._set_aside(reading, real, linked)
        if payload is None:
            return _Reading(signature=file_signature(real))
        mode = reading.content.mode if reading.content is not None else None
        self._write(real, payload, mode=mode, keep_backup=False)  # the file was not a good version
        return _Reading(reading.entries, file_signature(real), digest=_digest(payload), version=self.VERSION)

    def _set_aside(self, reading: _Reading[V], real: Path, linked: bool) -> None:
        hint = self._backup_hint(real)
        path = display_path(self._path)
        if linked and reading.content is not None:
            # The target is not ours to move: keep its bytes beside the link.
            copy = quarantine_copy(reading.content.raw, reading.content.mode, self._path.parent, self._path.name)
            where = f"a copy of {display_path(real)}, where it links, is kept as {display_path(copy)}"
        else:
            where = f"moved aside to {display_path(quarantine(real))}"
        kept = ""
        if reading.entries:
            kept = f"; kept {_count(len(reading.entries), ('readable entry', 'readable entries'))}"
        self._warn(f"{path} could not be read ({reading.problem}); {where}{kept}{hint}")

    # ---------------------------------------------------------------- backups

    def backups(self) -> list[Backup]:
        """The versions kept beside the file, newest first (missing numbers left out)."""
        return self._backups_of(self._real_path())

    def _backups_of(self, real: Path) -> list[Backup]:
        found = []
        for number in range(1, BACKUP_COUNT + 1):
            path = backup_path(real, number)
            try:
                content = read_file(path)
            except OSError as error:
                modified = _modified(path)
                if modified is not None:
                    found.append(Backup(number, path, modified, None, error_reason(error)))
                continue
            if content is None:
                continue
            reading = self._parse(content.raw)
            problem = self._backup_problem(reading)
            count = None if problem is not None else len(reading.entries)
            modified_at = datetime.fromtimestamp(content.signature[0] / 1e9)
            found.append(Backup(number, path, modified_at, count, problem))
        return found

    def _backup_problem(self, reading: _Reading[V]) -> str | None:
        if reading.newer_version is not None:
            return f"written by a newer version of digest-reader (version {reading.newer_version})"
        return reading.problem

    def _backup_hint(self, real: Path) -> str:
        """The end of a quarantine warning naming the newest good backup and how to restore it."""
        for backup in self._backups_of(real):
            if backup.problem is None and backup.count is not None:
                command = self.restore_command(backup.number)
                restore = f": restore it with {command}" if command else ""
                return (
                    f"; the newest backup is {display_path(backup.path)} "
                    f"({backup.modified:%Y-%m-%d %H:%M}, {_count(backup.count, self.NOUN)}){restore}"
                )
        return ""

    def restore(self, number: int) -> int:
        """Bring back backup *number*, keeping the current file as the newest backup.

        Returns:
            How many entries the store holds now.

        Raises:
            StoreError: No such backup, an unreadable one, or the store is
                read-only, locked or unwritable.
        """
        with self._io:
            if self._read_only_reason is not None:
                raise StoreError(self._read_only_reason)
            with self._file_lock():
                real, linked = self._real_path(), self._is_linked()
                source = backup_path(real, number)
                try:
                    content = read_file(source)
                except OSError as error:
                    raise StoreError(f"could not read {display_path(source)}: {error_reason(error)}") from None
                if content is None:
                    raise StoreError(f"there is no backup {number} of {display_path(self._path)}")
                backup = self._parse(content.raw)
                problem = self._backup_problem(backup)
                if problem is not None:
                    raise StoreError(f"{display_path(source)} cannot be restored: {problem}")
                current = self._read_for_change(real, linked)
                self._save(current, real, linked, backup.entries)
                return len(backup.entries)

    # ---------------------------------------------------------------- writing

    def _change(self, change: Callable[[dict[str, V]], R]) -> R:
        """Apply *change* to the entries on disk under the lock, and save.

        *change* edits the dict in place and returns the operation's result.

        Raises:
            StoreError: Read-only, locked by another process, unreadable,
                unwritable or too large a file.
        """
        with self._io:
            if self._read_only_reason is not None:
                raise StoreError(self._read_only_reason)
            with self._file_lock():
                real, linked = self._real_path(), self._is_linked()
                reading = self._read_for_change(real, linked)
                entries = _ChangeLog(reading.entries)
                result = change(entries)
                if reading.problem is None and entries == reading.entries:
                    self._adopt(reading, real, linked)
                    return result
                self._save(reading, real, linked, entries, edited=reading.entries)
                return result

    def _read_for_change(self, real: Path, linked: bool) -> _Reading[V]:
        """Under the lock: what the file holds now, or StoreError if it may not be changed."""
        try:
            reading = self._read(real)
        except OSError as error:
            raise StoreError(f"could not read {display_path(self._path)}: {error_reason(error)}") from None
        reason = self._read_only_for(reading, real, linked)
        if reason is not None:
            self._adopt(reading, real, linked, warn=False)
            raise StoreError(reason)
        return reading

    def _save(
        self, reading: _Reading[V], real: Path, linked: bool, entries: dict[str, V], edited: dict[str, V] | None = None
    ) -> None:
        """Under the lock: write *entries* over what *reading* found (set aside first if unreadable).

        *edited* is the dict a :class:`_ChangeLog` *entries* was copied from.
        """
        payload = self._payload(entries, edited)
        self._keep_older_version(reading, real)
        try:
            if reading.problem is not None:
                self._set_aside(reading, real, linked)
            self._write(real, payload, mode=None, keep_backup=reading.problem is None)
        except OSError as error:
            raise StoreError(f"could not write {display_path(self._path)}: {error_reason(error)}") from None
        self._adopt(_Reading(entries, file_signature(real), digest=_digest(payload), version=self.VERSION), real, linked)

    def _keep_older_version(self, reading: _Reading[V], real: Path) -> None:
        """Under the lock, before a readable file of an older format is first written in this one:
        keep its bytes as ``<name>.v<N>`` (never replacing one kept before), so the user can go back
        to a program that reads only that version.

        Raises:
            StoreError: The copy could not be kept; the file is not upgraded without it.
        """
        if reading.problem is not None or reading.version is None or reading.version >= self.VERSION:
            return
        kept = older_version_path(real, reading.version)
        try:
            keep_copy(real, kept)
        except OSError as error:
            raise StoreError(
                f"could not keep the version-{reading.version} file as {display_path(kept)} before upgrading "
                f"{display_path(self._path)}: {error_reason(error)}; the file was not changed"
            ) from None

    def _payload(self, entries: dict[str, V], edited: dict[str, V] | None = None) -> bytes:
        """The bytes to write for *entries*: StoreError before anything is touched if they cannot be.

        Each entry's line is kept for the next change. When *entries* is a
        :class:`_ChangeLog` of *edited* and the lines are *edited*'s, only the keys
        the change touched are encoded; otherwise every entry's line is reused
        when its value is unchanged, and encoded when not.
        """
        if isinstance(entries, _ChangeLog) and edited is not None and edited is self._lines_source:
            lines = self._lines_after(entries)
        else:
            lines = self._lines_of(entries)
        payload = document_bytes(self.VERSION, self.FIELD, lines.values(), is_object=self.FIELD_IS_OBJECT)
        if len(payload) > MAX_FILE_BYTES:
            # In bytes: "64.0 MiB, over the 64 MiB" would read as equal.
            raise StoreError(
                f"the {self.WHAT} would take {len(payload):,} bytes, over the {MAX_FILE_BYTES:,} bytes "
                f"({MAX_FILE_BYTES // _MIB} MiB) a file may hold; the file was not changed"
            )
        self._lines, self._lines_source = lines, entries
        return payload

    def _lines_of(self, entries: dict[str, V]) -> dict[str, bytes]:
        known, source = self._lines, self._lines_source
        lines: dict[str, bytes] = {}
        for key, value in entries.items():
            old = source.get(key, _MISSING)
            lines[key] = known[key] if old is value or old == value else self._line_bytes(key, value)
        return lines

    def _lines_after(self, entries: _ChangeLog[V]) -> dict[str, bytes]:
        # Replaying the change's sets and removals on a copy keeps the lines in the entries' order.
        lines = dict(self._lines)
        for key, removed in entries.log:
            if removed:
                lines.pop(key, None)
            else:
                lines[key] = b""
        for key, removed in entries.log:
            if not removed and key in entries:
                lines[key] = self._line_bytes(key, entries[key])
        return lines

    def _line_bytes(self, key: str, value: V) -> bytes:
        return utf8_bytes(self._entry_line(key, value), self.WHAT)

    def _write(self, real: Path, payload: bytes, *, mode: int | None, keep_backup: bool) -> None:
        remove_stale_temp_files(real)  # safe: the lock is held
        atomic_write(real, payload, mode=mode, backups=BACKUP_COUNT if keep_backup else 0)

    def _real_path(self) -> Path:
        # Resolved on every use: the user may re-point a symlink while we run.
        return Path(os.path.realpath(self._path))

    def _is_linked(self) -> bool:
        return os.path.islink(self._path)

    def _file_lock(self) -> StoreLock:
        return StoreLock(self._real_path(), self._lock_timeout, self.LOCKED)


def _protection_of(reading: _Reading[Any], real: Path) -> WriteProtection | None:
    return write_protection(real, reading.content.mode) if reading.content is not None else None


def _modified(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime)
    except OSError:
        return None


_MISSING = object()


class _ChangeLog(dict[str, V]):
    """The entries a change edits: a dict that also records, in order, each key set or removed.

    With it a change at 10k bookmarks encodes the one entry it touched, not every one.
    Every way a dict can be changed is recorded (a change may use any of them).
    """

    __slots__ = ("log",)

    def __init__(self, entries: Mapping[str, V]) -> None:
        super().__init__(entries)
        self.log: list[tuple[str, bool]] = []
        """``(key, removed)`` in the order the change made them."""

    def __setitem__(self, key: str, value: V) -> None:
        super().__setitem__(key, value)
        self.log.append((key, False))

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.log.append((key, True))

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.log.append((key, True))
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, V]:
        key, value = super().popitem()
        self.log.append((key, True))
        return key, value

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *others: Any, **more: V) -> None:
        for key, value in dict(*others, **more).items():
            self[key] = value

    def __ior__(self, other: Any) -> _ChangeLog[V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        self.log.extend((key, True) for key in self)
        super().clear()
