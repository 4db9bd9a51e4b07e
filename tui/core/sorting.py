"""The orders the list can be sorted in (`s` cycles through them), one registry.

Each :class:`SortOrder` says when it applies (upvotes only where the source has
them) and how to compute the order. A search result keeps its ranked order; the
sort applies to the list without a query. Computing an order over 100k papers
runs in a worker, checking for cancellation between steps, so it never holds a
key back for long (see :func:`order_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from digest_parser.models import Paper

_STEP = 5000
"""Papers whose sort key is computed between two cancellation checks."""

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class SortOrder:
    """One order of the list."""

    name: str
    """Its id (``upvotes``), for the config file and the command palette."""
    title: str
    """What the header and the palette call it (``most upvoted first``)."""
    key: Callable[[Paper], object] | None
    """The sort key of a paper (ascending); None: the digest's own order."""
    applies: Callable[[Sequence[Paper]], bool] = lambda papers: True
    """Whether the order means something for these papers."""
    by_likeness: bool = False
    """Computed from the reader's bookmarks by the similarity index
    (tui.core.similar), not from a key of each paper."""


def _upvotes(paper: Paper) -> object:
    value = dict(paper.extra).get("upvotes", "")
    return -int(value) if value.isdigit() else 1  # (papers without a count go last)


def _has_upvotes(papers: Sequence[Paper]) -> bool:
    return any(dict(paper.extra).get("upvotes") for paper in papers[:2000])


def _newest(paper: Paper) -> object:
    # ISO dates sort as text; a date without a year ("Mar 12") or none goes last.
    date = paper.date or ""
    return (0, _negated(date[:10])) if _ISO_DAY.match(date) else (1, "")


def _negated(day: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in day.split("-"))


def _title(paper: Paper) -> object:
    return paper.title.casefold()


ORDERS: tuple[SortOrder, ...] = (
    SortOrder("digest", "digest order", None),
    SortOrder("upvotes", "most upvoted first", _upvotes, _has_upvotes),
    SortOrder("newest", "newest first", _newest),
    SortOrder("title", "by title", _title),
    SortOrder("for_you", "for you: most like your bookmarks", None, by_likeness=True),
)
ORDERS_BY_NAME = {order.name: order for order in ORDERS}


def next_order(current: str, papers: Sequence[Paper]) -> SortOrder:
    """The order after *current* that applies to *papers* (wrapping round)."""
    names = [order.name for order in ORDERS]
    start = names.index(current) if current in names else 0
    for step in range(1, len(ORDERS) + 1):
        order = ORDERS[(start + step) % len(ORDERS)]
        if order.applies(papers):
            return order
    return ORDERS[0]


class SortCancelled(Exception):
    pass


def order_rows(papers: Sequence[Paper], order: SortOrder,
               is_cancelled: Callable[[], bool] = lambda: False) -> list[int] | None:
    """The rows of *papers* in *order* (stable: ties keep the digest order), or
    None when cancelled. Keys are computed in steps with a check between them;
    the sort itself is one call over precomputed keys."""
    if order.key is None:
        return list(range(len(papers)))
    key = order.key
    keys: list[Any] = []  # (each order's keys compare among themselves)
    for start in range(0, len(papers), _STEP):
        keys.extend(key(paper) for paper in papers[start:start + _STEP])
        if is_cancelled():
            return None
    return sorted(range(len(papers)), key=keys.__getitem__)
