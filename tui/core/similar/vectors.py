"""The weighted term vectors of a corpus as sparse rows (numpy, scipy), and the
products the similarity queries need.

Imported on first use by :mod:`tui.core.similar.index`, never on the way to the
first frame: numpy and scipy take a while to import.

The rows are kept in blocks of :data:`BLOCK_ROWS` papers rather than one matrix:
every C call then works on one block, so none holds the GIL long enough to delay
a key on the UI thread, and the build never needs a second copy of the whole
matrix to stack the blocks. The numbers behind the sizes are in bench/README.md
("Similar papers").
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from digest_parser.models import Paper
from tui.core.similar.text import smooth_idf, sublinear_tf, term_counts

BLOCK_ROWS = 5_000
"""Papers per block of rows: the unit of every C call over the corpus."""

TOKENISE_STEP = 200
"""Papers tokenised between two cancellation checks (pure Python: the interpreter
hands the GIL over every few milliseconds anyway; the check lets a key pause in)."""

PRODUCT_CELLS = 2_000_000
"""Bound on the (papers × bookmarks) scores one step of :meth:`TermVectors.nearest`
holds at once."""

PRODUCT_WORK = 10_000_000
"""Bound on the multiplications of one step of :meth:`TermVectors.nearest` (a
paper's term times each bookmark holding it): the sparse product is one C call, and
its time follows this count, not the number of papers."""

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.intp]


@dataclass(slots=True)
class _Counts:
    """One block of raw term counts, rows in corpus order (CSR layout)."""

    term_ids: array[int]
    counts: array[int]
    row_lengths: array[int]


@dataclass(frozen=True, slots=True)
class SparseVector:
    """One L2-normalised vector: term ids (into the corpus vocabulary) and weights.

    Terms the corpus never uses are left out of *term_ids* but count in the norm,
    so a text sharing half its weight with a paper does not look like a copy of it.
    """

    term_ids: Ints
    weights: Floats


class Builder:
    """Term counts of a corpus, gathered a few papers at a time (:meth:`add`)."""

    def __init__(self) -> None:
        # The next unseen term gets the next id: one C-level lookup per term.
        self._vocabulary: defaultdict[str, int] = defaultdict()
        self._vocabulary.default_factory = self._vocabulary.__len__
        self._blocks: list[_Counts] = []
        self._open = _Counts(array("i"), array("i"), array("i"))
        self.keys: list[str] = []
        """Each paper's key, in corpus order (a paper is not similar to itself)."""

    def add(self, papers: Sequence[Paper]) -> None:
        """Count the terms of *papers*, the next ones of the corpus."""
        term_id = self._vocabulary.__getitem__
        for paper in papers:
            if len(self._open.row_lengths) == BLOCK_ROWS:
                self._blocks.append(self._open)
                self._open = _Counts(array("i"), array("i"), array("i"))
            counts = term_counts(paper.title, paper.abstract)
            self._open.term_ids.extend(map(term_id, counts))
            self._open.counts.extend(counts.values())
            self._open.row_lengths.append(len(counts))
            self.keys.append(paper.key)

    def weigh(self, is_cancelled: Callable[[], bool]) -> TermVectors | None:
        """The weighted vectors of every paper added, one block per step;
        None when *is_cancelled* says so between two steps."""
        if self._open.row_lengths:
            self._blocks.append(self._open)
            self._open = _Counts(array("i"), array("i"), array("i"))
        self._vocabulary.default_factory = None  # from now on an unknown term stays unknown
        vocabulary: dict[str, int] = self._vocabulary
        terms = len(vocabulary)
        papers = len(self.keys)
        document_frequency = np.zeros(terms, dtype=np.int64)
        for block in self._blocks:  # (each term appears once per row: its count is in counts)
            if is_cancelled():
                return None
            document_frequency += np.bincount(_ints(block.term_ids), minlength=terms)
        idf = (np.log((1.0 + papers) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
        rows: list[sparse.csr_matrix] = []
        while self._blocks:
            if is_cancelled():
                return None
            rows.append(_weigh_block(self._blocks.pop(0), idf, terms))  # (each block's counts go once weighed)
        return TermVectors(rows, idf, vocabulary, papers)


def _ints(values: array[int]) -> Ints:
    return np.frombuffer(values, dtype=np.int32).astype(np.intp)


def _weigh_block(block: _Counts, idf: Floats, terms: int) -> sparse.csr_matrix:
    """One block's rows: sublinear tf times idf, each row L2-normalised."""
    term_ids = np.frombuffer(block.term_ids, dtype=np.int32)
    lengths = np.frombuffer(block.row_lengths, dtype=np.int32)
    weights = (1.0 + np.log(np.frombuffer(block.counts, dtype=np.int32).astype(np.float32))) * idf[term_ids]
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=len(lengths))).astype(np.float32)
    norms[norms == 0] = 1.0  # a paper with no terms keeps its empty row
    weights /= norms[row_of]
    row_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=row_starts[1:])
    return sparse.csr_matrix((weights, term_ids.copy(), row_starts), shape=(len(lengths), terms))


class TermVectors:
    """The L2-normalised tf-idf rows of a corpus, in blocks, and the inverse
    document frequency of each term (to weigh texts outside the corpus alike)."""

    def __init__(self, blocks: list[sparse.csr_matrix], idf: Floats, vocabulary: dict[str, int], papers: int) -> None:
        self._blocks = blocks
        self._idf = idf
        self._vocabulary = vocabulary
        self._papers = papers
        self._terms = len(idf)

    def row(self, index: int) -> SparseVector:
        """The vector of the corpus paper at *index*."""
        block = self._blocks[index // BLOCK_ROWS]
        row = index % BLOCK_ROWS
        start, end = block.indptr[row], block.indptr[row + 1]
        return SparseVector(block.indices[start:end].astype(np.intp), block.data[start:end])

    def vector(self, counts: Counter[str]) -> SparseVector:
        """The vector of a text outside the corpus, from its :func:`term_counts`."""
        known: list[int] = []
        known_weights: list[float] = []
        squares = 0.0
        unknown_idf = smooth_idf(self._papers, 0)
        for term, count in counts.items():
            term_id = self._vocabulary.get(term)
            weight = sublinear_tf(count) * (unknown_idf if term_id is None else float(self._idf[term_id]))
            squares += weight * weight
            if term_id is not None:
                known.append(term_id)
                known_weights.append(weight)
        norm = math.sqrt(squares) or 1.0
        return SparseVector(np.array(known, dtype=np.intp), np.array(known_weights, dtype=np.float32) / np.float32(norm))

    def scores(self, vector: SparseVector) -> Floats:
        """Cosine similarity of *vector* with every paper, in corpus order."""
        dense = np.zeros(self._terms, dtype=np.float32)
        dense[vector.term_ids] = vector.weights
        if not self._blocks:
            return np.zeros(0, dtype=np.float32)
        scores = np.concatenate([block @ dense for block in self._blocks]).astype(np.float32)
        np.clip(scores, 0.0, 1.0, out=scores)  # (rounding can pass 1 by an ulp)
        return scores

    def nearest(self, profile: Sequence[SparseVector], exclude: Mapping[int, Sequence[int]],
                is_cancelled: Callable[[], bool]) -> tuple[Floats, Ints] | None:
        """For every paper, its best cosine with a vector of *profile* and that
        vector's position (-1 when it shares no term with any).

        *exclude* maps a paper's index to the profile positions it must not be
        matched with (its own bookmark). None when *is_cancelled* says so; it is
        asked between steps of at most PRODUCT_CELLS scores and PRODUCT_WORK
        multiplications (or one paper, when it alone needs more).
        """
        best = np.zeros(self._papers, dtype=np.float32)
        closest = np.full(self._papers, -1, dtype=np.intp)
        if not profile:
            return best, closest
        lengths = [len(vector.term_ids) for vector in profile]
        starts = np.zeros(len(profile) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        profile_rows = sparse.csr_matrix(
            (np.concatenate([v.weights for v in profile]), np.concatenate([v.term_ids for v in profile]), starts),
            shape=(len(profile), self._terms), dtype=np.float32)
        by_term = profile_rows.T.tocsr()  # terms × profile: what each paper row multiplies
        holders = np.diff(by_term.indptr)  # how many bookmarks hold each term
        most_rows = max(1, PRODUCT_CELLS // len(profile))
        for number, block in enumerate(self._blocks):
            # Work done before each row of the block: its steps cut where it passes PRODUCT_WORK.
            work = np.zeros(block.nnz + 1, dtype=np.int64)
            np.cumsum(holders[block.indices], out=work[1:])
            work_before_row = work[block.indptr]
            start = 0
            while start < block.shape[0]:
                if is_cancelled():
                    return None
                end = int(np.searchsorted(work_before_row, work_before_row[start] + PRODUCT_WORK, side="right")) - 1
                end = min(max(end, start + 1), start + most_rows, block.shape[0])
                products = (block[start:end] @ by_term).toarray()
                first = number * BLOCK_ROWS + start
                for row, positions in exclude.items():
                    if first <= row < first + products.shape[0] and positions:
                        products[row - first, list(positions)] = 0.0
                choice = products.argmax(axis=1)
                score = products[np.arange(products.shape[0]), choice]
                best[first:first + products.shape[0]] = score
                closest[first:first + products.shape[0]] = np.where(score > 0, choice, -1)
                start = end
        np.clip(best, 0.0, 1.0, out=best)
        return best, closest


def best_first(scores: Floats, limit: int) -> list[tuple[int, float]]:
    """The *limit* best positive scores as (index, score), best first, ties in
    index order: deterministic."""
    candidates = np.flatnonzero(scores > 0)
    if limit <= 0 or not len(candidates):
        return []
    if len(candidates) > limit:  # (a partial sort: most papers never need ordering)
        values = scores[candidates]
        cut = len(values) - limit
        candidates = candidates[values >= np.partition(values, cut)[cut]]
    chosen = candidates[np.lexsort((candidates, -scores[candidates]))[:limit]]
    return list(zip(chosen.tolist(), scores[chosen].tolist(), strict=True))


def ranking(best: Floats, closest: Ints) -> list[tuple[int, float, int]]:
    """Every paper as (index, score, closest), best first, ties in index order."""
    order = np.lexsort((np.arange(len(best)), -best))
    return list(zip(order.tolist(), best[order].tolist(), closest[order].tolist(), strict=True))
