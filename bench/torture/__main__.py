"""``python -m bench.torture [--quick] [--strict] [--kills N] [--only GROUP…] [--verbose]``."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.torture.report import details, table
from bench.torture.suite import FULL, GROUPS, QUICK, run_suite


def main(argv: list[str]) -> int:
    import bench.torture

    parser = argparse.ArgumentParser(prog="python -m bench.torture", description=bench.torture.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the short run (about 30 s) the tests use")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any case broke, lost, leaked or misbehaved")
    parser.add_argument("--kills", type=int, metavar="N", help="SIGKILLs in all, half per store (default 20 quick, 300 full)")
    parser.add_argument("--seed", type=int, help="seed of the kill moments")
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=GROUPS, metavar="GROUP",
                        help=f"run only these groups ({', '.join(GROUPS)})")
    parser.add_argument("--verbose", action="store_true", help="print every problem and every message shown")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.kills is not None:
        plan = plan.with_kills(args.kills)
    if args.seed is not None:
        plan = replace(plan, seed=args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="digest-reader-torture-") as work:
        results = run_suite(plan, Path(work), args.only,
                            progress=lambda group: print(f"running {group}…", file=sys.stderr, flush=True))
    print(table(results))
    print(f"\n{'quick' if plan.quick else 'full'} run, {time.monotonic() - started:.0f} s, seed {plan.seed}")
    if args.verbose:
        print("\n" + details(results))
    if args.strict and not all(result.clean for result in results):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
