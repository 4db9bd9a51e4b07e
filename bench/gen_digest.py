"""Write a synthetic Hugging Face papers page digest (plain-text copy) for benchmarks.

Every word is invented (random syllables from a fixed seed), so the output is
deterministic and holds no real paper. About 1.9 KB per paper: a title, an
abstract of ~1.8 KB; 40% of the papers name a GitHub repository (in the forms
real abstracts use: trailing period, ``/tree/main/…``, ``.git``, the ``}{``
remnant of ``\\href``), 15% a project page, 10% a Hugging Face model, 2% an
elided ``this https URL``, and 5% carry non-ASCII text (accents, ×, –) so the
parser's slow path is measured too.

    python bench/gen_digest.py --papers 100000            # bench/out/hf_page_100000.txt
    python bench/gen_digest.py --papers 1000 --out x.txt --seed 7
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 14\n\n"
_SYLLABLES = "ka lo mi ne ru sa ti vo ze qua bri den fal gor hen jus kel mar nor pel rin sol tar ux vel wyn".split()
_SENTENCES = 3000
_ABSTRACT_CHARS = 1720


def default_path(papers: int, seed: int = 0) -> Path:
    """Where :func:`generate` writes by default: ``bench/out/hf_page_<papers>[_s<seed>].txt``."""
    suffix = f"_s{seed}" if seed else ""
    return OUT_DIR / f"hf_page_{papers}{suffix}.txt"


def generate(path: Path, papers: int, seed: int = 0) -> Path:
    """Write *papers* synthetic papers to *path* (parents created). Returns *path*."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 4000)
    sentences = [_sentence(rng, words) for _ in range(_SENTENCES)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER)
        for number in range(papers):
            out.write(_title(rng, words, number))
            out.write("\n\n")
            out.write(_abstract(rng, words, sentences))
            out.write("\n\n")
    return path


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choices(_SYLLABLES, k=rng.randint(1, 4))) for _ in range(size)]


def _sentence(rng: random.Random, words: list[str]) -> str:
    body = " ".join(rng.choices(words, k=rng.randint(8, 24)))
    return body[0].upper() + body[1:] + rng.choice((".", ".", ".", ";", ","))


def _title(rng: random.Random, words: list[str], number: int) -> str:
    name = rng.choice(words).capitalize() + str(number % 97)
    rest = " ".join(word.capitalize() for word in rng.choices(words, k=rng.randint(5, 11)))
    return f"{name}: {rest}"


def _abstract(rng: random.Random, words: list[str], sentences: list[str]) -> str:
    parts: list[str] = []
    size = 0
    while size < _ABSTRACT_CHARS:
        sentence = rng.choice(sentences)
        parts.append(sentence)
        size += len(sentence) + 1
    roll = rng.random()
    owner, repo = rng.choice(words), rng.choice(words)
    if roll < 0.40:
        parts.append(_code_sentence(rng, owner, repo))
    elif roll < 0.55:
        parts.append(f"Project page: https://{owner}.github.io/{repo}/ .")
    elif roll < 0.65:
        parts.append(f"Weights are at https://huggingface.co/{owner}/{repo}-1b.")
    elif roll < 0.67:
        parts.append("Project page: this https URL.")
    if rng.random() < 0.05:
        parts.insert(1, rng.choice(("Résumé of naïve façades", "A 3×3 grid", "scores – higher is better", "Zürich data")))
    return " ".join(parts)


def _code_sentence(rng: random.Random, owner: str, repo: str) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"Code is available at https://github.com/{owner}/{repo}."
    if form == 1:
        return f"Code: https://github.com/{owner}/{repo}/tree/main/{rng.choice(('src', 'eval'))}."
    if form == 2:
        return f"The older release (https://github.com/{owner}/{repo}.git) is kept."
    if form == 3:
        return f"Code: https://github.com/{owner}/{repo}}}{{https://github.com/{owner}/{repo}."
    return f"See https://github.com/{owner}/{repo} for the code and https://{owner}.github.io for demos."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=1000, help="number of papers (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, help="output file (default bench/out/hf_page_<papers>.txt)")
    args = parser.parse_args()
    path = generate(args.out or default_path(args.papers, args.seed), args.papers, args.seed)
    print(f"{path}: {args.papers} papers, {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
