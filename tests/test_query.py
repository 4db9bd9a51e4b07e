"""The search query language (tui/core/query.py): parsing, folding, refinement."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.core.query import _JOINER, _JOINER_HINT, Filter, Term, fold, parse_query, tokens_removed, unknown_prefix


def texts(query: str) -> list[tuple[str, str | None, bool, bool]]:
    return [(t.text, t.field, t.phrase, t.negated) for t in parse_query(query).terms]


def filters(query: str) -> list[tuple[str, bool]]:
    return [(f.name, f.negated) for f in parse_query(query).filters]


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Tiny-ViT: Fast!") == "tiny vit fast"
    assert fold("  Tomás MÜLLER_x ") == "tomas muller x"
    assert fold("...") == ""


ASCII_WITH_SEPARATORS = st.text(alphabet=st.sampled_from(list("aZ09 _-.:,'\t\n()!\x00\x7f")), max_size=30)


@given(ASCII_WITH_SEPARATORS | st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_fold_keeps_lone_spaces_and_replaces_every_other_run(text: str) -> None:
    """The ASCII path leaves single spaces alone instead of replacing them: the
    same result as turning every run of non-alphanumerics into one space."""
    assert fold(text) == re.sub(r"[\W_]+", " ", text.lower()).strip()


@given(st.text(alphabet=st.sampled_from(list("aZ9é -'\u2019./:+_ ")), max_size=20))
def test_the_joiner_hint_is_found_wherever_a_joiner_is(title: str) -> None:
    """title_text looks for a joiner only where its quicker hint is found."""
    if _JOINER.search(title):
        assert _JOINER_HINT.search(title)


def test_plain_words_are_folded_and_split() -> None:
    assert texts("Vision  TRANSFORMER") == [("vision", None, False, False), ("transformer", None, False, False)]
    assert texts("vision-language") == [("vision", None, False, False), ("language", None, False, False)]
    assert texts("!!! ---") == []


def test_quoted_phrase_and_unclosed_quote() -> None:
    assert texts('"Attention is ALL"') == [("attention is all", None, True, False)]
    assert texts('sparse "long doc') == [("sparse", None, False, False), ("long doc", None, True, False)]
    assert texts("\u201csmart quotes\u201d") == [("smart quotes", None, True, False)]
    assert texts('""') == []


def test_exclusions() -> None:
    assert texts("-survey") == [("survey", None, False, True)]
    assert texts('-"graph neural"') == [("graph neural", None, True, True)]
    # A negated punctuated word excludes the phrase, not each of its words.
    assert texts("-vision-language") == [("vision language", None, True, True)]
    assert texts("- alone") == [("alone", None, False, False)]


def test_field_prefixes() -> None:
    assert texts("title:ViT") == [("vit", "title", False, False)]
    assert texts("authors:Hopper au:grace") == [("hopper", "author", False, False), ("grace", "author", False, False)]
    assert texts('abstract:"message passing"') == [("message passing", "abstract", True, False)]
    assert texts("-title:survey") == [("survey", "title", False, True)]
    assert texts("title:") == []


def test_filters_and_negated_filters() -> None:
    assert filters("has:code IS:Bookmarked is:unread -has:project is:read") == [
        ("has:code", False), ("is:bookmarked", False), ("is:unread", False), ("has:project", True), ("is:read", False)]
    assert parse_query("has:code").terms == ()


def test_filter_being_typed_constrains_nothing() -> None:
    for partial in ("has:", "has:c", "is:bookm", "-is:"):
        query = parse_query(partial)
        assert query.is_empty, partial


def test_unknown_prefix_is_plain_text() -> None:
    assert texts("foo:bar") == [("foo", None, False, False), ("bar", None, False, False)]
    assert texts("has:gpu") == [("has", None, False, False), ("gpu", None, False, False)]
    assert texts("https://github.com/x") == [("https", None, False, False), ("github", None, False, False),
                                              ("com", None, False, False), ("x", None, False, False)]


def test_raw_text_is_kept_for_messages() -> None:
    query = parse_query('-title:"foo bar" has:code')
    assert query.terms[0].raw == '-title:"foo bar"'
    assert query.filters[0].raw == "has:code"


def test_without_removes_one_part() -> None:
    query = parse_query("vit has:code")
    assert query.without(query.filters[0]).filters == ()
    assert query.without(query.terms[0]).terms == ()


def test_refines() -> None:
    def refines(new: str, old: str) -> bool:
        return parse_query(new).refines(parse_query(old))

    assert refines("vis", "vi")
    assert refines("vision trans", "vision")
    assert refines("title:vision", "vision")
    assert refines('"vision lang"', "vision")
    assert refines("vit has:code", "vit")
    assert refines("vit -x", "vit")
    assert not refines("-vis", "-vi")  # excludes fewer papers
    assert refines("-vi", "-vis")
    assert not refines("vision", "title:vision")
    assert not refines("abstract:vision", "vision")  # may be outside a titles-only scope
    assert not refines("vit", "vit has:code")
    assert not refines("vision", '"vision"')


@given(st.text())
def test_parse_query_never_raises(text: str) -> None:
    query = parse_query(text)
    for term in query.terms:
        assert isinstance(term, Term)
        assert term.text and term.text == fold(term.text)
    for flt in query.filters:
        assert isinstance(flt, Filter)
    assert query.refines(query)


@given(st.text(alphabet='ab -":tilehascod', max_size=30))
def test_parse_query_operator_soup(text: str) -> None:
    query = parse_query(text)
    assert query.refines(query)
    assert all(" " not in t.text for t in query.words)


def ids(query: str) -> list[tuple[str, bool]]:
    return [(t.text, t.negated) for t in parse_query(query).terms if t.arxiv_id]


def test_arxiv_ids_are_id_terms() -> None:
    for text in ("2511.19780", "2511.19780v2", "arXiv:2511.19780", "arxiv:2511.19780v12", "ARXIV:2511.19780",
                 "https://arxiv.org/abs/2511.19780v3", "https://huggingface.co/papers/2511.19780", "2511.19780,"):
        assert ids(text) == [("2511.19780", False)], text
        assert parse_query(text).words == ()
    assert ids("hep-th/9901001v2 arXiv:math.GT/0309136") == [("hep-th/9901001", False), ("math/0309136", False)]
    assert ids("-2511.19780") == [("2511.19780", True)]
    assert ids("arxiv:2511") == [("2511", False)]  # an id's start, after arxiv:
    assert parse_query("arxiv:").is_empty  # being typed
    # Not ids: a number, a version alone, an impossible month, a 4-digit number after 2014, a quoted phrase.
    for text in ("2511", "1.5", "2513.19780", "2511.1978", '"2511.19780"', "https://example.com/2511.19780"):
        assert ids(text) == [], text


def test_id_terms_refine_only_the_same_id() -> None:
    assert not parse_query("2511.19780").refines(parse_query("2511"))  # its paper need not hold "2511"
    assert not parse_query("arxiv:2511.19780").refines(parse_query("arxiv:2511.1978"))
    assert parse_query("2511.19780 vision").refines(parse_query("arXiv:2511.19780"))


def test_each_typed_part_and_the_query_without_it() -> None:
    query = parse_query('foo:bar -has:code "a phrase" has: word')
    assert [(raw, rest.text.split()) for raw, rest in tokens_removed(query)] == [
        ("foo:bar", ["-has:code", '"a', 'phrase"', "has:", "word"]),
        ("-has:code", ["foo:bar", '"a', 'phrase"', "has:", "word"]),
        ('"a phrase"', ["foo:bar", "-has:code", "has:", "word"]),
        ("word", ["foo:bar", "-has:code", '"a', 'phrase"', "has:"]),
    ]  # ("has:" alone constrains nothing: removing it changes nothing)
    assert [unknown_prefix(raw) for raw in ("foo:bar", "-Foo:bar", "has:gpu", "title:x", "arxiv:1", "https://x", "plain")] \
        == ["foo", "Foo", None, None, None, None, None]
