"""Everything the main screen shows, in one object with no Textual in it.

:class:`ReaderState` holds the papers loaded, the view (all papers or bookmarks
only), the rows of the list, the search session, the bookmarks and the read
state. Every method that changes it returns :class:`Changes`: the parts of the
screen that must be redrawn. The screen applies them in one place, so nothing
depends on a caller remembering to refresh the markers after marking a paper
read. Tested without Textual (tests/test_state.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from enum import Flag, auto
from typing import TYPE_CHECKING

from digest_parser.models import Paper
from tui.core.library import Library, paper_from_bookmark
from tui.core.scheduling import SearchResult, SearchSession
from tui.core.sorting import ORDERS_BY_NAME, SortOrder, next_order
from tui.live.specs import LiveSpec

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark


class Changes(Flag):
    """What a change of state asks the screen to redraw."""

    NONE = 0
    ROWS = auto()
    """The rows of the list (the cursor follows the paper it was on)."""
    MARKS = auto()
    """The unread / bookmark markers of the list."""
    DETAIL = auto()
    """The detail pane's marks, note and "also in" of the paper shown."""
    HEADER = auto()
    """The top bar: counts, view, loading progress."""
    VIEW = auto()
    """The papers of the view changed: run the search again over them."""


@dataclass(frozen=True, slots=True)
class FetchStatus:
    """One live source (``hf``, ``arxiv:cs.CL``) as the header shows it."""

    label: str
    """``hf 2026-12-04``: which digest."""
    started: float
    """When the fetch began (the screen's monotonic clock)."""
    received: int = 0
    """Bytes received so far."""
    done: bool = False
    status: str = ""
    """Once done: ``fetched 10:42``, ``cached 3 h ago (offline)``, …"""
    shown: LiveSpec | None = None
    """Once done: the digest shown (an empty day steps back to an earlier one)."""

    def describe(self, now: float) -> str:
        """``hf 2026-12-04 (fetched 10:42)``, or while fetching
        ``fetching hf 2026-12-04… 3 s, 120 KB``."""
        if self.done:
            return f"{self.label} ({self.status})" if self.status else self.label
        elapsed = max(0.0, now - self.started)
        extras = [f"{elapsed:.0f} s"] if elapsed >= 1.0 else []
        if self.received:
            extras.append(_size(self.received))
        return f"fetching {self.label}…" + (" " + ", ".join(extras) if extras else "")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


@dataclass(frozen=True, slots=True)
class SimilarView:
    """`m`: the papers most like one paper, best first, with their scores."""

    source: Paper
    papers: tuple[Paper, ...]
    scores: tuple[float, ...]
    back_to: str | None = None
    """The key of the paper selected before, to return to with Esc."""


@dataclass(frozen=True, slots=True)
class ForYou:
    """The "for you" order: each paper's likeness to the closest bookmark."""

    tag: str | None
    """Only the bookmarks with this tag (None: every bookmark)."""
    closest: Mapping[str, tuple[str, float]]
    """Paper key -> (title of its closest bookmark, score)."""
    note: str = ""
    """Why the order is not what was asked (no bookmarks): shown in the header."""


@dataclass(frozen=True, slots=True)
class PaperMarks:
    """What the user has done with one paper, for the detail pane."""

    bookmarked: bool
    read: bool
    note: str
    also_in: tuple[str, ...]
    tags: tuple[str, ...] = ()
    closest_bookmark: tuple[str, float] | None = None
    """In the "for you" order: the bookmark this paper is most like, and how much."""


@dataclass(frozen=True, slots=True)
class ReadUndo:
    """What `R` (mark every paper in the list read) changed, to undo it."""

    keys: tuple[str, ...]
    """The papers it marked read that were unread before (only those become unread again)."""


class ReaderState:
    """The reader's state: papers, view, rows, search, bookmarks and read state.

    The read keys are one set changed in place (copying 100k keys on every
    cursor move would cost more than the move); :attr:`read_version` changes
    whenever its contents do, so the list can tell new marks from old cheaply.
    """

    def __init__(self) -> None:
        self.library = Library()
        self.loading = True
        self.load_progress = (0, 0)
        self.bookmarks_view = False
        """Only bookmarked papers, including bookmarks missing from the open digests."""
        self.view_papers: tuple[Paper, ...] = ()
        self.rows: Sequence[int] = ()
        """Indices into view_papers, in the order shown."""
        self.search = SearchSession()
        self.sort = "digest"
        """The order of the list without a query (tui.core.sorting)."""
        self._sorted_rows: Sequence[int] | None = None
        """view_papers in the order ``sort``, once a worker computed it."""
        self.for_you: ForYou | None = None
        """With the "for you" order: what it was computed from."""
        self.for_you_tag: str | None = None
        """The tag the "for you" order is asked for (None: every bookmark)."""
        self.similar: SimilarView | None = None
        """`m`: the list shows the papers like one paper instead of the view."""
        self._similar_scores: dict[str, float] = {}
        self.bookmarks: Mapping[str, Bookmark] = {}
        self.bookmarked: frozenset[str] = frozenset()
        self.tags: dict[str, frozenset[str]] = {}
        """Tag (lower case) -> keys of the papers carrying it (from the bookmarks)."""
        self.tagged: frozenset[str] = frozenset()
        """Keys of the papers with at least one tag."""
        self._read: set[str] = set()
        self._read_version = 0
        self._pending_read: set[str] = set()
        self._unread_cache: tuple[tuple[int, int] | None, int] = (None, 0)
        self.stores_ready = False
        """The stores answered once: until then there is nothing to poll."""
        self.fetches: dict[str, FetchStatus] = {}
        """Live sources by their spec text (``hf:2026-12-04``), in the order opened."""
        self.read_undo: ReadUndo | None = None
        """The last `R`, until it is undone or another `R` replaces it."""

    # ---- reading the state ---------------------------------------------------------

    @property
    def read(self) -> AbstractSet[str]:
        """The read keys (do not change them: use the methods below)."""
        return self._read

    @property
    def read_version(self) -> int:
        return self._read_version

    @property
    def searching(self) -> bool:
        return not self.search.query.is_empty

    def is_read(self, key: str) -> bool:
        return key in self._read

    def marks_of(self, paper: Paper) -> PaperMarks:
        key = paper.key
        bookmark = self.bookmarks.get(key)
        return PaperMarks(
            bookmarked=key in self.bookmarked,
            read=key in self._read,
            note=bookmark.note if bookmark else "",
            also_in=self.library.also_in.get(key, ()),
            tags=tuple(getattr(bookmark, "tags", ())) if bookmark else (),
            closest_bookmark=self.for_you.closest.get(key) if self.for_you is not None and self.sort == "for_you" else None,
        )

    def unread_count(self) -> int:
        """Unread papers of the library (cached per library and read set)."""
        cache_key = (id(self.library), self._read_version)
        if self._unread_cache[0] != cache_key:
            count = sum(1 for paper in self.library.papers if paper.key not in self._read)
            self._unread_cache = (cache_key, count)
        return self._unread_cache[1]

    @property
    def fetching(self) -> bool:
        return any(not status.done for status in self.fetches.values())

    def header_parts(self, *, demo: bool = False, now: float = 0.0) -> list[str]:
        """The top bar's parts, joined with " · " by the screen (*now*: the
        monotonic clock, for how long a fetch has run)."""
        library = self.library
        total = len(self.view_papers)
        files = [source for source in library.sources if source not in self.fetches]
        if self.fetches:
            parts = [status.describe(now) for status in self.fetches.values()]
            if files:
                parts.append(files[0].rsplit("/", 1)[-1] + (f" +{len(files) - 1} more" if len(files) > 1 else ""))
        else:
            parts = [library.title if library.sources else "digest-reader"]
        if self.bookmarks_view:
            parts.append("bookmarks")
        noun = "match" if self.searching else "papers"
        parts.append(f"{len(self.rows)}/{total} {noun}")
        if self.similar is not None:
            parts.insert(1, f"like: {self.similar.source.title[:40]}")
        elif self.sort == "for_you":
            tag = f" (tag {self.for_you_tag})" if self.for_you_tag else ""
            note = self.for_you.note if self.for_you is not None else ""
            parts.append(f"for you{tag}" + (f": {note}" if note else ""))
        elif self.sort != "digest":
            parts.append(ORDERS_BY_NAME[self.sort].title)
        if self.bookmarked:
            parts.append(f"★ {len(self.bookmarked)}")
        if library.papers:
            parts.append(f"{self.unread_count()} unread")
        if self.loading:
            done, total_files = self.load_progress
            parts.append(f"loading {done}/{total_files}…" if total_files > 1 else "loading…")
        if demo:
            parts.append("demo digest: open yours with digest-reader PATH")
        return parts

    def empty_message(self, *, now: float = 0.0) -> str | None:
        """What the list pane says when it has no rows (None when it has some)."""
        if self.rows:
            return None
        if self.loading and self.fetching:
            waiting = [status.describe(now) for status in self.fetches.values() if not status.done]
            return "\n".join([*(text[0].upper() + text[1:] for text in waiting), "", "q quits at any time."])
        if self.loading:
            return "Loading…"
        if not self.view_papers:
            if self.bookmarks_view:
                return "No bookmarks yet. Press b on a paper to keep it; B goes back to all papers."
            return "This digest has no papers.\n\nOpen another one with: digest-reader PATH"
        return f"{self.search.explanation or 'No paper matches.'}\n\nEsc clears the search."

    # ---- loading and the view ------------------------------------------------------

    def loaded(self, library: Library, done: int, total: int, *, partial: bool = False) -> Changes:
        """Papers loaded so far (*partial*: more of the current digest is coming)."""
        self.load_progress = (done, total)
        self.loading = partial or done < total
        self.library = library
        return self._rebuild_view()

    def reloading(self) -> Changes:
        """The digests are being loaded again (another day, or fetched again):
        nothing is shown until they come."""
        self.library = Library()
        self.loading = True
        self.fetches = {}
        return self._rebuild_view()

    def fetch_started(self, spec_text: str, label: str, now: float) -> Changes:
        self.fetches[spec_text] = FetchStatus(label, now)
        return Changes.HEADER | Changes.ROWS

    def fetch_progress(self, spec_text: str, received: int) -> Changes:
        status = self.fetches.get(spec_text)
        if status is None or status.done:
            return Changes.NONE
        self.fetches[spec_text] = replace(status, received=received)
        return Changes.HEADER | (Changes.ROWS if not self.rows else Changes.NONE)

    def fetch_done(self, spec_text: str, shown: LiveSpec, status: str) -> Changes:
        """*shown* may differ from the spec asked for (an empty day steps back)."""
        started = self.fetches[spec_text].started if spec_text in self.fetches else 0.0
        self.fetches[spec_text] = FetchStatus(shown.label, started, done=True, status=status, shown=shown)
        return Changes.HEADER

    def toggle_bookmarks_view(self) -> Changes:
        self.bookmarks_view = not self.bookmarks_view
        return self._rebuild_view()

    def _rebuild_view(self) -> Changes:
        if self.similar is not None:
            self.view_papers = self.similar.papers
        elif self.bookmarks_view:
            in_library = [paper for paper in self.library.papers if paper.key in self.bookmarked]
            present = {paper.key for paper in in_library}
            standalone = [
                paper_from_bookmark(bookmark) for key, bookmark in self.bookmarks.items() if key not in present
            ]
            self.view_papers = (*in_library, *standalone)
        else:
            self.view_papers = self.library.papers
        self.search.forget_results()
        self._sorted_rows = None
        return Changes.VIEW | Changes.HEADER

    # ---- rows ----------------------------------------------------------------------

    def show_all(self) -> Changes:
        """Every paper of the view, in the sort order once it is computed (no query);
        the `m` list in its own order, best first."""
        if self.similar is not None:
            self.rows = range(len(self.view_papers))
            return Changes.ROWS | Changes.HEADER
        self.rows = self._sorted_rows if self._sorted_rows is not None else range(len(self.view_papers))
        return Changes.ROWS | Changes.HEADER

    # ---- sorting -------------------------------------------------------------------

    @property
    def needs_sorting(self) -> bool:
        """The sort order is not the digest's and has not been computed for this view."""
        return self.sort != "digest" and self._sorted_rows is None and self.similar is None

    def next_sort(self) -> SortOrder:
        """The order `s` moves to (one that applies to these papers)."""
        return next_order(self.sort, self.view_papers)

    def choose_sort(self, name: str) -> Changes:
        """Sort by *name*; the rows follow once :meth:`sorted_rows` hands them in
        (the digest order needs no computing)."""
        self.sort = name
        self._sorted_rows = None
        if name == "digest" and not self.searching:
            return self.show_all()
        return Changes.HEADER

    def sorted_for_you(self, papers: tuple[Paper, ...], rows: Sequence[int], for_you: ForYou) -> Changes:
        """The "for you" order came (see :meth:`sorted_rows`), with each paper's closest bookmark."""
        if papers is not self.view_papers or self.sort != "for_you" or for_you.tag != self.for_you_tag:
            return Changes.NONE
        self.for_you = for_you
        return self.sorted_rows(papers, "for_you", rows) | Changes.DETAIL | Changes.HEADER

    # ---- more like this ------------------------------------------------------------

    def annotation(self, paper: Paper) -> str:
        """The score shown before a title: likeness in the `m` list or the "for you" order."""
        if self.similar is not None:
            score = self._similar_scores.get(paper.key)
            return f"{score:.2f} " if score is not None else ""
        if self.sort == "for_you" and self.for_you is not None and not self.searching:
            closest = self.for_you.closest.get(paper.key)
            return f"{closest[1]:.2f} " if closest is not None else ""
        return ""

    def show_similar(self, view: SimilarView) -> Changes:
        """List the papers like ``view.source`` instead of the view (`m`); a search is cleared."""
        self.similar = view
        self._similar_scores = {paper.key: score for paper, score in zip(view.papers, view.scores, strict=True)}
        self.search.clear()
        self._rebuild_view()
        return self.show_all() | Changes.HEADER

    def leave_similar(self) -> Changes:
        """Back from the `m` list to the view it was opened from."""
        self.similar = None
        self._similar_scores = {}
        return self._rebuild_view()

    def sorted_rows(self, papers: tuple[Paper, ...], name: str, rows: Sequence[int]) -> Changes:
        """A worker computed *rows*: *papers* in the order *name*. Ignored when the
        view or the order changed meanwhile; a search result keeps its ranked order."""
        if papers is not self.view_papers or name != self.sort:
            return Changes.NONE
        self._sorted_rows = rows
        return Changes.NONE if self.searching else self.show_all()

    def show_result(self, result: SearchResult) -> Changes:
        """The rows of a search result, if it still counts (see SearchSession.accept)."""
        if not self.search.accept(result):
            return Changes.NONE
        self.rows = result.rows
        return Changes.ROWS | Changes.HEADER

    def clear_search(self) -> Changes:
        self.search.clear()
        return self.show_all()

    # ---- read state ----------------------------------------------------------------

    def mark_read_locally(self, key: str) -> Changes:
        """A paper whose detail was shown counts as read; the write is batched
        (take_pending_read)."""
        if key in self._read:
            return Changes.NONE
        unread = self.unread_count()
        self._read.add(key)
        self._read_version += 1
        self._unread_cache = ((id(self.library), self._read_version), max(0, unread - 1))
        self._pending_read.add(key)
        return Changes.MARKS | Changes.HEADER

    def take_pending_read(self) -> list[str]:
        """Keys marked read on screen and not yet given to the store."""
        keys, self._pending_read = list(self._pending_read), set()
        return keys

    def toggle_read(self, key: str) -> tuple[Changes, bool]:
        """Mark *key* read or unread; returns the changes and whether it is now read."""
        if key in self._read:
            self._read.discard(key)
            now_read = False
        else:
            self._read.add(key)
            now_read = True
        self._read_version += 1
        return Changes.MARKS | Changes.DETAIL | Changes.HEADER, now_read

    def mark_rows_read(self) -> tuple[Changes, list[str]]:
        """Mark every paper in the list read; returns the changes and their keys.
        It can be undone (:meth:`undo_mark_rows_read`): the papers that were
        unread become unread again."""
        keys = [self.view_papers[row].key for row in self.rows]
        newly = tuple(dict.fromkeys(key for key in keys if key not in self._read))
        self._read.update(keys)
        self._read_version += 1
        self.read_undo = ReadUndo(newly)
        return Changes.MARKS | Changes.DETAIL | Changes.HEADER, keys

    def undo_mark_rows_read(self) -> tuple[Changes, list[str]]:
        """Undo the last :meth:`mark_rows_read`: returns the changes and the keys
        now unread again (for the store); nothing when there is nothing to undo."""
        undo, self.read_undo = self.read_undo, None
        if undo is None or not undo.keys:
            return Changes.NONE, []
        self._read.difference_update(undo.keys)
        self._pending_read.difference_update(undo.keys)
        self._read_version += 1
        return Changes.MARKS | Changes.DETAIL | Changes.HEADER, list(undo.keys)

    def unbookmarking_loses(self, paper: Paper) -> str | None:
        """What removing *paper*'s bookmark would throw away ("its note", "its 2
        tags", "its note and its tag"); None when nothing but the bookmark (or it
        is not bookmarked): then `b` needs no confirmation."""
        bookmark = self.bookmarks.get(paper.key)
        if bookmark is None or paper.key not in self.bookmarked:
            return None
        lost = []
        if bookmark.note.strip():
            lost.append("its note")
        tags = tuple(getattr(bookmark, "tags", ()))
        if tags:
            lost.append("its tag" if len(tags) == 1 else f"its {len(tags)} tags")
        return " and ".join(lost) or None

    # ---- what the stores say -------------------------------------------------------

    def stores_changed(self, bookmarks: Mapping[str, Bookmark], read: Iterable[str]) -> Changes:
        """The files' bookmarks and read keys (after any change, ours or another
        instance's). Keys shown but not yet written stay read."""
        self.stores_ready = True
        view_changed = set(bookmarks) != set(self.bookmarks)
        self.bookmarks = bookmarks
        self.bookmarked = frozenset(bookmarks)
        tags: dict[str, set[str]] = {}
        for key, bookmark in bookmarks.items():
            for tag in getattr(bookmark, "tags", ()):
                tags.setdefault(tag.lower(), set()).add(key)
        self.tags = {tag: frozenset(keys) for tag, keys in tags.items()}
        self.tagged = frozenset(key for key, bookmark in bookmarks.items() if getattr(bookmark, "tags", ()))
        self._read = set(read) | self._pending_read
        self._read_version += 1
        changes = Changes.MARKS | Changes.HEADER | Changes.DETAIL
        if self.bookmarks_view and view_changed:
            changes |= self._rebuild_view()
        return changes
