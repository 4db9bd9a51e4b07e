"""Shared helpers for the format parser tests (golden files, cleanliness checks)."""

from __future__ import annotations

from pathlib import Path

from digest_parser.models import Digest
from digest_parser.sanitize import is_clean

FORMAT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"


def read_digest(path: Path) -> str:
    """A fixture as the reader sees it: UTF-8 (BOM stripped), ``\\n`` line ends."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def unclean_fields(digest: Digest) -> list[str]:
    """Names of every string field of *digest* that the sanitiser would change.

    One-line fields must hold no line break; only abstracts may span lines.
    """
    bad: list[str] = []

    def check(name: str, value: str | None, one_line: bool = True) -> None:
        if value is not None and not is_clean(value, one_line=one_line):
            bad.append(f"{name}={value!r}")

    check("digest.date", digest.date)
    for paper in digest.papers:
        check("title", paper.title)
        check("abstract", paper.abstract, one_line=False)
        check("date", paper.date)
        check("arxiv_id", paper.arxiv_id)
        check("code_url", paper.code_url)
        for author in paper.authors:
            check("author", author)
        for link in paper.links:
            check("link", link.url)
        for key, value in paper.extra:
            check("extra key", key)
            check(f"extra {key}", value)
    for problem in digest.problems:
        check("problem", problem.reason)
    return bad
