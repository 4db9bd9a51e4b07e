"""Tags on bookmarks: what a tag may be, and the tags in use.

A tag is one word the user gives a bookmark ("rl", "to-read", "C++"). Tags are
kept as typed (case included) but compared without case, so "RL" and "rl" are
one tag. Commas, semicolons and whitespace separate tags (they are never part
of one: the CSV export joins tags with ``;``), and a tag is at most
:data:`MAX_TAG_LENGTH` characters. A bookmark's tags are deduplicated and
sorted, so the same set is always written the same way (``docs/stores.md``).

Pure and light: the reader's screens may import it before the stores are open.
Every string is sanitised like digest text, because tags come from the
bookmarks file, an import, or the user.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

from digest_parser.sanitize import clean_line

__all__ = ["MAX_TAG_LENGTH", "Tagged", "all_tags", "has_tag", "normalize_tags", "parse_tags", "tag_key"]

MAX_TAG_LENGTH = 40
"""Characters in a tag; longer ones are cut (a tag is a label, not a note)."""

_SEPARATORS = re.compile(r"[\s,;]+")


class Tagged(Protocol):
    """Anything with tags: a :class:`~tui.stores.bookmarks.Bookmark`."""

    @property
    def tags(self) -> tuple[str, ...]: ...


def tag_key(tag: str) -> str:
    """What two tags are compared by: "RL" and "rl" are the same tag."""
    return tag.casefold()


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as a bookmark keeps them: sanitised, split, cut, deduplicated and sorted.

    Each string may hold several tags ("rl, robots to-read"). The first spelling
    of tags equal without case is kept; the order is by :func:`tag_key`, then by
    spelling, so equal sets are equal tuples.
    """
    kept: dict[str, str] = {}
    for text in tags:
        for word in _SEPARATORS.split(clean_line(text)):
            tag = word[:MAX_TAG_LENGTH]
            if tag:
                kept.setdefault(tag_key(tag), tag)
    return tuple(sorted(kept.values(), key=lambda tag: (tag_key(tag), tag)))


def parse_tags(text: str) -> tuple[str, ...]:
    """The tags in what the user typed ("rl, Robots to-read" gives ``("rl", "Robots", "to-read")``)."""
    return normalize_tags((text,))


def has_tag(tags: Iterable[str], name: str) -> bool:
    """True when *tags* hold *name*, compared without case."""
    wanted = tag_key(name)
    return any(tag_key(tag) == wanted for tag in tags)


def all_tags(bookmarks: Iterable[Tagged] | Mapping[str, Tagged]) -> list[str]:
    """The tags in use, the most used first, then by name: what a tag editor completes from.

    A tag spelt differently on different bookmarks ("RL", "rl") is listed once,
    in its most used spelling.

    Args:
        bookmarks: Bookmark records, or a mapping of them by key (a snapshot's ``bookmarks``).
    """
    records = bookmarks.values() if isinstance(bookmarks, Mapping) else bookmarks
    uses: Counter[str] = Counter()
    spellings: Counter[tuple[str, str]] = Counter()
    for record in records:
        for tag in record.tags:
            uses[tag_key(tag)] += 1
            spellings[tag_key(tag), tag] += 1
    shown: dict[str, str] = {}
    for (key, spelling), _count in sorted(spellings.items(), key=lambda item: (-item[1], item[0][1])):
        shown.setdefault(key, spelling)
    return sorted(shown.values(), key=lambda tag: (-uses[tag_key(tag)], tag_key(tag), tag))
