"""Line-end and space normalisation every format parser (and sniffer) starts from."""

from __future__ import annotations

import re

# Apple Mail turns runs of spaces into NBSP (docs/formats.md, "arxiv-mail"); copies from web pages
# bring narrow and figure spaces. They must be plain spaces before any regex.
_SPACE_LIKE = ("\u00a0", "\u202f", "\u2007", "\u3000")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_NEEDS_NORMALISING = re.compile("[\r\u00a0\u202f\u2007\u3000\u200b\u200c\u200d\u2060\ufeff]")


def normalise(text: str) -> str:
    """NBSP-like spaces become spaces, zero-width characters go, line ends become ``\\n``."""
    if not _NEEDS_NORMALISING.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for space in _SPACE_LIKE:
        text = text.replace(space, " ")
    for invisible in _ZERO_WIDTH:
        text = text.replace(invisible, "")
    return text
