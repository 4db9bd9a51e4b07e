"""How well search forgives typos: recall and precision@10 of typo'd queries.

Run: ``python bench/bench_typo.py [FILE...] [--sizes 2500,100000] [--words 150]``.

Typo/word pairs are drawn from each corpus's own vocabulary (not hand-picked): words
of 5+ letters, sampled by document frequency with a seeded RNG, each given 1 and 2
random edits of each kind (deletion, insertion, substitution, transposition of
neighbours; the typo is kept only if it is exactly that many edits from the word),
and, reported apart, 1 and 2 typos as fingers make them (a neighbouring key for a
letter, an extra neighbouring key or a doubled letter).
Typos that are themselves words of the corpus are skipped (and counted). For each
pair, over the ranked search (:meth:`SearchIndex.rank`, abstracts included):

* recall = |found(typo) & found(word)| / |found(word)|
* precision@10 = share of the typo's top 10 that the word also finds
* misleading: the typo is fewer edits from another word of the corpus, or as few and
  that word is at least as frequent (:func:`misleading`); the last column gives the
  share of pairs at 9/10 among the others

Queries are the plain word, ``title:word`` and ``abstract:word`` (each sampled from
that field's words). The generated corpus (default, 2.5k and 100k papers) draws
real English and ML words with a Zipf distribution: a fixed list of ML words written
here, plus, when present, the words of the seed digest (read at run time, never
copied), with inflections, invented model names, authors, numbers and rare
misspellings, so near-identical real words are as common as in real abstracts.
Digest files given on the command line are measured as they are.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Paper
from tui.core.query import ASCII_PUNCTUATION, abstract_text, fold, parse_query, searched_title
from tui.core.search import SearchIndex

SEED_DIGEST = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "000_d0c6732df6c45d95.txt"
KINDS = ("deletion", "insertion", "substitution", "transposition")
NEAR_KEY_KINDS = ("near-key substitution", "near-key insertion")
"""Typos as fingers make them, reported apart from the four kinds above: a letter
replaced by a neighbouring key, an extra neighbouring key or a letter typed twice."""
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
MODES = ("plain", "title", "abstract")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Written for this bench: words of machine-learning abstracts, roughly most common first.
ML_WORDS = """
model models learning data training network networks neural language performance method methods
results propose approach task tasks large dataset datasets image images generation based framework
using information propose proposed novel existing achieve state show shows demonstrate experiments
benchmark benchmarks evaluation reasoning vision visual text video multimodal transformer transformers
attention diffusion representation representations features feature prediction predictions policy
agent agents reinforcement reward rewards optimization optimal gradient gradients inference efficient
efficiency robust robustness accuracy loss objective supervised unsupervised contrastive generative
pretraining pretrained fine tuning instruction instructions alignment aligned human preference
preferences retrieval augmented knowledge graph graphs embedding embeddings encoder decoder token tokens
sequence sequences context contexts memory scaling parameters parameter compute computational cost
quantization distillation compression pruning sparse sparsity mixture experts expert routing layer
layers architecture architectures convolutional recurrent temporal spatial segmentation detection
classification recognition tracking estimation depth point cloud scene scenes object objects robot
robotic manipulation planning navigation control controller simulation physical world environment
environments trajectory trajectories motion speech audio music sound signal signals frequency domain
adaptation transfer generalization generalize zero shot few prompt prompting chain thought answer
question questions answering dialogue conversation summarization translation multilingual languages
medical clinical patient patients diagnosis molecular protein proteins drug chemistry materials
physics climate weather forecasting time series anomaly causal causality uncertainty bayesian
probabilistic stochastic sampling sampler samples distribution distributions variational latent space
manifold geometry geometric equivariant symmetry invariant kernel kernels regression linear nonlinear
convex theory theoretical analysis bound bounds convergence complexity algorithm algorithms heuristic
search tree trees decision decisions game games theory strategy multi interactive interaction user
users recommendation recommender ranking retrieval queries query database tabular structured
unstructured document documents code program programs software verification formal proof proofs
theorem mathematical math arithmetic logic symbolic neuro hybrid federated privacy private secure
security attack attacks adversarial defense backdoor watermark fairness bias biases ethical safety
safe harmful toxicity hallucination hallucinations factual factuality calibration confidence
evaluation metric metrics annotation annotations label labels labeled unlabeled noisy noise clean
synthetic real world realistic rendering render neural radiance field fields gaussian splatting
reconstruction camera cameras pose poses view views stereo lidar driving autonomous vehicle vehicles
traffic urban satellite remote sensing medical imaging resolution super denoising restoration editing
style transfer controllable conditional unconditional guidance classifier free latent consistency
flow matching score energy boltzmann hamiltonian dynamics dynamical system systems equation equations
differential partial operator operators spectral fourier wavelet convolution pooling normalization
batch dropout regularization overfitting underfitting capacity expressive expressivity expressiveness
interpretability interpretable explanation explanations explainable attribution probing circuits
mechanistic emergent emergence abilities capabilities capability limitation limitations challenge
challenges problem problems solution solutions solve solving improve improves improved improvement
significantly substantially consistently outperform outperforms outperforming baseline baselines
competitive superior comparable effective effectiveness scalable scalability lightweight fast faster
speed speedup latency throughput memory hardware accelerator accelerators parallel distributed
training pipeline pipelines open source release released available public publicly dataset curated
""".split()
_SUFFIXES = ("s", "s", "ed", "ing", "er", "ers", "ly", "al", "ation", "ive", "ity", "ness", "ic")
_PREFIXES = ("re", "un", "pre", "multi", "non", "self", "sub", "over", "co", "inter")
_SYLLABLES = "ka lo mi ne ru sa ti vo ze bri den fal gor hen jus kel mar nor pel rin sol tar vel wyn".split()
_STOP = frozenset("a an the of and or in on for to with by from at as is are be this that we our".split())


# -- a realistic corpus -------------------------------------------------------------------


def _seed_words() -> Counter[str]:
    """Word counts of the seed digest, when it is on this machine (read, never copied)."""
    if not SEED_DIGEST.exists():
        return Counter()
    return Counter(re.findall(r"[a-z]+", SEED_DIGEST.read_text(encoding="utf-8", errors="replace").lower()))


def ranked_words(use_seed: bool = True) -> list[str]:
    """Every word the generator draws, most frequent first: the seed digest's words by
    their count there, with the ML words spread among the first, and a few derived
    forms of each word (``learner``, ``relearn``, ``learnings``) further down, as real
    abstracts hold many words a letter or two apart."""
    seed = _seed_words() if use_seed else Counter()
    ordered = [w for w, _ in seed.most_common() if len(w) > 1 or w == "a"]
    rng = random.Random(5)
    for position, word in enumerate(dict.fromkeys(ML_WORDS)):
        if word not in seed:
            ordered.insert(min(len(ordered), 20 + position * 3 + rng.randrange(30)), word)
    extra = ["the", "of", "and", "a", "to", "in", "we", "is", "for", "that", "with", "on", "by", "our"]
    ordered = list(dict.fromkeys(extra + ordered))
    derived: list[tuple[float, str]] = []
    for rank, word in enumerate(ordered):
        if len(word) < 4 or word in _STOP:
            continue
        for _ in range(rng.randint(1, 4)):
            form = (word + rng.choice(_SUFFIXES)) if rng.random() < 0.75 else (rng.choice(_PREFIXES) + word)
            derived.append((rank * rng.uniform(2.0, 8.0) + 50, form))
    merged = [(float(rank), word) for rank, word in enumerate(ordered)] + sorted(derived)
    return list(dict.fromkeys(word for _, word in sorted(merged)))


def _coin(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _misspell(rng: random.Random, word: str) -> str:
    return edit(rng, word, rng.choice(KINDS)) if len(word) >= 5 else word


def make_corpus(size: int, seed: int = 11, use_seed: bool = True) -> list[Paper]:
    """``size`` invented papers over real words (deterministic for a seed)."""
    rng = random.Random(seed)
    words = ranked_words(use_seed)
    weights = [1.0 / (rank + 2.7) for rank in range(len(words))]
    cumulative: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    content = [(w, c) for w, c in zip(words, cumulative, strict=True) if w not in _STOP and len(w) > 2]
    content_words = [w for w, _ in content]
    content_weights = [1.0 / (rank + 2.7) ** 0.9 for rank in range(len(content))]
    names = [_coin(rng) for _ in range(max(50, size // 4))]
    name_weights = [1.0 / (rank + 1) for rank in range(len(names))]
    firsts = [_coin(random.Random(n)) for n in range(300)]
    lasts = [_coin(random.Random(10_000 + n)) + rng.choice(("", "son", "ez", "ova", "i")) for n in range(3000)]
    papers: list[Paper] = []
    for number in range(size):
        name = rng.choices(names, weights=name_weights)[0] if rng.random() < 0.35 else ""
        title_words = rng.choices(content_words, weights=content_weights, k=rng.randint(5, 11))
        title = " ".join(w.capitalize() if rng.random() < 0.6 else w for w in title_words)
        title = f"{name}: {title}" if name else title
        sentences = []
        for _ in range(rng.randint(5, 10)):
            tokens = rng.choices(words, cum_weights=cumulative, k=rng.randint(12, 28))
            if rng.random() < 0.3:
                tokens.insert(rng.randrange(len(tokens)), rng.choice(names))
            if rng.random() < 0.2:
                tokens.insert(rng.randrange(len(tokens)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
            tokens = [_misspell(rng, t) if rng.random() < 0.002 else t for t in tokens]
            sentences.append(" ".join(tokens).capitalize() + ".")
        authors = tuple(f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(rng.randint(1, 7)))
        papers.append(Paper(title=title, abstract=" ".join(sentences), authors=authors,
                            arxiv_id=f"2601.{number:05d}"))
    return papers


# -- typos ------------------------------------------------------------------------------


def _near_keys(letter: str) -> str:
    """The keys around ``letter`` on a QWERTY keyboard (its own letter when it has none)."""
    places = {key: (row, column) for row, keys in enumerate(_KEYBOARD_ROWS) for column, key in enumerate(keys)}
    if letter not in places:
        return letter
    row, column = places[letter]
    around = {(row, column - 1), (row, column + 1), (row - 1, column), (row - 1, column + 1),
              (row + 1, column - 1), (row + 1, column)}
    return "".join(key for key, place in places.items() if place in around)


def edit(rng: random.Random, word: str, kind: str) -> str:
    """``word`` with one random edit of ``kind``."""
    at = rng.randrange(len(word))
    if kind == "near-key substitution":
        return word[:at] + rng.choice(_near_keys(word[at])) + word[at + 1:]
    if kind == "near-key insertion":  # next to the letter at ``at``: that key again, or one beside it
        extra = rng.choice(word[at] + _near_keys(word[at]))
        at += rng.randrange(2)  # before the letter or after it
        return word[:at] + extra + word[at:]
    if kind == "deletion":
        return word[:at] + word[at + 1:]
    if kind == "insertion":
        at = rng.randrange(len(word) + 1)
        return word[:at] + rng.choice(_LETTERS) + word[at:]
    if kind == "substitution":
        return word[:at] + rng.choice(_LETTERS.replace(word[at], "")) + word[at + 1:]
    swaps = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if not swaps:
        return word
    at = rng.choice(swaps)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def make_typo(rng: random.Random, word: str, kind: str, edits: int) -> str | None:
    """A typo exactly ``edits`` edits of ``kind`` from ``word`` (OSA distance), or None."""
    from rapidfuzz.distance import OSA

    for _ in range(20):
        typo = word
        for _ in range(edits):
            typo = edit(rng, typo, kind)
        if OSA.distance(typo, word) == edits:
            return typo
    return None


def field_words(papers: Sequence[Paper]) -> dict[str, Counter[str]]:
    """Document frequency of each word, per field as the search index splits it
    (``plain``: any field)."""
    frequency: dict[str, Counter[str]] = {"title": Counter(), "author": Counter(), "abstract": Counter()}
    plain: Counter[str] = Counter()
    for paper in papers:
        title = set(searched_title(paper.title, paper.plain_title).split())
        authors = set(fold(" ".join(paper.authors)).split())
        abstract = set(abstract_text(paper.abstract).translate(ASCII_PUNCTUATION).split())
        frequency["title"].update(title)
        frequency["author"].update(authors)
        frequency["abstract"].update(abstract)
        plain.update(title | authors | abstract)
    frequency["plain"] = plain
    return frequency


@dataclass
class Pair:
    mode: str
    kind: str
    edits: int
    word: str
    typo: str
    recall: float
    precision: float
    misleading: bool = False
    """Another word of the corpus is a likelier reading of the typo by the plain rule
    (fewer edits, or as few and at least as frequent): see :func:`misleading`."""


def sample_words(rng: random.Random, frequency: Counter[str], count: int) -> list[str]:
    """``count`` distinct words of 5+ letters, drawn by document frequency. Words of a
    single paper are left out: one may be a misspelling itself, and the search takes
    such a word for a typo too (what it finds is then no right spelling's result)."""
    eligible = sorted((w, n) for w, n in frequency.items() if len(w) >= 5 and w.isalpha() and n >= 2)
    words, weights = [w for w, _ in eligible], [n for _, n in eligible]
    chosen: dict[str, None] = {}
    for _ in range(count * 50):
        if len(chosen) == min(count, len(words)):
            break
        chosen[rng.choices(words, weights=weights)[0]] = None
    return list(chosen)


def misleading(typo: str, word: str, frequency: Counter[str], by_length: dict[int, list[str]]) -> bool:
    """Whether the plain spelling-correction rule reads ``typo`` as another word than
    ``word``: one of fewer edits, or of as few and at least as frequent (the rule of
    Norvig's corrector and of Lucene's and Elasticsearch's suggesters: distance first,
    then frequency). Independent of the engine measured: a reader that does not know
    what was meant cannot be expected to find ``word`` from such a typo.
    ``by_length``: the words of ``frequency`` by their length."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    edits = OSA.distance(typo, word)
    own = frequency.get(word, 0)
    # (Only words within ``edits`` letters of the typo's length can be that few edits away.)
    near = [w for n in range(len(typo) - edits, len(typo) + edits + 1) for w in by_length.get(n, ())]
    return any(other != word and (distance < edits or frequency[other] >= own)
               for other, distance, _ in process.extract(typo, near, scorer=OSA.distance,
                                                         score_cutoff=edits, limit=None))


def measure(papers: Sequence[Paper], words_per_mode: int, seed: int = 3,
            progress: Callable[[str], None] = lambda _: None) -> tuple[list[Pair], dict[str, int], float]:
    """Every pair's recall and precision@10; skipped typos per mode; seconds per ranked query."""
    index = SearchIndex(papers)
    index.warm()
    rng = random.Random(seed)
    near_key_rng = random.Random(seed + 1)
    frequency = field_words(papers)
    corpus_words = set(frequency["plain"])
    found_cache: dict[str, list[int]] = {}
    timings: list[float] = []

    def found(text: str) -> list[int]:
        if text not in found_cache:
            start = time.perf_counter()
            result = index.rank(parse_query(text))
            timings.append(time.perf_counter() - start)
            assert result is not None
            found_cache[text] = result
        return found_cache[text]

    pairs: list[Pair] = []
    skipped: dict[str, int] = {}
    for mode in MODES:
        prefix = "" if mode == "plain" else f"{mode}:"
        skipped[mode] = 0
        by_length: dict[int, list[str]] = {}
        for known in frequency[mode]:
            by_length.setdefault(len(known), []).append(known)
        for number, word in enumerate(sample_words(rng, frequency[mode], words_per_mode)):
            if number % 25 == 0:
                progress(f"  {mode}: {number}/{words_per_mode} words")
            truth = set(found(prefix + word))
            if not truth:
                continue
            for kind in KINDS + NEAR_KEY_KINDS:
                for edits in (1, 2):
                    # (The near-key typos draw from their own generator: the four
                    # kinds' pairs stay those of runs without them.)
                    typo = make_typo(rng if kind in KINDS else near_key_rng, word, kind, edits)
                    if typo is None:
                        continue
                    if typo in corpus_words:
                        skipped[mode] += 1
                        continue
                    ranked = found(prefix + typo)
                    recall = len(truth.intersection(ranked)) / len(truth)
                    top = ranked[:10]
                    precision = sum(i in truth for i in top) / len(top) if top else 0.0
                    pairs.append(Pair(mode, kind, edits, word, typo, recall, precision,
                                      misleading(typo, word, frequency[mode], by_length)))
    return pairs, skipped, statistics.mean(timings) if timings else 0.0


# -- report -----------------------------------------------------------------------------


def summary(pairs: Iterable[Pair]) -> tuple[int, float, float, float, float]:
    """(pairs, mean recall, share with recall >= 95%, mean precision@10, share >= 9/10)."""
    chosen = list(pairs)
    if not chosen:
        return 0, float("nan"), float("nan"), float("nan"), float("nan")
    return (len(chosen), statistics.mean(p.recall for p in chosen),
            sum(p.recall >= 0.95 for p in chosen) / len(chosen),
            statistics.mean(p.precision for p in chosen),
            sum(p.precision >= 0.9 for p in chosen) / len(chosen))


def table(pairs: list[Pair]) -> str:
    lines = ["| query | typo | pairs | mean recall | recall >= 95% | mean P@10 | P@10 >= 9/10 "
             "| misleading | P@10 >= 9/10, the rest |",
             "|---|---|---|---|---|---|---|---|---|"]

    def row(mode: str, what: str, chosen: Iterable[Pair]) -> None:
        chosen = list(chosen)
        n, recall, recall_share, precision, precision_share = summary(chosen)
        if n:
            plain = [p for p in chosen if not p.misleading]
            plain_share = sum(p.precision >= 0.9 for p in plain) / len(plain) if plain else float("nan")
            lines.append(f"| {mode} | {what} | {n} | {recall:.3f} | {recall_share:.1%} | "
                         f"{precision:.3f} | {precision_share:.1%} | {1 - len(plain) / n:.1%} | {plain_share:.1%} |")

    def four(chosen: Iterable[Pair]) -> list[Pair]:
        return [p for p in chosen if p.kind in KINDS]

    for mode in MODES:
        label = mode if mode == "plain" else f"{mode}:"
        mine = [p for p in pairs if p.mode == mode]
        for edits in (1, 2):
            row(label, f"{edits} edit{'s' if edits > 1 else ''}", (p for p in four(mine) if p.edits == edits))
        # (Two deletions leave a 5-letter word 3 letters long: too short to forgive anything.)
        row(label, "2 edits, typo of 5+ letters", (p for p in four(mine) if p.edits == 2 and len(p.typo) >= 5))
        for kind in KINDS + NEAR_KEY_KINDS:
            row(label, kind, (p for p in mine if p.kind == kind))
        row(label, "**all** (four kinds)", four(mine))
    row("**all**", "1 edit", (p for p in four(pairs) if p.edits == 1))
    row("**all**", "2 edits", (p for p in four(pairs) if p.edits == 2))
    row("**all**", "2 edits, typo of 5+ letters", (p for p in four(pairs) if p.edits == 2 and len(p.typo) >= 5))
    for edits in (1, 2):
        row("**all**", f"near-key, {edits} edit{'s' if edits > 1 else ''}",
            (p for p in pairs if p.kind in NEAR_KEY_KINDS and p.edits == edits))
    row("**all**", "**all** (four kinds)", four(pairs))
    return "\n".join(lines)


def worst(pairs: list[Pair], count: int = 8) -> str:
    ordered = sorted(pairs, key=lambda p: (p.recall + p.precision, p.word))[:count]
    return "\n".join(f"  {p.mode:8} {p.kind:21} {p.word} -> {p.typo}: recall {p.recall:.2f}, P@10 {p.precision:.1f}"
                     + (" (misleading)" if p.misleading else "") for p in ordered)


def report(name: str, papers: Sequence[Paper], words: int, show_worst: bool) -> None:
    start = time.perf_counter()
    pairs, skipped, per_query = measure(papers, words, progress=lambda line: print(line, file=sys.stderr))
    print(f"\n### {name}: {len(papers):,} papers, {words} words per query kind")
    print("\nskipped (the typo is a word of the corpus): "
          + ", ".join(f"{mode} {count}" for mode, count in skipped.items())
          + f"; {per_query * 1000:.1f} ms per ranked query; {time.perf_counter() - start:.0f} s in all\n")
    print(table(pairs))
    if show_worst:
        print("\nworst pairs:\n" + worst(pairs))
        print("\nworst pairs whose typo is not misleading:\n" + worst([p for p in pairs if not p.misleading]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="digest files to measure (as well as generated ones)")
    parser.add_argument("--sizes", default=None,
                        help="generated corpus sizes (default 2500,100000; none when files are given)")
    parser.add_argument("--words", type=int, default=150, help="words sampled per query kind (2.5k and files)")
    parser.add_argument("--large-words", type=int, default=40, help="words sampled per query kind above 10k papers")
    parser.add_argument("--worst", action="store_true", help="also list the worst pairs")
    args = parser.parse_args(argv)
    import digest_parser

    for path in args.files:
        digest = digest_parser.load(str(path))
        report(path.name, digest.papers, args.words, args.worst)
    sizes = args.sizes if args.sizes is not None else ("" if args.files else "2500,100000")
    for size in (int(s) for s in sizes.split(",") if s):
        papers = make_corpus(size)
        report(f"generated ({'seed digest + ' if SEED_DIGEST.exists() else ''}ML words)", papers,
               args.words if size <= 10_000 else args.large_words, args.worst)


if __name__ == "__main__":
    main()
