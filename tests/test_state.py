"""ReaderState without Textual: every change says what must be redrawn."""

from __future__ import annotations

from digest_parser.models import Digest, Paper
from tui.core.library import build_library
from tui.core.query import parse_query
from tui.core.scheduling import SearchResult
from tui.core.state import Changes, ReaderState
from tui.stores.bookmarks import Bookmark

PAPERS = tuple(
    Paper(title=title, abstract=f"About {title.lower()}.", authors=("Ada Quill",), arxiv_id=f"2603.0010{i}")
    for i, title in enumerate(("Tiny Vision Transformers", "Graph Message Passing", "Sparse Attention"))
)


def loaded_state(papers: tuple[Paper, ...] = PAPERS) -> ReaderState:
    state = ReaderState()
    state.loaded(build_library([Digest(format="hf-page", source="d.txt", papers=papers)]), 1, 1)
    state.show_all()
    return state


def bookmark_of(paper: Paper, note: str = "") -> Bookmark:
    return Bookmark(key=paper.key, title=paper.title, authors=paper.authors, arxiv_id=paper.arxiv_id,
                    code_url=None, links=(), source="d.txt", added="2026-12-04T10:00:00Z", note=note)


def test_loading_asks_for_the_view_to_be_searched_again() -> None:
    state = ReaderState()
    assert state.loading
    changes = state.loaded(build_library([Digest(format="hf-page", source="d.txt", papers=PAPERS)]), 1, 1)
    assert Changes.VIEW in changes and Changes.HEADER in changes
    assert not state.loading
    assert state.view_papers == PAPERS
    assert state.show_all() == Changes.ROWS | Changes.HEADER
    assert list(state.rows) == [0, 1, 2]


def test_a_partial_load_is_still_loading() -> None:
    state = ReaderState()
    state.loaded(build_library([Digest(format="hf-page", source="d.txt", papers=PAPERS[:1])]), 0, 1, partial=True)
    assert state.loading
    assert "loading…" in state.header_parts()


def test_marking_read_redraws_marks_and_header_once_and_counts_down() -> None:
    state = loaded_state()
    version = state.read_version
    assert state.unread_count() == 3
    changes = state.mark_read_locally(PAPERS[0].key)
    assert changes == Changes.MARKS | Changes.HEADER
    assert state.read_version != version
    assert state.unread_count() == 2
    assert state.mark_read_locally(PAPERS[0].key) == Changes.NONE  # already read: nothing to draw
    assert state.take_pending_read() == [PAPERS[0].key]
    assert state.take_pending_read() == []


def test_toggle_read_and_mark_rows_read() -> None:
    state = loaded_state()
    changes, now_read = state.toggle_read(PAPERS[1].key)
    assert now_read and Changes.DETAIL in changes and Changes.MARKS in changes
    changes, now_read = state.toggle_read(PAPERS[1].key)
    assert not now_read and not state.is_read(PAPERS[1].key)
    state.rows = [0, 2]
    changes, keys = state.mark_rows_read()
    assert keys == [PAPERS[0].key, PAPERS[2].key]
    assert Changes.MARKS in changes and Changes.HEADER in changes
    assert state.unread_count() == 1


def test_the_stores_keep_what_is_marked_read_but_not_yet_written() -> None:
    state = loaded_state()
    state.mark_read_locally(PAPERS[0].key)
    changes = state.stores_changed({}, {PAPERS[2].key})
    assert state.read == {PAPERS[0].key, PAPERS[2].key}
    assert Changes.VIEW not in changes  # (not in the bookmarks view)
    assert Changes.DETAIL in changes and Changes.MARKS in changes


def test_bookmarks_view_holds_bookmarks_and_rebuilds_when_they_change() -> None:
    state = loaded_state()
    state.stores_changed({PAPERS[1].key: bookmark_of(PAPERS[1], "keep")}, ())
    assert Changes.VIEW in state.toggle_bookmarks_view()
    assert state.view_papers == (PAPERS[1],)
    assert state.marks_of(PAPERS[1]).note == "keep"
    assert "bookmarks" in state.header_parts()
    missing = Paper(title="Not Here", abstract="x", arxiv_id="2603.09999")
    changes = state.stores_changed({PAPERS[1].key: bookmark_of(PAPERS[1]), missing.key: bookmark_of(missing)}, ())
    assert Changes.VIEW in changes
    assert [paper.title for paper in state.view_papers] == ["Graph Message Passing", "Not Here"]
    state.toggle_bookmarks_view()
    assert state.view_papers == PAPERS


def test_a_result_of_an_older_query_is_not_shown() -> None:
    state = loaded_state()
    old, _ = state.search.start(parse_query("graph"), state.view_papers, bookmarked=frozenset(), read=set(), index=None)
    new, _ = state.search.start(parse_query("sparse"), state.view_papers, bookmarked=frozenset(), read=set(), index=None)
    assert old is not None and new is not None
    assert state.show_result(SearchResult(old.generation, old.query, [1], True)) == Changes.NONE
    assert state.show_result(SearchResult(new.generation, new.query, [2], True)) == Changes.ROWS | Changes.HEADER
    assert list(state.rows) == [2]
    assert "1/3 match" in state.header_parts()
    # Stage 1 arriving after stage 2 of the same query is stale too.
    assert state.show_result(SearchResult(new.generation, new.query, [0, 2], False)) == Changes.NONE


def test_empty_result_message_names_what_to_remove_and_clearing_shows_all() -> None:
    state = loaded_state()
    job, _ = state.search.start(parse_query("zzz"), state.view_papers, bookmarked=frozenset(), read=set(), index=None)
    assert job is not None
    state.show_result(SearchResult(job.generation, job.query, [], True, "No paper matches. Remove zzz to see 3 papers."))
    assert state.empty_message() == "No paper matches. Remove zzz to see 3 papers.\n\nEsc clears the search."
    assert state.clear_search() == Changes.ROWS | Changes.HEADER
    assert state.empty_message() is None and not state.searching


def test_empty_messages_for_loading_no_papers_and_no_bookmarks() -> None:
    state = ReaderState()
    assert state.empty_message() == "Loading…"
    state.loaded(build_library([]), 0, 0)
    state.show_all()
    assert state.empty_message().startswith("This digest has no papers.")
    state.toggle_bookmarks_view()
    state.show_all()
    assert state.empty_message().startswith("No bookmarks yet.")


def test_header_parts() -> None:
    state = loaded_state()
    assert state.header_parts(demo=True) == ["d.txt", "3/3 papers", "3 unread",
                                             "demo digest: open yours with digest-reader PATH"]
    state.stores_changed({PAPERS[0].key: bookmark_of(PAPERS[0])}, {PAPERS[0].key})
    assert state.header_parts() == ["d.txt", "3/3 papers", "★ 1", "2 unread"]
