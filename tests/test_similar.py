"""The similarity engine behind "More like this" and the "for you" order
(tui/core/similar/): quality on the seed page and on an invented corpus, agreement
with the plain-Python definition, and properties."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import digest_parser
from digest_parser.models import Paper
from tui.core.similar import SimilarityIndex, vectors
from tui.core.similar.reference import ReferenceIndex
from tui.core.similar.text import STOP_WORDS, singular, term_counts, words

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "fixtures" / "similar" / "corpus.json"
TOLERANCE = 1e-5  # float32 rows against the float64 definition


def _fixture() -> tuple[list[Paper], list[str], list[tuple[str, str, str]], list[str]]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    papers = [Paper(title=p["title"], abstract=p["abstract"], arxiv_id=f"2601.{n:05d}")
              for n, p in enumerate(data["papers"])]
    bookmarks = [(b["key"], b["title"], b["abstract"]) for b in data["bookmarks"]]
    return papers, [p["topic"] for p in data["papers"]], bookmarks, [b["topic"] for b in data["bookmarks"]]


PAPERS, TOPICS, BOOKMARKS, BOOKMARK_TOPICS = _fixture()


def _build(papers: list[Paper]) -> SimilarityIndex:
    index = SimilarityIndex.build(papers)
    assert index is not None
    return index


@pytest.fixture(scope="module")
def fixture_index() -> SimilarityIndex:
    return _build(PAPERS)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Blocks of 3 rows, steps of 2 papers and of 4 products: every boundary of the
    block code is crossed by a corpus of a few papers."""
    monkeypatch.setattr(vectors, "BLOCK_ROWS", 3)
    monkeypatch.setattr(vectors, "TOKENISE_STEP", 2)
    monkeypatch.setattr(vectors, "PRODUCT_CELLS", 4)
    yield


# --- The terms of a paper ---------------------------------------------------------------

def test_words_are_lower_cased_runs_of_two_or_more_letters_or_digits() -> None:
    assert words("A ViT-B/16 on 3D data_set: x, Über-große Modelle") == [
        "vit", "16", "on", "3d", "data", "set", "über", "große", "modelle"]


@given(st.text() | st.text(alphabet=string.printable))
def test_words_in_ascii_text_are_found_as_in_any_text(text: str) -> None:
    assert words(text) == re.findall(r"[^\W_]{2,}", text.lower())


def test_title_terms_count_twice_and_stop_words_and_plurals_are_folded() -> None:
    counts = term_counts("Vision Transformers for Images", "The transformer sees an image of the studies.")
    assert counts == {"vision": 2, "transformer": 3, "image": 3, "see": 1, "study": 1}
    assert not counts.keys() & STOP_WORDS


@pytest.mark.parametrize(("plural", "folded"), [("models", "model"), ("strategies", "strategy"), ("vits", "vit")])
def test_singular(plural: str, folded: str) -> None:
    assert singular(plural) == folded


def test_words_ending_in_ss_or_us_are_not_plurals() -> None:
    assert set(term_counts("Loss of Corpus", "")) == {"loss", "corpus"}


# --- Quality: the seed page --------------------------------------------------------------

# Papers of the seed page about vision transformers (their architecture, pretraining,
# compression or adaptation), checked by hand from each abstract; named by the start
# of their title.
SEED_VISION_TRANSFORMERS = (
    "GMML is All", "Pretraining the Vision Transformer", "SiT:", "TinyViT:", "CSWin Transformer:",
    "An Efficient General-Purpose Modular Vision", "ViTamin:", "Hint-Aug:", "Polyhistor:", "MOAT:",
    "Heuristic Vision Pre-Training", "Self-Distillation for Further Pre-training", "Masked Momentum Contrastive",
    "ViTGaze:", "Sparse then Prune:", "Delving into Masked Autoencoders", "POA:", "Downstream Transfer Attack:",
    "ScaleKD:", "Uni4Eye:", "Position Prediction as", "Improving Adversarial Robustness of Masked",
    "Rethinking Transformers Pre-training",
)


def _is_vision_transformer_paper(title: str) -> bool:
    return title.startswith(SEED_VISION_TRANSFORMERS)


@pytest.mark.parametrize("query", ["TinyViT:", "Sparse then Prune:", "CSWin Transformer:"])
def test_on_the_seed_page_papers_like_a_vit_paper_are_vit_papers(seed_path: Path, query: str) -> None:
    papers = list(digest_parser.load(str(seed_path)).papers)
    assert sum(_is_vision_transformer_paper(p.title) for p in papers) == len(SEED_VISION_TRANSFORMERS)
    (target,) = [n for n, p in enumerate(papers) if p.title.startswith(query)]
    similar = _build(papers).similar_to(target, limit=10)
    titles = [papers[n].title for n, _ in similar]
    assert sum(map(_is_vision_transformer_paper, titles[:5])) >= 3, titles[:5]
    assert sum(map(_is_vision_transformer_paper, titles)) >= 6, titles
    # The seed page is mostly vision papers: the ViT ones are well under half of it.
    assert len(SEED_VISION_TRANSFORMERS) < len(papers) / 4


def test_on_the_seed_page_a_vit_bookmark_ranks_vit_papers_first(seed_path: Path) -> None:
    papers = list(digest_parser.load(str(seed_path)).papers)
    index = _build(papers)
    profile = [("bookmark:vit", "Vision Transformers Need Registers",
                "Vision transformers trained with self-supervision show artefacts in their attention maps; "
                "adding register tokens to the ViT removes them.")]
    ranked = index.rank_for(profile)
    assert ranked is not None
    top = [papers[n].title for n, _, _ in ranked[:10]]
    assert sum(map(_is_vision_transformer_paper, top)) >= 7, top


# --- Quality: an invented corpus of four topics -------------------------------------------

def test_fixture_corpus_has_four_topics_of_eight() -> None:
    assert sorted({t: TOPICS.count(t) for t in TOPICS}.values()) == [8, 8, 8, 8]


@pytest.mark.parametrize("target", range(len(PAPERS)))
def test_papers_like_a_paper_are_of_its_topic(fixture_index: SimilarityIndex, target: int) -> None:
    similar = fixture_index.similar_to(target, limit=5)
    assert len(similar) == 5
    precision = sum(TOPICS[n] == TOPICS[target] for n, _ in similar) / 5
    assert precision >= 0.8, [(PAPERS[n].title, score) for n, score in similar]


@pytest.mark.parametrize("topic", sorted(set(TOPICS)))
def test_for_you_bookmarks_on_one_topic_raise_its_papers(fixture_index: SimilarityIndex, topic: str) -> None:
    profile = [b for b, t in zip(BOOKMARKS, BOOKMARK_TOPICS, strict=True) if t == topic]
    ranked = fixture_index.rank_for(profile)
    assert ranked is not None
    size = TOPICS.count(topic)
    precision = sum(TOPICS[n] == topic for n, _, _ in ranked[:size]) / size
    assert precision >= 0.8, [(PAPERS[n].title, score) for n, score, _ in ranked[:size]]


def test_for_you_names_a_bookmark_of_each_papers_own_topic(fixture_index: SimilarityIndex) -> None:
    ranked = fixture_index.rank_for(BOOKMARKS)
    assert ranked is not None
    assert sorted(n for n, _, _ in ranked) == list(range(len(PAPERS)))
    for n, score, closest in ranked:
        assert score > 0
        assert BOOKMARK_TOPICS[closest] == TOPICS[n], (PAPERS[n].title, BOOKMARKS[closest][1])


def test_a_bookmark_not_in_the_digest_finds_papers_of_its_topic(fixture_index: SimilarityIndex) -> None:
    for (_, title, abstract), topic in zip(BOOKMARKS, BOOKMARK_TOPICS, strict=True):
        similar = fixture_index.similar_to_text(title, abstract, limit=5)
        assert sum(TOPICS[n] == topic for n, _ in similar) >= 4, title


# --- Details of the API -------------------------------------------------------------------

def test_similar_to_leaves_out_the_paper_and_its_copies() -> None:
    copy = Paper(title=PAPERS[0].title, abstract=PAPERS[0].abstract, arxiv_id=PAPERS[0].arxiv_id, source="other")
    index = _build([*PAPERS, copy])
    assert all(n not in (0, len(PAPERS)) for n, _ in index.similar_to(0, limit=100))
    assert all(n not in (0, len(PAPERS)) for n, _ in index.similar_to(len(PAPERS), limit=100))
    assert index.similar_to_text(copy.title, copy.abstract, limit=2) == [(0, pytest.approx(1.0)),
                                                                          (len(PAPERS), pytest.approx(1.0))]
    assert 0 not in [n for n, _ in index.similar_to_text(copy.title, copy.abstract, exclude_key=copy.key)]


def test_similar_to_scores_are_best_first_and_limited(fixture_index: SimilarityIndex) -> None:
    similar = fixture_index.similar_to(3, limit=7)
    assert len(similar) == 7
    scores = [score for _, score in similar]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert fixture_index.similar_to(3, limit=0) == []
    with pytest.raises(IndexError):
        fixture_index.similar_to(len(PAPERS))


def test_a_paper_is_never_matched_with_its_own_bookmark(fixture_index: SimilarityIndex) -> None:
    own = (PAPERS[0].key, PAPERS[0].title, PAPERS[0].abstract)
    ranked = fixture_index.rank_for([own, BOOKMARKS[0]])
    assert ranked is not None
    by_paper = {n: (score, closest) for n, score, closest in ranked}
    like_the_other = dict(fixture_index.similar_to_text(BOOKMARKS[0][1], BOOKMARKS[0][2], limit=100))
    assert by_paper[0] == (pytest.approx(like_the_other[0]), 1)  # the other bookmark, not itself
    like_paper_0 = dict(fixture_index.similar_to(0, limit=100))
    assert by_paper[1][0] == pytest.approx(max(like_paper_0[1], like_the_other.get(1, 0.0)))


def test_an_empty_profile_keeps_the_digest_order(fixture_index: SimilarityIndex) -> None:
    assert fixture_index.rank_for([]) == [(n, 0.0, -1) for n in range(len(PAPERS))]


def test_a_paper_sharing_no_term_scores_zero_and_names_no_bookmark() -> None:
    index = _build([Paper(title="Quasar lensing", abstract=""), Paper(title="Robot grasping", abstract="")])
    assert index.rank_for([("k", "Grasping robots", "")]) == [(1, pytest.approx(1.0), 0), (0, 0.0, -1)]
    assert index.similar_to(0) == []


def test_an_empty_corpus() -> None:
    index = _build([])
    assert len(index) == 0
    assert index.similar_to_text("anything", "at all") == []
    assert index.rank_for([("k", "a title", "")]) == []


def test_small_blocks_give_the_same_results(small_blocks: None) -> None:
    index = _build(PAPERS)
    reference = ReferenceIndex(PAPERS)
    for target in range(len(PAPERS)):
        _assert_same_scores(index.similar_to(target, limit=100), reference.similar_to(target, limit=100))
    ranked, expected = index.rank_for(BOOKMARKS), reference.rank_for(BOOKMARKS)
    assert ranked is not None
    _assert_same_ranking(ranked, expected)


def test_ranking_in_steps_cut_by_work_gives_the_same_results(monkeypatch: pytest.MonkeyPatch,
                                                             fixture_index: SimilarityIndex) -> None:
    monkeypatch.setattr(vectors, "PRODUCT_WORK", 40)  # a few papers a step, some alone
    calls, is_cancelled = _counter()
    ranked = fixture_index.rank_for(BOOKMARKS, is_cancelled=is_cancelled)
    assert ranked is not None
    assert 1 + 4 < calls[0] < 1 + 32
    _assert_same_ranking(ranked, ReferenceIndex(PAPERS).rank_for(BOOKMARKS))


BUILD_CHECKS = 16 + 11 + 11
"""With small_blocks: 16 tokenising steps of 2 papers, then 11 blocks of 3 counted and 11 weighed."""
RANK_CHECKS = 1 + 32
"""With small_blocks: the 12 bookmarks in one step, then one paper per step (4 cells / 12 bookmarks)."""


def _counter(stop_at: int | None = None) -> tuple[list[int], Callable[[], bool]]:
    calls = [0]

    def is_cancelled() -> bool:
        calls[0] += 1
        return calls[0] == stop_at

    return calls, is_cancelled


def test_build_and_rank_check_for_cancellation_between_steps(small_blocks: None) -> None:
    calls, is_cancelled = _counter()
    index = SimilarityIndex.build(PAPERS, is_cancelled=is_cancelled)
    assert index is not None
    assert calls == [BUILD_CHECKS]
    calls, is_cancelled = _counter()
    assert index.rank_for(BOOKMARKS, is_cancelled=is_cancelled) is not None
    assert calls == [RANK_CHECKS]


@pytest.mark.parametrize("stop_at", range(1, BUILD_CHECKS + 1))
def test_build_stops_when_cancelled(small_blocks: None, stop_at: int) -> None:
    calls, is_cancelled = _counter(stop_at)
    assert SimilarityIndex.build(PAPERS, is_cancelled=is_cancelled) is None
    assert calls == [stop_at]


@pytest.mark.parametrize("stop_at", range(1, RANK_CHECKS + 1))
def test_rank_stops_when_cancelled(small_blocks: None, stop_at: int) -> None:
    index = _build(PAPERS)
    calls, is_cancelled = _counter(stop_at)
    assert index.rank_for(BOOKMARKS, is_cancelled=is_cancelled) is None
    assert calls == [stop_at]


def test_importing_the_package_leaves_numpy_and_scipy_for_the_first_build() -> None:
    script = ("import json, sys\nfrom tui.core.similar import SimilarityIndex\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'scipy')"
              " or m == 'tui.core.similar.vectors')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# --- Agreement with the plain-Python definition, and properties -------------------------------

def _assert_same_scores(fast: list[tuple[int, float]], slow: list[tuple[int, float]]) -> None:
    assert [n for n, _ in fast] == [n for n, _ in slow] or _same_up_to_ties(fast, slow)
    assert dict(fast) == pytest.approx(dict(slow), abs=TOLERANCE)


def _same_up_to_ties(fast: list[tuple[int, float]], slow: list[tuple[int, float]]) -> bool:
    """Same papers, and any two in a different order score within TOLERANCE."""
    if sorted(n for n, _ in fast) != sorted(n for n, _ in slow):
        return False
    return all(abs(a[1] - b[1]) <= TOLERANCE for a, b in zip(fast, slow, strict=True))


def _assert_same_ranking(fast: list[tuple[int, float, int]], slow: list[tuple[int, float, int]]) -> None:
    _assert_same_scores([(n, s) for n, s, _ in fast], [(n, s) for n, s, _ in slow])
    closest = {n: c for n, _, c in slow}
    scores = {n: s for n, s, _ in slow}
    for n, score, position in fast:
        if position != closest[n]:  # a near tie between two bookmarks: either is right
            assert score == pytest.approx(scores[n], abs=TOLERANCE) and position >= 0


def test_the_index_agrees_with_the_definition_on_the_fixture(fixture_index: SimilarityIndex) -> None:
    reference = ReferenceIndex(PAPERS)
    for target in range(len(PAPERS)):
        _assert_same_scores(fixture_index.similar_to(target, limit=100), reference.similar_to(target, limit=100))
    for _, title, abstract in BOOKMARKS:
        _assert_same_scores(fixture_index.similar_to_text(title, abstract, limit=100),
                            reference.similar_to_text(title, abstract, limit=100))
    ranked = fixture_index.rank_for(BOOKMARKS)
    assert ranked is not None
    _assert_same_ranking(ranked, reference.rank_for(BOOKMARKS))


_VOCABULARY = ("vision", "transformer", "transformers", "robot", "grasp", "speech", "audio", "protein", "fold",
               "the", "of", "3d", "x", "über", "data_set", "A", "learning", "Models")
_texts = st.lists(st.sampled_from(_VOCABULARY) | st.text(max_size=8), max_size=12).map(" ".join)
_papers = st.lists(st.builds(lambda title, abstract: Paper(title=title, abstract=abstract), _texts, _texts),
                   max_size=12)


@given(_papers, st.data())
def test_property_scores_are_in_zero_one_and_agree_with_the_definition(papers: list[Paper], data: st.DataObject) -> None:
    index = _build(papers)
    reference = ReferenceIndex(papers)
    for target in range(len(papers)):
        similar = index.similar_to(target, limit=100)
        assert all(0 < score <= 1 for _, score in similar)
        _assert_same_scores(similar, reference.similar_to(target, limit=100))
    profile = data.draw(st.lists(st.tuples(st.sampled_from([p.key for p in papers] + ["k"]), _texts, _texts),
                                 max_size=4))
    ranked = index.rank_for(profile)
    assert ranked is not None
    assert all(0 <= score <= 1 and (closest >= 0) == (score > 0) for _, score, closest in ranked)
    _assert_same_ranking(ranked, reference.rank_for(profile))


@given(_papers)
def test_property_a_papers_own_text_is_its_best_match(papers: list[Paper]) -> None:
    index = _build(papers)
    for target, paper in enumerate(papers):
        similar = index.similar_to_text(paper.title, paper.abstract, limit=len(papers))
        if not term_counts(paper.title, paper.abstract):
            assert similar == []
            continue
        scores = dict(similar)
        assert scores[target] == pytest.approx(1.0, abs=TOLERANCE)
        assert similar[0][1] <= scores[target] + TOLERANCE


@given(_papers, _texts)
def test_property_results_are_deterministic(papers: list[Paper], text: str) -> None:
    first, second = _build(papers), _build(list(papers))
    assert first.similar_to_text(text, text) == second.similar_to_text(text, text)
    for target in range(len(papers)):
        assert first.similar_to(target) == second.similar_to(target)
    profile = [(p.key, p.title, p.abstract) for p in papers[:3]]
    assert first.rank_for(profile) == second.rank_for(profile)
