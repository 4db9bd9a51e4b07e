"""Tags as the stores keep them (tui/stores/tags.py, docs/stores.md "Tags"): pure helpers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.sanitize import is_clean
from tui.stores.bookmarks import Bookmark
from tui.stores.tags import MAX_TAG_LENGTH, all_tags, has_tag, normalize_tags, parse_tags, tag_key


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("rl", ("rl",)),
        ("  rl  ", ("rl",)),
        ("rl, robots to-read", ("rl", "robots", "to-read")),
        ("a;b,,c\td\ne", ("a", "b", "c", "d", "e")),
        ("RL rl Rl", ("RL",)),  # compared without case: the first spelling stays
        ("Zeta alpha Beta", ("alpha", "Beta", "Zeta")),  # sorted without case
        ("", ()),
        (" , ; ", ()),
        ("x" * 50, ("x" * MAX_TAG_LENGTH,)),
        ("\x1b[31mred\x1b[0m", ("red",)),  # sanitised like any text from the file
        ("C++ 50% {odd} a_b&c", ("50%", "a_b&c", "C++", "{odd}")),
    ],
)
def test_what_the_user_types_becomes_these_tags(typed: str, tags: tuple[str, ...]) -> None:
    assert parse_tags(typed) == tags


def test_has_tag_ignores_case() -> None:
    assert has_tag(("RL", "robots"), "rl") and has_tag(("RL",), "RL") and not has_tag(("RL",), "r")


@given(st.lists(st.text(max_size=60), max_size=8))
def test_normalised_tags_keep_their_rules(texts: list[str]) -> None:
    tags = normalize_tags(texts)
    assert normalize_tags(tags) == tags  # a second pass changes nothing
    assert len({tag_key(tag) for tag in tags}) == len(tags)
    assert list(tags) == sorted(tags, key=lambda tag: (tag_key(tag), tag))
    for tag in tags:
        assert tag and len(tag) <= MAX_TAG_LENGTH and is_clean(tag, one_line=True)
        assert not re.search(r"[\s,;]", tag)


def record(*tags: str) -> Bookmark:
    return Bookmark(key=f"k{tags}", title="t", tags=tags)


def test_all_tags_most_used_first_then_by_name() -> None:
    bookmarks = [record("rl", "robots"), record("RL", "vision"), record("rl"), record("alpha", "vision")]
    assert all_tags(bookmarks) == ["rl", "vision", "alpha", "robots"]
    assert all_tags({bookmark.key: bookmark for bookmark in bookmarks}) == ["rl", "vision", "alpha", "robots"]
    assert all_tags([]) == []


def test_all_tags_shows_a_tag_in_its_most_used_spelling() -> None:
    assert all_tags([record("RL"), record("RL"), record("rl")]) == ["RL"]
    assert all_tags([record("Rl"), record("rL")]) == ["Rl"]  # a tie: the first by spelling
