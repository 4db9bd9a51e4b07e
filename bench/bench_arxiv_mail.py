"""Parse time of a synthetic 2,500-entry arXiv mailing (~3.5 MB), next to the
Hugging Face page parser on the same number of papers.

Run: ``python bench/bench_arxiv_mail.py [--entries N] [--repeat R]``. Prints the
best of R runs; the target for the mailing is under 0.5 s. The text is invented
(seeded random words), so the numbers are reproducible.
"""

from __future__ import annotations

import argparse
import random
import time

from digest_parser.formats import get_spec

WORDS = (
    "model data training sparse token routing agent speech retrieval graph benchmark dense decoding "
    "lattice memory curriculum mixture domain weights encoder frozen adapter video world camera orbit "
    "metric depth harness reasoning evaluation small large language vision policy reward robust"
).split()
RULE = "-" * 78


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _wrap(text: str, width: int = 78) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def mailing(entries: int, seed: int = 7) -> str:
    """A synthetic arXiv mailing body with *entries* new entries (~1.4 kB each)."""
    rng = random.Random(seed)
    out = [RULE, RULE, "Send any comments regarding submissions directly to submitter.", RULE,
           "Archives at http://arxiv.org/", "To unsubscribe, e-mail To: cs@arXiv.org, Subject: cancel", RULE,
           " Submissions to:", "Machine Learning", " received from  Wed 11 Mar 26 18:00:00 GMT  to  Thu 12 Mar 26 18:00:00 GMT",
           RULE, RULE]
    for number in range(entries):
        arxiv_id = f"2603.{number:05d}"
        if number:
            out.append(RULE)
        out += ["\\\\", f"arXiv:{arxiv_id}", "Date: Thu, 12 Mar 2026 14:02:11 GMT   (512kb)", ""]
        title = _wrap("Title: " + _sentence(rng, 14).rstrip("."))
        out += [title[0], *("  " + line for line in title[1:])]
        authors = _wrap("Authors: " + ", ".join(f"Jos\\'e Author{rng.randint(1, 999)}" for _ in range(6)))
        out += [authors[0], *("  " + line for line in authors[1:])]
        out += ["Categories: cs.LG cs.AI", f"Comments: 9 pages. Code: https://github.com/lab{number}/repo{number}"]
        abstract = _wrap(" ".join(_sentence(rng, 16) for _ in range(8)))
        out += ["\\\\", "  " + abstract[0], *abstract[1:], f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  512kb)"]
    out += ["%%%---" * 13, "", "%%%---" * 13]
    return "\n".join(out) + "\n"


def hf_page(papers: int, seed: int = 7) -> str:
    """A synthetic Hugging Face papers page plain-text copy with *papers* papers."""
    rng = random.Random(seed)
    out = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community", "Mar 14"]
    for number in range(papers):
        out += [_sentence(rng, 10).rstrip("."), ""]
        out += [" ".join(_sentence(rng, 16) for _ in range(8)) + f" Code: https://github.com/lab{number}/repo.", ""]
    return "\n".join(out) + "\n"


def best_time(parse, text: str, repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        digest = parse(text, "bench")
        best = min(best, time.perf_counter() - start)
        count = len(digest.papers)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mail_text = mailing(args.entries)
    page_text = hf_page(args.entries)
    mail_time, mail_papers = best_time(get_spec("arxiv-mail").parse, mail_text, args.repeat)
    page_time, page_papers = best_time(get_spec("hf-page").parse, page_text, args.repeat)
    print(f"arxiv-mail: {mail_papers} papers, {len(mail_text) / 1e6:.2f} MB in {mail_time:.3f} s (target < 0.5 s)")
    print(f"hf-page:    {page_papers} papers, {len(page_text) / 1e6:.2f} MB in {page_time:.3f} s")


if __name__ == "__main__":
    main()
