"""The on-disk cache of fetched responses (docs/live-sources.md, "The cache").

One file per URL in ``<cache dir>/live/``: a header line, one line of JSON
metadata (the URL, when the body was fetched and when the server last
confirmed it, its ETag and Last-Modified, its length and SHA-256), then the
raw body. The cache directory is ``DIGEST_READER_CACHE_DIR`` when set, else
the platform's user cache directory (``$XDG_CACHE_HOME/digest-reader`` on
Linux).

- Writes are atomic (:func:`tui.stores.files.atomic_write`: temporary file,
  fsync, rename), so a crash leaves the old entry or the new one, never half.
- An entry that fails its checks (header, metadata, length, checksum, URL) is
  set aside as ``<name>.corrupt-<UTC time>`` and treated as missing.
- Reading an entry marks it opened (its modification time);
  :func:`prune` deletes entries not opened for :data:`PRUNE_AFTER`.

Failures to write or prune never fail a load: the cache only saves requests.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs

from tui.live.http import MAX_BODY_BYTES
from tui.stores.files import atomic_write, ensure_directory, quarantine

APP_NAME = "digest-reader"
CACHE_DIR_ENV = "DIGEST_READER_CACHE_DIR"
ENTRIES = "live"
"""The subdirectory holding the entries: ``cache --clear`` touches nothing else."""
PRUNE_AFTER = timedelta(days=60)
STALE_TEMP_AFTER = timedelta(hours=1)

_HEADER = b"digest-reader cache 1\n"
_METADATA_LIMIT = 64 * 1024
_ENTRY_NAME = re.compile(r"[0-9a-f]{40}\.entry")
_CORRUPT_NAME = re.compile(r"[0-9a-f]{40}\.entry\.corrupt-[0-9TZ-]+")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{40}\.entry\..*\.tmp")


def cache_dir() -> Path:
    """``$DIGEST_READER_CACHE_DIR`` when set and non-empty, else the platformdirs
    user cache path of ``digest-reader``. Not created here."""
    override = os.environ.get(CACHE_DIR_ENV, "")
    path = Path(override) if override else platformdirs.user_cache_path(APP_NAME)
    return path.expanduser().absolute()


def entries_dir() -> Path:
    return cache_dir() / ENTRIES


def entry_path(url: str) -> Path:
    """Where the entry of *url* lives: a hash, so any URL makes a safe file name."""
    return entries_dir() / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:40]}.entry"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached response."""

    url: str
    body: bytes
    fetched_at: datetime
    """UTC, when this body was received."""
    checked_at: datetime
    """UTC, when the server last said it is current (the fetch, or a later 304)."""
    etag: str | None = None
    last_modified: str | None = None

    def encode(self) -> bytes:
        metadata = {
            "url": self.url,
            "fetched_at": self.fetched_at.isoformat(),
            "checked_at": self.checked_at.isoformat(),
            "etag": self.etag,
            "last_modified": self.last_modified,
            "length": len(self.body),
            "sha256": hashlib.sha256(self.body).hexdigest(),
        }
        return _HEADER + json.dumps(metadata, ensure_ascii=True).encode("ascii") + b"\n" + self.body


class CorruptEntry(ValueError):
    """An entry file that is not a complete entry of its URL."""


def decode(raw: bytes, url: str) -> CacheEntry:
    """The entry in *raw*, checked whole.

    Raises:
        CorruptEntry: a bad header, metadata, length or checksum, or another URL's entry.
    """
    if not raw.startswith(_HEADER):
        raise CorruptEntry("no cache header")
    end = raw.find(b"\n", len(_HEADER), len(_HEADER) + _METADATA_LIMIT)
    if end < 0:
        raise CorruptEntry("no metadata line")
    try:
        metadata = json.loads(raw[len(_HEADER):end])
        body = raw[end + 1:]
        if not isinstance(metadata, dict) or metadata.get("url") != url:
            raise CorruptEntry("metadata of another URL")
        if metadata.get("length") != len(body) or metadata.get("sha256") != hashlib.sha256(body).hexdigest():
            raise CorruptEntry("body does not match its length or checksum")
        return CacheEntry(
            url=url,
            body=body,
            fetched_at=_utc(metadata["fetched_at"]),
            checked_at=_utc(metadata["checked_at"]),
            etag=_optional_text(metadata.get("etag")),
            last_modified=_optional_text(metadata.get("last_modified")),
        )
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, CorruptEntry):
            raise
        raise CorruptEntry(f"unreadable metadata ({type(error).__name__})") from None


def _utc(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError("time is not text")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("time without a zone")
    return moment.astimezone(UTC)


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def read(url: str) -> CacheEntry | None:
    """The cached entry of *url*, marked opened now; None when there is none.

    An entry that cannot be used is set aside (see the module docstring) and
    reads as None, so the next good response replaces it.
    """
    path = entry_path(url)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BODY_BYTES + _METADATA_LIMIT + len(_HEADER) + 1)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable (permissions, a directory at the path): as good as missing
    try:
        entry = decode(raw, url)
    except CorruptEntry:
        set_aside(path)
        return None
    try:
        os.utime(path)  # opened now: pruning goes by this
    except OSError:
        pass
    return entry


def set_aside(path: Path) -> Path | None:
    """Rename an unusable entry to ``<name>.corrupt-<UTC time>``; None if it is gone already."""
    try:
        return quarantine(path)
    except OSError:
        return None


def write(entry: CacheEntry) -> bool:
    """Store *entry* atomically; False when the cache cannot be written (the load goes on)."""
    path = entry_path(entry.url)
    try:
        ensure_directory(path.parent)
        atomic_write(path, entry.encode())
    except OSError:
        return False
    return True


def _cache_files() -> list[Path]:
    """Every file of ours in the entries directory: entries, set-aside entries, temporary files."""
    directory = entries_dir()
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return [
        directory / name
        for name in names
        if _ENTRY_NAME.fullmatch(name) or _CORRUPT_NAME.fullmatch(name) or _TEMP_NAME.fullmatch(name)
    ]


def prune(now: datetime | None = None) -> int:
    """Delete entries not opened for :data:`PRUNE_AFTER` (set-aside ones too), and
    temporary files a killed writer left; returns how many files went."""
    now = now or datetime.now(UTC)
    removed = 0
    for path in _cache_files():
        limit = STALE_TEMP_AFTER if path.name.startswith(".") else PRUNE_AFTER
        try:
            opened = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
            if now - opened > limit:
                os.unlink(path)
                removed += 1
        except OSError:
            continue
    return removed


def clear() -> int:
    """Delete every file of the cache; returns how many. Files the cache did not
    make are left alone, even when ``DIGEST_READER_CACHE_DIR`` points somewhere shared."""
    removed = 0
    for path in _cache_files():
        try:
            os.unlink(path)
            removed += 1
        except OSError:
            continue
    try:
        os.rmdir(entries_dir())
    except OSError:
        pass  # not empty (someone else's file), or not there
    return removed


@dataclass(frozen=True, slots=True)
class Usage:
    """What the cache holds."""

    entries: int
    bytes: int
    set_aside: int


def usage() -> Usage:
    """Count the cache's entries and bytes on disk."""
    entries = size = set_aside_count = 0
    for path in _cache_files():
        try:
            size += os.stat(path).st_size
        except OSError:
            continue
        if _ENTRY_NAME.fullmatch(path.name):
            entries += 1
        elif _CORRUPT_NAME.fullmatch(path.name):
            set_aside_count += 1
    return Usage(entries, size, set_aside_count)
