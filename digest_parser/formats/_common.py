"""Helpers shared by the arXiv and Hugging Face format parsers.

Everything a format module hands to :class:`~digest_parser.models.Paper` goes
through :func:`make_paper`, which sanitises every string at the boundary, so a
format module cannot forget a field.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from digest_parser import links as _links
from digest_parser.formats._text import normalise
from digest_parser.models import Link, Paper, Problem, new_paper
from digest_parser.sanitize import clean_line, clean_text

# --- text normalisation ------------------------------------------------------

def prepare(text: str) -> str:
    """The whole input, normalised and sanitised: what every parser starts from."""
    return clean_text(normalise(text))


def one_line(text: str) -> str:
    """A one-line field: sanitised, whitespace runs collapsed to one space."""
    # Fast path: a printable string has no control, format, surrogate, line or
    # non-ASCII space character, so neither normalise nor clean_line would change it.
    if text.isprintable():
        return " ".join(text.split())
    return " ".join(clean_line(normalise(text)).split())


def paragraphs_text(paragraphs: Iterable[str]) -> str:
    """Join paragraphs with a blank line, each collapsed to one line, empty ones dropped."""
    cleaned = (one_line(p) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def unwrap_arxiv_lines(lines: Iterable[str]) -> str:
    """arXiv abstract lines → paragraphs: a line starting with whitespace (or a
    blank line) starts a new paragraph, other lines continue the current one."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        if line[0].isspace() and current:
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs_text(" ".join(p) for p in paragraphs)


# --- authors ------------------------------------------------------------------

_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")


def _split_top_level(text: str) -> list[str]:
    """Split on commas and on the word ``and`` outside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            if char == ",":
                parts.append(text[start:i])
                start = i + 1
            elif char == " " and text.startswith(" and ", i):
                parts.append(text[start:i])
                i += 5
                start = i
                continue
        i += 1
    parts.append(text[start:])
    return parts


def _strip_parentheses(text: str) -> str:
    """Drop parenthesised groups (affiliation markers such as ``(1)``)."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(char)
    return "".join(out)


_SIMPLE_SEPARATORS = re.compile(r",|\s+and\s+")


def split_authors(text: str) -> tuple[str, ...]:
    """``"A, B (1), C and D ((1) MIT)"`` → ``("A", "B", "C", "D")``.

    A leading ``The X Collaboration:`` prefix becomes the first name, as arXiv's
    feeds list it.
    """
    text = " ".join(text.split())
    if not text:
        return ()
    split = _split_top_level if "(" in text else _SIMPLE_SEPARATORS.split
    head, colon, rest = text.partition(": ")
    # "The X Collaboration: A, B" keeps its prefix as the first name.
    parts = [head, *split(rest)] if colon and "," not in head and "(" not in head and rest else split(text)
    names: list[str] = []
    for part in parts:
        name = " ".join((_strip_parentheses(part) if "(" in part else part).split())
        if name.startswith("and "):
            name = name[4:]
        if not name:
            continue
        if _SUFFIX.match(name) and names:
            names[-1] = f"{names[-1]}, {name}"
        else:
            names.append(name)
    return tuple(names)


# --- identifiers and dates ---------------------------------------------------

_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})$")
_VERSION = re.compile(r"v\d+$")


def arxiv_id_or_none(value: object) -> str | None:
    """The arXiv id without version, or None when *value* is not one."""
    if not isinstance(value, str):
        return None
    candidate = _VERSION.sub("", value.strip())
    return candidate if _ARXIV_ID.match(candidate) else None


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?,?\s+(\d{4}|\d{2})\b")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_date(text: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` from an ISO-8601 timestamp or an RFC 822 style date
    (``Thu, 12 Mar 2026 14:02:11 GMT``, ``Wed 11 Mar 26 18:00:00 GMT``,
    ``Thursday, 12 March 2026``), with a locale-independent month table."""
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        return _iso(int(match[1]), int(match[2]), int(match[3]))
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        month = _MONTHS.get(match[2].lower())
        if month is None:
            return None
        year = int(match[3])
        if len(match[3]) == 2:
            year += 2000 if year < 90 else 1900
        return _iso(year, month, int(match[1]))
    return None


def date_field(text: str | None) -> str | None:
    """ISO date when derivable, else the digest's own text (one line), else None."""
    if not text:
        return None
    return iso_date(text) or one_line(text) or None


# --- links -----------------------------------------------------------------------

_HTTP = re.compile(r"^https?://\S+$")


def extract_links(text: str) -> tuple[Link, ...]:
    return _links.extract_links(text)


def first_code_url(links: tuple[Link, ...]) -> str | None:
    return _links.first_code_url(links)


def has_elided_url(text: str) -> bool:
    """True when *text* holds arXiv's ``this https URL`` placeholder."""
    return _links.has_elided_url(text)


def url_link(url: str, kind: str | None = None) -> Link | None:
    """A Link for one known URL (kind from the link classifier unless given)."""
    url = one_line(url)
    if not _HTTP.match(url):
        return None
    if kind is not None:
        return Link(url, kind)  # type: ignore[arg-type]
    found = extract_links(url)
    return found[0] if found else Link(url, "other")


def merge_links(*groups: Iterable[Link | None]) -> tuple[Link, ...]:
    """All links of *groups* in order, each URL once."""
    seen: dict[str, Link] = {}
    for group in groups:
        for link in group:
            if link is not None and link.url not in seen:
                seen[link.url] = link
    return tuple(seen.values())


# --- building records ----------------------------------------------------------


def make_paper(
    *,
    source: str,
    line: int,
    title: str,
    abstract: str = "",
    authors: Iterable[str] = (),
    date: str | None = None,
    arxiv_id: str | None = None,
    link_texts: Iterable[str] = (),
    own_links: Iterable[Link | None] = (),
    preferred_code: Iterable[Link | None] = (),
    extra: Iterable[tuple[str, str | None]] = (),
) -> Paper:
    """Build a Paper, sanitising every string.

    Args:
        source: Digest file name.
        line: 1-based line of the entry.
        title: Title (whitespace is collapsed).
        abstract: Abstract, paragraphs separated by a blank line.
        authors: Author names; empty ones are dropped.
        date: ISO date or the digest's own text.
        arxiv_id: arXiv id (a version suffix is removed; anything else → None).
        link_texts: Texts to find links in (comments, abstract), in order.
        own_links: The format's own links (repository, project page, paper pages).
        preferred_code: Links whose first code repository wins over the texts'.
        extra: Ordered (name, value) pairs; empty values are dropped.
    """
    clean_abstract = paragraphs_text(normalise(abstract).split("\n\n"))
    found = [extract_links(text if text.isprintable() else clean_text(normalise(text))) for text in link_texts]
    links = merge_links(*found, own_links)
    preferred = tuple(link for link in preferred_code if link is not None)
    code_url = (first_code_url(preferred) if preferred else None) or first_code_url(links)
    pairs = tuple(
        (one_line(name), one_line(value)) for name, value in extra if value is not None and one_line(value)
    )
    return new_paper(
        title=one_line(title),
        abstract=clean_abstract,
        authors=tuple(name for name in (one_line(a) for a in authors) if name),
        date=one_line(date) or None if date else None,
        arxiv_id=arxiv_id_or_none(arxiv_id),
        links=links,
        code_url=one_line(code_url) or None if code_url else None,
        source=source,
        line=max(1, line),
        extra=pairs,
    )


def problem(source: str, line: int, reason: str) -> Problem:
    return Problem(source, max(1, line), one_line(reason))


def split_results(results: Iterable[Paper | Problem]) -> tuple[list[Paper], list[Problem]]:
    """The papers and the problems of a format's per-entry results, each in order."""
    papers: list[Paper] = []
    problems: list[Problem] = []
    for result in results:
        (papers if isinstance(result, Paper) else problems).append(result)  # type: ignore[arg-type]
    return papers, problems

