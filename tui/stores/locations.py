"""Where digest-reader keeps its files.

Every path the app writes is resolved here, so tests (and users) can point the
whole app somewhere else with one environment variable. Nothing is created at
import time or by these functions: the stores create their directory, mode
0700, the first time they write (XDG Base Directory spec).

Precedence for the bookmarks file, first match wins:

1. an explicit path (the ``--bookmarks PATH`` option, passed in by the caller);
2. ``DIGEST_READER_BOOKMARKS``;
3. ``data_dir() / "bookmarks.json"``.

``data_dir()`` is ``DIGEST_READER_DATA_DIR`` when set, else the platformdirs user
data directory (``$XDG_DATA_HOME/digest-reader``, by default
``~/.local/share/digest-reader`` on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "digest-reader"
DATA_DIR_ENV = "DIGEST_READER_DATA_DIR"
CONFIG_DIR_ENV = "DIGEST_READER_CONFIG_DIR"
BOOKMARKS_ENV = "DIGEST_READER_BOOKMARKS"
BOOKMARKS_FILE = "bookmarks.json"
READ_STATE_FILE = "read.json"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "")
    return _absolute(value) if value else None


def _absolute(path: str | os.PathLike[str]) -> Path:
    # Absolute at resolution time, so a later chdir cannot move the file.
    return Path(path).expanduser().absolute()


def data_dir() -> Path:
    """Directory for user data (bookmarks, read state); not created here.

    Returns:
        ``$DIGEST_READER_DATA_DIR`` when set and non-empty, else the platformdirs
        user data path of ``digest-reader``.
    """
    return _from_env(DATA_DIR_ENV) or _absolute(platformdirs.user_data_path(APP_NAME))


def config_dir() -> Path:
    """Directory for configuration; not created here.

    Returns:
        ``$DIGEST_READER_CONFIG_DIR`` when set and non-empty, else the
        platformdirs user config path of ``digest-reader``.
    """
    return _from_env(CONFIG_DIR_ENV) or _absolute(platformdirs.user_config_path(APP_NAME))


def bookmarks_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The bookmarks file to use.

    Args:
        override: The ``--bookmarks`` value, if the user gave one.

    Returns:
        An absolute path (see the module docstring for the precedence).
    """
    if override is not None and str(override) != "":
        return _absolute(override)
    return _from_env(BOOKMARKS_ENV) or data_dir() / BOOKMARKS_FILE


def read_state_path(bookmarks: str | os.PathLike[str] | None = None) -> Path:
    """The read-state file: ``read.json`` in the bookmarks file's directory.

    Args:
        bookmarks: The bookmarks path in use (``None``: resolve it as
            :func:`bookmarks_path` does), so ``--bookmarks`` moves both files.
    """
    return bookmarks_path(bookmarks).parent / READ_STATE_FILE
