"""The two-stage search engine (tui/core/search/) on a small invented corpus."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from digest_parser.models import Link, Paper
from tui.core.filters import FilterContext
from tui.core.query import parse_query
from tui.core.search import SearchIndex, explain_empty, title_highlights

PAPERS = [
    Paper("TinyViT: Fast Pretraining Distillation for Small Vision Transformers",
          "We compress large image models into tiny students.", ("Kenji Moriyama", "Ada Lovelace"),
          arxiv_id="2601.00001", code_url="https://github.com/lab/tinyvit"),
    Paper("Graph Neural Networks for Molecule Property Prediction",
          "Message passing over atoms, with attention pooling.", ("Lina Okafor",), arxiv_id="2601.00002",
          links=(Link("https://molecules.example.org", "project"),)),
    Paper("Vision-Language Models: A Survey", "We review vision language pretraining and its benchmarks.",
          ("Tomás Müller", "Wei Zhang"), arxiv_id="2601.00003"),
    Paper("Hopper: Jumping Agents in Simulation", "Legged agents learn to jump.", ("Priya Singh",),
          arxiv_id="2601.00004"),
    Paper("Curriculum Learning for Locomotion", "Robots learn to walk in stages.", ("Grace Hopper",),
          arxiv_id="2601.00005"),
    Paper("Reward Shaping Revisited", "We test on the hopper environment and others.", ("Omar Haddad",),
          arxiv_id="2601.00006"),
    Paper("Sparse Attention for Long Documents", "Efficient transformers.", ("Nadia Costa",),
          arxiv_id="2601.00007"),
    Paper("Attention Is Sparse in Long Documents", "A short note.", ("Marco Rossi",), arxiv_id="2601.00008"),
    Paper("Sparce Atention Tricks for Long Documents", "Misspelt on purpose by studants.", ("Hana Sato",),
          arxiv_id="2601.00009"),
    Paper("Tiny-ViT Revisited", "Another look at small students.", ("Jun Kim",), arxiv_id="2601.00010"),
    Paper("Graph Attention Networks at Scale and Beyond", "Message passing.", ("Leila Ivanova",),
          arxiv_id="2601.00011"),
    Paper("Networks of Attention", "Message passing again.", ("Leila Ivanova",), arxiv_id="2601.00012"),
]
INDEX = SearchIndex(PAPERS)
ALL = list(range(len(PAPERS)))


def narrow(text: str, **kwargs: object) -> list[int]:
    return INDEX.narrow(parse_query(text), **kwargs)  # type: ignore[arg-type]


def rank(text: str, **kwargs: object) -> list[int]:
    result = INDEX.rank(parse_query(text), **kwargs)  # type: ignore[arg-type]
    assert result is not None
    return result


def test_empty_query_keeps_everything_in_corpus_order() -> None:
    assert narrow("") == ALL
    assert rank("") == ALL


def test_typo_is_found_by_rank_only() -> None:
    assert narrow("tinyvti") == []
    ranked = rank("tinyvti")
    assert ranked[:2] == [0, 9] or ranked[:2] == [9, 0]
    assert 2 not in ranked


def test_word_order_and_case() -> None:
    assert narrow("TRANSFORMERS vision") == [0]
    assert rank("transformers VISION")[0] == 0


def test_partial_words() -> None:
    assert narrow("distil pretrain") == [0]
    assert narrow("molec") == [1]


def test_punctuation_is_ignored() -> None:
    assert narrow("vision language") == [2]
    assert narrow("vision-language") == [2]
    assert narrow("tiny-vit") == [0, 9]  # "TinyViT" contains both words
    assert narrow("tinyvit") == [0, 9]  # "Tiny-ViT" is also indexed joined
    assert narrow("vision:language?") == [2]


def test_accents_are_ignored() -> None:
    assert narrow("muller tomas") == [2]
    assert narrow("Müller") == [2]


def test_field_filters() -> None:
    assert narrow("hopper") == [3, 4, 5]
    assert narrow("title:hopper") == [3]
    assert narrow("author:hopper") == [4]
    assert narrow("abstract:hopper") == [5]
    assert narrow("-title:hopper hopper") == [4, 5]
    assert narrow('author:"grace hopper"') == [4]


def test_titles_and_authors_only_scope() -> None:
    assert narrow("hopper", abstracts=False) == [3, 4]
    assert sorted(rank("hopper", abstracts=False)) == [3, 4]
    assert narrow("abstract:hopper", abstracts=False) == [5]  # an explicit field is always searched


def test_phrase_is_exact_and_ordered() -> None:
    assert narrow('"vision language"') == [2]
    assert narrow('"language vision"') == []
    assert narrow('"sparse attention"') == [6]
    assert rank('"sparse attention"') == [6]
    assert narrow('"passing over atoms"') == [1]  # in an abstract
    assert narrow('"atoms with attention"') == [1]  # the comma between is punctuation
    assert rank('"sprase attention"') == []  # no typos inside quotes


def test_exclusion_of_word_and_phrase() -> None:
    assert narrow("long documents -sparse") == [8]
    assert narrow('long documents -"sparse attention"') == [7, 8]
    assert rank('documents -"sparse attention"') == [7, 8] or rank('documents -"sparse attention"') == [8, 7]
    assert narrow("-a -e -i -o -u") == []


def test_has_and_is_filters() -> None:
    assert narrow("has:code") == [0]
    assert narrow("has:project") == [1]
    assert narrow("-has:code") == ALL[1:]
    keys = {PAPERS[2].key, PAPERS[4].key}
    assert narrow("is:bookmarked", context=FilterContext(bookmarked=keys)) == [2, 4]
    assert narrow("is:bookmarked") == []
    assert narrow("is:read", context=FilterContext(read=keys)) == [2, 4]
    assert narrow("is:unread", context=FilterContext(read=keys)) == [i for i in ALL if i not in (2, 4)]
    assert narrow("-is:unread", context=FilterContext(read=keys)) == [2, 4]
    assert rank("is:unread learn", context=FilterContext(read={PAPERS[4].key})) == [3]


def test_rank_title_above_author_above_abstract() -> None:
    assert rank("hopper") == [3, 4, 5]


def test_rank_adjacent_exact_words_above_scattered() -> None:
    # 8 is spelt "Sparce Atention": words spelt right are no typos and mean themselves.
    assert rank("sparse attention") == [6, 7]
    # Same words, whole, in both titles: side by side wins over the shorter title.
    assert rank("attention networks")[:2] == [10, 11]
    assert rank("networks attention")[:2] == [11, 10]


def test_rank_exact_spelling_above_near_spellings() -> None:
    # Typed with typos: the title spelt that way comes first, the near spellings after.
    assert rank("sparce atention") == [8, 6, 7]


def test_abstracts_skip_typo_search_for_a_word_they_contain() -> None:
    assert rank("students") == [9, 0]  # not "studants": "students" is an abstract word
    # A typo means its nearest word ("students", one edit), not every near spelling
    # ("studants" is two edits away, and rarer).
    assert sorted(rank("studnets")) == [0, 9]


def test_rank_respects_candidates() -> None:
    assert rank("hopper", candidates=[4, 5]) == [4, 5]


def test_rank_cancellation_returns_none() -> None:
    assert INDEX.rank(parse_query("hopper"), is_cancelled=lambda: True) is None
    calls = []

    def cancel_on_second_poll() -> bool:
        calls.append(1)
        return len(calls) >= 2

    assert INDEX.rank(parse_query("tinyvti sparse"), is_cancelled=cancel_on_second_poll) is None
    assert rank("tinyvti")  # nothing stale is left behind


def test_warm_is_resumable() -> None:
    index = SearchIndex(PAPERS)
    assert index.warm(is_cancelled=lambda: True) is False
    assert index.warm() is True
    assert sorted(index.rank(parse_query("studnets")) or []) == [0, 9]


def test_folding_abstracts_is_stepwise_and_resumable() -> None:
    """Folding every abstract of a large digest takes long: rank does it in steps it can
    be cancelled between, keeping what it folded."""
    papers = [Paper(f"Paper {n}", f"Abstract number {n} about hoppers.") for n in range(1200)]
    index = SearchIndex(papers)
    polls: list[int] = []

    def cancel_on_second_poll() -> bool:
        polls.append(1)
        return len(polls) >= 2

    assert index.rank(parse_query("hoppers"), is_cancelled=cancel_on_second_poll) is None
    assert 0 < len(index._abstracts_partial) < len(papers)  # stopped part-way, progress kept
    assert index.rank(parse_query("\"number 1199 about\"")) == [1199]  # the last chunk is folded too


@given(st.text(alphabet="tinyvspareolgdcum -\":", max_size=24))
def test_incremental_narrow_equals_full_narrow(text: str) -> None:
    previous = parse_query("")
    survivors = ALL
    for end in range(1, len(text) + 1):
        query = parse_query(text[:end])
        full = INDEX.narrow(query)
        if query.refines(previous):
            assert INDEX.narrow(query, within=survivors) == full, text[:end]
        previous, survivors = query, full


def test_highlights_exact_punctuation_and_accents() -> None:
    assert title_highlights(parse_query("vision language"), "Vision-Language Models: A Survey") == [(0, 6), (7, 15)]
    assert title_highlights(parse_query('"vision language"'), "Vision-Language Models") == [(0, 15)]
    assert title_highlights(parse_query("muller"), "Tomás Müller") == [(6, 12)]
    assert title_highlights(parse_query("tomas"), "Tomás Müller") == [(0, 5)]


def test_highlights_typos_joined_words_and_merging() -> None:
    assert title_highlights(parse_query("tinyvti"), "TinyViT: Fast") == [(0, 7)]
    assert title_highlights(parse_query("tinyvit"), "Tiny-ViT Revisited") == [(0, 8)]
    assert title_highlights(parse_query("vis vision"), "Vision and vis") == [(0, 6), (11, 14)]
    assert title_highlights(parse_query("on"), "Onion") == [(0, 2), (3, 5)]


def test_highlights_skip_exclusions_filters_and_other_fields() -> None:
    title = "Sparse Attention for Long Documents"
    assert title_highlights(parse_query("-sparse author:long has:code"), title) == []
    assert title_highlights(parse_query("title:long"), title) == [(21, 25)]
    assert title_highlights(parse_query("zzzz"), title) == []


def test_explain_empty_names_the_filter_to_drop() -> None:
    message = explain_empty(INDEX, parse_query("hopper has:code"))
    assert "has:code" in message and "3 papers" in message
    message = explain_empty(INDEX, parse_query("title:hopper -jumping"))
    assert "-jumping" in message and "1 paper." in message


def test_explain_empty_without_a_single_culprit() -> None:
    assert "fewer" in explain_empty(INDEX, parse_query("zzqx qqzx"))
    assert explain_empty(SearchIndex([]), parse_query("x")) == "No papers loaded."


def test_explain_empty_counts_what_removing_the_part_shows() -> None:
    """"foo:bar" is the words foo and bar: removing it shows every paper, not the
    papers holding "bar"; the count is the ranked search's, typos forgiven."""
    message = explain_empty(INDEX, parse_query("foo:bar"))
    assert message.endswith(f"Remove foo:bar to see {len(PAPERS)} papers.")
    message = explain_empty(INDEX, parse_query("hopper foo:bar"))
    assert message.endswith("Remove foo:bar to see 3 papers.")
    # Without "zzzz", "studnets" finds "students" by its typo: two papers, not none.
    message = explain_empty(INDEX, parse_query("studnets zzzzq"))
    assert message == "No paper matches. Remove zzzzq to see 2 papers."
    assert len(INDEX.rank(parse_query("studnets"))) == 2


def test_explain_empty_names_an_unknown_prefix_and_the_known_ones() -> None:
    message = explain_empty(INDEX, parse_query("foo:bar"))
    assert message.startswith("No paper matches; foo: is no filter or field (known: title: author: abstract: arxiv: has:")
    assert "\n" not in message
    assert "is no filter" not in explain_empty(INDEX, parse_query("https://zzq.example/x"))  # a URL is no filter
    assert "is no filter" not in explain_empty(INDEX, parse_query("hopper has:code"))


def test_explain_empty_can_be_cancelled() -> None:
    assert explain_empty(INDEX, parse_query("hopper has:code"), is_cancelled=lambda: True) == ""


ID_PAPERS = [
    Paper("Diffusion Notes", "We build on arXiv:2511.19780v2 and more.", ("Ann Lee",), arxiv_id="2511.00001"),
    Paper("The Paper Itself", "An abstract.", ("Bo Park",), arxiv_id="2511.19780"),
    Paper("A Hugging Face Page Copy", "No id in the text.", (),
          links=(Link("https://huggingface.co/papers/2511.19781", "paper"),)),
    Paper("Citing by Link", "See https://arxiv.org/abs/2511.19781 for the data.", (), arxiv_id="2511.00002",
          links=(Link("https://arxiv.org/abs/2511.19781", "paper"),)),
    Paper("Old Style", "An old one.", (), arxiv_id="hep-th/9901001"),
    Paper("About 2511 19780 Things", "Numbers in a title.", (), arxiv_id="2511.00003"),
]
ID_INDEX = SearchIndex(ID_PAPERS)


def test_an_arxiv_id_finds_its_paper_first() -> None:
    for text in ("2511.19780", "2511.19780v2", "arXiv:2511.19780", "arxiv:2511.19780", "ARXIV:2511.19780v1",
                 "https://arxiv.org/abs/2511.19780"):
        ranked = ID_INDEX.rank(parse_query(text))
        assert ranked is not None and ranked[0] == 1, text
        assert set(ranked) == {0, 1, 5}, text  # then the papers mentioning it
        assert ID_INDEX.narrow(parse_query(text)) == [0, 1, 5], text


def test_an_arxiv_id_finds_a_paper_known_only_by_its_hugging_face_link() -> None:
    for text in ("2511.19781", "arXiv:2511.19781", "https://huggingface.co/papers/2511.19781"):
        assert ID_INDEX.rank(parse_query(text)) == [2, 3], text  # its own link first, then a citing paper


def test_arxiv_prefix_ids_old_ids_and_exclusions() -> None:
    assert sorted(ID_INDEX.rank(parse_query("arxiv:2511.1978")) or []) == [1, 2]  # ids starting so
    assert ID_INDEX.rank(parse_query("hep-th/9901001")) == [4]
    assert ID_INDEX.rank(parse_query("arxiv:hep-th/9901001v2")) == [4]
    assert ID_INDEX.narrow(parse_query("-2511.19780")) == [2, 3, 4]
    assert ID_INDEX.rank(parse_query("2511.19780 diffusion")) == [0]  # every part must match
    assert ID_INDEX.narrow(parse_query("arxiv:")) == list(range(len(ID_PAPERS)))  # being typed


def test_an_id_is_found_the_same_before_and_after_warming() -> None:
    warm = SearchIndex(ID_PAPERS)
    assert warm.warm()
    for text in ("2511.19780", "2511.19781", "arxiv:2511", "-2511.19780"):
        assert warm.rank(parse_query(text)) == ID_INDEX.rank(parse_query(text)), text


@given(st.text(max_size=40))
def test_search_never_raises(text: str) -> None:
    query = parse_query(text)
    narrowed = INDEX.narrow(query)
    ranked = INDEX.rank(query)
    assert ranked is not None
    assert set(narrowed) <= set(ranked)  # rank finds every exact match, and maybe more
    explain_empty(INDEX, query)


@given(st.text(max_size=20), st.text(max_size=60))
def test_highlights_are_sorted_merged_and_in_bounds(query_text: str, title: str) -> None:
    spans = title_highlights(parse_query(query_text), title)
    end = -1
    for start, stop in spans:
        assert end < start < stop <= len(title)
        end = stop


def test_narrows_quickly_only_without_folding_or_big_abstract_scans() -> None:
    index = SearchIndex(PAPERS)
    assert index.narrows_quickly(parse_query("tiny"), abstracts=False)
    assert not index.narrows_quickly(parse_query("tiny"), abstracts=True)  # abstracts not folded yet
    assert not index.narrows_quickly(parse_query("abstract:tiny"), abstracts=False)
    index.warm()
    assert index.narrows_quickly(parse_query("abstract:tiny"), abstracts=True)
    big = SearchIndex([Paper(f"P{n}", "x") for n in range(5001)])
    big.warm()
    assert big.narrows_quickly(parse_query("p1"), abstracts=False)
    assert not big.narrows_quickly(parse_query("abstract:x"), abstracts=False)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_fold_with_origin_matches_fold(title: str) -> None:
    from tui.core.query import _fold_with_origin, fold

    folded, origin = _fold_with_origin(title)
    assert folded == fold(title)
    assert len(origin) == len(folded)
    assert all(c == " " or title[i].lower() == c for c, i in zip(folded, origin, strict=True))


@given(st.text(alphabet="tinyvspareolgdcum -\":", max_size=24))
def test_ranking_with_abstracts_after_titles_equals_ranking_afresh(text: str) -> None:
    """The abstract pass reuses the title and author scores the titles pass found."""
    query = parse_query(text)
    warmed = SearchIndex(PAPERS)
    warmed.rank(query, abstracts=False)
    assert warmed.rank(query, abstracts=True) == SearchIndex(PAPERS).rank(query, abstracts=True)


def _scanning_only(papers: list[Paper]) -> SearchIndex:
    """An index that never asks its vocabularies which words hold a query word, so
    every lookup is a scan of the texts (the reference for the shortcuts)."""
    index = SearchIndex(papers)
    for vocabulary in index._vocab.values():
        vocabulary.containing = lambda word, limit=0: None  # type: ignore[method-assign]
    return index


@given(st.lists(st.text(alphabet="abcé -", max_size=14), min_size=1, max_size=40),
       st.text(alphabet="abcé -\"", max_size=12))
def test_word_lookups_equal_scanning_every_text(titles: list[str], text: str) -> None:
    """Postings, and the vocabulary's word-start and whole-word answers, find what
    scanning finds, and rank the same."""
    papers = [Paper(title, "", authors=(title[::-1],)) for title in titles]
    query = parse_query(text)
    looked_up = SearchIndex(papers)
    looked_up.warm()
    if len(text) % 2:  # also when a word is held by more words than the lookup takes
        for vocabulary in looked_up._vocab.values():
            vocabulary.containing = functools.partial(type(vocabulary).containing, vocabulary, limit=2)  # type: ignore[method-assign]
    reference = _scanning_only(papers)
    assert looked_up.rank(query, abstracts=False) == reference.rank(query, abstracts=False)
    assert looked_up.narrow(query, abstracts=False) == reference.narrow(query, abstracts=False)


def test_warm_builds_the_postings_and_rank_uses_them() -> None:
    index = SearchIndex(PAPERS)
    assert index._postings["title"].ready is None  # built by warm(), not on the first query
    cold = index.rank(parse_query("sparse"), abstracts=False)
    index.warm()
    postings = index._postings["title"].ready
    assert postings is not None and postings["sparse"] == [i for i, p in enumerate(PAPERS) if "sparse" in p.title.lower().split()]
    assert index.rank(parse_query("sparse"), abstracts=False) == cold


@given(st.data(), st.booleans())
def test_rank_order_is_score_then_title_length_then_corpus_order(data: st.DataObject, warmed: bool) -> None:
    """Few, many or nearly all papers (sorted, or for a large result picked from
    the title-length order by score): the same order."""
    titles = data.draw(st.lists(st.sampled_from(["a", "bb", "ccc", "dddd"]), min_size=512, max_size=512))
    index = SearchIndex([Paper(title, "") for title in titles])
    if warmed:
        index.warm()
    left_out = data.draw(st.sampled_from([0, 1, 2, 40, 300, 480]))
    ids = sorted(set(range(512)) - set(data.draw(st.lists(st.integers(0, 511), min_size=left_out, max_size=left_out))))
    scores = {i: data.draw(st.sampled_from([100.0, 300.0, 262.5, 424.0])) for i in ids}
    checks: list[int] = []
    ranked = index._in_rank_order(ids, scores, lambda: checks.append(1))
    assert ranked == sorted(ids, key=lambda i: (-scores[i], len(titles[i]), i))
    assert checks


def test_a_tex_title_is_found_as_shown_and_as_written() -> None:
    """The list shows ``NOEM$^{3}$A`` as NOEM³A: what is seen can be typed."""
    papers = [Paper(title="NOEM$^{3}$A: Memory for Agents", abstract=""),
              Paper(title=r"$\text{R}^2\text{R}$: Round Trips", abstract=""),
              Paper(title=r"Stable $\alpha$-Divergences", abstract=""),
              Paper(title="Noem 3 Arrays of Plain Words", abstract="")]
    index = SearchIndex(papers)
    for typed, first in (("noem3a", 0), ("NOEM³A", 0), ("title:noem3a", 0), ("r2r", 1), ("R²R", 1),
                         ("alpha", 2), ("α", 2), ("$\\alpha$", 2)):
        query = parse_query(typed)
        ranked = index.rank(query)
        assert ranked is not None and ranked[0] == first, (typed, ranked)
        assert first in index.narrow(query), typed


def test_a_phrase_does_not_run_from_a_title_as_shown_into_it_as_written() -> None:
    papers = [Paper(title="Sorting Networks Beat NOEM$^{3}$A", abstract=""),
              Paper(title=r"A 5\% Gain", abstract="")]
    index = SearchIndex(papers)
    for phrase in ('"noem3a sorting"', '"gain a"'):
        assert index.narrow(parse_query(phrase)) == [], phrase
        assert index.rank(parse_query(phrase)) == [], phrase
    assert index.rank(parse_query('"beat noem3a"')) == [0]
