"""arXiv list page (``/list/<cat>/new``) copied as text (docs/formats.md, "arxiv-listing").

::

    Showing new listings for Thursday, 12 March 2026
    New submissions (showing 2 of 2 entries)
    [1] arXiv:2603.00101 [pdf, html, other]          ← "(cross-list from eess.AS)", "(replaced)"
    Title: …
    <authors, comma separated>                        ← "Authors:" on older pages
    Comments: …
    Subjects: Computation and Language (cs.CL); Artificial Intelligence (cs.AI)
    <abstract: one paragraph per line>                ← /new pages only

The page replaces external URLs with the words ``this https URL``; such papers
get ``("url_elided", "true")`` so the reader can say the link was lost.
"""

from __future__ import annotations

import re

from digest_parser.formats._common import (
    has_elided_url,
    iso_date,
    make_paper,
    paragraphs_text,
    prepare,
    problem,
    split_authors,
    split_results,
    url_link,
)
from digest_parser.models import Digest, Paper, Problem

NAME = "arxiv-listing"

_ENTRY = re.compile(
    r"^\[(?P<number>\d+)\]\s+arXiv:(?P<id>\S+)"
    r"(?:\s+\((?:cross-list from (?P<cross>[^)]+)|(?P<replaced>replaced))\))?"
    r"(?:\s+\[[^\]]*\])?\s*$"
)
_SECTION = re.compile(r"^(New submissions|Cross submissions|Cross-lists|Replacement submissions|Replacements)\b")
_LISTING_DATE = re.compile(r"^Showing new listings for\s+(.*)$")
_FIELD = re.compile(r"^(Title|Authors|Comments|Journal-ref|Report-number|DOI|MSC-class|ACM-class|Subjects):\s*(.*)$")
_CATEGORY = re.compile(r"\(([A-Za-z-]+(?:\.[A-Za-z-]+)?)\)")

_EXTRA_FIELDS = {"Comments": "comments", "Journal-ref": "journal_ref", "DOI": "doi", "Report-number": "report_no",
                 "MSC-class": "msc_class", "ACM-class": "acm_class"}


def _kind(section: str, cross: bool, replaced: bool) -> str:
    replaced = replaced or section.startswith("Replace")
    cross = cross or section.startswith("Cross")
    if replaced:
        return "replace-cross" if cross else "replace"
    return "cross" if cross else "new"


def _paper(lines: list[str], start: int, end: int, section: str, listing_date: str | None,
           source: str) -> Paper | Problem:
    header = _ENTRY.match(lines[start].strip())
    if header is None:  # callers pass entry lines only; kept for safety
        return problem(source, start + 1, "not an arXiv list entry")
    fields: dict[str, str] = {}
    authors = ""
    abstract: list[str] = []
    in_fields = True
    last_was_authors = False
    for line in lines[start + 1 : end]:
        stripped = line.strip()
        if not stripped:
            continue
        field = _FIELD.match(stripped) if in_fields else None
        if field:
            fields[field[1]] = field[2]
            # Subjects is the last field; everything after it is the abstract
            # (so an abstract line "Methods: …" stays abstract text).
            in_fields = field[1] != "Subjects"
            last_was_authors = False
        elif in_fields and "Title" in fields and (not authors or last_was_authors):
            # The unlabelled author line (a long list may wrap onto more lines).
            authors = f"{authors} {stripped}" if authors else stripped
            last_was_authors = True
        else:
            abstract.append(stripped)
    title = fields.get("Title", "")
    if not title:
        return problem(source, start + 1, f"arXiv list entry {header['id']} has no Title line")
    comments = fields.get("Comments", "")
    abstract_text = paragraphs_text(abstract)
    elided = has_elided_url(comments) or has_elided_url(abstract_text)
    categories = " ".join(_CATEGORY.findall(fields.get("Subjects", "")))
    arxiv_id = re.sub(r"v\d+$", "", header["id"])
    extra: list[tuple[str, str | None]] = [
        ("kind", _kind(section, bool(header["cross"]), bool(header["replaced"]))),
        ("categories", categories),
    ]
    extra += [(name, fields.get(field)) for field, name in _EXTRA_FIELDS.items()]
    extra += [("listing_date", listing_date), ("url_elided", "true" if elided else None)]
    return make_paper(
        source=source,
        line=start + 1,
        title=title,
        abstract=abstract_text,
        authors=split_authors(fields.get("Authors", authors)),
        date=listing_date,
        arxiv_id=arxiv_id,
        link_texts=(comments, abstract_text),
        own_links=(url_link(f"https://arxiv.org/abs/{arxiv_id}", "paper"),),
        extra=extra,
    )


def parse(text: str, source: str) -> Digest:
    """Parse a copied arXiv list page into a Digest.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Args:
        text: The decoded file.
        source: The file name, kept on every Paper and Problem.
    """
    lines = prepare(text.lstrip("\ufeff")).split("\n")
    listing_date: str | None = None
    section = ""
    starts: list[tuple[int, str, str | None]] = []
    boundaries: list[int] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _ENTRY.match(stripped):
            starts.append((index, section, listing_date))
            boundaries.append(index)
        elif _SECTION.match(stripped):
            section = stripped
            boundaries.append(index)
        elif (found := _LISTING_DATE.match(stripped)) is not None:
            listing_date = iso_date(found[1])
            boundaries.append(index)
    boundaries.append(len(lines))
    papers, problems = split_results(
        _paper(lines, start, next(b for b in boundaries if b > start), entry_section, entry_date, source)
        for start, entry_section, entry_date in starts
    )
    if not starts:
        problems.append(problem(source, 1, "no '[N] arXiv:<id>' entry found"))
    first_date = next((date for _, _, date in starts if date), listing_date)
    return Digest(format=NAME, source=source, date=first_date, papers=tuple(papers), problems=tuple(problems))
