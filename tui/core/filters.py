"""The search filters (``has:code``, ``is:unread`` …): one registry, :data:`FILTERS`.

Each :class:`FilterSpec` says what the user types, the line the help screen shows,
and how the filter is decided. Everything else reads the registry: the query parser
(:mod:`tui.core.query`) accepts its names, the search index applies them through
:class:`CorpusFilters`, :func:`context_for` snapshots what they need of the user's
marks, and the help screen lists them. A test checks that the README's table names
every one. So a new filter is one new ``FilterSpec`` here, plus its row in the
README's "Searching" table.

A filter is decided one of two ways:

* **By the papers alone** (``has:code``): ``flags(papers)`` makes one flag per paper,
  once per corpus when the search index is built. It is a list comprehension over the
  corpus, not a function called per paper, and a search only reads the flags.
* **By the user's marks** (``is:bookmarked``): ``needs`` names the
  :class:`FilterContext` field holding the keys of the marked papers. A search runs in
  a worker thread while the user keeps marking papers, so the worker gets its own
  context, taken by :func:`context_for` when the key was pressed, holding only what the
  query's filters need. An empty set decides the filter without looking at a paper.

``inverted`` keeps the papers *not* flagged or marked (``is:unread``); ``-`` before
any filter negates it.

Filters with an argument (``tag:NAME``, ``cat:NAME``) fit the same path:

1. The spec is registered as ``FilterSpec("tag:NAME", ..., argument=True)`` (the name
   check then allows the upper-case placeholder). The parser matches its prefix
   ``tag`` and takes the word after it as the filter's argument (a new
   ``Filter.argument`` field) instead of matching a whole name; ``tag:`` alone still
   counts as being typed.
2. A filter decided by the marks reads a context field that maps the argument to keys
   (``FilterContext.tags: Mapping[str, AbstractSet[str]]``, ``needs="tags"``);
   :func:`context_for` gains a ``tags=`` keyword and, only when a filter needs it,
   copies it (each set frozen). ``is:tagged`` takes no argument: it is an ordinary
   context filter, on a ``tagged`` field holding the keys of every tagged paper.
3. A filter decided by the papers gets ``flags(papers, argument)``; as the arguments
   are not known when the index is built, :class:`CorpusFilters` makes those flags
   on first use and keeps them per ``(name, argument)``.
4. The help screen shows ``tag:NAME`` and the help line, as it does for every spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from digest_parser.models import Paper
    from tui.core.query import Filter, Query

ContextField = Literal["bookmarked", "read", "tagged", "tags"]
"""The fields of :class:`FilterContext`."""


@dataclass(frozen=True, slots=True)
class FilterContext:
    """The user's marks, as one search sees them."""

    bookmarked: AbstractSet[str] = frozenset()
    """Keys of bookmarked papers."""
    read: AbstractSet[str] = frozenset()
    """Keys of read papers."""
    tagged: AbstractSet[str] = frozenset()
    """Keys of papers with at least one tag."""
    tags: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    """Tag (lower case) -> keys of the papers that carry it."""


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One filter of the query language: its name, help line and how it is decided."""

    name: str
    """What the user types, in lower case: ``prefix:word`` (``has:code``)."""
    help: str
    """Its line on the help screen."""
    flags: Callable[..., list[bool]] | None = None
    """For a filter decided by the papers alone: one flag per paper of a corpus,
    ``flags(papers)``, or ``flags(papers, argument)`` for a filter with an argument."""
    needs: ContextField | None = None
    """For a filter decided by the user's marks: the context field holding the keys
    of the marked papers."""
    inverted: bool = False
    """Keep the papers that are *not* flagged or marked."""
    argument: bool = False
    """The filter takes a word after its prefix (``tag:NAME``); its name shows the
    placeholder in upper case, and a context field it needs maps the word to keys."""

    def __post_init__(self) -> None:
        if (self.flags is None) == (self.needs is None):
            raise ValueError(f"{self.name}: a filter is decided either by flags or by a context field")
        prefix, _, word = self.name.partition(":")
        if self.name.count(":") != 1 or prefix != prefix.lower() or word != (word.upper() if self.argument else word.lower()):
            raise ValueError(f"{self.name}: a filter name is lower case 'prefix:word' ('prefix:WORD' with an argument)")

    @property
    def prefix(self) -> str:
        """The part before ``:`` (``has``), which the parser recognises."""
        return self.name.partition(":")[0]


def _has_code(papers: Sequence[Paper]) -> list[bool]:
    return [paper.code_url is not None for paper in papers]


def _has_project(papers: Sequence[Paper]) -> list[bool]:
    return [any(link.kind == "project" for link in paper.links) for paper in papers]


def _in_category(papers: Sequence[Paper], category: str) -> list[bool]:
    """arXiv categories: ``cs.CV`` matches the primary category or a cross-list,
    ``cs`` the whole archive (any ``cs.*``)."""
    wanted = category.lower()
    archive = "." not in wanted
    flags = []
    for paper in papers:
        listed = dict(paper.extra).get("categories", "").lower().split()
        flags.append(any(name == wanted or (archive and name.split(".", 1)[0] == wanted) for name in listed))
    return flags


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("has:code", "only papers with a code link", flags=_has_code),
    FilterSpec("has:project", "only papers with a project page", flags=_has_project),
    FilterSpec("is:bookmarked", "only bookmarked papers", needs="bookmarked"),
    FilterSpec("is:read", "only papers already read", needs="read"),
    FilterSpec("is:unread", "only papers not read yet", needs="read", inverted=True),
    FilterSpec("is:tagged", "only papers with a tag", needs="tagged"),
    FilterSpec("tag:NAME", "only papers tagged NAME (t edits a paper's tags)", needs="tags", argument=True),
    FilterSpec("cat:NAME", "arXiv category: cat:cs.CV (primary or cross-list), cat:cs (the archive)",
               flags=_in_category, argument=True),
)
"""Every filter, in the order the help screen lists them."""

FILTERS_BY_NAME: Mapping[str, FilterSpec] = {spec.name: spec for spec in FILTERS}

ARGUMENT_FILTERS: Mapping[str, FilterSpec] = {spec.prefix: spec for spec in FILTERS if spec.argument}
"""Prefix (``tag``) -> the filter that takes the word after it."""


def context_for(query: Query, *, bookmarked: AbstractSet[str], read: AbstractSet[str],
                tagged: AbstractSet[str] = frozenset(),
                tags: Mapping[str, AbstractSet[str]] | None = None) -> FilterContext:
    """The user's marks that ``query``'s filters need, as they are now.

    The result is safe to hand to a worker thread: each needed set is a
    ``frozenset`` (a copy of a mutable set; a frozenset is passed as is, at no cost),
    and the sets no filter of the query reads are left empty, so a query without
    ``is:`` filters copies nothing.

    Args:
        query: The parsed query.
        bookmarked: Keys of the bookmarked papers.
        read: Keys of the read papers.
        tagged: Keys of the papers with a tag.
        tags: Tag (lower case) -> keys of the papers with it.
    """
    needed = {FILTERS_BY_NAME[flt.name].needs for flt in query.filters}
    wanted_tags = {flt.argument for flt in query.filters if flt.name == "tag:NAME"}
    return FilterContext(
        bookmarked=frozenset(bookmarked) if "bookmarked" in needed else frozenset(),
        read=frozenset(read) if "read" in needed else frozenset(),
        tagged=frozenset(tagged) if "tagged" in needed else frozenset(),
        tags={tag: frozenset((tags or {}).get(tag, ())) for tag in wanted_tags},
    )


_NONE: list[bool] = []
"""Flags of a context filter whose set is empty: no paper is marked."""


class CorpusFilters:
    """The filters applied to one corpus: its papers' keys, and the flags of every
    filter decided by the papers alone, made once (the index builds this with itself)."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._papers = papers
        self._flags: dict[tuple[str, str], list[bool]] = {
            (spec.name, ""): spec.flags(papers) for spec in FILTERS if spec.flags is not None and not spec.argument}
        self._keys = [paper.key for paper in papers]

    def _flags_of(self, spec: FilterSpec, argument: str) -> list[bool]:
        # A filter with an argument gets its flags on first use, kept per argument.
        flags = self._flags.get((spec.name, argument))
        if flags is None:
            assert spec.flags is not None
            flags = self._flags[(spec.name, argument)] = spec.flags(self._papers, argument)
        return flags

    def apply(self, ids: Sequence[int], filters: Iterable[Filter], context: FilterContext) -> Sequence[int]:
        """The ``ids`` (sorted) that pass every filter, in order; ``ids`` itself when
        there is none (a range stays a range)."""
        for flt in filters:
            spec = FILTERS_BY_NAME[flt.name]
            if spec.needs is None:
                flags: Sequence[bool] = self._flags_of(spec, flt.argument)
            else:
                wanted: AbstractSet[str] = getattr(context, spec.needs)
                if spec.argument:
                    wanted = wanted.get(flt.argument, frozenset())  # type: ignore[attr-defined]
                flags = [key in wanted for key in self._keys] if wanted else _NONE
            keep = flt.negated if spec.inverted else not flt.negated
            ids = [i for i in ids if flags[i] is keep] if flags is not _NONE else (ids if not keep else [])
        return ids
