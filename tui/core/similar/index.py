""":class:`SimilarityIndex`: which papers of a corpus read alike, and which suit a
reader's bookmarks ("More like this" and the "for you" order).

A paper is a vector of tf-idf weights over its terms (:mod:`tui.core.similar.text`:
title terms count twice), with sublinear term frequency (``1 + ln tf``), smooth
inverse document frequency (``ln((1 + n) / (1 + df)) + 1``) and unit length; two
papers are as similar as the cosine of their vectors, from 0 (no term shared) to 1
(the same terms in the same proportions). :mod:`tui.core.similar.reference` states
the same definition in plain Python; the tests hold this one to it.

The vectors are numpy/scipy sparse rows (:mod:`tui.core.similar.vectors`), imported
when the first index is built, not when this module is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from digest_parser.models import Paper
from tui.core.similar.text import term_counts

if TYPE_CHECKING:
    from tui.core.similar.vectors import SparseVector, TermVectors

ProfileEntry = tuple[str, str, str]
"""One bookmark of a profile: (key, title, abstract)."""

PROFILE_STEP = 200
"""Bookmarks turned into vectors between two cancellation checks."""


def _never() -> bool:
    return False


class SimilarityIndex:
    """The tf-idf vectors of a corpus, built once (:meth:`build`), then queried.

    Thread use: build it in a worker; its queries only read, so any thread may run
    them, one at a time or several at once.
    """

    def __init__(self, vectors: TermVectors, keys: Sequence[str]) -> None:
        """Use :meth:`build`."""
        self._vectors = vectors
        self._keys = keys

    @classmethod
    def build(cls, papers: Sequence[Paper], *, is_cancelled: Callable[[], bool] = _never) -> SimilarityIndex | None:
        """Index the titles and abstracts of *papers* (results are indices into it).

        Built in steps with *is_cancelled* asked between each two (pass one that
        also waits out a key, as the search workers do: tui.core.scheduling); no
        step runs one C call over more than one block of papers. Returns None
        when cancelled.
        """
        from tui.core.similar import vectors  # numpy and scipy: on first use only

        builder = vectors.Builder()
        for start in range(0, len(papers), vectors.TOKENISE_STEP):
            if is_cancelled():
                return None
            builder.add(papers[start:start + vectors.TOKENISE_STEP])
        built = builder.weigh(is_cancelled)
        return None if built is None else cls(built, builder.keys)

    def __len__(self) -> int:
        return len(self._keys)

    def similar_to(self, index: int, *, limit: int = 50) -> list[tuple[int, float]]:
        """The papers most like the one at *index*, as (index, score), best first.

        Scores are in (0, 1]: papers sharing no term are left out. The paper
        itself is left out, and so is any other copy of it (the same key: the same
        paper in two open digests, or a bookmark also in today's digest).
        """
        from tui.core.similar.vectors import best_first

        if not 0 <= index < len(self._keys):
            raise IndexError(f"paper {index} is not in an index of {len(self._keys)}")
        scores = self._vectors.scores(self._vectors.row(index))
        key = self._keys[index]
        scores[[row for row, other in enumerate(self._keys) if other == key]] = 0.0
        return best_first(scores, limit)

    def similar_to_text(self, title: str, abstract: str, *, limit: int = 50,
                        exclude_key: str | None = None) -> list[tuple[int, float]]:
        """The papers most like a text outside the corpus (a bookmark not in the
        open digests), as (index, score), best first, scores in (0, 1].

        Its terms are weighed with the corpus's idf; terms no paper uses count in
        its length, so it matches nothing as a copy unless it is one. Papers with
        the key *exclude_key* are left out.
        """
        from tui.core.similar.vectors import best_first

        scores = self._vectors.scores(self._vectors.vector(term_counts(title, abstract)))
        if exclude_key is not None:
            scores[[row for row, other in enumerate(self._keys) if other == exclude_key]] = 0.0
        return best_first(scores, limit)

    def rank_for(self, profile: Sequence[ProfileEntry], *,
                 is_cancelled: Callable[[], bool] = _never) -> list[tuple[int, float, int]] | None:
        """Every paper of the corpus ranked by its likeness to *profile*, the
        reader's bookmarks (or those with one tag) as (key, title, abstract).

        A paper scores the cosine of its closest bookmark, so one interest among
        several still finds its papers (an average of the bookmarks would blur
        them). Returns (index, score, position in *profile* of that bookmark),
        best first, ties in corpus order; a paper sharing no term with any
        bookmark scores 0 with position -1, and an empty profile leaves every
        paper there, in corpus order. A paper is never matched with its own
        bookmark (same key): a bookmarked paper ranks by the others, and names
        one of those. None when *is_cancelled* says so between two steps.
        """
        from tui.core.similar.vectors import ranking

        vectors: list[SparseVector] = []
        for start in range(0, len(profile), PROFILE_STEP):
            if is_cancelled():
                return None
            vectors.extend(self._vectors.vector(term_counts(title, abstract))
                           for _, title, abstract in profile[start:start + PROFILE_STEP])
        positions_of: dict[str, list[int]] = {}
        for position, (key, _, _) in enumerate(profile):
            positions_of.setdefault(key, []).append(position)
        exclude = {row: positions_of[key] for row, key in enumerate(self._keys) if key in positions_of}
        nearest = self._vectors.nearest(vectors, exclude, is_cancelled)
        if nearest is None:
            return None
        return ranking(*nearest)
