"""Sets of paper ids kept as sorted lists (or ranges): scanning texts for the ids
whose text holds a word, and the set operations the search stages combine them with."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import contains

# Text per C call, so no call holds the GIL long enough to delay a key on the UI thread:
# `list.extend(compress(map(...)))` never returns to the interpreter until it is done.
_CHUNK_CHARS = 1_000_000


def hits_within(hits: list[int], ids: Sequence[int]) -> list[int] | None:
    """The ``hits`` (sorted) that are in ``ids`` (sorted); None when testing each hit
    would cost more than scanning ``ids``."""
    if isinstance(ids, range):
        return list(filter(ids.__contains__, hits))
    if len(hits) * 4 > len(ids):  # (a bisect costs about what scanning 3-4 titles does)
        return None
    out = []
    for i in hits:
        at = bisect_left(ids, i)
        if at < len(ids) and ids[at] == i:
            out.append(i)
    return out


def select(texts: Sequence[str], ids: Sequence[int], needle: str, check: Callable[[], None]) -> list[int]:
    """The ids whose text contains ``needle``, in order; scanned in chunks."""
    out: list[int] = []
    if not ids:
        return out
    sample = ids[:16]
    average = sum(len(texts[i]) for i in sample) / len(sample)
    step = max(64, int(_CHUNK_CHARS / max(average, 16.0)))
    for lo in range(0, len(ids), step):
        part = ids[lo:lo + step]
        out.extend(compress(part, map(contains, map(texts.__getitem__, part), repeat(needle))))
        check()
    return out


def merge(first: list[int], second: list[int]) -> list[int]:
    # Both are sorted runs: Timsort merges them in linear time.
    return sorted(first + second) if second else first


def minus(ids: Sequence[int], drop: Sequence[int]) -> Sequence[int]:
    """``ids`` without ``drop`` (a sorted subset of the sorted ``ids``), in order."""
    if not drop:
        return ids  # (a range stays a range)
    if len(ids) - len(drop) <= len(ids) // 256:
        return few_left(ids, drop)
    if len(drop) <= len(ids) // 32:
        return cut_out(ids, drop)
    gone = set(drop)
    return [i for i in ids if i not in gone]


def cut_out(ids: Sequence[int], drop: Sequence[int]) -> list[int]:
    """``minus`` when few ids are dropped (a rare word's papers out of a large corpus,
    once per field and near spelling of a ranked word): copy the runs between them,
    a few C slices, instead of testing each id (all of it without a check())."""
    kept: list[int] = []
    start = 0
    for dropped in drop:
        at = bisect_left(ids, dropped, start)
        kept += ids[start:at]
        start = at + 1
    kept += ids[start:]
    return kept


def few_left(ids: Sequence[int], drop: Sequence[int]) -> list[int]:
    """``minus`` when nearly every id is dropped (a one-letter query matches nearly
    every title): binary search for the gaps, instead of testing every id.

    ``position(k) - k``, how many ids sit before ``drop[k]`` undropped, never
    decreases; a span of ``drop`` where it stays the same has no gap inside.
    """
    def position(k: int) -> int:
        return bisect_left(ids, drop[k])  # (a range answers in O(1) steps too)

    last = len(drop) - 1
    left = list(ids[:position(0)])
    spans = [(0, last, position(0), position(last))] if last else []
    while spans:
        a, b, at_a, at_b = spans.pop()
        if at_b - at_a == b - a:
            continue  # no gap between drop[a] and drop[b]
        if b - a == 1:
            left.extend(ids[at_a + 1:at_b])
            continue
        middle = (a + b) // 2
        at_middle = position(middle)
        spans += [(middle, b, at_middle, at_b), (a, middle, at_a, at_middle)]  # (left half first)
    left.extend(ids[position(last) + 1:])
    return left
