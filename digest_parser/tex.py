"""TeX accents and dashes → Unicode, for showing arXiv text (docs/formats.md, "Cleaning").

arXiv mailings and feeds are 7-bit ASCII: ``Jos\\'e Nu\\~nez`` stands for
"José Nuñez". :func:`tex_to_unicode` converts the accent commands, the special
letters (``\\aa``, ``\\o``, ``\\ss`` …), the escaped specials (``\\%``, ``\\&``,
``\\_``, ``\\#``) and ``--``/``---`` dashes, the way arXiv's ``tex2utf`` shows
them. URLs are left alone (``--`` and ``\\_`` occur in real ones), and so is
math: ``$\\mathcal{O}(n)$`` matches none of the rules.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["tex_to_unicode"]

# Accent command → combining character.
_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}

_LETTERS = {
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}

# The letter an accent sits on: a plain letter, or dotless \i / \j (\'{\i} → í).
_BASE = r"(?:\\([ij])(?![A-Za-z])\s*|([A-Za-z]))"

# Symbol accents (\'e, \"{o}) and letter accents (\c{c}, \v z), each optionally
# wrapped in one pair of braces ({\"o}); the (?(1)…) closes only a brace we opened.
_ACCENT = re.compile(
    r"(\{)?"
    r"\\(?:(['`^\"~=.])|([uvHckrdb])(?=\s*\{|\s+[A-Za-z]))\s*"
    r"(?:\{\s*" + _BASE + r"\s*\}|" + _BASE + r")"
    r"(?(1)\})"
)
_LETTER = re.compile(r"(\{)?\\(aa|AA|ss|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s(?=[A-Za-z]))?(?(1)\})")
_SPECIAL = re.compile(r"\\([%&_#$])")
_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_EN_DASH = re.compile(r"(?<!-)--(?!-)")
_URL = re.compile(r"(?:https?|ftp)://\S+|\\(?:url|href)\{[^}\s]*\}")


def _accent(match: re.Match[str]) -> str:
    command = match[2] or match[3]
    base = match[4] or match[5] or match[6] or match[7]
    # A dotless \i or \j under an accent is written as a plain i or j (\'{\i} → í).
    return unicodedata.normalize("NFC", base + _COMBINING[command])


def _letter(match: re.Match[str]) -> str:
    return _LETTERS[match[2]]


def _convert(segment: str) -> str:
    if "\\" in segment:
        segment = _ACCENT.sub(_accent, segment)
        segment = _LETTER.sub(_letter, segment)
        segment = _SPECIAL.sub(r"\1", segment)
    if "--" in segment:
        segment = _EM_DASH.sub("\u2014", segment)
        segment = _EN_DASH.sub("\u2013", segment)
    return segment


def tex_to_unicode(text: str) -> str:
    """Show TeX accents, special letters and dashes as Unicode, outside URLs.

    Args:
        text: Text from an arXiv mailing or feed.

    Returns:
        The text with ``Jos\\'e`` → ``José``, ``{\\"o}`` → ``ö``, ``\\c{c}`` → ``ç``,
        ``\\aa`` → ``å``, ``--`` → ``–`` and so on. Unknown commands stay as written.
    """
    if "\\" not in text and "--" not in text:
        return text
    pieces: list[str] = []
    start = 0
    for url in _URL.finditer(text):
        pieces.append(_convert(text[start : url.start()]))
        pieces.append(url[0])
        start = url.end()
    pieces.append(_convert(text[start:]))
    return "".join(pieces)
