"""The lock that keeps two digest-reader processes from losing each other's changes.

A store changes its file only while holding ``<file>.lock`` (``filelock``, an
OS-level lock released by the kernel when the holder dies, so a crashed
instance never leaves a lock that must be cleaned up by hand). Under it the
store re-reads the file, applies its change to what is on disk and writes
(``docs/stores.md``), so concurrent changes merge instead of overwriting.

Why a separate lock file: the data file is replaced by a rename on every
write, so a lock taken on the data file itself would lock an inode that the
next writer no longer opens.

Why the resolved path: two instances that reach the same file through
different symlinks must take the same lock, so the lock file sits beside the
symlink's target, not beside the link.
"""

from __future__ import annotations

from pathlib import Path

import filelock

from tui.stores.files import StoreError, display_path, ensure_directory, error_reason

LOCK_SUFFIX = ".lock"


def lock_path(target: Path) -> Path:
    """The lock file guarding *target* (already resolved): ``<target>.lock`` beside it."""
    return target.with_name(target.name + LOCK_SUFFIX)


class StoreLock:
    """``with StoreLock(target, timeout, locked_message):`` holds *target*'s lock file.

    Entering creates the directory first (mode 0700): the lock file is the
    first thing a store writes into a new directory. Threads of this process
    are serialised by the store's own lock before they get here, so the file
    lock is not made thread-local.
    """

    def __init__(self, target: Path, timeout: float, locked_message: str) -> None:
        """Args:
        target: The store's file, symlinks already resolved.
        timeout: Seconds to wait for another process to finish its change.
        locked_message: Start of the message when *timeout* runs out
            ("bookmarks are locked by another process").
        """
        self._lock_path = lock_path(target)
        self._timeout = timeout
        self._locked_message = locked_message
        self._lock: filelock.FileLock | None = None

    @property
    def path(self) -> Path:
        """The lock file."""
        return self._lock_path

    def __enter__(self) -> None:
        """Take the lock.

        Raises:
            StoreError: Still held elsewhere after the timeout ("…; try again"),
                or the directory or lock file cannot be created.
        """
        try:
            ensure_directory(self._lock_path.parent)
            self._lock = filelock.FileLock(self._lock_path, timeout=self._timeout, mode=0o600, thread_local=False)
            self._lock.acquire()
        except filelock.Timeout:
            raise StoreError(f"{self._locked_message} ({display_path(self._lock_path)}); try again") from None
        except OSError as error:
            raise StoreError(f"could not lock {display_path(self._lock_path)}: {error_reason(error)}") from None

    def __exit__(self, *exc_info: object) -> None:
        if self._lock is not None:
            self._lock.release()
