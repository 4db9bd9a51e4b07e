"""Saving a screenshot (ctrl+p → Screenshot) where it can be saved, and saying where.

Textual saves into the Downloads folder, which a server or a fresh account often
does not have, and then says only "Failed to save screenshot". Here the folders
are tried in order: the user's Pictures folder when it exists (platformdirs:
``XDG_PICTURES_DIR`` from ``user-dirs.dirs``, else ``~/Pictures``), then the
working directory, then the reader's data folder (``screenshots/``, created).
The message names the file saved, in full, or each folder tried and why it
failed (the system's own words). No Textual here: the app hands in the SVG.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest_parser.sanitize import clean_line

__all__ = ["ScreenshotOutcome", "save_svg", "screenshot_folders", "screenshot_name"]


@dataclass(frozen=True, slots=True)
class ScreenshotOutcome:
    path: Path | None
    """The file written; None when no folder took it."""
    message: str
    """One line for the user, plain text (show it with ``markup=False``)."""


def screenshot_name(now: datetime, title: str = "digest-reader") -> str:
    """``digest-reader 2026-12-05 04-31-07.svg``: sorts by time, no characters
    that any file system refuses."""
    return f"{title} {now:%Y-%m-%d %H-%M-%S}.svg"


def screenshot_folders(data_folder: Path | None = None) -> list[Path]:
    """Where to try, in order: the Pictures folder (only when it exists), the
    working directory (when it still exists), then *data_folder* (created when used)."""
    from platformdirs import user_pictures_path  # on first use

    folders: list[Path] = []
    try:
        pictures = user_pictures_path()
    except OSError:  # (a broken user-dirs.dirs)
        pictures = None
    if pictures is not None and pictures.is_dir():
        folders.append(pictures)
    try:
        folders.append(Path.cwd())
    except OSError:  # the working directory was removed
        pass
    if data_folder is not None:
        folders.append(data_folder)
    return folders


def save_svg(svg: str, name: str, folders: Sequence[Path]) -> ScreenshotOutcome:
    """Write *svg* as *name* in the first of *folders* that takes it (a missing
    folder is created), never over an existing file."""
    failures: list[str] = []
    for folder in folders:
        path = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as file:
                file.write(svg)
        except OSError as error:
            reason = error.strerror or str(error) or type(error).__name__
            failures.append(f"{clean_line(str(folder))}: {clean_line(reason)}")
            if not isinstance(error, FileExistsError):  # (never remove a file that was there)
                _remove_partial(path, error)
            continue
        return ScreenshotOutcome(path, f"Screenshot saved: {clean_line(str(path))}")
    tried = "; ".join(failures) if failures else "no folder to save it in"
    return ScreenshotOutcome(None, f"Screenshot not saved ({tried}).")


def _remove_partial(path: Path, error: OSError) -> None:
    """Remove what a failed write left (a full disk stops it half-way)."""
    if isinstance(error, (PermissionError, FileNotFoundError, NotADirectoryError)):
        return  # (nothing was created)
    try:
        os.unlink(path)
    except OSError:
        pass
