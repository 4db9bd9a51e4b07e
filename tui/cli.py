"""The `digest-reader` command: open the reader, or run a subcommand.

    digest-reader [PATH…]            open the reader (no PATH: the bundled demo)
    digest-reader parse PATH…        print the papers as JSON
    digest-reader search QUERY SOURCE…  print the papers a search finds, best first
    digest-reader bookmarks …        print, export or import bookmarks
    digest-reader cache [--clear]    show (or empty) the cache of fetched sources
    digest-reader config [--default] print the settings in effect (or a commented default file)

Subcommands are dispatched on the first word, so a digest file literally named
``parse`` (or ``search``, ``cache``, ``config``) is opened as ``./parse``. Textual is imported only to open the reader.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "parse":
        from tui.cli_parse import main as parse_main

        return parse_main(args[1:])
    if args and args[0] == "search":
        from tui.cli_search import main as search_main

        return search_main(args[1:])
    if args and args[0] == "bookmarks":
        from tui.cli_bookmarks import main as bookmarks_main

        return bookmarks_main(args[1:])
    if args and args[0] == "cache":
        from tui.cli_cache import main as cache_main

        return cache_main(args[1:])
    if args and args[0] == "config":
        from tui.cli_config import main as config_main

        return config_main(args[1:])
    from tui.launch import main as launch_main

    return launch_main(args)
