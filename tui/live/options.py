"""The command-line flags of the live sources, shared by ``digest-reader`` and ``digest-reader parse``.

Imported at start-up (the reader parses its command line before the first
frame), so it imports nothing but argparse and the specs.
"""

from __future__ import annotations

import argparse

from tui.live.specs import SPEC_FORMS

AUTO = "auto"
REFRESH = "refresh"
OFFLINE = "offline"


def add_live_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--offline``, ``--refresh`` (exclusive) and ``--replacements`` to *parser*."""
    network = parser.add_mutually_exclusive_group()
    network.add_argument("--offline", action="store_true",
                         help="never touch the network: live sources open from the cache only")
    network.add_argument("--refresh", action="store_true",
                         help="fetch live sources again, even when the cached copy is fresh")
    parser.add_argument("--replacements", action="store_true",
                        help="keep the replaced papers of arXiv feeds (left out by default)")


def live_mode(args: argparse.Namespace) -> str:
    """``offline``, ``refresh`` or ``auto``, from the parsed flags."""
    if getattr(args, "offline", False):
        return OFFLINE
    if getattr(args, "refresh", False):
        return REFRESH
    return AUTO


def specs_help() -> str:
    """One paragraph listing the source specs, for ``--help``."""
    forms = "; ".join(f"{form}: {meaning}" for form, meaning in SPEC_FORMS)
    return (
        f"Live sources, given wherever a PATH can: {forms}. They are fetched and cached "
        "(digest-reader cache shows where); a file with such a name opens as ./hf."
    )
