"""The filter registry (tui/core/filters.py): parsing, applying and the context a search takes."""

from __future__ import annotations

import pytest

from digest_parser.models import Link, Paper
from tui.core.filters import FILTERS, FILTERS_BY_NAME, CorpusFilters, FilterContext, FilterSpec, context_for
from tui.core.query import parse_query

PAPERS = [
    Paper("With code", "", arxiv_id="2601.00001", code_url="https://github.com/lab/code"),
    Paper("With a project page", "", arxiv_id="2601.00002", links=(Link("https://lab.example.org", "project"),)),
    Paper("Plain", "", arxiv_id="2601.00003"),
]
KEYS = [paper.key for paper in PAPERS]


def apply(text: str, context: FilterContext = FilterContext()) -> list[int]:
    return list(CorpusFilters(PAPERS).apply(range(len(PAPERS)), parse_query(text).filters, context))


def test_every_registered_filter_is_parsed_by_its_name() -> None:
    for spec in FILTERS:
        typed = f"{spec.prefix}:Reading" if spec.argument else spec.name
        argument = "reading" if spec.argument else ""
        assert [(f.name, f.negated, f.argument) for f in parse_query(typed.upper() if not spec.argument else typed).filters] == [
            (spec.name, False, argument)]
        assert [(f.name, f.negated) for f in parse_query("-" + typed).filters] == [(spec.name, True)]
        last = len(spec.prefix) + 2 if spec.argument else len(spec.name)
        for end in range(len(spec.prefix) + 1, last):  # still being typed
            assert parse_query(typed[:end]).is_empty, typed[:end]


def test_names_are_unique_and_well_formed() -> None:
    assert len(FILTERS_BY_NAME) == len(FILTERS)
    with pytest.raises(ValueError):
        FilterSpec("Has:Code", "x", flags=lambda papers: [])
    with pytest.raises(ValueError):
        FilterSpec("has:both", "x", flags=lambda papers: [], needs="read")
    with pytest.raises(ValueError):
        FilterSpec("has:neither", "x")


def test_filters_decided_by_the_papers() -> None:
    assert apply("has:code") == [0]
    assert apply("has:project") == [1]
    assert apply("-has:code -has:project") == [2]


def test_filters_decided_by_the_marks() -> None:
    context = FilterContext(bookmarked=frozenset(KEYS[:1]), read=frozenset(KEYS[1:2]))
    assert apply("is:bookmarked", context) == [0]
    assert apply("-is:bookmarked", context) == [1, 2]
    assert apply("is:read", context) == [1]
    assert apply("is:unread", context) == [0, 2]
    assert apply("-is:unread", context) == [1]
    assert apply("is:unread has:code", context) == [0]


def test_an_empty_mark_set_decides_without_looking_at_a_paper() -> None:
    filters = CorpusFilters(PAPERS)
    filters._keys = []  # a paper's key would be out of range
    everything = range(len(PAPERS))
    assert filters.apply(everything, parse_query("is:bookmarked").filters, FilterContext()) == []
    assert filters.apply(everything, parse_query("is:unread").filters, FilterContext()) is everything
    assert filters.apply(everything, parse_query("").filters, FilterContext()) is everything


def test_context_for_takes_only_what_the_filters_need() -> None:
    bookmarked = frozenset({"a"})
    read = {"b"}
    plain = context_for(parse_query("vision has:code"), bookmarked=bookmarked, read=read)
    assert plain == FilterContext()
    marked = context_for(parse_query("is:bookmarked"), bookmarked=bookmarked, read=read)
    assert marked.bookmarked is bookmarked and marked.read == frozenset()
    for text in ("is:read", "-is:unread"):
        context = context_for(parse_query(text), bookmarked=bookmarked, read=read)
        assert context.read == {"b"} and isinstance(context.read, frozenset)
        assert context.bookmarked == frozenset()
    # A copy: marking a paper afterwards does not change the search already started.
    context = context_for(parse_query("is:unread"), bookmarked=bookmarked, read=read)
    read.add("c")
    assert context.read == {"b"}


def test_every_context_filter_reads_a_field_context_for_fills() -> None:
    for spec in FILTERS:
        if spec.needs is not None:
            typed = f"{spec.prefix}:x" if spec.argument else spec.name
            context = context_for(parse_query(typed), bookmarked=frozenset({"x"}), read=frozenset({"x"}),
                                  tagged=frozenset({"x"}), tags={"x": {"x"}})
            value = getattr(context, spec.needs)
            assert (value["x"] if spec.argument else value) == {"x"}, spec.name


def test_tag_and_category_filters() -> None:
    from digest_parser.models import Paper
    from tui.core.filters import CorpusFilters

    papers = [Paper(title=f"p{i}", abstract="x", extra=(("categories", cats),)) for i, cats in
              enumerate(["cs.CV cs.LG", "cs.LG", "stat.ML cs.CV", "math.OC", ""])]
    corpus = CorpusFilters(papers)
    ids = range(len(papers))

    def passing(query: str, **marks: object) -> list[int]:
        parsed = parse_query(query)
        context = context_for(parsed, bookmarked=frozenset(), read=frozenset(), **marks)  # type: ignore[arg-type]
        return list(corpus.apply(ids, parsed.filters, context))

    assert passing("cat:cs.CV") == [0, 2]  # primary or cross-list
    assert passing("cat:CS") == [0, 1, 2]  # the archive
    assert passing("-cat:cs") == [3, 4]
    tags = {"reading": {papers[1].key, papers[3].key}, "later": {papers[0].key}}
    tagged = frozenset(tags["reading"] | tags["later"])
    assert passing("tag:Reading", tags=tags, tagged=tagged) == [1, 3]
    assert passing("-tag:reading", tags=tags, tagged=tagged) == [0, 2, 4]
    assert passing("tag:nothing", tags=tags, tagged=tagged) == []
    assert passing("is:tagged", tags=tags, tagged=tagged) == [0, 1, 3]
    # Only the tags the query names are copied for the worker.
    context = context_for(parse_query("tag:later"), bookmarked=frozenset(), read=frozenset(), tags=tags, tagged=tagged)
    assert dict(context.tags) == {"later": frozenset({papers[0].key})} and not context.tagged
