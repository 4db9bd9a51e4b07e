"""Time and memory of reading and parsing synthetic HF-page digests.

For each size (default 1k, 10k and 100k papers, ~1.9 KB each) this prints,
each measured in a fresh subprocess so peak memory is that run's own:

- read+decode: ``reading.read_text`` (whole file) — the baseline;
- load: ``api.load`` as ``digest-reader parse`` calls it (line batches streamed
  from 1 MiB reads into the hf-page parser);
- stream: ``hf_page.parse_chunks(reading.iter_chunks(path))``, which never
  holds the whole text;
- parse-cli: ``digest-reader parse PATH`` with its JSON sent to /dev/null, which
  writes the papers as they are parsed and keeps none;

with MB/s, the ratio to read+decode, and the peak resident memory the work
added (ru_maxrss after minus before, so the interpreter is not counted) as a
multiple of the file size. Targets: load ≤ 3x read+decode in the same
run at 100k papers, peak < 2x the file size (parse-cli too). Nothing is asserted: numbers are
printed. Timings are noisy on a 2-core machine: use --repeat and a quiet machine.

    python bench/bench_parse.py                 # all sizes (generates bench/out/ files once)
    python bench/bench_parse.py --sizes 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_digest import default_path, generate

MODES = ("read", "load", "stream", "parse-cli")


def measure(mode: str, path: str) -> dict[str, float]:
    """Run one *mode* on *path* in this process; returns seconds and peak bytes added."""
    from digest_parser import api, reading
    from digest_parser.formats import hf_page
    from tui import cli_parse

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if mode == "read":
        result: object = reading.read_text(path)
    elif mode == "load":
        result = api.load(path)
    elif mode == "parse-cli":
        result = _parse_command(cli_parse.main, path)
    else:
        result = hf_page.parse_chunks(reading.iter_chunks(path), path)
    # The parsers pause the cyclic GC; the young collection due when it resumes
    # is the caller's to pay at its next allocation: counted here, not hidden.
    gc.collect(0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    papers = len(result.papers) if hasattr(result, "papers") else 0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {"seconds": seconds, "peak": (peak - before) * scale, "papers": papers}


def _parse_command(main: Callable[[list[str]], int], path: str) -> int:
    """Run ``digest-reader parse PATH`` here, its output sent to /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        return main([path])
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def run_fresh(mode: str, path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", mode, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode; the fastest is shown")
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0

    print(f"{'papers':>7} {'MB':>6} | {'mode':<9} {'s':>6} {'MB/s':>6} {'x read':>6} {'peak MB':>8} {'x file':>6}")
    for size in args.sizes:
        path = default_path(size)
        if not path.exists():
            generate(path, size)
        megabytes = path.stat().st_size / 1e6
        results = {}
        for mode in MODES:
            runs = [run_fresh(mode, path) for _ in range(args.repeat)]
            results[mode] = {"seconds": min(r["seconds"] for r in runs), "peak": max(r["peak"] for r in runs)}
        base = results["read"]["seconds"]
        for mode in MODES:
            seconds, peak = results[mode]["seconds"], results[mode]["peak"] / 1e6
            print(
                f"{size:>7} {megabytes:>6.1f} | {mode:<9} {seconds:>6.3f} {megabytes / seconds:>6.0f}"
                f" {seconds / base:>6.2f} {peak:>8.1f} {peak / megabytes:>6.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
