"""Bookmarks and read state on the main screen: `b`, `B`, `n`, `r`, `R`.

Changes go to :class:`tui.stores.persistence.Persistence` (one store thread, in
order); its snapshots come back as :class:`StoreActions.StoresChanged`.
Showing a paper's detail marks it read at once on screen; the writes are
batched once a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.message import Message
from textual.screen import Screen

from digest_parser.models import Paper
from tui.core.library import Library
from tui.stores.persistence import Persistence, StoreSnapshot

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark

REFRESH_SECONDS = 2.0
"""How often to look for bookmark/read changes made by another running instance."""


class StoreActions(Screen[None]):
    """Mixed into MainScreen, which provides the state named below."""

    persistence: Persistence | None
    library: Library
    bookmarks: Mapping[str, Bookmark]
    bookmarked: frozenset[str]
    read: set[str]
    rows: Sequence[int]
    view_papers: tuple[Paper, ...]
    bookmarks_view: bool
    current_paper: Paper | None
    _pending_read: set[str]
    _read_version: int
    _stores_ready: bool
    _unread_cache: tuple[tuple[int, int] | None, int]

    @dataclass
    class StoresChanged(Message):
        snapshot: StoreSnapshot

    def _refresh_marks(self) -> None:
        raise NotImplementedError

    def _refresh_top_bar(self) -> None:
        raise NotImplementedError

    def _refresh_detail(self) -> None:
        raise NotImplementedError

    def _rebuild_view(self) -> None:
        raise NotImplementedError

    def _unread_count(self) -> int:
        raise NotImplementedError

    def _mark_read_locally(self, key: str) -> None:
        """A paper whose detail was shown counts as read; the write is batched."""
        unread = self._unread_count()
        self.read.add(key)
        self._read_version += 1
        self._unread_cache = ((id(self.library), self._read_version), unread - 1)
        self._pending_read.add(key)
        self._refresh_marks()
        self._refresh_top_bar()

    def _flush_read(self) -> None:
        if self._pending_read and self.persistence is not None:
            keys, self._pending_read = list(self._pending_read), set()
            self.persistence.mark_read(keys)

    # ---- stores ----------------------------------------------------------------

    def _poll_stores(self) -> None:
        if self.persistence is not None and self._stores_ready:
            self.persistence.refresh()

    @on(StoresChanged)
    def _stores_changed(self, message: StoresChanged) -> None:
        snapshot = message.snapshot
        self._stores_ready = True
        for warning in snapshot.warnings:
            self.notify(warning, title="Bookmarks", severity="warning", markup=False, timeout=10)
        if snapshot.error:
            self.notify(snapshot.error, title="Not saved", severity="error", markup=False)
        elif snapshot.info:
            self.notify(snapshot.info, markup=False, timeout=2)
        view_changed = set(snapshot.bookmarks) != set(self.bookmarks)
        self.bookmarks = snapshot.bookmarks
        self.bookmarked = frozenset(snapshot.bookmarks)
        # Keys shown but not yet written stay read.
        self.read = set(snapshot.read) | self._pending_read
        self._read_version += 1
        if self.bookmarks_view and view_changed:
            self._rebuild_view()
        else:
            self._refresh_marks()
            self._refresh_top_bar()
        self._refresh_detail()

    # ---- actions: bookmarks and read state -------------------------------------------

    def action_toggle_bookmark(self) -> None:
        paper = self.current_paper
        if paper is not None and self.persistence is not None:
            self.persistence.toggle_bookmark(paper)

    def action_toggle_bookmarks_view(self) -> None:
        self.bookmarks_view = not self.bookmarks_view
        self._rebuild_view()

    def action_edit_note(self) -> None:
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        from tui.screens.dialogs import NoteEditor

        bookmark = self.bookmarks.get(paper.key)

        def save(note: str | None) -> None:
            if note is not None and self.persistence is not None:
                self.persistence.set_note(paper, note)

        self.app.push_screen(NoteEditor(paper.title, bookmark.note if bookmark else ""), save)

    def action_toggle_read(self) -> None:
        paper = self.current_paper
        if paper is None or self.persistence is None:
            return
        self._flush_read()
        key = paper.key
        if key in self.read:
            self.read.discard(key)
        else:
            self.read.add(key)
        self._read_version += 1
        self._refresh_marks()
        self._refresh_detail()
        self.persistence.mark_read([key], key in self.read)

    def action_mark_visible_read(self) -> None:
        if self.persistence is None or not self.rows:
            return
        keys = [self.view_papers[row].key for row in self.rows]
        self.read.update(keys)
        self._read_version += 1
        self._refresh_marks()
        self._refresh_top_bar()
        self._refresh_detail()
        self.persistence.mark_read(keys)
        self.notify(f"Marked {len(keys)} paper(s) read.", markup=False, timeout=2)
