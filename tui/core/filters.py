"""What the ``has:`` / ``is:`` filters of a search may look at besides the papers.

A search runs in a worker thread while the user keeps marking papers, so the
worker gets its own :class:`FilterContext`, taken when the key was pressed.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FilterContext:
    """The user's marks, as one search sees them."""

    bookmarked: AbstractSet[str] = frozenset()
    """Keys of bookmarked papers."""
    read: AbstractSet[str] = frozenset()
    """Keys of read papers."""
