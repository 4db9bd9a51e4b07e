"""How likely a typed word is a slip for a word meant: an edit distance whose edits
cost what they are worth as evidence.

Edit distance counts every edit as one, but slips are not equally likely. A word of n
letters can lose a letter in only n ways, or swap two neighbours in n - 1; a letter can
be replaced or added in some 25n ways. So each particular omission is far likelier
than each particular wrong letter, and a typed word two omissions short of a word
("yielng", "yielding") is better evidence for it than two wrong letters are for
another ("yields"). (The noisy-channel model of spelling correction: Kernighan, Church
and Gale, 1990.) On a keyboard a wrong or extra letter is mostly a neighbouring key or
a doubled letter, which makes those likelier than any other letter.

The costs are in edits, as :func:`tui.core.query.max_edits` counts them: which words
are compared is still decided by the plain distance; this only orders them.
"""

from __future__ import annotations

from functools import lru_cache

OMITTED = 0.5
"""A letter of the word meant left out (each of only n ways: about 1/25 as many as a
wrong letter's, so close to half an edit on the scale where a hundredfold frequency
is one edit)."""
SWAPPED = 0.6
"""Two neighbouring letters typed the other way round (n - 1 ways)."""
NEAR_KEY = 0.85
"""A wrong or extra letter that is a neighbouring key of the right one, or a letter
typed twice: a handful of ways per letter. (Counting ways alone would make it about
0.6; bench/bench_typo.py's four kinds use any letter, and 0.85 keeps them as well
read as with no keyboard at all while finger slips gain: bench/README.md.)"""
OTHER = 1.0
"""Any other wrong or extra letter."""
CHEAPEST = min(OMITTED, SWAPPED, NEAR_KEY, OTHER)
"""What an edit costs at least: ``distance`` edits cost between this and ``OTHER`` times it."""

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbouring keys on a QWERTY keyboard (rows staggered by half a key)."""
    position = {letter: (row, column) for row, letters in enumerate(_ROWS) for column, letter in enumerate(letters)}
    near: dict[str, frozenset[str]] = {}
    for letter, (row, column) in position.items():
        around = {(row, column - 1), (row, column + 1), (row - 1, column), (row - 1, column + 1),
                  (row + 1, column - 1), (row + 1, column)}
        near[letter] = frozenset(other for other, place in position.items() if place in around)
    return near


_NEAR = _neighbours()


def _replaced(right: str, typed: str) -> float:
    return NEAR_KEY if typed in _NEAR.get(right, ()) else OTHER


def _extra(typed: str, before: str, after: str) -> float:
    """An extra ``typed`` letter between ``before`` and ``after`` (the letters typed
    around it; empty at either end)."""
    if typed in (before, after):
        return NEAR_KEY  # a doubled letter
    near = _NEAR.get(typed, frozenset())
    return NEAR_KEY if before in near or after in near else OTHER


@lru_cache(maxsize=4096)
def typing_cost(meant: str, typed: str) -> float:
    """The cheapest way to type ``meant`` as ``typed``, in edits weighted as above
    (optimal string alignment: no letter is edited twice)."""
    cols = len(typed) + 1
    around = ["", *typed, ""]  # the letters typed, with nothing at either end
    extra = [0.0, *(_extra(typed[j - 1], around[j - 1], around[j + 1]) for j in range(1, cols))]
    two_back: list[float] = []
    previous = [0.0] * cols
    for j in range(1, cols):
        previous[j] = previous[j - 1] + extra[j]
    for i in range(1, len(meant) + 1):
        letter = meant[i - 1]
        current = [i * OMITTED] + [0.0] * (cols - 1)
        for j in range(1, cols):
            typed_letter = typed[j - 1]
            best = previous[j - 1] if letter == typed_letter else previous[j - 1] + _replaced(letter, typed_letter)
            best = min(best, previous[j] + OMITTED, current[j - 1] + extra[j])
            if i > 1 and j > 1 and letter == typed[j - 2] and meant[i - 2] == typed_letter:
                best = min(best, two_back[j - 2] + SWAPPED)
            current[j] = best
        two_back, previous = previous, current
    return previous[-1]
