"""Hugging Face Daily Papers JSON (docs/formats.md, "hf-json").

Three shapes, one parser:

* ``/api/daily_papers`` and ``/api/papers/search``: a list of wrapper items
  ``{"paper": {…}, "title", "summary", "publishedAt", "numComments", …}``;
* ``/api/papers/{id}``: one flat paper object;
* ``/api/papers``: a list of flat paper objects.

Every field is looked up in ``item.paper`` first, then in the item itself:
``huggingface_hub`` reads some fields only from the top level and loses them
otherwise.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator

from digest_parser.formats._common import (
    arxiv_id_or_none,
    date_field,
    iso_date,
    make_paper,
    one_line,
    paragraphs_text,
    problem,
    split_results,
    url_link,
)
from digest_parser.models import Digest, Paper, Problem

NAME = "hf-json"

_BARE_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


# --- field access -----------------------------------------------------------------


class _Item:
    """One daily item or flat paper, with paper-first lookup."""

    __slots__ = ("item", "paper")

    def __init__(self, item: dict[str, object]) -> None:
        self.item = item
        inner = item.get("paper")
        self.paper: dict[str, object] = inner if isinstance(inner, dict) else {}

    def get(self, key: str) -> object:
        value = self.paper.get(key)
        return value if value is not None else self.item.get(key)

    def text(self, key: str) -> str | None:
        value = self.get(key)
        return value if isinstance(value, str) else None

    def wrapper_text(self, key: str) -> str | None:
        """A field of the wrapper only (listing date, comment count live there)."""
        if not self.paper:
            return None
        value = self.item.get(key)
        return value if isinstance(value, str) else None


def _summary(text: str) -> str:
    """Unwrap an HF summary: ``\\n`` → space, but a blank line or ``\\n`` followed
    by whitespace starts a paragraph: older summaries keep arXiv's hard wraps."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return paragraphs_text(re.split(r"\n(?:[ \t]*\n)+|\n(?=[ \t])", text))


def _authors(value: object) -> list[str]:
    names: list[str] = []
    if not isinstance(value, list):
        return names
    for author in value:
        if isinstance(author, str):
            names.append(author)
        elif isinstance(author, dict):
            # "hidden": true marks an author who hid the paper from their HF
            # profile; the paper still lists them, in their place.
            name = author.get("name")
            if isinstance(name, str):
                names.append(name)
    return names


def _repo_url(value: str | None) -> str | None:
    """githubRepo as a URL; a bare ``owner/repo`` means GitHub."""
    if not value:
        return None
    value = one_line(value)
    if _BARE_REPO.match(value) and not value.startswith("."):
        return f"https://github.com/{value}"
    return value


def _count(value: object) -> str | None:
    # bool is an int subclass; "upvotes": true is not a count.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _paper(entry: _Item, source: str, line: int, index: int) -> Paper | Problem:
    title = entry.text("title") or ""
    if not one_line(title):
        return problem(source, line, f"item {index + 1} has no title")
    raw_id = entry.get("id")
    arxiv_id = arxiv_id_or_none(raw_id)
    summary = _summary(entry.text("summary") or "")
    repo = url_link(_repo_url(entry.text("githubRepo")) or "")
    project = url_link(entry.text("projectPage") or "")
    own = [repo, project]
    if arxiv_id:
        own.append(url_link(f"https://huggingface.co/papers/{arxiv_id}", "paper"))
        own.append(url_link(f"https://arxiv.org/abs/{arxiv_id}", "paper"))
    organization = entry.get("organization")
    keywords = entry.get("ai_keywords")
    extra: list[tuple[str, str | None]] = [
        ("upvotes", _count(entry.get("upvotes"))),
        ("num_comments", _count(entry.item.get("numComments"))),
        ("ai_summary", entry.text("ai_summary")),
        ("ai_keywords", ", ".join(k for k in keywords if isinstance(k, str)) if isinstance(keywords, list) else None),
        ("organization", organization.get("fullname") if isinstance(organization, dict) else None),
        ("github_stars", _count(entry.get("githubStars"))),
        ("listing_date", iso_date(entry.wrapper_text("publishedAt") or entry.text("submittedOnDailyAt"))),
    ]
    if arxiv_id is None and isinstance(raw_id, str):
        extra.append(("hf_id", raw_id))
    return make_paper(
        source=source,
        line=line,
        title=title,
        abstract=summary,
        authors=_authors(entry.get("authors")),
        date=date_field(entry.text("publishedAt")),
        arxiv_id=arxiv_id,
        link_texts=(summary,),
        own_links=own,
        preferred_code=(repo,),
        extra=[(name, value) for name, value in extra if isinstance(value, str) or value is None],
    )


# --- positions ------------------------------------------------------------------------


def _item_offsets(text: str) -> Iterator[int]:
    """Character offset of each element of the top-level JSON array in *text*.

    Only called after json.loads accepted the text, so the scan cannot fail.
    """
    decoder = json.JSONDecoder()
    whitespace = re.compile(r"[ \t\n\r]*")
    index = whitespace.match(text, text.index("[") + 1).end()  # type: ignore[union-attr]
    while index < len(text) and text[index] != "]":
        yield index
        _, end = decoder.raw_decode(text, index)
        index = whitespace.match(text, end).end()  # type: ignore[union-attr]
        if index < len(text) and text[index] == ",":
            index = whitespace.match(text, index + 1).end()  # type: ignore[union-attr]


def _line_numbers(text: str, count: int) -> list[int]:
    newlines = [match.start() for match in re.finditer("\n", text)]
    lines = [bisect.bisect_left(newlines, offset) + 1 for offset in _item_offsets(text)]
    return lines if len(lines) == count else [1] * count


# --- parse --------------------------------------------------------------------------------


def parse(text: str, source: str) -> Digest:
    """Parse Hugging Face papers JSON into a Digest.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Invalid JSON gives one Problem naming the line and column.

    Args:
        text: The decoded file.
        source: The file name, kept on every Paper and Problem.
    """
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        return Digest(format=NAME, source=source, problems=(problem(source, error.lineno, reason),))
    except (ValueError, RecursionError) as error:
        # RecursionError: "[[[[…" nested deeper than the interpreter allows;
        # ValueError: an integer literal with more digits than Python converts.
        reason = f"JSON that cannot be read ({type(error).__name__})"
        return Digest(format=NAME, source=source, problems=(problem(source, 1, reason),))

    if isinstance(data, dict):
        items: list[object] = [data]
        lines = [text.count("\n", 0, len(text) - len(text.lstrip())) + 1]
    elif isinstance(data, list):
        items = data
        lines = _line_numbers(text, len(items))
    else:
        reason = "JSON is neither a list of papers nor a paper object"
        return Digest(format=NAME, source=source, problems=(problem(source, 1, reason),))

    papers, problems = split_results(
        _paper(_Item(item), source, line, index) if isinstance(item, dict)
        else problem(source, line, f"item {index + 1} is not a JSON object")
        for index, (item, line) in enumerate(zip(items, lines, strict=True))
    )
    return Digest(format=NAME, source=source, papers=tuple(papers), problems=tuple(problems))
