"""arXiv feeds: RSS 2.0 and Atom from rss.arxiv.org, arXiv API Atom results, and
titles of the legacy (pre-2024) RSS 1.0 feed (docs/formats.md, "arxiv-feed").

Parsed with :mod:`xml.etree.ElementTree`, which never fetches anything. Input
holding ``<!DOCTYPE`` or ``<!ENTITY`` is refused outright: arXiv feeds have
neither, and internal entities are how "billion laughs" files blow up memory.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_tz

from digest_parser.formats._common import (
    date_field,
    iso_date,
    make_paper,
    one_line,
    problem,
    split_authors,
    split_results,
    unwrap_arxiv_lines,
    url_link,
)
from digest_parser.models import Digest, Paper, Problem
from digest_parser.tex import tex_to_unicode

NAME = "arxiv-feed"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"

_DANGEROUS = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ANNOUNCE = re.compile(r"^\s*arXiv:(\S+)\s+Announce Type:\s*(\S+)\s*Abstract:\s*(.*)$", re.DOTALL)
_LEGACY_TITLE = re.compile(
    r"\.?\s*\(arXiv:(\S+?)(?:v\d+)?\s+\[([^\]]+)\](?:\s+(UPDATED|CROSS LISTED))?\)\s*$"
)
_ABS_URL = re.compile(r"arxiv\.org/abs/(\S+?)/?$")
_OAI_ID = re.compile(r"^oai:arXiv\.org:(\S+)$")
_ENTRY_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_HTML_TAG = re.compile(r"<[^>]*>")
_LOOKS_HTML = re.compile(r"</?(?:p|a|br|div|span|i|b|em)(?:\s[^<>]*)?/?>", re.IGNORECASE)


# --- element helpers ------------------------------------------------------------------


def _text(element: ET.Element | None, *paths: str) -> str:
    """Text of the first child found at one of *paths* ('' when none)."""
    if element is None:
        return ""
    for path in paths:
        child = element.find(path)
        if child is not None:
            return "".join(child.itertext())
    return ""


def _rfc822_date(text: str) -> str | None:
    """ISO date of an RFC 822 date as written (its own time zone, not UTC)."""
    parsed = parsedate_tz(text) if text else None
    if parsed is None:
        return iso_date(text)
    return iso_date(f"{parsed[0]:04d}-{parsed[1]:02d}-{parsed[2]:02d}")


def _strip_html(text: str) -> str:
    # Legacy RSS descriptions were HTML paragraphs; after XML parsing the tags are
    # text. Modern ones are plain and may hold math such as "$a <= b$": leave those.
    if not _LOOKS_HTML.search(text):
        return text
    return html.unescape(_HTML_TAG.sub(" ", text.replace("</p>", "\n\n")))


# --- one entry --------------------------------------------------------------------------


def _entry_paper(entry: ET.Element, source: str, line: int) -> Paper | Problem:
    """An RSS ``item`` or an Atom ``entry`` (feed or API) as a Paper."""
    title = _text(entry, "title", f"{_ATOM}title", f"{_RSS1}title")
    body = _text(entry, "description", f"{_ATOM}summary", f"{_RSS1}description")
    link = _text(entry, "link", f"{_RSS1}link") or _alternate_href(entry)
    guid = _text(entry, "guid", f"{_ATOM}id")
    kind = _text(entry, f"{_ARXIV}announce_type").strip()
    arxiv_id = ""
    version = ""

    announce = _ANNOUNCE.match(body)
    if announce:
        arxiv_id, kind, body = announce[1], kind or announce[2], announce[3]
    legacy = _LEGACY_TITLE.search(title)
    categories = [one_line("".join(c.itertext())) for c in entry.findall("category")]
    categories += [c.get("term", "") for c in entry.findall(f"{_ATOM}category")]
    if legacy:
        title = title[: legacy.start()]
        arxiv_id = arxiv_id or legacy[1]
        categories = categories or legacy[2].split()
        kind = kind or {"UPDATED": "replace", "CROSS LISTED": "cross"}.get(legacy[3] or "", "new")
    for candidate in (guid, link):
        if not arxiv_id:
            found = _OAI_ID.match(candidate.strip()) or _ABS_URL.search(candidate.strip())
            arxiv_id = found[1] if found else ""
    if arxiv_id:
        versioned = re.search(r"v(\d+)$", arxiv_id)
        version = versioned[1] if versioned else ""

    if _text(entry, f"{_ATOM}title").strip() == "Error" and "api/errors" in guid:
        return problem(source, line, f"arXiv API error: {one_line(body)}")
    if not one_line(title):
        return problem(source, line, "feed entry without a title")

    primary = entry.find(f"{_ARXIV}primary_category")
    if primary is not None and primary.get("term"):
        term = primary.get("term", "")
        categories = [term, *(c for c in categories if c != term)]
    authors_text = _text(entry, f"{_DC}creator")
    authors = (
        split_authors(tex_to_unicode(one_line(_strip_html(authors_text))))
        if authors_text
        else tuple(tex_to_unicode(_text(a, f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author"))
    )
    comments = one_line(_text(entry, f"{_ARXIV}comment"))
    abstract = unwrap_arxiv_lines((body if announce else _strip_html(body)).split("\n"))
    published = _text(entry, "pubDate", f"{_ATOM}published", f"{_DC}date").strip()
    date = _rfc822_date(published) if published and not published[:4].isdigit() else date_field(published)
    return make_paper(
        source=source,
        line=line,
        title=tex_to_unicode(title),
        abstract=tex_to_unicode(abstract),
        authors=authors,
        date=date,
        arxiv_id=arxiv_id,
        link_texts=(comments, abstract),
        own_links=(url_link(f"https://arxiv.org/abs/{_bare(arxiv_id)}", "paper") if arxiv_id else None,),
        extra=(
            ("kind", kind or None),
            ("categories", " ".join(c for c in categories if c) or None),
            ("comments", tex_to_unicode(comments)),
            ("journal_ref", _text(entry, f"{_ARXIV}journal_reference", f"{_ARXIV}journal_ref")),
            ("doi", _text(entry, f"{_ARXIV}DOI", f"{_ARXIV}doi")),
            ("version", version or None),
            ("updated", iso_date(_text(entry, f"{_ATOM}updated")) if not announce else None),
        ),
    )


def _bare(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id)


def _alternate_href(entry: ET.Element) -> str:
    for link in entry.findall(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href", "")
    return ""


# --- whole feed --------------------------------------------------------------------------


def _entries(root: ET.Element) -> tuple[list[ET.Element], str | None]:
    """The entry elements and the feed's own date."""
    if root.tag == f"{_ATOM}feed":
        return root.findall(f"{_ATOM}entry"), iso_date(_text(root, f"{_ATOM}updated"))
    channel = root.find("channel")
    if channel is None:
        channel = root.find(f"{_RSS1}channel")
    items = root.findall("channel/item") + root.findall("item") + root.findall(f"{_RSS1}item")
    date = _text(channel, "pubDate", "lastBuildDate", f"{_DC}date").strip() if channel is not None else ""
    return items, (_rfc822_date(date) if date and not date[:4].isdigit() else iso_date(date))


def _line_numbers(text: str, count: int) -> list[int]:
    """Line of each item/entry start tag; all 1 when the tags cannot be matched up."""
    offsets = [match.start() for match in _ENTRY_TAG.finditer(text)]
    if len(offsets) != count:
        return [1] * count
    return [text.count("\n", 0, offset) + 1 for offset in offsets]


def parse(text: str, source: str) -> Digest:
    """Parse an arXiv RSS/Atom feed or API result into a Digest.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Refuses DOCTYPE/ENTITY declarations and reports malformed XML as a Problem with its line.

    Args:
        text: The decoded file.
        source: The file name, kept on every Paper and Problem.
    """
    text = text.lstrip("\ufeff")
    dangerous = _DANGEROUS.search(text)
    if dangerous:
        line = text.count("\n", 0, dangerous.start()) + 1
        reason = "XML with a DOCTYPE or ENTITY declaration is refused (arXiv feeds have none)"
        return Digest(format=NAME, source=source, problems=(problem(source, line, reason),))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line = getattr(error, "position", (1, 0))[0]
        reason = f"not well-formed XML: {error}"
        return Digest(format=NAME, source=source, problems=(problem(source, line, reason),))
    except (ValueError, RecursionError) as error:
        reason = f"XML that cannot be read ({type(error).__name__})"
        return Digest(format=NAME, source=source, problems=(problem(source, 1, reason),))

    entries, feed_date = _entries(root)
    papers, problems = split_results(
        _entry_paper(entry, source, line) for entry, line in zip(entries, _line_numbers(text, len(entries)), strict=True)
    )
    if not entries:
        total = _text(root, f"{_OPENSEARCH}totalResults").strip()
        if total not in ("", "0"):
            problems.append(problem(source, 1, "feed without entries"))
    return Digest(format=NAME, source=source, date=feed_date, papers=tuple(papers), problems=tuple(problems))
