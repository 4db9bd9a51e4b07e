"""The sanitiser: what it removes, what it must never take, and its Cf table.

The rules are in docs/formats.md, "Cleaning". The properties below are the
promises a terminal relies on (nothing that can act on it survives) and the
promise a reader relies on (an escape sequence never takes text that is not
its own, so a stray ``ESC [`` does not eat the next word).
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import sanitize
from digest_parser.sanitize import clean_line, clean_text, is_clean

CLEANERS = [clean_text, clean_line]

# Any character at all, lone surrogates and every control included.
_ANY_CHAR = st.characters(codec=None, exclude_categories=())
_ANY_TEXT = st.text(_ANY_CHAR, max_size=60)
# Text with no ESC and no C1 control: nothing in it can start a sequence, so
# whatever a cleaner does to it, it does the same with or without a stray
# "ESC [" next to it.
_ESCAPE_STARTS = "\x1b" + "".join(map(chr, range(0x80, 0xA0)))
_NO_ESCAPE_CHAR = st.characters(codec=None, exclude_categories=(), exclude_characters=_ESCAPE_STARTS)
_PLAIN_TEXT = st.text(_NO_ESCAPE_CHAR, max_size=40)
# What can follow "ESC [" without being part of a CSI: anything outside 0x21-0x7E.
_NOT_CSI_START = _NO_ESCAPE_CHAR.filter(lambda ch: not "\x21" <= ch <= "\x7e")
# Pieces of real attacks mixed into the generated text, so the regex paths run.
_SEQUENCES = st.sampled_from(
    [
        "\x1b[", "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b[?25l", "\x1b[2 q", "\x1b]0;title\x07", "\x1b]52;c;QQ==\x1b\\",
        "\x1b]8;;https://evil.example\x1b\\", "\x1bP1;2|x\x1b\\", "\x1b(B", "\x1b#8", "\x1bc", "\x1b", "\x9b31m",
        "\x9d0;t\x9c", "\x9b", "\x1b[12", "\x1b[ ", "\n", "\u2028", "\t", "\u202e", "\u200b", "\x00", "\x7f",
    ]
)
_HOSTILE_TEXT = st.lists(st.one_of(_SEQUENCES, st.text(_ANY_CHAR, max_size=8)), max_size=20).map("".join)


def _unsafe(text: str, *, one_line: bool) -> list[str]:
    """Characters that can act on a terminal or hide text, by Unicode category:
    controls (a newline allowed on several lines), format characters, lone
    surrogates and the line and paragraph separators."""
    return [
        repr(ch)
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and (one_line or ch != "\n")
    ]


# A stray "ESC [" takes nothing that is not its own -------------------------------


@pytest.mark.parametrize("clean", CLEANERS)
@given(text=_PLAIN_TEXT)
def test_a_trailing_esc_bracket_is_stripped_and_keeps_all_the_text(clean, text: str) -> None:
    assert clean(text + "\x1b[") == clean(text)


@pytest.mark.parametrize("clean", CLEANERS)
@given(before=_PLAIN_TEXT, first=_NOT_CSI_START, after=_PLAIN_TEXT)
def test_esc_bracket_before_a_non_csi_character_eats_nothing(clean, before: str, first: str, after: str) -> None:
    # A space, a line break, a tab, a letter outside ASCII…: the sequence ends
    # there, and everything from that character on is the text's own.
    assert clean(before + "\x1b[" + first + after) == clean(before + first + after)


@given(first_line=_PLAIN_TEXT, next_line=_PLAIN_TEXT)
def test_esc_bracket_ending_a_line_does_not_eat_the_next_line(first_line: str, next_line: str) -> None:
    # clean_line joins lines with a space; it must not do so before the
    # sequences are gone, or "ESC [ SP x" would read as one CSI.
    assert clean_line(first_line + "\x1b[\n" + next_line) == clean_line(first_line + "\n" + next_line)
    assert clean_text(first_line + "\x1b[\n" + next_line) == clean_text(first_line + "\n" + next_line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\x1b[", "Title"),
        ("Title\x1b[\nBeyond Words", "Title Beyond Words"),
        ("Title \x1b[ Beyond", "Title  Beyond"),
        ("Caf\x1b[\u00e9", "Caf\u00e9"),
        ("Version \x1b[12", "Version 12"),  # an incomplete CSI: its parameters stay visible
        ("Lone\x1b words", "Lone\ufffd words"),  # ESC SP is not a sequence either
        ("C1\x9b words", "C1\ufffd words"),
    ],
)
def test_incomplete_sequences_keep_the_text_after_them(text: str, expected: str) -> None:
    assert clean_line(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mRed\x1b[0m text", "Red text"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[?25lb", "ab"),
        ("cursor\x1b[2 q shape", "cursor shape"),  # a space after a parameter is an intermediate
        ("a\x1b]0;PWNED\x07b", "ab"),
        ("a\x1b]52;c;ZWNobw==\x1b\\b", "ab"),
        ("a\x1b(Bb", "ab"),
        ("a\x1b#8b", "ab"),
        ("a\x1bcb", "ab"),
        ("a\x9b31mb", "ab"),
        ("a\x9d8;;https://evil.example\x9cb", "ab"),
        ("open \x1b]0;kept as text", "open 0;kept as text"),
    ],
)
def test_complete_sequences_are_removed_whole(text: str, expected: str) -> None:
    assert clean_line(text) == expected
    assert clean_text(text) == expected


# Nothing that can act on a terminal survives -------------------------------------


@given(text=st.one_of(_ANY_TEXT, _HOSTILE_TEXT))
def test_clean_text_leaves_no_escape_control_or_format_character(text: str) -> None:
    cleaned = clean_text(text)
    assert _unsafe(cleaned, one_line=False) == []
    assert is_clean(cleaned)


@given(text=st.one_of(_ANY_TEXT, _HOSTILE_TEXT))
def test_clean_line_leaves_one_clean_line(text: str) -> None:
    cleaned = clean_line(text)
    assert _unsafe(cleaned, one_line=True) == []
    assert is_clean(cleaned, one_line=True)


@pytest.mark.parametrize("clean", CLEANERS)
@given(text=st.one_of(_ANY_TEXT, _HOSTILE_TEXT))
def test_cleaning_twice_changes_nothing(clean, text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@pytest.mark.parametrize("clean", CLEANERS)
@given(text=st.text(st.characters(codec=None, exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=60))
def test_safe_text_comes_back_unchanged(clean, text: str) -> None:
    assert clean(text) == text


# The Cf table ---------------------------------------------------------------------


def test_the_format_character_table_matches_unicodedata() -> None:
    # sanitize.py lists category Cf as ranges, so import need not scan every code
    # point; they must agree with the running Python's Unicode data.
    expected = {chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"}
    table = set()
    ranges = sanitize._CF_RANGES
    index = 0
    while index < len(ranges):
        if index + 2 < len(ranges) and ranges[index + 1] == "-":
            table |= {chr(code) for code in range(ord(ranges[index]), ord(ranges[index + 2]) + 1)}
            index += 3
        else:
            table.add(ranges[index])
            index += 1
    assert table == expected
