"""The durable JSON file mechanism shared by the bookmarks and read-state stores.

One small versioned JSON document per file, ``{"version": N, ...}``. The rules
(RELIABILITY.md §3), all implemented here once:

- **Atomic, durable writes.** The document is serialised to bytes first (so an
  unencodable value fails before anything is touched), written to a temporary
  file in the same directory, fsynced, renamed over the old file with
  ``os.replace`` and the directory fsynced. A SIGKILL at any moment leaves the
  old file or the new one.
- **No lost updates.** Every change takes a separate lock file
  (``<file>.lock``, :class:`filelock.FileLock`), re-reads the file, applies the
  change to what is on disk and writes, so two instances merge their changes.
- **Nothing unreadable is ever overwritten.** A file that is not UTF-8, not
  JSON, holds NaN/Infinity or has the wrong shape is renamed to
  ``<file>.corrupt-<UTC timestamp>`` with its bytes untouched, and the caller
  gets a warning naming the new name. When only some entries are unreadable the
  same happens, and the readable entries are written back to a fresh file.
  A leading UTF-8 BOM is accepted (editors add one) and not written back.
- **Newer versions are left alone.** A file with a higher ``version`` is read as
  far as it can be and the store becomes read-only: it never rewrites it.
- **Permissions and links.** New directories get mode 0700, new files 0600, an
  existing file keeps its mode; a symlinked file stays a symlink (the target is
  resolved with ``os.path.realpath`` and replaced).

The stores are synchronous and thread-safe (one re-entrant lock around all
in-process state), meant to be called from worker threads.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import filelock

from digest_parser.sanitize import clean_line

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files larger than this are treated as unreadable (a store is kilobytes)."""

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a change waits for another instance to finish its own change."""

V = TypeVar("V")
R = TypeVar("R")
Signature = tuple[int, int, int]

_UTF8_BOM = b"\xef\xbb\xbf"


class StoreError(Exception):
    """A store operation failed; ``str(error)`` is one sanitised line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message))


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


def display_path(path: str | os.PathLike[str]) -> str:
    """A path made safe to show: a file name may hold escape sequences too."""
    return clean_line(os.fspath(path))


# --------------------------------------------------------------------------- bytes


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


# --------------------------------------------------------------------------- files


def file_signature(path: Path) -> Signature | None:
    """``(st_mtime_ns, st_size, st_ino)`` of the file (symlinks followed), None if missing."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes (at most ``MAX_FILE_BYTES + 1``), or None when it does not exist.

    Raises:
        OSError: Unreadable, or not a regular file (a FIFO must not block us).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        is_regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if not is_regular:
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def ensure_directory(directory: Path) -> None:
    """Create *directory* and any missing parents with mode 0700 (XDG spec)."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, 0o700)
        except FileExistsError:
            pass


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename is done either way
    finally:
        os.close(fd)


def atomic_write(target: Path, payload: bytes) -> None:
    """Replace *target* (already resolved, not a symlink) with *payload*, atomically.

    The temporary file is removed on any failure, so the old file stays as it
    was and no stray temporary file is left.
    """
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None  # mkstemp already creates the file 0600
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
    _fsync_directory(target.parent)


def remove_stale_temp_files(target: Path) -> None:
    """Delete temporary files a killed writer left next to *target*.

    Only call this while holding the store's lock: then no writer is running.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


def quarantine(target: Path) -> Path:
    """Rename *target* to ``<name>.corrupt-<UTC timestamp>`` (bytes untouched).

    Only call this while holding the store's lock.

    Returns:
        The new path.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    destination = target.with_name(f"{target.name}.corrupt-{stamp}")
    counter = 1
    while destination.exists():
        counter += 1
        destination = target.with_name(f"{target.name}.corrupt-{stamp}-{counter}")
    os.rename(target, destination)
    _fsync_directory(target.parent)
    return destination


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
            reason = f"read-only: could not read {display_path(self._path)}: {_reason(error)}"
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
                self._warn(f"{self.WHAT}: {_reason(error)}")
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
                    raise StoreError(f"could not read {display_path(self._path)}: {_reason(error)}") from None
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
                    raise StoreError(f"could not save {display_path(self._path)}: {_reason(error)}") from None
                self._adopt(_Reading(entries, file_signature(self._path)))
                return result

    def _write_bytes(self, real: Path, payload: bytes) -> None:
        remove_stale_temp_files(real)
        atomic_write(real, payload)

    def _real_path(self) -> Path:
        # Resolved on every use: the user may re-point a symlink while we run.
        return Path(os.path.realpath(self._path))

    def _file_lock(self) -> _HeldLock:
        return _HeldLock(self._real_path(), self._lock_timeout, self.LOCKED)


class _HeldLock:
    """``with`` block holding ``<file>.lock``; creates the directory (0700) first."""

    def __init__(self, real: Path, timeout: float, locked_message: str) -> None:
        self._lock_path = real.with_name(real.name + ".lock")
        self._timeout = timeout
        self._locked_message = locked_message
        self._lock: filelock.FileLock | None = None

    def __enter__(self) -> None:
        try:
            ensure_directory(self._lock_path.parent)
            self._lock = filelock.FileLock(self._lock_path, timeout=self._timeout, mode=0o600, thread_local=False)
            self._lock.acquire()
        except filelock.Timeout:
            raise StoreError(f"{self._locked_message} ({display_path(self._lock_path)}); try again") from None
        except OSError as error:
            raise StoreError(f"could not lock {display_path(self._lock_path)}: {_reason(error)}") from None

    def __exit__(self, *exc_info: object) -> None:
        if self._lock is not None:
            self._lock.release()


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
