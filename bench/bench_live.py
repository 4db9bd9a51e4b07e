"""Benchmark of the live sources (tui/live/, docs/live-sources.md).

Run: ``python bench/bench_live.py [--papers 60] [--repeat 5] [--delay 2.0] [--quick]``.
Prints numbers, asserts nothing. Nothing leaves the machine: a local HTTP
server (tests/live_server.py) answers on 127.0.0.1, and the cache lives in a
fresh temporary directory.

Times:

- ``cached day, load_live offline``: opening a day already in the cache, in
  this process (the cache read, the checks, the hf-json parse), after a first
  call has imported everything;
- ``cached day, parse --offline``: ``digest-reader parse hf:DAY --offline`` as
  a subprocess, start-up included (what a script pays);
- ``fetch, server answers after Ns``: ``load_live(mode="refresh")`` against a
  server that waits ``--delay`` seconds before answering, so the time minus
  the delay is what the reader adds to a slow network.

The day holds ``--papers`` invented items in the API's shape (HF days hold
20 to 80 papers). The in-app first frame with a fetch in flight is measured by
``bench/bench_tui.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.live_server import Reply, serving  # noqa: E402 (after the path is set)

DAY = "2024-10-22"
DAY_PATH = f"/api/daily_papers?date={DAY}&limit=100&p=0"


def day_json(papers: int) -> bytes:
    """A day of *papers* items in the shape /api/daily_papers sends."""
    items = [
        {
            "paper": {
                "id": f"2410.{16000 + number}",
                "authors": [{"_id": f"a{number}{k}", "name": f"Author {number}-{k}", "hidden": False} for k in range(6)],
                "publishedAt": "2024-10-21T17:59:58.000Z",
                "title": f"Invented Paper {number}: Sparse Routing for Long-Horizon Agents",
                "summary": ("We study sparse routing in long-horizon agents and report results on four benchmarks. " * 12)
                + f"Code: https://github.com/lab{number}/repo{number}.",
                "upvotes": number,
                "githubRepo": f"https://github.com/lab{number}/repo{number}",
                "githubStars": number * 7,
                "ai_summary": "A routing scheme lets agents skip most tokens.",
                "ai_keywords": ["routing", "agents"],
            },
            "publishedAt": "2024-10-22T02:31:07.553Z",
            "title": f"Invented Paper {number}: Sparse Routing for Long-Horizon Agents",
            "numComments": number % 5,
        }
        for number in range(papers)
    ]
    return json.dumps(items).encode()


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def report(name: str, times: list[float], note: str = "") -> None:
    print(f"{name:<42} best {min(times) * 1000:8.1f} ms   median {statistics.median(times) * 1000:8.1f} ms{note}")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--papers", type=int, default=60)
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--delay", type=float, default=2.0, help="seconds the slow server waits")
    options.add_argument("--quick", action="store_true", help="one run of each, a 0.5 s delay")
    args = options.parse_args()
    repeat, delay = (1, 0.5) if args.quick else (args.repeat, args.delay)

    with tempfile.TemporaryDirectory(prefix="bench-live-") as cache_dir, serving() as server:
        os.environ.update(DIGEST_READER_CACHE_DIR=cache_dir, HF_ENDPOINT=server.url,
                          DIGEST_READER_ARXIV_RSS="http://127.0.0.1:9")
        body = day_json(args.papers)
        server.route(DAY_PATH, Reply(body=body))
        from tui.live import load_live, parse_spec

        spec = parse_spec(f"hf:{DAY}")
        assert spec is not None
        load_live(spec, mode="refresh")  # fills the cache, imports everything
        print(f"day of {args.papers} papers, {len(body) / 1024:.0f} KB of JSON; {repeat} run(s) each\n")

        report("cached day, load_live offline", timed(lambda: load_live(spec, mode="offline"), repeat))

        command = [sys.executable, "-m", "tui", "parse", f"hf:{DAY}", "--offline"]

        def parse_offline() -> None:
            subprocess.run(command, cwd=REPO, capture_output=True, check=True, timeout=60)

        report("cached day, parse --offline (subprocess)", timed(parse_offline, repeat))

        server.route(DAY_PATH, Reply(body=body, delay=delay))
        fetches = timed(lambda: load_live(spec, mode="refresh"), repeat)
        added = [elapsed - delay for elapsed in fetches]
        report(f"fetch, server answers after {delay:g} s", fetches,
               f"   (reader's own: best {min(added) * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
