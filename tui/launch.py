"""`digest-reader [PATH…]`: check the inputs and the settings, then open the reader.

Everything that can be refused is refused here, with one line on stderr,
before any screen: a bad PATH or source spec, and a bad config.toml (exit
status 78; docs/config.md). The app then starts with every setting applied.
"""

from __future__ import annotations

import argparse
import os
import sys

from digest_parser import DigestReadError
from digest_parser.formats import AUTO, format_names
from digest_parser.sanitize import clean_line
from tui.config import EX_CONFIG, ConfigError, check, load, locate
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
            "`digest-reader search QUERY PATH…` prints the papers a search finds, best first; "
            "`digest-reader bookmarks` prints or imports bookmarks; "
            "`digest-reader cache` shows or clears the cache of fetched sources; "
            "`digest-reader config` prints the settings in effect (config.toml)."
        ),
        epilog=specs_help(),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="digest files, directories of digests, - for standard input, "
                        "or live sources (hf, arxiv:cs.CL; see below)")
    parser.add_argument("--format", default=AUTO, choices=[AUTO, *format_names()], help="digest format (default: detect)")
    parser.add_argument("--bookmarks", metavar="FILE",
                        help="bookmarks file (default: the user data directory; env DIGEST_READER_BOOKMARKS)")
    parser.add_argument("--config", metavar="FILE",
                        help="settings file (default: config.toml in the user config directory, "
                        "$XDG_CONFIG_HOME/digest-reader on Linux; env DIGEST_READER_CONFIG)")
    add_live_arguments(parser)
    return parser


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:  # a closed descriptor
        return False


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load(locate(args.config))
    except ConfigError as error:
        print(f"digest-reader: {error}", file=sys.stderr)
        return EX_CONFIG
    paths = args.paths or list(config.settings.sources)
    from_config = not args.paths and bool(paths)
    demo = not paths
    try:
        sources = expand([demo_path()] if demo else paths, live_mode=live_mode(args), replacements=args.replacements)
        if any(source.path == "-" for source in sources):
            reattach_keyboard()
    except DigestReadError as error:
        origin = f" (listed in sources of {config.location.path})" if from_config else ""
        print(f"digest-reader: {clean_line(str(error) + origin)}", file=sys.stderr)
        return error.exit_code
    except SpecError as error:
        print(f"digest-reader: {clean_line(str(error))}", file=sys.stderr)
        return EX_USAGE

    sources = parse_small(sources, args.format)
    from tui.app import DigestApp, binding_catalogue, theme_names  # Textual only now: `parse` and errors stay fast

    try:
        keymap = check(config, themes=theme_names(), bindings=binding_catalogue)
    except ConfigError as error:
        print(f"digest-reader: {error}", file=sys.stderr)
        return EX_CONFIG
    app = DigestApp(sources, format=args.format, bookmarks_path=args.bookmarks, demo=demo, config=config, keymap=keymap)
    if not _is_terminal(0):
        # Textual reads keys from fd 0: stdin redirected from /dev/null or closed by a
        # launcher would leave the app deaf and spinning on end-of-file. The terminal,
        # when there is one, becomes stdin instead.
        try:
            reattach_keyboard()
        except DigestReadError as error:
            print(f"digest-reader: {clean_line(str(error))}", file=sys.stderr)
            return error.exit_code
    app.run()
    if app.fatal_error:
        print(f"digest-reader: {clean_line(app.fatal_error)}", file=sys.stderr)
        return app.return_code or EX_DATAERR
    return app.return_code or 0
