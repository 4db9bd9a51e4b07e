"""The reader's link to its files on disk: bookmarks and read state.

Every store operation runs on one background thread, in the order it was
asked for (a "mark read" batch can never overtake a later "mark unread"), and
each ends by handing a fresh :class:`StoreSnapshot` to the UI through a
thread-safe callback (the screen posts it as a message). The event loop never
waits for the disk. Pure of Textual: the screen supplies the callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from digest_parser.models import Paper

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark, BookmarkStore
    from tui.stores.readstate import ReadStateStore


BOOKMARKS_TITLE = "Bookmarks"
READ_STATE_TITLE = "Read state"
NOT_SAVED = "Not saved"


class Notice(NamedTuple):
    """One notification for the user: which file it is about, and one line that reads as a sentence."""

    title: str
    """The file it is about: ``"Bookmarks"`` or ``"Read state"``."""
    text: str
    """Sanitised, one line; an error starts with "Not saved: "."""
    severity: Literal["warning", "error"] = "warning"


@dataclass(frozen=True, slots=True)
class StoreSnapshot:
    """What the files say after an operation, plus what to tell the user."""

    bookmarks: Mapping[str, Bookmark] = field(default_factory=dict)
    read: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    """Quarantined or read-only files: shown once as warnings (their titles are in ``notices``)."""
    error: str | None = None
    """The operation failed (one line, to follow "Not saved: ")."""
    info: str | None = None
    """The operation's result, for a notification ("Bookmarked", …)."""
    notices: tuple[Notice, ...] = ()
    """Everything to show, in order: each warning titled with its file, then the error
    as "Not saved: …" titled with the file that could not be changed."""


Deliver = Callable[[StoreSnapshot], None]
Operation = Callable[[], str | None]
_WhichStore = Literal["bookmarks", "read"]


class Persistence:
    """Bookmarks and read state, changed off the event loop, in order."""

    def __init__(self, deliver: Deliver, bookmarks_path: str | None = None) -> None:
        self._deliver = deliver
        self._bookmarks_path = bookmarks_path
        self._stores: tuple[BookmarkStore, ReadStateStore] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-reader-store")
        self._closed = False
        self._batch_error: str | None = None
        """The error the last "mark read" batch gave, already shown once (store thread only)."""

    @property
    def bookmark_store(self) -> BookmarkStore:
        """The bookmarks store, opened on first use; call it from the store thread only."""
        return self._open_stores()[0]

    @property
    def read_store(self) -> ReadStateStore:
        """The read-state store, opened on first use; call it from the store thread only."""
        return self._open_stores()[1]

    def _open_stores(self) -> tuple[BookmarkStore, ReadStateStore]:
        # Only ever on the store thread, so the stores and what they import (json,
        # filelock) are not paid for before the first frame;
        # tests/test_import_boundary.py checks that the reader starts without them.
        if self._stores is None:
            from tui.stores import locations
            from tui.stores.bookmarks import BookmarkStore
            from tui.stores.readstate import ReadStateStore

            bookmarks_path = self._bookmarks_path
            self._stores = (
                BookmarkStore(Path(bookmarks_path) if bookmarks_path else None),
                ReadStateStore(locations.read_state_path(bookmarks_path)),
            )
        return self._stores

    # ---- operations ----------------------------------------------------------

    def load(self) -> None:
        """Read both files (moving aside what cannot be read); delivers the first snapshot."""

        def operation() -> None:
            self.bookmark_store.load()
            self.read_store.load()

        self._submit(operation)

    def refresh(self) -> None:
        """Pick up changes another running instance made (cheap when none)."""

        def operation() -> str | None:
            changed = self.bookmark_store.refresh_if_changed() is not None
            changed |= self.read_store.refresh_if_changed() is not None
            return "" if changed else None

        self._submit(operation, quiet_when_none=True)

    def toggle_bookmark(self, paper: Paper, *, digest_date: str | None = None) -> None:
        """Bookmark *paper* (from a digest dated *digest_date*), or remove its bookmark if the file has one."""

        def operation() -> str:
            return "Bookmarked." if self.bookmark_store.toggle(paper, digest_date=digest_date) else "Bookmark removed."

        self._submit(operation, store="bookmarks")

    def set_note(self, paper: Paper, note: str, *, digest_date: str | None = None) -> None:
        """Set *paper*'s note, bookmarking it first (with *digest_date*) when it is not bookmarked yet."""

        def operation() -> str:
            if not self.bookmark_store.is_bookmarked(paper.key):
                self.bookmark_store.add(paper, note=note, digest_date=digest_date)
                return "Bookmarked with a note."
            self.bookmark_store.set_note(paper.key, note)
            return "Note saved." if note else "Note removed."

        self._submit(operation, store="bookmarks")

    def set_tags(self, paper: Paper, tags: Iterable[str], *, digest_date: str | None = None) -> None:
        """Set *paper*'s tags (normalised: ``tui.stores.tags``), bookmarking it first when it is not bookmarked yet.

        The bookmark and its tags are one write, so the tags cannot land on a
        bookmark another instance removed meanwhile. The snapshot's Bookmark
        records carry the tags.
        """
        given = list(tags)

        def operation() -> str:
            from tui.stores.tags import normalize_tags

            wanted = normalize_tags(given)
            named = ", ".join(wanted)
            if self.bookmark_store.tag_paper(paper, wanted, digest_date=digest_date):
                return f"Bookmarked with tags: {named}." if wanted else "Bookmarked."
            return f"Tags saved: {named}." if wanted else "Tags removed."

        self._submit(operation, store="bookmarks")

    def mark_read(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many papers read (or unread) in one write; delivers a snapshot without a message.

        These batches come on their own as papers are shown, so an error they give
        is told once, not at every batch, until a batch succeeds again (the
        snapshot's ``error`` still carries it every time).
        """
        wanted = list(keys)
        self._submit(lambda: self._mark(wanted, read), store="read", batch=True)

    def _mark(self, keys: list[str], read: bool) -> None:
        self.read_store.mark(keys, read)

    def toggle_read(self, key: str) -> None:
        """Flip one paper's read mark, based on what the file says now."""
        self._submit(lambda: "Marked read." if self.read_store.toggle(key) else "Marked unread.", store="read")

    def wait_until_idle(self, timeout: float | None = None) -> None:
        """Block until every operation asked for so far has run and delivered its snapshot.

        For tests and tools that must see the files settled; the reader itself never
        waits (it would block the event loop). Returns at once after :meth:`close`.

        Raises:
            TimeoutError: The operations did not finish within *timeout* seconds.
        """
        if self._closed:
            return
        self._executor.submit(lambda: None).result(timeout=timeout)

    def close(self) -> None:
        """Refuse new operations and wait for the queued ones, so no change is lost at exit."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=False)

    # ---- plumbing ------------------------------------------------------------

    def _submit(
        self,
        operation: Operation,
        *,
        quiet_when_none: bool = False,
        store: _WhichStore = "bookmarks",
        batch: bool = False,
    ) -> None:
        if self._closed:
            return
        self._executor.submit(self._run, operation, quiet_when_none, store, batch)

    def _run(self, operation: Operation, quiet_when_none: bool, store: _WhichStore, batch: bool = False) -> None:
        from digest_parser.sanitize import clean_line
        from tui.stores.files import StoreError

        error: str | None = None
        info: str | None = None
        try:
            info = operation()
        except StoreError as problem:
            error = str(problem)
        except OSError as problem:  # a store bug must not kill the thread silently
            error = clean_line(f"{problem.strerror or problem}")
        if quiet_when_none and info is None and error is None:
            return
        bookmark_warnings = self.bookmark_store.take_warnings()
        read_warnings = self.read_store.take_warnings()
        notices = [Notice(BOOKMARKS_TITLE, text) for text in bookmark_warnings]
        notices += [Notice(READ_STATE_TITLE, text) for text in read_warnings]
        repeated = batch and error is not None and error == self._batch_error
        if batch:
            self._batch_error = error
        if error is not None and not repeated:
            title = BOOKMARKS_TITLE if store == "bookmarks" else READ_STATE_TITLE
            notices.append(Notice(title, f"{NOT_SAVED}: {error}", "error"))
        self._deliver(
            StoreSnapshot(
                bookmarks=self.bookmark_store.bookmarks(),
                read=self.read_store.read_keys(),
                warnings=bookmark_warnings + read_warnings,
                error=error,
                info=info or None,
                notices=tuple(notices),
            )
        )
