"""Sort orders: pure tests of the registry and a Pilot test of `s`."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from digest_parser.models import Digest, Paper
from tests.tui_helpers import app_for_papers, frame_text, ready
from tui.core.library import build_library
from tui.core.query import parse_query
from tui.core.scheduling import SearchResult
from tui.core.sorting import ORDERS_BY_NAME, next_order, order_rows
from tui.core.state import Changes, ReaderState

PAPERS = (
    Paper(title="beta: Second", abstract="x", date="2026-11-02", extra=(("upvotes", "5"),)),
    Paper(title="Alpha: First", abstract="x", date="2026-12-01", extra=(("upvotes", "40"),)),
    Paper(title="Gamma: Third", abstract="x", date="Mar 12"),
    Paper(title="delta: Fourth", abstract="x", date="2025-01-30", extra=(("upvotes", "12"),)),
)


def titles(rows: list[int] | None) -> list[str]:
    assert rows is not None
    return [PAPERS[i].title.split(":")[0] for i in rows]


def test_each_order() -> None:
    assert titles(order_rows(PAPERS, ORDERS_BY_NAME["digest"])) == ["beta", "Alpha", "Gamma", "delta"]
    assert titles(order_rows(PAPERS, ORDERS_BY_NAME["upvotes"])) == ["Alpha", "delta", "beta", "Gamma"]
    assert titles(order_rows(PAPERS, ORDERS_BY_NAME["newest"])) == ["Alpha", "beta", "delta", "Gamma"]
    assert titles(order_rows(PAPERS, ORDERS_BY_NAME["title"])) == ["Alpha", "beta", "delta", "Gamma"]


def test_upvotes_is_offered_only_when_the_source_has_them() -> None:
    assert next_order("digest", PAPERS).name == "upvotes"
    plain = tuple(Paper(title=p.title, abstract="x") for p in PAPERS)
    assert next_order("digest", plain).name == "newest"
    assert next_order("title", plain).name == "for_you"
    assert next_order("for_you", plain).name == "digest"  # wraps round


def test_a_cancelled_sort_gives_nothing() -> None:
    assert order_rows(PAPERS * 3000, ORDERS_BY_NAME["title"], lambda: True) is None


@given(st.lists(st.tuples(st.text(max_size=8), st.integers(0, 999)), max_size=40))
def test_an_order_is_a_stable_permutation(items: list[tuple[str, int]]) -> None:
    papers = tuple(Paper(title=title or "t", abstract="x", extra=(("upvotes", str(votes)),)) for title, votes in items)
    rows = order_rows(papers, ORDERS_BY_NAME["upvotes"])
    assert rows is not None and sorted(rows) == list(range(len(papers)))
    for a, b in pairwise(rows):
        va, vb = int(dict(papers[a].extra)["upvotes"]), int(dict(papers[b].extra)["upvotes"])
        assert va > vb or (va == vb and a < b)


def test_state_sorts_the_list_but_a_search_keeps_its_ranked_order() -> None:
    state = ReaderState()
    state.loaded(build_library([Digest(format="hf-json", source="d.json", papers=PAPERS)]), 1, 1)
    state.show_all()
    assert state.choose_sort("upvotes") == Changes.HEADER and state.needs_sorting
    assert "most upvoted first" in state.header_parts()
    rows = order_rows(state.view_papers, ORDERS_BY_NAME["upvotes"])
    assert rows is not None
    assert Changes.ROWS in state.sorted_rows(state.view_papers, "upvotes", rows)
    assert list(state.rows) == [1, 3, 0, 2]
    job, _ = state.search.start(parse_query("a"), state.view_papers, bookmarked=frozenset(), read=set(), index=None)
    assert job is not None
    state.show_result(SearchResult(job.generation, job.query, [2, 0], True))
    assert list(state.rows) == [2, 0]  # ranked, not sorted
    state.clear_search()
    assert list(state.rows) == [1, 3, 0, 2]  # the sort applies again
    assert state.sorted_rows(state.view_papers, "title", [0, 1, 2, 3]) == Changes.NONE  # stale: another order
    assert Changes.ROWS in state.choose_sort("digest")
    assert list(state.rows) == [0, 1, 2, 3]


async def test_s_cycles_the_orders_and_the_header_names_it() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")
        for _ in range(50):
            if list(screen.state.rows) == [1, 3, 0, 2]:
                break
            await pilot.pause(0.02)
        assert list(screen.state.rows) == [1, 3, 0, 2]
        assert "most upvoted first" in frame_text(app).splitlines()[0]
        assert screen.paper_list.current_paper is PAPERS[0]  # the cursor stays on its paper
        await pilot.press("s", "s", "s")  # newest, title, back to the digest order
        await pilot.pause()
        assert list(screen.state.rows) == [0, 1, 2, 3]
        assert "most upvoted" not in frame_text(app).splitlines()[0]


async def test_the_command_palette_names_each_order() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert {"Sort: digest order", "Sort: most upvoted first", "Sort: newest first", "Sort: by title"} <= set(titles)
