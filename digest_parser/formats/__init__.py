"""The digest formats, in the order auto-detection tries them.

Each format module provides::

    NAME: str                                   # "hf-page", "arxiv-mail", …
    DESCRIPTION: str                            # one line for --help and errors
    def sniff(text: str) -> bool: ...           # cheap look at the first few KB
                                                # (kept in sniffing.py, see detect)
    def parse(text: str, source: str) -> Digest # never raises on any text

Modules are imported on first use so that `digest-reader parse` on an HF page
does not pay for the XML or e-mail parsers.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module path. Detection tries them in this order; hf-page is the
# lenient fallback and must stay last.
FORMAT_MODULES: dict[str, str] = {
    "hf-json": "digest_parser.formats.hf_json",
    "arxiv-feed": "digest_parser.formats.arxiv_feed",
    "arxiv-mail": "digest_parser.formats.arxiv_mail",
    "arxiv-listing": "digest_parser.formats.arxiv_listing",
    "hf-markdown": "digest_parser.formats.hf_markdown",
    "hf-page": "digest_parser.formats.hf_page",
}

AUTO = "auto"


def format_names() -> list[str]:
    return list(FORMAT_MODULES)


def get_format(name: str) -> ModuleType:
    """The module for format *name* (KeyError for an unknown name)."""
    return importlib.import_module(FORMAT_MODULES[name])


def detect(text: str) -> str | None:
    """Name of the first format whose sniff accepts *text*, or None.

    Asks the checks in :mod:`sniffing`, so only the detected format's parser is imported.
    """
    from digest_parser.formats.sniffing import SNIFFERS

    for name in FORMAT_MODULES:
        sniff = SNIFFERS.get(name) or get_format(name).sniff
        if sniff(text):
            return name
    return None
