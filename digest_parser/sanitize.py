"""Remove everything from untrusted text that could act on a terminal.

Neither Textual nor Rich strips escape sequences (they drop only BEL, BS, VT,
FF and CR), so a digest title holding ``ESC ] 52 ; …`` would write the user's
clipboard. The rules, in order (docs/formats.md, "Cleaning"):

1. complete CSI, OSC, DCS, SOS, PM, APC and other ESC sequences, 7-bit and
   8-bit forms, are removed whole;
2. any control character left (C0 except newline, DEL, C1, a lone ESC) and any
   lone surrogate becomes U+FFFD, so nothing is hidden silently;
3. format characters (category Cf: bidi overrides and isolates, zero-width
   space/joiners, BOM, soft hyphen, tag characters) are dropped;
4. tab becomes a space; U+2028/U+2029 become a newline (or a space on one line).

An unterminated OSC keeps its payload as visible text: once its ESC is gone it
is harmless, and hiding the rest of a title would lose data. For the same
reason a sequence never takes text that is not its own: an ``ESC [`` with no
final byte (at the end of a string, or before a character that cannot belong
to a CSI such as a space, a line break or a letter outside ASCII) is dropped
alone and the text after it stays; a space right after ``ESC [`` or ``ESC``
never starts a sequence; and :func:`clean_line` removes sequences before it
joins lines, so an ``ESC [`` ending one line cannot swallow the start of the
next.
"""

from __future__ import annotations

import re

_REPLACEMENT = "\ufffd"

# A CSI is parameters, intermediates, then one final byte. An intermediate space
# (as in ``ESC [ 2 SP q``) counts only after a parameter: ``ESC [`` followed by a
# space is far more often a stray introducer before a word than ``ESC [ SP @``,
# and reading it as a sequence would eat the word's first letter. Such an
# introducer, or one with no final byte, is caught by the two-byte rule below,
# which removes ``ESC [`` alone.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ (?: [0-?]+ [ -/]* | [!-/]* ) [@-~]        # CSI
    | \x9b   (?: [0-?]+ [ -/]* | [!-/]* ) [@-~]        # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])         # OSC, DCS, SOS, PM, APC …
      [^\x07\x1b\x9c]*  (?:\x07|\x1b\\|\x9c)          # … up to BEL or ST
    | \x1b [!-/] [ -/]* [0-~]                         # nF (charset designations, ESC # 8 …)
    | \x1b [0-~]                                      # Fp/Fe/Fs two-byte escapes (ESC c, ESC 7 …),
                                                      # and an ESC [ that starts no CSI
    """,
    re.VERBOSE,
)


# Unicode category Cf (format characters) as of Unicode 14 (Python 3.11), as
# ranges: computing it at import would scan 1.1M code points on every start.
# tests/test_sanitize.py checks it against unicodedata of the running Python.
_CF_RANGES = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_CF = _CF_RANGES
_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"

# Fast path: most text has none of these, and checking once is far cheaper
# than rebuilding the string.
_UNSAFE = re.compile(f"[{_CONTROLS}\\t\u2028\u2029{_CF}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_CONTROLS}\\t\\n\u2028\u2029{_CF}]")
_CONTROL_RUN = re.compile(f"[{_CONTROLS}]")
_FORMAT_RUN = re.compile(f"[{_CF}]+")


def clean_text(text: str) -> str:
    """Sanitise multi-line text: newlines stay, everything in the module rules goes."""
    if not _UNSAFE.search(text):
        return text
    return _clean(text).replace("\u2028", "\n").replace("\u2029", "\n")


def clean_line(text: str) -> str:
    """Sanitise text for a one-line field: like :func:`clean_text`, and every
    line break (``\\n``, U+2028, U+2029) becomes a space."""
    if not _UNSAFE_ONE_LINE.search(text):
        return text
    # Sequences go before lines are joined: "ESC [" ending one line would
    # otherwise read the space and the next line's first letter as its own.
    cleaned = _clean(text)
    return cleaned.replace("\n", " ").replace("\u2028", " ").replace("\u2029", " ")


def _clean(text: str) -> str:
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\t", " ")
    # Keep "\n" (0x0a): it is outside _CONTROLS on purpose.
    text = _CONTROL_RUN.sub(_REPLACEMENT, text)
    return _FORMAT_RUN.sub("", text)


def is_clean(text: str, *, one_line: bool = False) -> bool:
    """True when *text* holds nothing :func:`clean_text` (or :func:`clean_line`) would change."""
    return not (_UNSAFE_ONE_LINE if one_line else _UNSAFE).search(text)
