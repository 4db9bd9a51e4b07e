"""The papers the reader shows: several digests merged, one entry per paper.

Pure (no Textual): the screen builds a Library in a worker and passes it down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from digest_parser.models import Digest, Paper, Problem

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark


@dataclass(frozen=True, slots=True)
class Library:
    """Papers of one or more digests, de-duplicated by :attr:`Paper.key`."""

    papers: tuple[Paper, ...] = ()
    """Each paper once, in the order first seen."""
    also_in: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """key -> the other places (``file:line``) the same paper appeared."""
    problems: tuple[Problem, ...] = ()
    sources: tuple[str, ...] = ()
    date: str | None = None

    @property
    def title(self) -> str:
        """Short description for the header: source name(s) and date."""
        if not self.sources:
            return "no digest"
        names = [source.rsplit("/", 1)[-1] for source in self.sources]
        text = names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1} more"
        return f"{text} · {self.date}" if self.date else text



def build_library(digests: Sequence[Digest]) -> Library:
    """Merge *digests*: a paper found in several (same arXiv id, or same
    normalised title) appears once, and the others are listed in ``also_in``."""
    seen: set[str] = set()  # (a set: at 100k papers a dict's int values cost 3 MB more)
    papers: list[Paper] = []
    also_in: dict[str, list[str]] = {}
    for digest in digests:
        for paper in digest.papers:
            key = paper.key
            if key in seen:
                also_in.setdefault(key, []).append(f"{paper.source}:{paper.line}")
                continue
            seen.add(key)
            papers.append(paper)
    return Library(
        papers=tuple(papers),
        also_in={key: tuple(places) for key, places in also_in.items()},
        problems=tuple(problem for digest in digests for problem in digest.problems),
        sources=tuple(digest.source for digest in digests),
        date=next((digest.date for digest in digests if digest.date), None),
    )


def paper_from_bookmark(bookmark: Bookmark) -> Paper:
    """A stand-in Paper for a bookmark whose paper is in no open digest, built
    from what the bookmark stored (it has no abstract)."""
    note = f"Bookmarked {bookmark.added}; not in the digests open now."
    return Paper(
        title=bookmark.title,
        abstract=note,
        authors=bookmark.authors,
        arxiv_id=bookmark.arxiv_id,
        links=bookmark.links,
        code_url=bookmark.code_url,
        source=bookmark.source,
        extra=(("bookmark_only", "true"),),
    )
