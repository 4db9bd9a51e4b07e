"""Typos in search (tui/core/search/): a typo finds what the word meant finds, and
ranks it first. The quality test runs bench/bench_typo.py's measurement on a small
generated corpus (real ML words with a Zipf distribution, seeded) and asserts the
targets README.md states."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import digest_parser
from bench.bench_typo import KINDS, NEAR_KEY_KINDS, make_corpus, measure, misleading, summary
from digest_parser.models import Paper
from tui.core.query import max_edits, parse_query
from tui.core.search import SearchIndex

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search-quality"


def ranked(index: SearchIndex, text: str) -> list[int]:
    result = index.rank(parse_query(text))
    assert result is not None
    return result


@pytest.fixture(scope="module")
def generated_pairs() -> list:
    # (Without the seed digest: the corpus is the same on every machine.)
    pairs, skipped, _ = measure(make_corpus(1500, use_seed=False), 60)
    assert sum(skipped.values()) < len(pairs) // 10
    return pairs


@pytest.mark.parametrize("edits", [1, 2])
def test_typos_find_what_the_word_finds_and_rank_it_first(generated_pairs: list, edits: int) -> None:
    """One- and two-edit typos (deletion, insertion, substitution, transposition) of
    words of 5+ letters drawn from the corpus: recall of the word's results and
    precision of the typo's top 10. A two-edit typo shorter than 5 letters is left out
    (a 4-letter typo forgives one edit only: "graph" typed "gra" is three letters)."""
    pairs = [p for p in generated_pairs if p.edits == edits and len(p.typo) >= 5 and p.kind in KINDS]
    count, recall, recall_share, precision, precision_share = summary(pairs)
    assert count > 300
    assert recall >= 0.95 and recall_share >= 0.9, (recall, recall_share)
    # (This corpus is easier than bench/README.md's: these bounds are what it gives,
    # less a little; with every edit costing one, two edits gave 0.970 and 95.8%.)
    assert precision >= 0.975 and precision_share >= 0.965, (precision, precision_share)


@pytest.mark.parametrize("edits", [1, 2])
def test_typos_nearest_to_the_word_meant_put_it_in_the_top_ten(generated_pairs: list, edits: int) -> None:
    """Set apart the typos the plain rule (fewest edits, then the most frequent word)
    reads as another word: nearly every other one has 9 of its top 10 right."""
    pairs = [p for p in generated_pairs if p.edits == edits and len(p.typo) >= 5 and p.kind in KINDS]
    plain = [p for p in pairs if not p.misleading]
    assert len(plain) > 0.85 * len(pairs)
    _, _, recall_share, _, precision_share = summary(plain)
    # (It gives 99.7% and 99.5%; with all pairs 96-97%.)
    assert recall_share >= 0.99 and precision_share >= 0.99, (recall_share, precision_share)


def test_a_typo_is_misleading_when_another_word_is_nearer_or_as_near_and_as_frequent() -> None:
    counts = Counter({"mobile": 3, "model": 300, "mode": 40, "transformer": 50, "transformed": 5})
    by_length: dict[int, list[str]] = {}
    for word in counts:
        by_length.setdefault(len(word), []).append(word)
    assert misleading("mobeil", "mobile", counts, by_length)  # model: as near (2 edits), more frequent
    assert misleading("mobel", "mobile", counts, by_length)  # model: nearer (1 edit against 2)
    assert not misleading("mobil", "mobile", counts, by_length)  # nearest is the word meant
    assert not misleading("tranformer", "transformer", counts, by_length)
    assert misleading("transformee", "transformed", counts, by_length)  # as near, more frequent
    assert not misleading("transformee", "transformer", counts, by_length)


@pytest.mark.parametrize("edits", [1, 2])
def test_slips_of_the_fingers_are_read_as_the_word(generated_pairs: list, edits: int) -> None:
    """A neighbouring key for a letter, an extra neighbouring key or a doubled letter."""
    pairs = [p for p in generated_pairs if p.edits == edits and p.kind in NEAR_KEY_KINDS]
    count, recall, _, precision, precision_share = summary(pairs)
    assert count > 300
    assert recall >= 0.99 and precision >= 0.99 and precision_share >= 0.985, (recall, precision, precision_share)


def test_each_kind_of_edit_is_forgiven(generated_pairs: list) -> None:
    for kind in ("deletion", "insertion", "substitution", "transposition"):
        pairs = [p for p in generated_pairs if p.kind == kind and p.edits == 1]
        count, recall, _, precision, _ = summary(pairs)
        assert count > 50 and recall >= 0.95 and precision >= 0.9, (kind, recall, precision)


def _learning_corpus() -> list[Paper]:
    """Many papers on reinforcement learning, and words a typo of "learning" might
    be taken for: "earning", "leaning", "concerning", "governing", "learner"."""
    papers = []
    for n in range(60):
        papers.append(Paper(f"Agents Number {n}", f"We study reinforcement learning in task {n} with sparse rewards.",
                            (f"Author {n}",)))
    for n in range(40):
        papers.append(Paper(f"Vision Study {n}", f"Deep learning for image {n}, and a learner that adapts.", ()))
    papers += [
        Paper("Earning Curves", "Concerning earning and governing bodies in reinforcement settings.", ()),
        Paper("Leaning Towers", "A leaning structure, concerning reinforcement of concrete.", ()),
        Paper("Governing Equations", "Governing laws concerning fluid flow.", ()),
    ]
    return papers


def test_lerning_finds_what_learning_finds() -> None:
    index = SearchIndex(_learning_corpus())
    for typo, word in (("reinforcement lerning", "reinforcement learning"), ("abstract:lerning", "abstract:learning"),
                       ("lerning", "learning"), ("reinforcment learning", "reinforcement learning")):
        found, meant = ranked(index, typo), ranked(index, word)
        assert set(meant) <= set(found), typo
        assert len(found) <= len(meant) * 1.05 + 1, (typo, len(found), len(meant))
        assert set(found[:10]) <= set(meant), typo


def test_title_polcy_ranks_policy_titles_above_polyak_and_super_polynomial() -> None:
    papers = digest_parser.load(str(FIXTURES / "policy_titles.txt")).papers
    index = SearchIndex(papers)
    policy = {i for i, p in enumerate(papers) if "policy" in p.title.lower()}
    assert len(policy) == 30
    for query in ("title:polcy", "polcy", "title:plicy", "title:pollicy"):
        top = ranked(index, query)[:10]
        assert len(top) == 10 and all(i in policy for i in top), [papers[i].title for i in top]
    assert set(ranked(index, "title:polcy")) == policy


def test_a_typo_inside_another_word_ranks_below_the_word_it_stands_for() -> None:
    papers = [Paper(f"Project Plan {n}", "Plans.", ()) for n in range(5)] + [
        Paper("Object Detection", "Boxes.", ()), Paper("Object Tracking", "Tracks.", ())]
    index = SearchIndex(papers)
    assert ranked(index, "oject")[:2] in ([5, 6], [6, 5])  # "oject" is inside "project" too
    assert len(ranked(index, "oject")) == 7


def test_the_likelier_of_equally_near_words_comes_first() -> None:
    # "lerning" is one edit from "learning" (frequent) and from "leaning" (rare).
    papers = [Paper(f"Learning {n}", "x", ()) for n in range(30)] + [Paper("Leaning", "x", ())]
    index = SearchIndex(papers)
    assert ranked(index, "lerning")[:30] == list(range(30))


def test_a_far_likelier_word_beats_a_rare_nearer_one() -> None:
    # "langauge" typed twice wrong ("lagnuage"): a rare misspelling one edit away
    # must not hide "language", two edits away and common.
    papers = [Paper(f"Language Models {n}", "x", ()) for n in range(60)] + [Paper("Lagnuagee Paper", "x", ())]
    index = SearchIndex(papers)
    found = ranked(index, "lagnuage")
    assert set(range(60)) <= set(found)


def test_a_word_of_the_corpus_is_no_typo_but_a_word_seen_once_may_be() -> None:
    papers = [Paper("Sparse Attention", "x", ()), Paper("Sparse Coding", "x", ()), Paper("Sparce Tricks", "x", ()),
              Paper("Spare Parts", "x", ()), Paper("Spare Time", "x", ())]
    index = SearchIndex(papers)
    assert sorted(ranked(index, "sparse")) == [0, 1]  # right: only its own papers
    assert sorted(ranked(index, "spare")) == [3, 4]
    # Seen once, it may be a typo too: its own paper first, then its nearest words'
    # ("sparse" and "spare", one edit each).
    assert ranked(index, "sparce")[0] == 2 and sorted(ranked(index, "sparce")[1:]) == [0, 1, 3, 4]


def test_a_word_being_typed_is_no_typo_unless_a_far_likelier_word_is_meant() -> None:
    papers = ([Paper(f"Prediction Task {n}", "x", ()) for n in range(40)]
              + [Paper("Predicting Rain", "x", ()), Paper("Predicting Snow", "x", ())])
    index = SearchIndex(papers)
    assert sorted(ranked(index, "predic")) == list(range(42))
    found = ranked(index, "predictin")  # starts "predicting", but "prediction" is far likelier
    assert found[:2] in ([40, 41], [41, 40]) and sorted(found) == list(range(42))


def test_short_words_forgive_few_edits() -> None:
    assert [max_edits(w) for w in ("gan", "vits", "graph", "transformer")] == [0, 1, 2, 2]
    papers = [Paper("Graph Networks", "x", ()), Paper("Grape Juice", "x", ()), Paper("Gap Analysis", "x", ())]
    index = SearchIndex(papers)
    assert ranked(index, "gan") == []  # three letters: no typos
    assert ranked(index, "grph")[0] == 0


def test_typo_search_works_before_and_after_warming() -> None:
    papers = _learning_corpus()
    cold, warm = SearchIndex(papers), SearchIndex(papers)
    assert warm.warm()
    for query in ("lerning", "reinforcment", "title:vison", "abstract:governnig"):
        assert ranked(cold, query) == ranked(warm, query), query


def test_a_misspelling_the_corpus_holds_a_few_times_still_finds_the_word() -> None:
    """In 100k abstracts "learning" is misspelt "lerning" a few times: those papers
    come first, then the thousands with "learning". A real word that is merely less
    frequent than a neighbour ("leaning") stays itself."""
    papers = [Paper(f"Study {n}", "Reinforcement learning: learning to act." if n % 4 else "Deep learning, learning.",
                    ()) for n in range(3000)]
    papers += [Paper(f"Typo {n}", "Reinforcement lerning, misspelt.", ()) for n in range(3)]
    papers += [Paper(f"Tower {n}", "A leaning tower.", ()) for n in range(30)]
    index = SearchIndex(papers)
    found = ranked(index, "reinforcement lerning")
    assert set(found[:3]) == {3000, 3001, 3002}  # spelt as typed: first
    assert set(ranked(index, "reinforcement learning")) <= set(found)
    assert sorted(ranked(index, "leaning")) == list(range(3003, 3033))


def test_the_titles_pass_reads_a_typo_as_the_pass_with_abstracts_does() -> None:
    """A large digest is ranked over titles and authors first: a word the abstracts
    hold a few times, misspelt, is weighed against the same counts in both passes."""
    papers = [Paper(f"Learning Task {n}", "Reinforcement learning: learning to act.", ()) for n in range(3000)]
    papers += [Paper(f"Typo {n}", "Reinforcement lerning, misspelt.", ()) for n in range(3)]
    index = SearchIndex(papers)
    assert index.warm()
    titles_only = index.rank(parse_query("lerning"), abstracts=False)
    assert titles_only is not None and len(titles_only) == 3000
    assert len(ranked(index, "lerning")) == 3003


def test_letters_left_out_are_likelier_than_wrong_letters() -> None:
    # "yielng" is two edits from "yielding" (two letters left out) and from the more
    # frequent "yields" (two wrong letters): a letter can be left out in few ways and
    # replaced in many, so "yielding" is what was meant.
    papers = ([Paper(f"Yielding Study {n}", "x", ()) for n in range(20)]
              + [Paper(f"Yields Study {n}", "x", ()) for n in range(25)])
    index = SearchIndex(papers)
    assert set(ranked(index, "yielng")[:20]) == set(range(20))


def test_a_neighbouring_key_is_likelier_than_any_other_letter() -> None:
    # "modek": one wrong letter from "model" (k is beside l) and from the more
    # frequent "modes" (k is far from s).
    papers = ([Paper(f"Model Study {n}", "x", ()) for n in range(20)]
              + [Paper(f"Modes Study {n}", "x", ()) for n in range(25)])
    index = SearchIndex(papers)
    assert set(ranked(index, "modek")[:20]) == set(range(20))
    assert set(ranked(index, "modez")[:25]) == set(range(20, 45))  # z is beside neither: the frequent word


def test_a_short_typo_may_be_a_word_with_letters_left_out() -> None:
    # Four letters forgive one edit, three none; but a short typo that starts no word
    # may be a longer word with two letters left out.
    papers = ([Paper(f"Amount of Data {n}", "x", ()) for n in range(10)]
              + [Paper(f"Learn to Act {n}", "x", ()) for n in range(10)]
              + [Paper("Paramount Tricks", "x", ()), Paper("Lean Models", "x", ())])
    index = SearchIndex(papers)
    assert set(ranked(index, "amnt")[:10]) == set(range(10))
    assert set(ranked(index, "lrn")[:10]) == set(range(10, 20))
    # What starts words is no typo, however short.
    assert sorted(ranked(index, "lea")) == [*range(10, 20), 21]
