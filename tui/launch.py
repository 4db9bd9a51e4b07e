"""`digest-reader [PATH…]`: check the inputs, then open the reader."""

from __future__ import annotations

import argparse
import sys

from digest_parser import DigestReadError
from digest_parser.formats import AUTO, format_names
from digest_parser.sanitize import clean_line
from tui.core.sources import demo_path, expand, parse_small
from tui.live.options import add_live_arguments, live_mode, specs_help
from tui.live.specs import SpecError
from tui.system.terminal import reattach_keyboard

EX_USAGE = 2
EX_DATAERR = 65


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest-reader",
        description=(
            "Read research-paper digests in the terminal. With no PATH, opens a demo digest.\n"
            "Other commands: `digest-reader parse PATH…` prints papers as JSON; "
            "`digest-reader bookmarks` prints or imports bookmarks; "
            "`digest-reader cache` shows or clears the cache of fetched sources."
        ),
        epilog=specs_help(),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="digest files, directories of digests, - for standard input, "
                        "or live sources (hf, arxiv:cs.CL; see below)")
    parser.add_argument("--format", default=AUTO, choices=[AUTO, *format_names()], help="digest format (default: detect)")
    parser.add_argument("--bookmarks", metavar="FILE",
                        help="bookmarks file (default: the user data directory; env DIGEST_READER_BOOKMARKS)")
    add_live_arguments(parser)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    demo = not args.paths
    try:
        sources = expand([demo_path()] if demo else args.paths, live_mode=live_mode(args), replacements=args.replacements)
        if any(source.path == "-" for source in sources):
            reattach_keyboard()
    except DigestReadError as error:
        print(f"digest-reader: {clean_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except SpecError as error:
        print(f"digest-reader: {clean_line(str(error))}", file=sys.stderr)
        return EX_USAGE

    sources = parse_small(sources, args.format)
    from tui.app import DigestApp  # Textual only now: `parse` and errors stay fast

    app = DigestApp(sources, format=args.format, bookmarks_path=args.bookmarks, demo=demo)
    app.run()
    if app.fatal_error:
        print(f"digest-reader: {clean_line(app.fatal_error)}", file=sys.stderr)
        return app.return_code or EX_DATAERR
    return app.return_code or 0
