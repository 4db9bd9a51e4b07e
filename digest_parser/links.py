"""Find and clean the links in abstract prose.

What a link points at (its kind) and the repository it names are
:mod:`digest_parser.link_kinds`'s job; arXiv ids in text are
:mod:`digest_parser.arxiv_ids`'s. Both are re-exported here, where callers
have always found them. docs/formats.md, "Links", states the rules for readers
of the output.

Pipeline for :func:`extract_links`, one candidate at a time (rewriting the
whole abstract first would cost a copy of every abstract of a 100k-paper
digest, so every step below runs only on the few characters it concerns):

1. Fast path: no ``://`` in the text means no link.
2. Non-ASCII text only: delete zero-width characters (U+200B-U+200D, U+2060,
   U+FEFF and the soft hyphen U+00AD), which web pages insert to wrap URLs.
3. Find ``http://`` / ``https://`` (any case; the scheme is returned lower
   case). Bare hosts (``www.x.org``, ``cs.AI``, ``D4M.py``) are never linked.
4. Take characters up to the first stop character: any whitespace (NBSP,
   U+202F, U+3000 included), control or format character, ``< > " ' ` { } | \\ ^``,
   guillemets, curly quotes, en/em dashes, ``…``, CJK and full-width
   punctuation (U+3000-U+303F, U+FF00-U+FFFF), and ``](`` (a Markdown link).
   TeX escapes ``\\_ \\% \\# \\& \\~`` are kept and later unescaped, since
   ``\\href`` needs them and Markdown copies escape ``_``.
5. Markup: ``\\url{X}``, ``{X}.`` and ``\\footnote{X …}`` end at the brace or
   space. A URL starting right after a URL that ended with ``}{`` is the
   display text of ``\\href{X}{Y}`` (or its backslash-stripped remnant
   ``X}{Y``) and is dropped: Y is never a second link. In ``[Y](X)`` it is the
   display URL Y that is dropped and the target X that is kept.
6. Container remnants, decoded inside the candidate only, then the candidate
   is cut at the first stop character the decoding produced:
   quoted-printable soft breaks (a candidate ending in ``=`` at a line end
   whose next line starts with URL characters is evidence of QP: the pieces
   are joined and ``=XX`` escapes decoded as UTF-8), then HTML character
   references ending in ``;`` (``&amp;`` -> ``&``; names without ``;`` stay,
   so ``?a=1&copy=2`` is safe).
7. End the URL at the first ``)`` or ``]`` with no partner inside it (the GFM
   rule, applied anywhere rather than only at the end, so ``[![a](URL)b](…)``
   works), so ``…/wiki/Chain_(x)`` keeps its parenthesis; then drop trailing
   ``. , ; : ! ? * _ ~`` (``'`` and ``…`` already stop the URL). Inner dots
   stay (``datamix.v2``, ``owner.github.io``). A URL that really ends in
   ``.`` loses it (accepted: a full stop after a URL is far more common).
8. Keep URLs with a host, remove exact duplicates, keep order, classify
   (:func:`digest_parser.link_kinds.kind_and_repo`).

``this https URL`` (arXiv's elision of the link) gives no link;
:func:`has_elided_url` tells parsers to flag it.
"""

from __future__ import annotations

import re

from digest_parser.arxiv_ids import find_arxiv_ids
from digest_parser.link_kinds import canonical_repo, classify, first_code_url, kind_and_repo, plain_github_repo
from digest_parser.models import Link, LinkKind, new_link
from digest_parser.sanitize import _CF_RANGES

__all__ = [
    "Link",
    "LinkKind",
    "canonical_repo",
    "classify",
    "extract_links",
    "extract_links_and_code_url",
    "find_arxiv_ids",
    "first_code_url",
    "has_elided_url",
]

# Characters that end a URL candidate (step 4). Format characters (Cf) come
# from the sanitiser's table; the zero-width ones were deleted before matching.
_STOP_CHARS = (
    "\\s\\x00-\\x1f\\x7f-\\x9f"
    "<>\"'`{}|\\\\^"
    "\u00ab\u00bb\u2039\u203a\u2012-\u2015\u2018-\u201f\u2026"
    "\u3000-\u303f\uff00-\uffff\ud800-\udfff" + _CF_RANGES
)
_ORDINARY = f"[^{_STOP_CHARS}\\]]"
# Unrolled loop: long runs of ordinary characters are matched by one fast
# class; `]` (unless it opens a Markdown target) and TeX escapes in between.
_BODY = re.compile(f"{_ORDINARY}*(?:(?:\\](?!\\()|\\\\[_%#&~]){_ORDINARY}*)*")
# On ASCII text this ASCII-only class finds the same end with less work: sre
# checks the Unicode ranges of the full class one by one for every character.
_ASCII_ORDINARY = "[^\\x00-\\x20\\x7f<>\"'`{}|\\\\^\\]]"
_ASCII_BODY = re.compile(f"{_ASCII_ORDINARY}*(?:(?:\\](?!\\()|\\\\[_%#&~]){_ASCII_ORDINARY}*)*")
_PLAIN_BODY = re.compile(f"{_ORDINARY}*(?:\\](?!\\(){_ORDINARY}*)*")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]+")

_TRAILING = ".,;:!?*_~"  # sentence punctuation and Markdown emphasis
_TEX_ESCAPE = re.compile(r"\\([_%#&~])")
_QP_RUN = re.compile(r"(?:=[0-9A-F]{2})+")
_ENTITY = re.compile(r"&(?:amp;)*(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")
_ELIDED = re.compile(r"\b[Tt]his\s+(?:https?|ftp)\s+URL\b")


def extract_links(text: str) -> tuple[Link, ...]:
    """Every http(s) URL in *text*, cleaned, duplicates removed, order kept.

    Args:
        text: Untrusted prose: an abstract, a title, a comments field.

    Returns:
        One :class:`Link` per distinct URL, with its kind from :func:`classify`.
        Never raises on any string.
    """
    return extract_links_and_code_url(text)[0]


def extract_links_and_code_url(text: str) -> tuple[tuple[Link, ...], str | None]:
    """:func:`extract_links` and the :func:`first_code_url` of those links, found
    in one pass: a parser wants both for every abstract, and the classification
    that makes a link ``code`` has its repository at hand."""
    if not text.isascii() and _has_invisible(text):
        text = _INVISIBLE.sub("", text)
    body = _ASCII_BODY if text.isascii() else _BODY
    found: dict[str, Link] = {}
    code_url = None
    previous_end = -1
    # The `:` of every `://`. The first hop is inline: most abstracts hold no `:`
    # before their link, and a call per hop costs as much as the find.
    pos = text.find(":")
    while pos != -1:
        if not text.startswith("://", pos):
            pos = _find(text, "://", pos + 1)
            if pos < 0:
                break
        # (Most links are lower-case https: one startswith before the general check.)
        start = pos - 5 if pos >= 5 and text.startswith("https", pos - 5) else _scheme_start(text, pos)
        if start < 0:
            pos = text.find(":", pos + 3)
            continue
        end = body.match(text, pos + 3).end()  # type: ignore[union-attr]  # (it matches "": never None)
        if text[end - 1] == "=" and text[end : end + 1] in ("\n", "\r"):
            url, end, quoted_printable = _join_soft_breaks(text, start, end)
        else:
            url, quoted_printable = text[start:end], False
        is_href_display = previous_end == start - 2 and text.startswith("}{", start - 2)
        is_markdown_display = text.startswith("](", end) and _scheme_start(
            text, text.find("://", end + 2, end + 11)
        ) == end + 2
        previous_end = end
        if not (is_href_display or is_markdown_display):
            url = _clean(url, pos - start, quoted_printable)
            if url and url not in found:
                plain_repo = plain_github_repo(url)  # the link most abstracts carry, in one regex match
                kind, repo = ("code", plain_repo) if plain_repo else kind_and_repo(url)
                found[url] = new_link(url, kind)
                if code_url is None and kind == "code":
                    code_url = repo
        pos = text.find(":", end)
    return (tuple(found.values()), code_url) if found else ((), None)


def _find(text: str, needle: str, start: int = 0) -> int:
    """``text.find(needle, start)``, faster in prose: a one-character find is a
    memchr, far faster than a multi-character search, and the needle's first
    character is rare in prose. Many false hits hand over to the C search."""
    first = needle[0]
    index = text.find(first, start)
    hops = 0
    while index >= 0 and not text.startswith(needle, index):
        hops += 1
        if hops == 8:
            return text.find(needle, index)
        index = text.find(first, index + 1)
    return index


def _has_invisible(text: str) -> bool:
    # Each `in` is one C scan of the text; a regex search steps through it in sre.
    return (
        "\u200b" in text or "\u200c" in text or "\u200d" in text
        or "\u2060" in text or "\ufeff" in text or "\u00ad" in text
    )


def _scheme_start(text: str, pos: int) -> int:
    """Index where the ``http``/``https`` that ends at *pos* (a ``://``) starts, else -1."""
    if pos >= 5 and text[pos - 5 : pos].lower() == "https":
        return pos - 5
    if pos >= 4 and text[pos - 4 : pos].lower() == "http":
        return pos - 4
    return -1


def _join_soft_breaks(text: str, start: int, end: int) -> tuple[str, int, bool]:
    """Join a URL that a quoted-printable soft break (``=\\n``) split over lines.

    Returns the raw URL text, where it ends in *text*, and whether it was joined.
    """
    pieces = []
    piece_start = start
    while text[end - 1] == "=":
        if text.startswith("\n", end):
            next_line = end + 1
        elif text.startswith("\r\n", end):
            next_line = end + 2
        else:
            break
        next_end = _BODY.match(text, next_line).end()  # type: ignore[union-attr]  # (it matches "")
        if next_end == next_line:
            break
        pieces.append(text[piece_start : end - 1])
        piece_start, end = next_line, next_end
    pieces.append(text[piece_start:end])
    return "".join(pieces), end, len(pieces) > 1


def _clean(raw: str, scheme_length: int, quoted_printable: bool) -> str:
    """Decode remnants, trim the right edge and check there is a host; "" if none."""
    url = raw
    if quoted_printable:
        url = _QP_RUN.sub(_decode_qp_run, url)
    if "\\" in url:
        url = _TEX_ESCAPE.sub(r"\1", url)
    if "&" in url and ";" in url:
        url = _decode_entities(url)
    host_start = scheme_length + 3
    if url != raw or quoted_printable:
        # Decoding may have produced a stop character: cut as if the text had
        # been decoded before matching (and no escape is honoured twice).
        url = url[: _PLAIN_BODY.match(url, host_start).end()]  # type: ignore[union-attr]  # (it matches "")
    if ")" in url or "]" in url:
        url = _cut_unmatched(url)
    url = url.rstrip(_TRAILING)
    if len(url) <= host_start or not (url[host_start].isalnum() or url[host_start] == "["):
        return ""
    scheme = url[:scheme_length]
    return url if scheme in ("https", "http") else scheme.lower() + url[scheme_length:]


def _cut_unmatched(url: str) -> str:
    """End the URL at the first ``)`` or ``]`` that closes nothing inside it.

    Balanced pairs stay (``…/wiki/Chain_(x)``); an unmatched closer belongs to
    the prose or markup around the URL (``(see URL).``, ``[![a](URL)b](…)``).
    """
    for closer, opener in ((")", "("), ("]", "[")):
        index = url.find(closer)
        opened = closed = 0
        previous = 0
        while index != -1:
            opened += url.count(opener, previous, index)
            closed += 1
            if closed > opened:
                url = url[:index]
                break
            previous = index
            index = url.find(closer, index + 1)
    return url


def _decode_entities(url: str) -> str:
    """Decode HTML character references until none is left (HF pages escape twice).

    ``&amp;amp;…`` chains go in one pass; the bound only matters for hostile
    input nesting mixed forms (``&#38;#38;…``) many levels deep.
    """
    for _ in range(8):
        decoded = _ENTITY.sub(_decode_entity, url)
        if decoded == url:
            break
        url = decoded
    return url


def _decode_qp_run(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("=", ""))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: percent-encoding keeps the bytes in valid URL form.
        return "".join(f"%{byte:02X}" for byte in raw)


def _decode_entity(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        from html.entities import html5  # a 2,000-entry table: imported for the rare entity, not at start-up

        # An unknown name stays as written; only the `&amp;` chain before it goes.
        return html5.get(name + ";") or f"&{name};"
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def has_elided_url(text: str) -> bool:
    """True when *text* holds arXiv's ``this https URL`` placeholder for a lost link."""
    found = _find(text, "URL")
    # A match ends at a "URL": look just before the first one, then everywhere.
    return found >= 0 and (_ELIDED.search(text, max(0, found - 30)) or _ELIDED.search(text)) is not None
