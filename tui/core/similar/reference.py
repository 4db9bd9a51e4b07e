"""The similarity of :mod:`tui.core.similar.index`, stated in plain Python.

Dictionaries of term weights and an inverted index: short enough to read as the
definition, and what the tests hold the numpy/scipy index to (same scores, same
order). bench/bench_similar.py times it beside the real one, which is why the
real one is not this.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from digest_parser.models import Paper
from tui.core.similar.text import smooth_idf, sublinear_tf, term_counts

Vector = dict[str, float]


class ReferenceIndex:
    """tf-idf vectors as dicts; cosine by walking the postings of a query's terms."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        counts = [term_counts(paper.title, paper.abstract) for paper in papers]
        self.keys = [paper.key for paper in papers]
        self.document_frequency: Counter[str] = Counter()
        for paper_counts in counts:
            self.document_frequency.update(paper_counts.keys())
        self.vectors = [self.vector(paper_counts) for paper_counts in counts]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for index, vector in enumerate(self.vectors):
            for term, weight in vector.items():
                self.postings.setdefault(term, []).append((index, weight))

    def vector(self, counts: Counter[str]) -> Vector:
        """Unit vector of term weights (terms the corpus lacks count as df 0)."""
        papers = len(self.keys)
        weights = {term: sublinear_tf(count) * smooth_idf(papers, self.document_frequency[term])
                   for term, count in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
        return {term: weight / norm for term, weight in weights.items()}

    def scores(self, vector: Vector) -> dict[int, float]:
        """Cosine with every paper sharing a term with *vector* (others score 0)."""
        scores: dict[int, float] = {}
        for term, weight in vector.items():
            for index, paper_weight in self.postings.get(term, ()):
                scores[index] = scores.get(index, 0.0) + weight * paper_weight
        return {index: min(score, 1.0) for index, score in scores.items()}

    def similar_to(self, index: int, *, limit: int = 50) -> list[tuple[int, float]]:
        key = self.keys[index]
        scores = self.scores(self.vectors[index])
        return _best_first({i: s for i, s in scores.items() if self.keys[i] != key}, limit)

    def similar_to_text(self, title: str, abstract: str, *, limit: int = 50) -> list[tuple[int, float]]:
        return _best_first(self.scores(self.vector(term_counts(title, abstract))), limit)

    def rank_for(self, profile: Sequence[tuple[str, str, str]]) -> list[tuple[int, float, int]]:
        best = [0.0] * len(self.keys)
        closest = [-1] * len(self.keys)
        for position, (key, title, abstract) in enumerate(profile):
            for index, score in self.scores(self.vector(term_counts(title, abstract))).items():
                if score > best[index] and self.keys[index] != key:
                    best[index], closest[index] = score, position
        return sorted(((i, best[i], closest[i]) for i in range(len(best))), key=lambda row: (-row[1], row[0]))


def _best_first(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    return sorted(((i, s) for i, s in scores.items() if s > 0), key=lambda item: (-item[1], item[0]))[:limit]
