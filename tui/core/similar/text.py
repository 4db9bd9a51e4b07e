"""The terms of a paper as the similarity index counts them: pure Python, no numpy.

Lower-cased words of two or more letters or digits (any script; ``_`` and
punctuation split words, so ``vision-transformer`` is two terms), minus a short
list of English function words. Title terms count twice: a title names what a
paper is about, its abstract also what it is not.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_WORD = re.compile(r"[^\W_]{2,}")
_ASCII_WORD = re.compile(r"[a-z0-9]{2,}")
"""The same words in lower-cased ASCII text, found faster (no Unicode classes)."""

TITLE_WEIGHT = 2
"""How many times a title term counts against an abstract term."""

STOP_WORDS: frozenset[str] = frozenset(
    """
    about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either et etc few for from further
    had has have having he her here hers him his how however if in into is it its itself just may me
    might more most much must my no nor not now of off on once only or other our ours out over own per
    same she should so some such than that the their theirs them then there these they this those
    through thus to too under until up upon us very via was we were what when where which while who
    whom why will with within without would yet you your
    """.split()
)
"""Words that say nothing of a paper's subject. Kept short on purpose: a longer
list starts dropping words that do ("learning", "model")."""


def words(text: str) -> list[str]:
    """The words of *text*, lower-cased, in order, stop words included."""
    lowered = text.lower()
    return (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)


def term_counts(title: str, abstract: str) -> Counter[str]:
    """How often each term occurs in a paper, title terms counted TITLE_WEIGHT times.

    Deterministic: the counts depend on the text only (the order of the
    Counter's keys is the order of first occurrence, title first).
    """
    title_words = words(title)
    counts: Counter[str] = Counter(title_words)
    for _ in range(TITLE_WEIGHT - 1):
        counts.update(title_words)
    counts.update(words(abstract))
    for stop_word in STOP_WORDS.intersection(counts):
        del counts[stop_word]
    for plural in [word for word in counts if word[-1] == "s" and len(word) > 3 and word[-2] not in "su"]:
        counts[singular(plural)] += counts.pop(plural)
    return counts


def singular(plural: str) -> str:
    """A plural folded to its singular the blunt way (``transformers`` →
    ``transformer``, ``strategies`` → ``strategy``), so a title in the plural meets
    one in the singular. Words in -ss and -us are left alone; a word it mangles
    (``bias`` → ``bia``) is mangled the same in every paper, which is what counts."""
    if plural.endswith("ies") and len(plural) > 4:
        return plural[:-3] + "y"
    return plural[:-1]


def smooth_idf(papers: int, document_frequency: int) -> float:
    """The weight of a term held by *document_frequency* of *papers* papers:
    ``ln((1 + papers) / (1 + df)) + 1``, as if one more paper held every term (no
    division by zero, and a term held by every paper still counts a little)."""
    return math.log((1 + papers) / (1 + document_frequency)) + 1.0


def sublinear_tf(count: float) -> float:
    """``1 + ln(count)``: a term said ten times is not ten times the subject."""
    return 1.0 + math.log(count)
