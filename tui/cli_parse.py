"""`digest-reader parse PATH… [--format NAME]`: print the papers as one JSON object.

Output (UTF-8, one line): ``{"format", "source", "date", "papers": […],
"problems": […]}``, the papers of every PATH merged in order. ``-`` reads
standard input.

On a file that cannot be used, nothing goes to stdout; one line goes to stderr
naming the file (control characters escaped) and what to do, and the exit
status says why: 66 missing or unreadable, 65 bad data (binary, not UTF-8, too
large), 2 usage. No traceback. Imports nothing from Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from digest_parser import api, formats
from digest_parser.reading import MAX_BYTES_ENV, DigestReadError
from digest_parser.sanitize import clean_line

PROG = "digest-reader parse"
EX_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the format names of the registry."""
    specs = formats.specs()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Parse research-paper digests and print their papers as one JSON object.",
        epilog=(
            "Formats: "
            + "; ".join(f"{spec.name}: {spec.description}" for spec in specs)
            + f". Files larger than 256 MiB are refused unless {MAX_BYTES_ENV} (bytes) allows them."
            " Exit status: 0 ok, 2 usage, 65 bad data, 66 missing or unreadable file."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="digest file; '-' reads standard input")
    parser.add_argument(
        "--format",
        default=formats.AUTO,
        choices=[formats.AUTO, *(spec.name for spec in specs)],
        help="digest format (default: auto-detect)",
    )
    return parser


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (never raises SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else EX_USAGE
    if args.paths.count("-") > 1:
        return _fail("'-' (standard input) can be given only once", EX_USAGE)
    try:
        digest = api.merge([api.load(path, args.format) for path in args.paths])
    except DigestReadError as error:
        return _fail(str(error), error.exit_code)
    except api.UnknownFormatError as error:
        return _fail(str(error), EX_USAGE)
    return _write_json(digest.to_json())


def _write_json(data: dict[str, object]) -> int:
    text = json.dumps(data, ensure_ascii=False) + "\n"
    try:
        sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
        sys.stdout.flush()
    except BrokenPipeError:
        # `digest-reader parse x | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _fail(message: str, status: int) -> int:
    # Messages may quote a file name: clean_line keeps escapes off the terminal
    # even if a caller forgot to escape it.
    print(f"{PROG}: {clean_line(message)}", file=sys.stderr)
    return status
