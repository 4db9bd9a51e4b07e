"""digest_parser: turn research-paper digests into Paper records.

Pure: imports nothing from textual, rich, rapidfuzz, pyperclip or tui
(tests/test_import_boundary.py checks it).
"""

from digest_parser.api import UnknownFormatError, load, load_paths, merge, parse_text
from digest_parser.models import Digest, Link, LinkKind, Paper, Problem, normalise_title, paper_key
from digest_parser.reading import DigestReadError

__all__ = [
    "Digest",
    "DigestReadError",
    "Link",
    "LinkKind",
    "Paper",
    "Problem",
    "UnknownFormatError",
    "load",
    "load_paths",
    "merge",
    "normalise_title",
    "paper_key",
    "parse_text",
]
