"""One file on disk, handled so that a crash or another program cannot cost the user data.

These are the file operations under the stores, knowing nothing of JSON or
entries (``docs/stores.md`` says how the stores combine them):

- :func:`read_bytes` reads at most :data:`MAX_FILE_BYTES` + 1 bytes and refuses
  anything but a regular file, so a FIFO or a device at the path cannot block
  or flood the reader.
- :func:`atomic_write` replaces a file by writing a temporary file beside it,
  fsyncing it, renaming it over the old one and fsyncing the directory: a
  SIGKILL or power loss at any moment leaves the old file or the new one.
- :func:`remove_stale_temp_files` deletes what a writer killed in the middle of
  :func:`atomic_write` left behind (it knows the temporary names it makes).
- :func:`quarantine` moves an unreadable file aside with its bytes untouched.
- :func:`ensure_directory` creates missing directories with mode 0700.

They raise :class:`OSError`; the stores turn it into :class:`StoreError`, the
one-line message the user sees, defined here because every layer above raises it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from digest_parser.sanitize import clean_line

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files larger than this are treated as unreadable: a store holds kilobytes, so
anything this large is not one, and reading it whole would only cost memory."""

Signature = tuple[int, int, int]
"""``(st_mtime_ns, st_size, st_ino)``: changes whenever another process writes the file."""

_TEMP_PREFIX = "."
_TEMP_SUFFIX = ".tmp"


class StoreError(Exception):
    """A store operation failed; ``str(error)`` is one sanitised line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message))


def display_path(path: str | os.PathLike[str]) -> str:
    """A path made safe to show: a file name may hold escape sequences too."""
    return clean_line(os.fspath(path))


def error_reason(error: BaseException) -> str:
    """The short reason of *error* for a message ("Permission denied"), without errno or path."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)


def file_signature(path: Path) -> Signature | None:
    """``(st_mtime_ns, st_size, st_ino)`` of the file (symlinks followed), None if missing."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes (at most ``MAX_FILE_BYTES + 1``), or None when it does not exist.

    Opened non-blocking and checked with ``fstat`` before reading: a FIFO at the
    path would otherwise block the open until a writer appears.

    Raises:
        OSError: Unreadable, or not a regular file.
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
    """Create *directory* and any missing parents with mode 0700 (XDG Base Directory spec).

    Each level is made with ``os.mkdir`` so every new one gets the mode (``makedirs``
    would give the parents the umask's mode); one made meanwhile by another process is fine.
    """
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


def fsync_directory(directory: Path) -> None:
    """Make a rename in *directory* durable (without it, a power loss may undo the rename)."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename is done either way
    finally:
        os.close(fd)


def atomic_write(target: Path, payload: bytes) -> None:
    """Replace *target* (already resolved, not a symlink) with *payload*, atomically.

    The order is: temporary file in the same directory (a rename is atomic
    only within one filesystem), fsync it, ``os.replace`` it over *target*,
    fsync the directory. An existing file's mode is kept; a new file is 0600
    (``mkstemp``'s mode). On any failure the temporary file is removed, so the
    old file stays as it was and nothing stray is left.
    """
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f"{_TEMP_PREFIX}{target.name}.", suffix=_TEMP_SUFFIX)
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
    fsync_directory(target.parent)


def remove_stale_temp_files(target: Path) -> None:
    """Delete temporary files a killed :func:`atomic_write` left next to *target*.

    Only the names ``mkstemp`` makes for *target* are touched. Only call this
    while holding the store's lock: then no other writer is between its
    ``mkstemp`` and its rename.
    """
    pattern = re.compile(rf"{re.escape(_TEMP_PREFIX + target.name)}\.[A-Za-z0-9_]{{8}}{re.escape(_TEMP_SUFFIX)}")
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
    """Rename *target* to ``<name>.corrupt-<UTC timestamp>``, its bytes untouched.

    A second quarantine within the same second gets ``-2``, ``-3``… rather than
    replacing the first. Only call this while holding the store's lock.

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
    fsync_directory(target.parent)
    return destination
