"""Benchmark of the search engine (tui/data/search.py) on synthetic corpora.

Run: ``/tmp/venv/bin/python bench/bench_search.py [--sizes 1000,10000,100000]``.
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
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest_parser.models import Link, Paper  # noqa: E402
from tui.data.query import parse_query  # noqa: E402
from tui.data.search import SearchIndex  # noqa: E402

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
