"""Benchmark of the search engine (tui/core/search/) on synthetic corpora.

Run: ``python bench/bench_search.py [--sizes 1000,10000,100000]``.
Prints numbers, asserts nothing. The corpus is invented here (deterministic):
titles of about 80 characters, abstracts of about 1.5 KB, 2-8 authors.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Link, Paper
from tui.core.query import parse_query
from tui.core.search import SearchIndex

_SYLLABLES = ("ka", "lo", "mi", "ne", "ro", "ta", "vi", "zu", "ber", "dan", "fel", "gor", "hin", "jas", "mor",
              "pel", "quin", "sar", "tor", "wen", "xi", "yal", "cre", "dro", "spa", "tri", "ple", "gra", "sto")
_COMMON = ("learning", "model", "models", "neural", "network", "networks", "language", "large", "vision",
           "transformer", "transformers", "attention", "diffusion", "efficient", "robust", "generation",
           "reasoning", "agents", "benchmark", "training", "inference", "retrieval", "multimodal", "video",
           "image", "segmentation", "detection", "reinforcement", "policy", "optimization", "graph", "sparse",
           "scaling", "alignment", "evaluation", "dataset", "pretraining", "fine-tuning", "instruction",
           "representation", "self-supervised", "contrastive", "generative", "adaptive", "temporal", "3d",
           "point", "cloud", "speech", "audio", "robot", "manipulation", "planning", "memory", "context",
           "long", "token", "tokens", "mixture", "experts", "quantization", "distillation", "compression")
_GLUE = ("for", "with", "via", "of", "in", "and", "towards", "on", "from", "using", "without")
_FILLER = ("we", "propose", "a", "the", "that", "this", "our", "method", "approach", "results", "show",
           "is", "are", "to", "by", "which", "significantly", "outperforms", "prior", "work", "across",
           "tasks", "experiments", "demonstrate", "state-of-the-art", "performance", "while", "reducing",
           "cost", "code", "available", "these", "further", "novel", "framework", "introduce", "study")
_FIRST = ("Ada", "Alan", "Grace", "Wei", "Li", "Yuki", "Amara", "Chen", "Priya", "Omar", "Sofia", "Lukas",
          "Mei", "Ivan", "Nadia", "Tomás", "Zoë", "Kofi", "Elena", "Raj", "Hana", "Jun", "Leila", "Marco")
_LAST = ("Lovelace", "Turing", "Hopper", "Zhang", "Wang", "Tanaka", "Okafor", "Müller", "Singh", "Haddad",
         "Rossi", "Novak", "Kim", "Garcia", "Ivanova", "Mensah", "Costa", "Sato", "Kowalski", "Nguyen")


def _coin(rng: random.Random) -> str:
    """An invented word (a model or method name), Zipf-like: low seeds repeat."""
    seed = int(rng.paretovariate(0.6)) % 40000
    local = random.Random(seed)
    word = "".join(local.choice(_SYLLABLES) for _ in range(local.randint(2, 4)))
    return word.capitalize() if local.random() < 0.5 else word.upper()[:2] + word[2:]


def _title(rng: random.Random) -> str:
    parts = [f"{_coin(rng)}:"] if rng.random() < 0.4 else []
    while len(" ".join(parts)) < 70:
        parts.append(rng.choice(_COMMON).capitalize() if rng.random() < 0.5 else rng.choice(_COMMON))
        if rng.random() < 0.3:
            parts.append(rng.choice(_GLUE))
        if rng.random() < 0.15:
            parts.append(_coin(rng))
    return " ".join(parts)[:95]


def _abstract(rng: random.Random) -> str:
    sentences: list[str] = []
    while sum(len(s) for s in sentences) < 1450:
        words = [rng.choice(_FILLER if rng.random() < 0.55 else _COMMON) for _ in range(rng.randint(8, 22))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), _coin(rng))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def make_corpus(size: int, seed: int = 7) -> list[Paper]:
    """Deterministic synthetic papers."""
    rng = random.Random(seed)
    papers = []
    for number in range(size):
        authors = tuple(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(2, 8)))
        code = f"https://github.com/lab{number % 97}/repo{number}" if rng.random() < 0.4 else None
        links = (Link(f"https://proj{number}.example.org", "project"),) if rng.random() < 0.2 else ()
        papers.append(Paper(title=_title(rng), abstract=_abstract(rng), authors=authors,
                            arxiv_id=f"2601.{number:05d}", links=links, code_url=code))
    return papers


QUERIES = {
    "1 char": "t",
    "3 chars": "tra",
    "8 chars": "transfor",
    "two words": "graph attention",
    "typos": "atention grpah",
    "short typo": "mdl",  # "model" with two letters left out: read through the vocabulary's expansions
}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def type_query(index: SearchIndex, text: str, abstracts: bool) -> list[float]:
    """Stage 1 per keystroke, incremental as the app would run it."""
    times = []
    previous, survivors = parse_query(""), None
    for end in range(1, len(text) + 1):
        query = parse_query(text[:end])
        within = survivors if survivors is not None and query.refines(previous) else None
        start = time.perf_counter()
        survivors = index.narrow(query, within=within, abstracts=abstracts)
        times.append(time.perf_counter() - start)
        previous = query
    return times


def rank_with_stalls(index: SearchIndex, text: str, abstracts: bool) -> tuple[float, int, float]:
    """Stage 2 in a worker thread while this thread ticks every 1 ms like a UI loop.

    Returns (seconds until ranked, result count, longest gap between ticks in seconds).
    """
    result: list[object] = []
    query = parse_query(text)
    start = time.perf_counter()
    worker = threading.Thread(target=lambda: result.append(index.rank(query, abstracts=abstracts)))
    worker.start()
    last, worst = time.perf_counter(), 0.0
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    elapsed = time.perf_counter() - start
    worker.join()
    ranked = result[0]
    return elapsed, len(ranked) if isinstance(ranked, list) else -1, worst


def fzf_time(lines_file: Path, text: str, repeats: int = 3) -> float | None:
    if shutil.which("fzf") is None:
        return None
    best = float("inf")
    for _ in range(repeats):
        with lines_file.open("rb") as stdin:
            start = time.perf_counter()
            subprocess.run(["fzf", "--filter", text], stdin=stdin, stdout=subprocess.DEVNULL, check=False)
            best = min(best, time.perf_counter() - start)
    return best


def bench_size(papers: list[Paper], workdir: Path, freeze: bool) -> None:
    size = len(papers)
    print(f"\n=== {size} papers ===")
    gc.collect()
    before = _rss_mb()
    start = time.perf_counter()
    index = SearchIndex(papers)
    build = time.perf_counter() - start
    print(f"index build {_ms(build)} ms, RSS +{_rss_mb() - before:.0f} MB")
    if freeze:
        # Optional: keeps full collections from walking every Paper. Measured as no longer
        # needed (bench/README.md), kept to check that claim.
        gc.freeze()
    start = time.perf_counter()
    index.warm()
    print(f"abstract vocabulary (warm(), lazy) {_ms(time.perf_counter() - start)} ms, RSS now {_rss_mb():.0f} MB")

    titles_file = workdir / f"titles_{size}.txt"
    titles_file.write_text("\n".join(p.title for p in papers) + "\n")
    both_file = workdir / f"both_{size}.txt"
    both_file.write_text("\n".join(p.title + " " + p.abstract.replace("\n", " ") for p in papers) + "\n")

    header = (f"{'scope':16} {'query':10} {'keys':>4} {'s1 p50':>8} {'s1 p90':>8} {'s1 max':>8} {'n(s1)':>7} "
              f"{'stage2':>8} {'n(s2)':>7} {'UI gap':>8} {'fzf':>8} {'fzf/s2':>6}")
    print(header)
    for scope, abstracts, lines_file in (("titles+authors", False, titles_file),
                                         ("+abstracts", True, both_file)):
        for label, text in QUERIES.items():
            keys = type_query(index, text, abstracts)
            survivors = len(index.narrow(parse_query(text), abstracts=abstracts))
            ranked, count, gap = rank_with_stalls(index, text, abstracts)
            fzf = fzf_time(lines_file, text, repeats=1 if abstracts else 3)
            fzf_text = _ms(fzf) if fzf is not None else " missing"
            ratio = f"{fzf / ranked:6.1f}" if fzf is not None else "     -"
            print(f"{scope:16} {label:10} {len(keys):4} {_ms(statistics.median(keys))} "
                  f"{_ms(_percentile(keys, 0.9))} {_ms(max(keys))} {survivors:7} {_ms(ranked)} {count:7} "
                  f"{_ms(gap)} {fzf_text} {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after building the index")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, fzf: {shutil.which('fzf') or 'missing'}")
    print("times in ms; s1 = stage 1 narrow per keystroke (incremental); stage2 = rank of the final query")
    print("in a worker thread; UI gap = longest stall of a 1 ms ticker on the main thread meanwhile;")
    print("fzf = `fzf --filter QUERY` on the same lines (best of 3, 1 with abstracts; process start included);")
    print("fzf/s2 = how many times faster our ranked stage 2 is.")
    start = time.perf_counter()
    corpus = make_corpus(max(sizes))
    print(f"corpus generated in {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            bench_size(corpus[:size], Path(tmp), args.freeze)
            gc.unfreeze()


if __name__ == "__main__":
    main()
