"""The papers the reader shows: several digests merged, one entry per paper.

Pure (no Textual): the screen builds a Library in a worker and passes it down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from digest_parser.models import REPLACEMENT_KINDS, Digest, Link, Paper, Problem, new_paper

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
    """Merge *digests*: a paper found in several places (same arXiv id, or same
    normalised title), in one file or in several, appears once, at the place it
    was first seen, as :func:`merge_occurrences` makes it; the other places are
    listed in ``also_in``."""
    seen: set[str] = set()  # (a set: at 100k papers a dict's int values cost 3 MB more)
    papers: list[Paper] = []
    repeats: dict[str, list[Paper]] = {}
    for digest in digests:
        for paper in digest.papers:
            key = paper.key
            if key in seen:
                repeats.setdefault(key, []).append(paper)
                continue
            seen.add(key)
            papers.append(paper)
    also_in: dict[str, tuple[str, ...]] = {}
    if repeats:
        # Only a library with duplicates pays for this pass (the keys are cached).
        for index, paper in enumerate(papers):
            others = repeats.get(paper.key)
            if others is not None:
                papers[index], also_in[paper.key] = merge_occurrences([paper, *others])
    return Library(
        papers=tuple(papers),
        also_in=also_in,
        problems=tuple(problem for digest in digests for problem in digest.problems),
        sources=tuple(digest.source for digest in digests),
        date=next((digest.date for digest in digests if digest.date), None),
    )


def merge_occurrences(occurrences: Sequence[Paper]) -> tuple[Paper, tuple[str, ...]]:
    """One record for one paper seen several times (the same :attr:`Paper.key`),
    and the places (``file:line``) of the occurrences it is not.

    An arXiv mailing lists a paper as "new" with its abstract and, on a later
    day, as "replace" without one: the merged paper must not be the empty one.
    The occurrence shown is the first one seen that is not a replacement (the
    first one seen when all are); each field it lacks (abstract, authors, date,
    code URL, an ``extra`` value such as categories or comments) is taken from
    the next occurrence that has it, and the links are those of every
    occurrence, each URL once, in order. The paper is a replacement
    (``extra["kind"]``) only when every occurrence is one. When nothing is
    added, the shown occurrence itself is returned.
    """
    primary = occurrences[0]
    if len(occurrences) == 1:
        return primary, ()
    if primary.is_replacement:
        primary = next((paper for paper in occurrences if not paper.is_replacement), primary)
    others = [paper for paper in occurrences if paper is not primary]
    places = tuple(f"{paper.source}:{paper.line}" for paper in others)
    replaced = primary.is_replacement

    # A field is taken from another occurrence only where the shown one has none.
    abstract = primary.abstract or next((p.abstract for p in others if p.abstract), primary.abstract)
    authors = primary.authors or next((p.authors for p in others if p.authors), primary.authors)
    date = primary.date or next((p.date for p in others if p.date), primary.date)
    code_url = primary.code_url or next((p.code_url for p in others if p.code_url), primary.code_url)
    links = primary.links
    urls = {link.url for link in links}
    added_links: list[Link] = []
    for paper in others:
        for link in paper.links:
            if link.url not in urls:
                urls.add(link.url)
                added_links.append(link)
    extra = primary.extra
    names = {name for name, _ in extra}
    added_extra: list[tuple[str, str]] = []
    for paper in others:
        for name, value in paper.extra:
            if name in names or (name == "kind" and not replaced and value in REPLACEMENT_KINDS):
                continue
            names.add(name)
            added_extra.append((name, value))
    if (
        not added_links
        and not added_extra
        and abstract is primary.abstract
        and authors is primary.authors
        and date is primary.date
        and code_url is primary.code_url
    ):
        return primary, places
    merged = new_paper(
        title=primary.title,
        abstract=abstract,
        authors=authors,
        date=date,
        arxiv_id=primary.arxiv_id,  # (the same in every occurrence: it makes the key)
        links=links + tuple(added_links),
        code_url=code_url,
        source=primary.source,
        line=primary.line,
        extra=extra + tuple(added_extra),
    )
    return merged, places


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
