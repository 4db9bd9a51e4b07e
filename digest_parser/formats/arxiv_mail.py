"""arXiv daily subscription mailing: plain body, .eml/mbox, Apple Mail copy
(docs/formats.md, "arxiv-mail").

The body is a sequence of entries::

    \\\\
    arXiv:2603.00101 (*cross-listing*)
    Date: Thu, 12 Mar 2026 14:02:11 GMT   (512kb)      | replaced with revised version <date>
    <blank>
    Title: …            ← fields; a line starting with whitespace continues a field
    Authors: …
    Categories: cs.CL cs.AI
    \\\\
      Abstract …        ← a line starting with whitespace starts a paragraph
    \\\\ ( https://arxiv.org/abs/2603.00101 ,  512kb)

The parser is a line state machine. ``Key:`` fields are read only between the id
line and the second ``\\\\``, and an ``arXiv:`` line starts an entry only right
after a ``\\\\`` line, so abstract lines such as ``Methods: …`` or
``arXiv:2401.01234 extends …`` stay abstract text.
"""

from __future__ import annotations

import email
import email.policy
import re

from digest_parser.formats._common import (
    date_field,
    iso_date,
    make_paper,
    prepare,
    problem,
    split_authors,
    unwrap_arxiv_lines,
    url_link,
)
from digest_parser.formats._text import normalise
from digest_parser.models import Digest, Paper, Problem
from digest_parser.tex import tex_to_unicode

NAME = "arxiv-mail"

_ID_LINE = re.compile(
    r"^(?:arXiv:(?P<id>\S+)(?P<cross>\s+\(\*cross-listing\*\))?"
    r"|Paper(?P<pcross>\s*\(\*cross-listing\*\))?:\s*(?P<pid>\S+))\s*$"
)
_META_LINE = re.compile(r"^(?:Date|replaced with revised version)\b")
_FIELD = re.compile(r"^([A-Za-z][A-Za-z-]{0,30}):(?:\s|$)(.*)$")
_REPLACED = re.compile(r"^replaced with revised version\s+(.*?)\s*(?:\(\d+kb[^)]*\))?\s*$")
_DATE_VALUE = re.compile(r"^(.*?)\s*(?:\(\d+kb[^)]*\))?\s*$")
_RECEIVED = re.compile(r"^\s*received from\s+(.*?)\s+to\s+(.*?)\s*$")
_SECTION_RULE = re.compile(r"^(?:-{70,}|(?:%-){10,}%?-?|(?:%%--){5,}%*|(?:%%%---){4,})\s*$")

# Field name (lowercase) → extra name. Title, Authors, Date are fields of Paper.
_EXTRA_FIELDS = {
    "categories": "categories",
    "comments": "comments",
    "journal-ref": "journal_ref",
    "doi": "doi",
    "report-no": "report_no",
    "msc-class": "msc_class",
    "acm-class": "acm_class",
}

# --- MIME --------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^[!-9;-~]+:[ \t]")
_MBOX_FROM = re.compile(r"^From \S", re.MULTILINE)


def _looks_like_message(text: str) -> bool:
    first = text.lstrip("\n").split("\n", 1)[0]
    if first.startswith("From ") and not first.startswith("From: "):
        return True
    head = text.lstrip("\n").split("\n\n", 1)[0]
    return bool(_HEADER_LINE.match(first)) and bool(re.search(r"^(?:From|Subject|Content-Type):", head, re.M | re.I))


def _split_mbox(text: str) -> list[tuple[int, str]]:
    """Messages of an mbox (or a single message) with the 0-based line they start on.

    In an mbox a message starts at a ``From `` line at the top of the file or
    after a blank line (body lines starting ``From `` are quoted as ``>From ``).
    """
    text_start = len(text) - len(text.lstrip("\n"))
    # Only a real envelope line ("From " and a sender) makes the file an mbox.
    if not _MBOX_FROM.match(text, text_start):
        return [(text.count("\n", 0, text_start), text[text_start:])]
    starts = [
        m.start() for m in _MBOX_FROM.finditer(text) if m.start() == text_start or text[m.start() - 2 : m.start()] == "\n\n"
    ]
    chunks: list[tuple[int, str]] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end]
        # The mbox "From " envelope line is not a header; the e-mail parser would keep it as one.
        _envelope, _, message = chunk.partition("\n")
        chunks.append((text.count("\n", 0, begin) + 1, message))
    return chunks


def _message_bodies(text: str, source: str, problems: list[Problem]) -> list[tuple[int, str]]:
    """(line offset, decoded text/plain body) for every message in *text*."""
    bodies: list[tuple[int, str]] = []
    for offset, chunk in _split_mbox(text):
        header_lines = chunk.split("\n\n", 1)[0].count("\n") + 2
        try:
            message = email.message_from_string(chunk, policy=email.policy.default)
            part = message.get_body(preferencelist=("plain",))
            body = part.get_content() if part is not None else None
        except Exception as error:  # (the email package raises many types on hostile input)
            problems.append(problem(source, offset + 1, f"could not decode this e-mail ({type(error).__name__})"))
            continue
        if not isinstance(body, str):
            problems.append(problem(source, offset + 1, "e-mail without a text/plain part"))
            continue
        bodies.append((offset + header_lines, body))
    return bodies


# --- entries ------------------------------------------------------------------------


class _Entry:
    """Fields of one entry while it is being read."""

    __slots__ = ("abstract", "arxiv_id", "cross", "date", "fields", "last_field", "line", "replaced")

    def __init__(self, arxiv_id: str, cross: bool, line: int) -> None:
        self.arxiv_id = arxiv_id
        self.cross = cross
        self.replaced = False
        self.date: str | None = None
        self.line = line
        self.fields: dict[str, list[str]] = {}
        self.abstract: list[str] = []
        self.last_field: str | None = None

    def add_header_line(self, line: str) -> None:
        if line[:1].isspace():
            if self.last_field is not None:
                self.fields[self.last_field].append(line)
            return
        if _META_LINE.match(line):
            replaced = _REPLACED.match(line)
            if replaced:
                self.replaced = True
                self.date = replaced[1]
                self.last_field = None
                return
        field = _FIELD.match(line)
        if field:
            name = field[1].lower()
            if name == "date":
                value = _DATE_VALUE.match(field[2])
                self.date = value[1] if value else field[2]
                self.last_field = None
                return
            self.fields.setdefault(name, []).append(field[2])
            self.last_field = name
        elif self.last_field is not None:
            # A copy that lost the indentation of a wrapped field: still a continuation.
            self.fields[self.last_field].append(line)

    def field(self, name: str) -> str:
        return " ".join(" ".join(self.fields.get(name, ())).split())

    def kind(self) -> str:
        if self.replaced:
            return "replace-cross" if self.cross else "replace"
        return "cross" if self.cross else "new"


def _paper(entry: _Entry, source: str, listing_date: str | None) -> Paper | Problem:
    title = entry.field("title")
    if not title:
        return problem(source, entry.line, f"arXiv entry {entry.arxiv_id} has no Title field")
    comments = entry.field("comments")
    abstract = unwrap_arxiv_lines(entry.abstract)
    extra: list[tuple[str, str | None]] = [("kind", entry.kind())]
    for field_name, extra_name in _EXTRA_FIELDS.items():
        value = entry.field(field_name)
        extra.append((extra_name, tex_to_unicode(value) if field_name == "comments" else value))
    extra.append(("listing_date", listing_date))
    arxiv_id = entry.arxiv_id
    return make_paper(
        source=source,
        line=entry.line,
        title=tex_to_unicode(title),
        abstract=tex_to_unicode(abstract),
        authors=split_authors(tex_to_unicode(entry.field("authors"))),
        date=date_field(entry.date),
        arxiv_id=arxiv_id,
        link_texts=(comments, abstract),
        own_links=(url_link(f"https://arxiv.org/abs/{arxiv_id}", "paper"),),
        extra=extra,
    )


_OUTSIDE, _HEADER, _ABSTRACT = 0, 1, 2


def _starts_entry(lines: list[str], index: int, state: int) -> re.Match[str] | None:
    """The id-line match when lines[index] (right after a ``\\\\`` line) starts an entry.

    Inside an abstract the id line must also be followed by a ``Date:`` or
    ``replaced with`` line: only then did the previous entry lose its link line.
    """
    match = _ID_LINE.match(lines[index].strip())
    if match is None or state == _OUTSIDE:
        return match
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return match if _META_LINE.match(following) else None


def _parse_body(
    lines: list[str], offset: int, source: str, papers: list[Paper], problems: list[Problem]
) -> str | None:
    """Read every entry of one body; *offset* turns indexes into file lines.

    Returns:
        The first listing date (end of the ``received from … to …`` range), ISO.
    """
    state = _OUTSIDE
    entry: _Entry | None = None
    listing_date: str | None = None
    first_listing_date: str | None = None
    previous_was_marker = False

    def finish() -> None:
        if entry is not None:
            if entry.abstract and entry.abstract[-1].strip() == "\\\\":
                entry.abstract.pop()
            result = _paper(entry, source, listing_date)
            if isinstance(result, Paper):
                papers.append(result)
            else:
                problems.append(result)

    for index, line in enumerate(lines):
        stripped = line.strip()
        if previous_was_marker and state != _HEADER:
            match = _starts_entry(lines, index, state)
            if match is not None:
                finish()
                entry = _Entry(match["id"] or match["pid"], bool(match["cross"] or match["pcross"]), offset + index + 1)
                state = _HEADER
                previous_was_marker = False
                continue
        is_marker = stripped == "\\\\"
        previous_was_marker = is_marker
        if state == _OUTSIDE:
            received = _RECEIVED.match(line)
            if received:
                listing_date = iso_date(received[2])
                first_listing_date = first_listing_date or listing_date
        elif stripped.startswith("\\\\ (") or _SECTION_RULE.match(stripped):
            finish()
            entry, state = None, _OUTSIDE
        elif state == _HEADER:
            if is_marker:
                state = _ABSTRACT
                previous_was_marker = False  # the abstract follows, not an entry
            elif stripped:
                entry.add_header_line(line)  # type: ignore[union-attr]
        else:
            entry.abstract.append(line)  # type: ignore[union-attr]
    if state != _OUTSIDE:
        finish()
    return first_listing_date


def parse(text: str, source: str) -> Digest:
    """Parse an arXiv mailing (body, .eml or mbox) into a Digest.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Args:
        text: The decoded file.
        source: The file name, kept on every Paper and Problem.
    """
    problems: list[Problem] = []
    papers: list[Paper] = []
    text = normalise(text.lstrip("\ufeff"))
    bodies = _message_bodies(text, source, problems) if _looks_like_message(text) else [(0, text)]
    digest_date: str | None = None
    for offset, body in bodies:
        listing_date = _parse_body(prepare(body).split("\n"), offset, source, papers, problems)
        digest_date = digest_date or listing_date
    if not papers and not problems:
        problems.append(problem(source, 1, "no arXiv entries found (an entry starts with a \\\\ line and arXiv:<id>)"))
    return Digest(format=NAME, source=source, date=digest_date, papers=tuple(papers), problems=tuple(problems))
