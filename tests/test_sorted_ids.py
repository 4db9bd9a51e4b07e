"""Set operations on sorted id lists (tui/core/search/sorted_ids.py), against plain sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.search.sorted_ids import cut_out, few_left, hits_within, merge, minus, select


@given(st.sets(st.integers(0, 200)), st.sets(st.integers(0, 200)), st.booleans())
def test_within_keeps_the_hits_among_the_ids(hits: set[int], ids: set[int], as_range: bool) -> None:
    ordered_ids = range(50, 150) if as_range else sorted(ids)
    inside = hits_within(sorted(hits), ordered_ids)
    assert inside is None or inside == sorted(hits & set(ordered_ids))
    if as_range:
        assert inside is not None


@given(st.sets(st.integers(0, 3000), max_size=300), st.data(), st.booleans())
def test_minus_keeps_the_ids_not_dropped(ids: set[int], data: st.DataObject, as_range: bool) -> None:
    ordered: list[int] | range = range(0, 300) if as_range else sorted(ids)
    # Mostly nearly everything dropped: the case the binary search serves.
    kept = data.draw(st.sets(st.sampled_from(ordered), max_size=5)) if ordered else set()
    drop = [i for i in ordered if i not in kept]
    expected = [i for i in ordered if i in kept]
    assert list(minus(ordered, drop)) == expected
    if drop:
        assert few_left(ordered, drop) == expected


@given(st.sets(st.integers(0, 3000), max_size=300), st.data(), st.booleans())
def test_cutting_out_a_few_ids_keeps_the_others(ids: set[int], data: st.DataObject, as_range: bool) -> None:
    ordered: list[int] | range = range(0, 300) if as_range else sorted(ids)
    drop = sorted(data.draw(st.sets(st.sampled_from(ordered), max_size=8))) if ordered else []
    expected = [i for i in ordered if i not in set(drop)]
    assert cut_out(ordered, drop) == expected
    assert list(minus(ordered, drop)) == expected


@given(st.lists(st.text(alphabet="ab ", max_size=6), max_size=60), st.text(alphabet="ab ", min_size=1, max_size=3),
       st.booleans())
def test_select_keeps_the_ids_whose_text_holds_the_needle(texts: list[str], needle: str, as_range: bool) -> None:
    ids: list[int] | range = range(len(texts)) if as_range else list(range(0, len(texts), 2))
    checks: list[int] = []
    assert select(texts, ids, needle, lambda: checks.append(1)) == [i for i in ids if needle in texts[i]]
    assert checks or not ids


@given(st.sets(st.integers(0, 100)), st.sets(st.integers(0, 100)))
def test_merge_of_disjoint_sorted_runs_is_their_sorted_union(first: set[int], second: set[int]) -> None:
    second -= first
    assert merge(sorted(first), sorted(second)) == sorted(first | second)
