"""Bookmarks: papers the user kept, recognised in any digest, in any format.

A bookmark is keyed by :attr:`Paper.key <digest_parser.models.Paper.key>` (the
arXiv id when known, else the normalised title), so the same paper bookmarked
in one file shows as bookmarked in every other. It stores enough to stand
alone: title, authors, arXiv id, code URL, links, the digest it came from,
when it was added, an optional note and tags (:mod:`tui.stores.tags`), and the
paper's and its digest's dates when they were known (for a citation's year:
docs/citing.md).

The file, ``bookmarks.json`` (see :mod:`tui.stores.locations`)::

    {
      "version": 2,
      "bookmarks": [
        {"key": "arxiv:2603.00101", "title": "…", "authors": ["…"],
         "arxiv_id": "2603.00101", "code_url": "https://github.com/o/r",
         "links": [{"url": "…", "kind": "code"}], "source": "digest.txt",
         "added": "2026-03-14T09:30:00Z", "note": "", "tags": ["rl"]}
      ]
    }

Version 2 added ``tags``; ``date`` and ``digest_date`` came later within version
2, written only when known, so a file without them reads as before (and a
program from before them keeps every other field). A version-1 file is read (its bookmarks have no tags)
and becomes version 2 at its first change, its version-1 bytes kept beside it as
``bookmarks.json.v1``; a version-1 program meets a version-2 file as one from a
newer version, read-only, so it never writes over the tags.

Durability, locking and quarantine are :mod:`tui.stores.jsonstore`'s, the same
for both stores (``docs/stores.md``). Every string read from the file is
sanitised like digest text; an entry with a field of the wrong type, a link
that is not ``{url, kind}`` or an ``added`` that is not an ISO 8601 time is
unreadable (the file is moved aside, the other entries kept).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlsplit

from digest_parser.models import LINK_KINDS, Link, Paper, paper_key
from digest_parser.sanitize import clean_line, clean_text
from tui.stores import locations
from tui.stores.jsonstore import (
    DEFAULT_LOCK_TIMEOUT,
    Decoded,
    JsonStore,
    LoadReport,
    ShapeError,
    StoreError,
    decode_document,
    encode_entry,
)
from tui.stores.tags import normalize_tags

__all__ = [
    "IMPORTED_NOTE_MARK",
    "Bookmark",
    "BookmarkStore",
    "ImportCounts",
    "LoadReport",
    "StoreError",
    "merged_note",
    "parse_export",
    "utc_now",
]

FORMAT_VERSION = 2
"""Written by this program; every version up to it is read. 2 added ``tags``."""


def utc_now(now: datetime | None = None) -> str:
    """``now`` (default: the current time) as ISO 8601 UTC to the second, ``…Z``."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmarked paper, self-contained."""

    key: str
    """:func:`digest_parser.models.paper_key` of the paper: ``arxiv:<id>`` or ``title:<normalised>``."""
    title: str
    authors: tuple[str, ...] = ()
    arxiv_id: str | None = None
    code_url: str | None = None
    links: tuple[Link, ...] = ()
    source: str = ""
    """Digest file the paper was bookmarked from."""
    added: str = ""
    """When it was bookmarked, ISO 8601 UTC (``2026-03-14T09:30:00Z``)."""
    note: str = ""
    """The user's note; may span lines."""
    tags: tuple[str, ...] = ()
    """The user's tags, as :func:`tui.stores.tags.normalize_tags` keeps them (any given are normalised)."""
    date: str = ""
    """The paper's own date as its digest wrote it (``2026-03-12``, ``Mar 12``), or ``""``."""
    digest_date: str = ""
    """The date of the digest it was bookmarked from, as written (``Mar 14``), or ``""``."""

    def __post_init__(self) -> None:
        # Tags are compared and written as a set: one spelling of a set, whoever built the record.
        if type(self.tags) is not tuple or self.tags:
            tags = normalize_tags(self.tags)
            if tags != self.tags:
                object.__setattr__(self, "tags", tags)

    @classmethod
    def from_paper(
        cls,
        paper: Paper,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        now: datetime | None = None,
        digest_date: str | None = None,
    ) -> Bookmark:
        """Bookmark *paper*, added *now* (default: the current time), from a digest dated *digest_date*."""
        return cls(
            key=paper.key,
            title=clean_line(paper.title),
            authors=tuple(clean_line(author) for author in paper.authors),
            arxiv_id=_clean_optional(paper.arxiv_id),
            code_url=_clean_optional(paper.code_url),
            # A blank URL could not be read back (links must be {url, kind}): drop it.
            links=tuple(Link(url, link.kind) for link in paper.links if (url := clean_line(link.url)).strip()),
            source=clean_line(paper.source),
            added=utc_now(now),
            note=clean_text(note),
            tags=tuple(tags),
            date=clean_line(paper.date or ""),
            digest_date=clean_line(digest_date or ""),
        )

    @property
    def paper_url(self) -> str | None:
        """The paper's own page, as ``y`` copies it (:func:`tui.core.paperview.paper_link`): the arXiv
        abstract page when the id is known, else a Hugging Face paper page, else the first paper link."""
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        pages = [link.url for link in self.links if link.kind == "paper"]
        return next((url for url in pages if _on_hugging_face(url)), pages[0] if pages else None)

    def to_json(self) -> dict[str, Any]:
        """The entry as written to the file."""
        return {
            "key": self.key,
            "title": self.title,
            "authors": list(self.authors),
            "arxiv_id": self.arxiv_id,
            "code_url": self.code_url,
            "links": [link.to_json() for link in self.links],
            "source": self.source,
            "added": self.added,
            "note": self.note,
            "tags": list(self.tags),
            # Written only when known: a bookmark without them keeps the bytes it always had.
            **({"date": self.date} if self.date else {}),
            **({"digest_date": self.digest_date} if self.digest_date else {}),
        }

    @classmethod
    def from_json(cls, data: object) -> Bookmark:
        """Read one entry, sanitising every string.

        ``title`` is required, a missing ``key`` is derived from arxiv_id and
        title, and other missing fields take their defaults (a version-1 entry
        has no ``tags``, an older version-2 one no ``date`` or ``digest_date``). Tags are
        normalised (:func:`tui.stores.tags.normalize_tags`).

        Raises:
            ShapeError: A field has the wrong type, or a link is not ``{url, kind}``.
        """
        if not isinstance(data, Mapping):
            raise ShapeError("bookmark is not an object")
        title = clean_line(_field(data, "title", str, required=True))
        arxiv_id = _clean_optional(_field(data, "arxiv_id", str))
        key = clean_line(_field(data, "key", str) or "") or paper_key(arxiv_id, title)
        added = clean_line(_field(data, "added", str) or "")
        if added:
            try:
                datetime.fromisoformat(added)
            except ValueError:
                raise ShapeError("bookmark 'added' is not an ISO 8601 time") from None
        return cls(
            key=key,
            title=title,
            authors=tuple(clean_line(a) for a in _string_list(_field(data, "authors", list) or [], "authors")),
            arxiv_id=arxiv_id,
            code_url=_clean_optional(_field(data, "code_url", str)),
            links=tuple(_link(item) for item in _field(data, "links", list) or []),
            source=clean_line(_field(data, "source", str) or ""),
            added=added,
            note=clean_text(_field(data, "note", str) or ""),
            tags=tuple(_string_list(_field(data, "tags", list) or [], "tags")),
            date=clean_line(_field(data, "date", str) or ""),
            digest_date=clean_line(_field(data, "digest_date", str) or ""),
        )


def _field(data: Mapping[str, Any], name: str, kind: type, *, required: bool = False) -> Any:
    value = data.get(name)
    if value is None:
        if required:
            raise ShapeError(f"bookmark has no {name!r}")
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ShapeError(f"bookmark {name!r} has the wrong type")
    return value


def _string_list(values: list[Any], name: str) -> list[str]:
    if not all(isinstance(value, str) for value in values):
        raise ShapeError(f"bookmark {name!r} holds a non-string")
    return values


def _link(item: object) -> Link:
    if not isinstance(item, Mapping) or set(item) != {"url", "kind"}:
        raise ShapeError("link is not {url, kind}")
    url, kind = item["url"], item["kind"]
    if not isinstance(url, str) or not url.strip() or kind not in LINK_KINDS:
        raise ShapeError("link is not {url, kind}")
    return Link(clean_line(url), kind)


def _clean_optional(value: str | None) -> str | None:
    cleaned = clean_line(value) if value else ""
    return cleaned or None


def _on_hugging_face(url: str) -> bool:
    # The hosts tui.core.paperview.paper_link prefers, so the export's url is what y copies.
    return (urlsplit(url).hostname or "").lower() in ("huggingface.co", "www.huggingface.co")


def decode_bookmarks(document: Mapping[str, Any]) -> Decoded[Bookmark]:
    """Bookmarks of a parsed document, by key; the first of duplicate keys wins.

    Raises:
        ShapeError: ``bookmarks`` is missing or not an array.
    """
    items = document.get("bookmarks")
    if not isinstance(items, list):
        raise ShapeError('"bookmarks" is not an array')
    entries: dict[str, Bookmark] = {}
    rejected = 0
    for item in items:
        try:
            bookmark = Bookmark.from_json(item)
        except ShapeError:
            rejected += 1
            continue
        if bookmark.key in entries:
            rejected += 1  # the duplicate's note would be lost silently otherwise
            continue
        entries[bookmark.key] = bookmark
    return Decoded(entries, rejected)


def encode_bookmarks(bookmarks: Iterable[Bookmark]) -> dict[str, Any]:
    """The ``{"version": 2, "bookmarks": [...]}`` document (file and JSON export)."""
    return {"version": FORMAT_VERSION, "bookmarks": [bookmark.to_json() for bookmark in bookmarks]}


def parse_export(raw: bytes) -> tuple[list[Bookmark], int]:
    """Read a JSON export (the file format) for ``--import``.

    Returns:
        The readable bookmarks in file order, and how many entries were skipped.

    Raises:
        ShapeError: Not a bookmarks document of a version this program reads (one-line message).
    """
    document, version = decode_document(raw)
    if version > FORMAT_VERSION:
        raise ShapeError(f"written by a newer version of digest-reader (version {version})")
    decoded = decode_bookmarks(document)
    return list(decoded.entries.values()), decoded.rejected


class BookmarkStore(JsonStore[Bookmark]):
    """The bookmarks file, synchronous and thread-safe.

    Call :meth:`load` once (off the event loop), then query freely; every change
    re-reads the file under the lock, applies itself, and writes atomically.
    Changes raise :class:`StoreError` (read-only, locked, unwritable, unencodable).
    """

    WHAT: ClassVar[str] = "bookmarks"
    TITLE: ClassVar[str] = "Bookmarks"
    NOUN: ClassVar[tuple[str, str]] = ("bookmark", "bookmarks")
    LOCKED: ClassVar[str] = "bookmarks are locked by another process"
    VERSION: ClassVar[int] = FORMAT_VERSION
    FIELD: ClassVar[str] = "bookmarks"

    def __init__(self, path: Path | None = None, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        """Args:
        path: The bookmarks file; None resolves :func:`locations.bookmarks_path`
            (``DIGEST_READER_BOOKMARKS``, then the data directory).
        lock_timeout: Seconds to wait for another instance's change.
        """
        super().__init__(locations.bookmarks_path(path), lock_timeout=lock_timeout)

    def _decode(self, document: dict[str, Any]) -> Decoded[Bookmark]:
        return decode_bookmarks(document)

    def _encode(self, entries: dict[str, Bookmark]) -> dict[str, Any]:
        return encode_bookmarks(entries.values())

    def _entry_line(self, key: str, value: Bookmark) -> str:
        return encode_entry(value.to_json())

    def restore_command(self, number: int | str) -> str:
        command = f"digest-reader bookmarks --restore {number}"
        if self.path != locations.bookmarks_path():
            command += f" --bookmarks {shlex.quote(str(self.path))}"
        return command

    # ------------------------------------------------------------ queries

    def bookmarks(self) -> dict[str, Bookmark]:
        """A copy of the bookmarks by key, in the order they were added."""
        return self._snapshot()

    def is_bookmarked(self, key: str) -> bool:
        """True when a paper with this :attr:`Paper.key` is bookmarked."""
        with self._state:
            return key in self._entries

    def get(self, key: str) -> Bookmark | None:
        """The bookmark with this key, if any."""
        with self._state:
            return self._entries.get(key)

    # ------------------------------------------------------------ changes

    def toggle(self, paper: Paper, *, now: datetime | None = None, digest_date: str | None = None) -> bool:
        """Bookmark *paper* (from a digest dated *digest_date*), or remove its bookmark if the file has one.

        Returns:
            True when the paper is bookmarked afterwards.
        """

        def change(entries: dict[str, Bookmark]) -> bool:
            if entries.pop(paper.key, None) is not None:
                return False
            entries[paper.key] = Bookmark.from_paper(paper, now=now, digest_date=digest_date)
            return True

        return self._change(change)

    def add(
        self,
        paper: Paper,
        note: str = "",
        *,
        tags: Iterable[str] = (),
        now: datetime | None = None,
        digest_date: str | None = None,
    ) -> bool:
        """Bookmark *paper*, with a note and tags (an existing bookmark is kept as it is).

        Returns:
            True when it was added, False when it was already there.
        """
        wanted = normalize_tags(tags)

        def change(entries: dict[str, Bookmark]) -> bool:
            if paper.key in entries:
                return False
            entries[paper.key] = Bookmark.from_paper(paper, note=note, tags=wanted, now=now, digest_date=digest_date)
            return True

        return self._change(change)

    def remove(self, key: str) -> bool:
        """Remove the bookmark with this key. Returns True when there was one."""
        return self._change(lambda entries: entries.pop(key, None) is not None)

    def set_note(self, key: str, note: str) -> bool:
        """Replace a bookmark's note (sanitised). Returns False when *key* is not bookmarked."""

        def change(entries: dict[str, Bookmark]) -> bool:
            bookmark = entries.get(key)
            if bookmark is None:
                return False
            entries[key] = replace(bookmark, note=clean_text(note))
            return True

        return self._change(change)

    def set_tags(self, key: str, tags: Iterable[str]) -> bool:
        """Replace a bookmark's tags (normalised). Returns False when *key* is not bookmarked."""
        wanted = normalize_tags(tags)

        def change(entries: dict[str, Bookmark]) -> bool:
            bookmark = entries.get(key)
            if bookmark is None:
                return False
            if bookmark.tags != wanted:
                entries[key] = replace(bookmark, tags=wanted)
            return True

        return self._change(change)

    def tag_paper(
        self, paper: Paper, tags: Iterable[str], *, now: datetime | None = None, digest_date: str | None = None
    ) -> bool:
        """Set *paper*'s tags, bookmarking it first when it is not bookmarked, in one write.

        One change, so another instance removing the bookmark meanwhile cannot
        make the tags land nowhere.

        Returns:
            True when the paper was bookmarked by this call.
        """
        wanted = normalize_tags(tags)

        def change(entries: dict[str, Bookmark]) -> bool:
            bookmark = entries.get(paper.key)
            if bookmark is None:
                entries[paper.key] = Bookmark.from_paper(paper, tags=wanted, now=now, digest_date=digest_date)
                return True
            if bookmark.tags != wanted:
                entries[paper.key] = replace(bookmark, tags=wanted)
            return False

        return self._change(change)

    def import_bookmarks(self, bookmarks: Iterable[Bookmark]) -> tuple[int, int]:
        """Merge bookmarks (from :func:`parse_export`) in one write: :meth:`merge_bookmarks`.

        Returns:
            ``(added, kept)``: new bookmarks, and ones already present.
        """
        counts = self.merge_bookmarks(bookmarks)
        return counts.added, counts.kept

    def merge_bookmarks(self, bookmarks: Iterable[Bookmark]) -> ImportCounts:
        """Merge bookmarks (from :func:`parse_export`) in one write, losing no note.

        A key already bookmarked keeps its fields and gains the incoming tags it
        lacks (the union of both). Its note: an empty one takes the incoming
        note; one that differs keeps its text and gets the incoming note after
        it, below :data:`IMPORTED_NOTE_MARK`, unless it already holds that text
        (so importing one file twice appends nothing twice). New keys are added
        in the given order.
        """
        incoming = list(bookmarks)

        def change(entries: dict[str, Bookmark]) -> ImportCounts:
            added = kept = retagged = notes_added = 0
            merged: list[str] = []
            for bookmark in incoming:
                mine = entries.get(bookmark.key)
                if mine is None:
                    entries[bookmark.key] = bookmark
                    added += 1
                    continue
                kept += 1
                tags = normalize_tags(mine.tags + bookmark.tags)
                note = merged_note(mine.note, bookmark.note)
                if tags != mine.tags or note != mine.note:
                    entries[bookmark.key] = replace(mine, tags=tags, note=note)
                if tags != mine.tags:
                    retagged += 1
                if note != mine.note:
                    if mine.note.strip():
                        merged.append(bookmark.key)
                    else:
                        notes_added += 1
            return ImportCounts(added, kept, retagged, notes_added, tuple(merged))

        return self._change(change)


IMPORTED_NOTE_MARK = "--- imported note ---"
"""The line between a bookmark's own note and a differing one an import brought (docs/stores.md)."""


def merged_note(mine: str, theirs: str) -> str:
    """*mine* with *theirs* kept too: *theirs* when *mine* is blank, *mine* when it already holds
    *theirs* (or *theirs* is blank), else both, *theirs* after :data:`IMPORTED_NOTE_MARK`."""
    if not theirs.strip() or theirs in mine:
        return mine
    if not mine.strip():
        return theirs
    return f"{mine}\n\n{IMPORTED_NOTE_MARK}\n{theirs}"


class ImportCounts(NamedTuple):
    """What :meth:`BookmarkStore.merge_bookmarks` did."""

    added: int
    """New bookmarks."""
    kept: int
    """Bookmarks already there (their fields kept, their notes too: see ``notes_merged``)."""
    retagged: int
    """Of those kept, how many gained tags from the import."""
    notes_added: int = 0
    """Of those kept, how many had no note and took the imported one."""
    notes_merged: tuple[str, ...] = ()
    """Keys of those kept whose note differed from the imported one: both are kept (:func:`merged_note`)."""
