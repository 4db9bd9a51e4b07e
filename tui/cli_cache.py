"""`digest-reader cache [--clear]`: where the cache of fetched sources is, and how large.

Prints the directory, then the number of cached responses and their size on
disk; ``--clear`` deletes them first (only files the cache made: see
:func:`tui.live.cache.clear`). Exit status: 0 ok, 2 usage. Imports nothing from
Textual or httpx.
"""

from __future__ import annotations

import argparse
import sys

from digest_parser.sanitize import clean_line

PROG = "digest-reader cache"
EX_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Show where fetched sources (hf, arxiv:…) are cached and how much space they take.",
        epilog="The directory is DIGEST_READER_CACHE_DIR when set, else the user cache directory "
        "($XDG_CACHE_HOME/digest-reader on Linux). Entries not opened for 60 days are pruned on their own.",
    )
    parser.add_argument("--clear", action="store_true", help="delete every cached response")
    return parser


def human_size(size: int) -> str:
    """``0 B``, ``512 B``, ``3.4 KB``, ``12.0 MB``: decimal units, like ``du --si``."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (never raises SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else EX_USAGE
    from tui.live import cache

    location = clean_line(str(cache.cache_dir()))
    if args.clear:
        removed = cache.clear()
        print(f"{location}\ncleared: {removed} file{'s' if removed != 1 else ''} deleted")
        return 0
    usage = cache.usage()
    line = f"{usage.entries} cached response{'s' if usage.entries != 1 else ''}, {human_size(usage.bytes)}"
    if usage.set_aside:
        line += f" ({usage.set_aside} set aside as corrupt)"
    print(f"{location}\n{line}")
    sys.stdout.flush()
    return 0
