"""One file on disk, handled so that a crash or another program cannot cost the user data.

These are the file operations under the stores, knowing nothing of JSON or
entries (``docs/stores.md`` says how the stores combine them):

- :func:`read_file` reads at most :data:`MAX_FILE_BYTES` + 1 bytes and refuses
  anything but a regular file, so a FIFO or a device at the path cannot block
  or flood the reader.
- :func:`atomic_write` replaces a file by writing a temporary file beside it,
  fsyncing it, renaming it over the old one and fsyncing the directory: a
  SIGKILL or power loss at any moment leaves the old file or the new one. It
  can keep the replaced version as the newest of :data:`BACKUP_COUNT` backups.
- :func:`remove_stale_temp_files` deletes what a writer killed in the middle of
  :func:`atomic_write` left behind (it knows the temporary names it makes, and
  each name carries the writer's process id).
- :func:`quarantine` moves an unreadable file aside with its bytes untouched;
  :func:`quarantine_copy` keeps a copy instead, for a file that is not ours to move.
- :func:`ensure_directory` creates missing directories with mode 0700.

They raise :class:`OSError`; the stores turn it into :class:`StoreError`, the
one-line message the user sees, defined here because every layer above raises it.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from digest_parser.sanitize import clean_line

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are unreadable, and the stores never write one.

The scale the reader is built for (10k bookmarks with notes, 100k papers read)
makes files of about 10 MB and 5 MB (``bench/bench_store.py`` prints the sizes),
so the limit leaves a wide margin while still refusing to read a file that
cannot be a store (reading it whole would only cost memory)."""

BACKUP_COUNT = 3
"""Good versions kept beside a store file: ``<name>.bak-1`` (newest) to ``.bak-3``."""

STALE_TEMP_SECONDS = 600
"""A temporary file this old is stale even when its writer's process id is in use:
a write takes well under a second, and the id may have been reused."""

Signature = tuple[int, int, int, int]
"""``(st_mtime_ns, st_size, st_ino, st_mode)``: changes whenever another process
writes the file (every write makes a new inode) or its permissions change."""

_TEMP_PREFIX = "."
_TEMP_SUFFIX = ".tmp"


class StoreError(Exception):
    """A store operation failed; ``str(error)`` is one sanitised line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message))


def display_path(path: str | os.PathLike[str]) -> str:
    """A path made safe to show: a file name may hold escape sequences too."""
    return clean_line(os.fspath(path))


_EXPLAINED_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the filesystem is read-only",
}
"""Errors whose system wording does not say what the user should look at, said plainly first."""


def error_reason(error: BaseException) -> str:
    """The short reason of *error* for a message ("Permission denied"), without errno or path.

    A full disk, a used-up quota and a read-only filesystem are said plainly, with
    the system's words after them: "the disk is full (No space left on device)".
    """
    if isinstance(error, OSError) and error.strerror:
        plain = _EXPLAINED_ERRORS.get(error.errno) if error.errno is not None else None
        return f"{plain} ({error.strerror})" if plain else error.strerror
    return str(error)


def _signature_of(info: os.stat_result) -> Signature:
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode)


def file_signature(path: Path) -> Signature | None:
    """:data:`Signature` of the file (symlinks followed), None if missing."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return _signature_of(info)


@dataclass(frozen=True, slots=True)
class FileContent:
    """What :func:`read_file` found: the bytes and the state of the file they came from."""

    raw: bytes
    """At most ``MAX_FILE_BYTES + 1`` bytes: one more than the limit tells a file that is too large."""
    signature: Signature
    """Of the file descriptor read, so it cannot describe another file renamed in meanwhile."""

    @property
    def mode(self) -> int:
        """The permission bits (``0o644``)."""
        return stat.S_IMODE(self.signature[3])


def read_file(path: Path) -> FileContent | None:
    """The file's bytes and signature, or None when it does not exist.

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
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    with os.fdopen(fd, "rb") as handle:
        return FileContent(handle.read(MAX_FILE_BYTES + 1), _signature_of(info))


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes (at most ``MAX_FILE_BYTES + 1``), or None when it does not exist.

    Raises:
        OSError: Unreadable, or not a regular file (see :func:`read_file`).
    """
    content = read_file(path)
    return None if content is None else content.raw


@dataclass(frozen=True, slots=True)
class WriteProtection:
    """Why the file at a path may not be replaced: what stops it, and what the user can do."""

    what: str
    """"the file is write-protected (mode 0444)", "its folder … is read-only (mode 0555)"…"""
    advice: str
    """"make it writable to save changes"…"""


def write_protection(path: Path, mode: int) -> WriteProtection | None:
    """What stops the file at *path* (already resolved) from being replaced; None when nothing does.

    A store file is replaced by a rename in its folder, so the folder and the
    filesystem count as much as the file, and each is named as what it is: a
    read-only filesystem (``EROFS``: even root cannot write it), a file without
    its owner's write bit, a folder this user may not write, a file this user
    may not write. The owner's write bit counts even for root (who may write
    anything): a file made 0444 was made read-only on purpose, and replacing it
    by a rename in a writable folder would silently undo that.
    """
    directory = path.parent
    if _on_read_only_filesystem(directory):
        return WriteProtection(
            f"the filesystem holding {display_path(directory)} is mounted read-only",
            "remount it read-write to save changes",
        )
    if not mode & stat.S_IWUSR:
        return WriteProtection(f"the file is write-protected (mode {mode:04o})", "make it writable to save changes")
    if not os.access(directory, os.W_OK):
        return WriteProtection(
            f"its folder {display_path(directory)} is read-only (mode {_mode_of(directory)})",
            "make the folder writable to save changes",
        )
    if not os.access(path, os.W_OK):
        return WriteProtection(
            f"the file is not writable by this user (mode {mode:04o})", "make it writable to save changes"
        )
    return None


def _on_read_only_filesystem(directory: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)  # not on Windows
    if statvfs is None:
        return False
    try:
        return bool(statvfs(directory).f_flag & getattr(os, "ST_RDONLY", 1))
    except OSError:
        return False


def _mode_of(path: Path) -> str:
    try:
        return f"{stat.S_IMODE(os.stat(path).st_mode):04o}"
    except OSError:
        return "unknown"


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


def atomic_write(target: Path, payload: bytes, *, mode: int | None = None, backups: int = 0) -> None:
    """Replace *target* (already resolved, not a symlink) with *payload*, atomically.

    The order is: temporary file in the same directory (a rename is atomic
    only within one filesystem), fsync it, ``os.replace`` it over *target*,
    fsync the directory. On any failure the temporary file is removed, so the
    old file stays as it was and nothing stray is left.

    Args:
        target: The file to replace or create.
        payload: Its new bytes.
        mode: Permission bits of the new file; None keeps an existing file's
            mode, and a new file gets 0600 (``mkstemp``'s mode).
        backups: Keep this many replaced versions as ``<name>.bak-1`` (the one
            replaced now) to ``<name>.bak-N``, shifting the older ones up. The
            replaced file becomes the backup itself (a hard link taken before the
            rename), so keeping it costs no copy and it keeps its own mode. A
            backup that cannot be kept never fails the write.
    """
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            pass
    previous = _keep_previous(target) if backups > 0 else None
    temp_name: str | None = None
    try:
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target), suffix=_TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                _set_mode(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        for leftover in (temp_name, previous):
            if leftover is not None:
                _unlink_quietly(leftover)
        raise
    fsync_directory(target.parent)
    if previous is not None:
        _shift_backups(target, previous, backups)


def _set_mode(fd: int, mode: int) -> None:
    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13, where modes mean little anyway
        os.fchmod(fd, mode)


def backup_path(target: Path, number: int) -> Path:
    """Backup *number* of *target* (1 is the newest): ``<name>.bak-<number>`` beside it."""
    return target.with_name(f"{target.name}.bak-{number}")


def _temp_prefix(target: Path) -> str:
    # The writer's pid in the name tells a later process whether anyone may still
    # be writing it (remove_stale_temp_files).
    return f"{_TEMP_PREFIX}{target.name}.{os.getpid()}."


def _keep_previous(target: Path) -> str | None:
    """A second name for the file about to be replaced, under a temporary name; None if none."""
    name = os.fspath(target.parent / f"{_temp_prefix(target)}{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    try:
        os.link(target, name)
        return name
    except FileNotFoundError:
        return None
    except OSError:
        pass  # no hard links on this filesystem: copy, with the file's mode
    try:
        _copy_exclusively(target, name)
        return name
    except OSError:
        _unlink_quietly(name)
        return None


def _copy_exclusively(source: Path, destination: str | Path) -> None:
    """Copy *source* to a new file *destination* with the same permission bits (FileExistsError if taken)."""
    with open(source, "rb") as original:
        data = original.read()
        source_mode = stat.S_IMODE(os.fstat(original.fileno()).st_mode)
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as copy:
            _set_mode(copy.fileno(), source_mode)
            copy.write(data)
            copy.flush()
            os.fsync(copy.fileno())
    except BaseException:
        _unlink_quietly(destination)
        raise


def older_version_path(target: Path, version: int) -> Path:
    """Where a store file's bytes of format *version* are kept when it is upgraded: ``<name>.v<version>``."""
    return target.with_name(f"{target.name}.v{version}")


def keep_copy(source: Path, destination: Path) -> bool:
    """Keep *source*'s bytes as *destination*, a name beside it, unless that name is taken.

    A hard link where the filesystem has them (no copy: a store file is replaced
    by a rename, never written in place, so the second name keeps these bytes),
    else a copy with the same permission bits. Whatever is at *destination* is
    never replaced: the first copy kept stays.

    Returns:
        True when the copy was made, False when *destination* already existed.

    Raises:
        OSError: The copy could not be made.
    """
    if os.path.lexists(destination):
        return False
    try:
        os.link(source, destination)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno == errno.ENOENT:
            raise
        try:
            _copy_exclusively(source, destination)  # no hard links on this filesystem
        except FileExistsError:
            return False
    fsync_directory(destination.parent)
    return True


def _shift_backups(target: Path, previous: str, count: int) -> None:
    try:
        for number in range(count - 1, 0, -1):
            older = backup_path(target, number)
            if os.path.lexists(older):
                os.replace(older, backup_path(target, number + 1))
        os.replace(previous, backup_path(target, 1))
    except OSError:
        _unlink_quietly(previous)


def _unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_stale_temp_files(target: Path, *, lock_held: bool = True) -> None:
    """Delete temporary files a killed :func:`atomic_write` left next to *target*.

    Only the names :func:`atomic_write` makes for *target* are touched. While the
    store's lock is held no other writer is between its ``mkstemp`` and its
    rename, so every one of them is stale. Without the lock (when a store is
    opened) only those no live process can be writing are: the writer's process
    id in the name is not running, or the file is older than
    :data:`STALE_TEMP_SECONDS`.
    """
    pattern = re.compile(
        rf"{re.escape(_TEMP_PREFIX + target.name)}\.(?:(\d+)\.)?[A-Za-z0-9_]{{8}}{re.escape(_TEMP_SUFFIX)}"
    )
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        path = target.parent / name
        if lock_held or _writer_is_gone(match.group(1)) or _older_than(path, STALE_TEMP_SECONDS):
            _unlink_quietly(path)


def _writer_is_gone(pid_text: str | None) -> bool:
    if pid_text is None or os.name != "posix":  # no pid in the name; on Windows os.kill(pid, 0) would kill
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # another store of this process may be writing it
    if pid <= 0:
        return True  # not a process: os.kill(0, 0) would signal our own group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OverflowError:
        return True  # larger than any pid
    except PermissionError:
        return False  # another user's live process
    return False


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - os.lstat(path).st_mtime > seconds
    except OSError:
        return False


def _quarantine_name(directory: Path, name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = directory / f"{name}.corrupt-{stamp}"
    counter = 1
    while os.path.lexists(destination):
        counter += 1
        destination = directory / f"{name}.corrupt-{stamp}-{counter}"
    return destination


def quarantine(target: Path) -> Path:
    """Rename *target* to ``<name>.corrupt-<UTC timestamp>``, its bytes and mode untouched.

    A second quarantine within the same second gets ``-2``, ``-3``… rather than
    replacing the first. Only call this while holding the store's lock.

    Returns:
        The new path.
    """
    destination = _quarantine_name(target.parent, target.name)
    os.rename(target, destination)
    fsync_directory(target.parent)
    return destination


def quarantine_copy(raw: bytes, mode: int, directory: Path, name: str) -> Path:
    """Keep *raw* as ``<directory>/<name>.corrupt-<UTC timestamp>``, a new file.

    For a file that is not ours to move (the target of a symlink): its bytes are
    kept where the store lives and the file itself is left alone. The copy gets
    the original's permission bits (never more readable than it), and is created
    exclusively, so nothing already at that name is followed or replaced.

    Returns:
        The new path.
    """
    destination = _quarantine_name(directory, name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(destination, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            _set_mode(handle.fileno(), stat.S_IMODE(mode) & 0o666)
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _unlink_quietly(destination)
        raise
    fsync_directory(directory)
    return destination
