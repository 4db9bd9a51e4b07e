"""Hugging Face papers page saved as Markdown by a web clipper (docs/formats.md, "hf-markdown").

One paper looks like::

    [42](https://huggingface.co/login?next=%2Fpapers%2F2603.00101)     ← upvotes ("-" = 0)
    ### [Title](https://huggingface.co/papers/2603.00101)              ← title + id
    [abstract…](https://huggingface.co/papers/2603.00101)              ← the abstract is link text
    [![org](…)Org Name](https://huggingface.co/org)   or   [- 4 authors](…)
    ·
    Mar 12[3](https://huggingface.co/papers/2603.00101#community)      ← date + comments

A wrapped title shows a Markdown hard break (``\\`` + two spaces); wrapped
abstract lines end in ``\\\\``, a soft break.
"""

from __future__ import annotations

import re

from digest_parser.formats._common import (
    arxiv_id_or_none,
    date_field,
    make_paper,
    one_line,
    paragraphs_text,
    prepare,
    problem,
    split_results,
    url_link,
)
from digest_parser.models import Digest, Paper, Problem

NAME = "hf-markdown"

_PAPER_HEADING = re.compile(
    r"^#{1,6}[ \t]*\[(?P<title>.*)\]\((?P<url>https?://huggingface\.co/papers/(?P<id>[^)\s#?/]+))[^)\s]*\)\s*$"
)
_UPVOTES = re.compile(r"^\[?(?P<count>\d+|-)\]?(?:\(https?://huggingface\.co/login[^)]*\))?$")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_DATE = re.compile(
    rf"^(?:·\s*)?(?:Published on\s+)?(?P<date>{_MONTH}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?)"
    r"(?:\s*\[(?P<comments>\d+)\]\([^)]*\))?\s*$"
)
_DATELINE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?$")
_LINK_BLOCK = re.compile(r"^\[(?P<text>.*)\]\((?P<url>[^)\s]*)\)\s*$", re.DOTALL)
_ORGANIZATION = re.compile(r"^\[!\[[^\]]*\]\([^)]*\)(?P<name>[^\]]+)\]\([^)]*\)$")
_HARD_BREAK = re.compile(r"\\[ \t]+")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _unescape(text: str) -> str:
    """Markdown inline text → plain: hard breaks become spaces, ``\\*`` → ``*``."""
    return _MD_ESCAPE.sub(r"\1", _HARD_BREAK.sub(" ", text))


def _abstract(block: list[str], paper_url: str) -> str | None:
    """The abstract when *block* is the link-text paragraph right after the heading."""
    if not block:
        return None
    first = block[0]
    if first.startswith(("[![", "[- ", "[-\\", "·", "#")) or _DATE.match(first):
        return None
    joined = "\n".join(line[:-2] if line.endswith("\\\\") else line for line in block)
    link = _LINK_BLOCK.match(joined)
    text = link["text"] if link and link["url"].startswith(paper_url) else joined
    if re.fullmatch(r"-?\s*\d+ authors", _IMAGE.sub("", text).strip()):
        return None
    # Soft breaks are arXiv's hard wraps: join with a space. Blank lines cannot occur
    # inside link text, so one block is one paragraph.
    return paragraphs_text([_unescape(text)])


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _upvotes(lines: list[str], heading: int) -> str | None:
    for index in range(heading - 1, -1, -1):
        line = lines[index].strip()
        if not line:
            continue
        if line.startswith("Upvote"):
            continue
        found = _UPVOTES.match(line)
        if found:
            return "0" if found["count"] == "-" else found["count"]
        return None
    return None


def _paper(lines: list[str], heading: int, end: int, source: str) -> Paper | Problem:
    match = _PAPER_HEADING.match(lines[heading].strip())
    if match is None:  # callers pass heading lines only; kept for safety
        return problem(source, heading + 1, "not a paper heading")
    title = _unescape(match["title"])
    if not one_line(title):
        return problem(source, heading + 1, "paper heading without a title")
    paper_url = match["url"]
    blocks = _blocks(lines[heading + 1 : end])
    abstract = _abstract(blocks[0], paper_url) if blocks else None
    date: str | None = None
    comments: str | None = None
    organization: str | None = None
    for block in blocks[1 if abstract is not None else 0 :]:
        for line in block:
            found = _DATE.match(line)
            if found and date is None:
                date, comments = found["date"], found["comments"]
            org = _ORGANIZATION.match(line)
            if org and organization is None:
                organization = org["name"]
    arxiv_id = arxiv_id_or_none(match["id"])
    abstract = abstract or ""
    return make_paper(
        source=source,
        line=heading + 1,
        title=title,
        abstract=abstract,
        date=date_field(date),
        arxiv_id=arxiv_id,
        link_texts=(abstract,),
        own_links=(
            url_link(paper_url, "paper"),
            url_link(f"https://arxiv.org/abs/{arxiv_id}", "paper") if arxiv_id else None,
        ),
        extra=(
            ("upvotes", _upvotes(lines, heading)),
            ("num_comments", comments),
            ("organization", _unescape(organization) if organization else None),
        ),
    )


def parse(text: str, source: str) -> Digest:
    """Parse a Hugging Face papers page Markdown capture into a Digest.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Args:
        text: The decoded file.
        source: The file name, kept on every Paper and Problem.
    """
    lines = prepare(text.lstrip("\ufeff")).split("\n")
    headings = [i for i, line in enumerate(lines) if line.lstrip().startswith("#") and _PAPER_HEADING.match(line.strip())]
    digest_date = next((line.strip() for line in lines[: headings[0] if headings else 0] if _DATELINE.match(line.strip())), None)
    ends = [*headings[1:], len(lines)]
    papers, problems = split_results(_paper(lines, heading, end, source) for heading, end in zip(headings, ends, strict=False))
    if not headings:
        problems.append(problem(source, 1, "no '### [Title](https://huggingface.co/papers/<id>)' heading found"))
    return Digest(format=NAME, source=source, date=digest_date, papers=tuple(papers), problems=tuple(problems))
