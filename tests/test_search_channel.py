"""What each kind of slip costs (tui/core/search/channel.py): a letter left out or two
swapped is cheaper evidence against a word than a wrong letter, a neighbouring key
or a doubled letter cheaper than any other letter; and the cost stays within the
plain edit distance's bounds for any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from tui.core.search.channel import CHEAPEST, NEAR_KEY, OMITTED, OTHER, SWAPPED, typing_cost


@pytest.mark.parametrize(("meant", "typed", "cost"), [
    ("learning", "learning", 0.0),
    ("learning", "lerning", OMITTED),        # a letter left out
    ("yielding", "yielng", 2 * OMITTED),
    ("form", "from", SWAPPED),              # two neighbours swapped
    ("model", "modek", NEAR_KEY),           # l -> k: the key beside it
    ("model", "modez", OTHER),              # l -> z: far from it
    ("learning", "learnning", NEAR_KEY),    # a letter typed twice
    ("learning", "learbning", NEAR_KEY),    # an extra key beside the one typed after it
    ("learning", "learqning", OTHER),       # an extra key beside nothing typed
    ("graph", "graphs", OTHER),             # an s: far from the h before it
])
def test_each_slip_costs_what_it_is_worth(meant: str, typed: str, cost: float) -> None:
    assert typing_cost(meant, typed) == pytest.approx(cost)


def test_an_omission_explains_a_typo_better_than_wrong_letters_do() -> None:
    # "yielng" is two edits from both "yielding" (two letters left out) and "yields"
    # (two wrong letters): the omissions are the likelier slip.
    assert typing_cost("yielding", "yielng") < typing_cost("yields", "yielng")
    # One neighbouring key still explains a typo better than two letters left out.
    assert typing_cost("labeled", "labee") > typing_cost("labels", "labela")


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(words, words)
def test_the_cost_lies_within_the_edit_distance_bounds(meant: str, typed: str) -> None:
    distance = OSA.distance(meant, typed)
    cost = typing_cost(meant, typed)
    assert CHEAPEST * distance - 1e-9 <= cost <= OTHER * distance + 1e-9
    assert (cost == 0) == (meant == typed)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), st.data())
def test_leaving_out_any_one_letter_costs_one_omission(word: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(word) - 1))
    typed = word[:at] + word[at + 1:]
    assert typing_cost(word, typed) == pytest.approx(OMITTED)
