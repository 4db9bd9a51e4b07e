"""The registry of digest formats: one :class:`FormatSpec` each, in detection order.

Detection (:func:`detect`), the ``--format`` choices (:func:`format_names`) and
parsing (:mod:`digest_parser.api`) all read this one list, so a format is added
in one place: its spec here (or a :func:`register` call), its check in
:mod:`digest_parser.formats.sniffing`, its parser in a module of its own. See
docs/formats.md, "Adding a format".

Parser modules are imported on first use, by the spec's loader: detection asks
only the cheap checks, so `digest-reader parse` on an HF page does not import
the XML or e-mail parsers.
"""

from __future__ import annotations

from digest_parser.formats import sniffing
from digest_parser.formats.spec import FormatParsers, FormatSpec, LineParsers

__all__ = [
    "AUTO",
    "FALLBACK",
    "FormatParsers",
    "FormatSpec",
    "LineParsers",
    "detect",
    "format_names",
    "get_format",
    "get_spec",
    "register",
    "specs",
    "unregister",
]

AUTO = "auto"
"""The ``--format`` value that asks for detection."""

FALLBACK = "hf-page"
"""The lenient format text no check recognises is parsed as; it stays last."""


# --- loaders of the built-in parsers (imported on first parse) ------------------

def _load_hf_json() -> FormatParsers:
    from digest_parser.formats import hf_json

    return FormatParsers(hf_json.parse)


def _load_arxiv_feed() -> FormatParsers:
    from digest_parser.formats import arxiv_feed

    return FormatParsers(arxiv_feed.parse)


def _load_arxiv_mail() -> FormatParsers:
    from digest_parser.formats import arxiv_mail

    return FormatParsers(arxiv_mail.parse)


def _load_arxiv_listing() -> FormatParsers:
    from digest_parser.formats import arxiv_listing

    return FormatParsers(arxiv_listing.parse)


def _load_hf_markdown() -> FormatParsers:
    from digest_parser.formats import hf_markdown

    return FormatParsers(hf_markdown.parse)


def _load_hf_page() -> FormatParsers:
    from digest_parser.formats import hf_page

    return FormatParsers(
        hf_page.parse, LineParsers(hf_page.parse_lines, hf_page.parse_progressively, hf_page.parse_in_parts)
    )


_BUILT_IN = (
    FormatSpec(
        "hf-json",
        "Hugging Face Daily Papers JSON (/api/daily_papers, /api/papers/{id}, search results)",
        sniffing.hf_json,
        _load_hf_json,
    ),
    FormatSpec(
        "arxiv-feed",
        "arXiv RSS/Atom feed (rss.arxiv.org) or arXiv API query result",
        sniffing.arxiv_feed,
        _load_arxiv_feed,
    ),
    FormatSpec(
        "arxiv-mail",
        "arXiv daily subscription mailing (mail body, .eml/mbox, Apple Mail copy)",
        sniffing.arxiv_mail,
        _load_arxiv_mail,
    ),
    FormatSpec(
        "arxiv-listing",
        "arXiv list page (/list/<cat>/new, /recent) copied as text",
        sniffing.arxiv_listing,
        _load_arxiv_listing,
    ),
    FormatSpec(
        "hf-markdown",
        "Hugging Face papers page saved as Markdown (web clipper)",
        sniffing.hf_markdown,
        _load_hf_markdown,
    ),
    # The most lenient check: a stricter format's text may hold its header words.
    FormatSpec(
        FALLBACK,
        "Hugging Face papers page, copied or saved as text",
        sniffing.hf_page,
        _load_hf_page,
    ),
)

# Replaced whole (never mutated) by register/unregister, so a detection running
# in a worker thread meanwhile reads one consistent tuple.
_specs: tuple[FormatSpec, ...] = _BUILT_IN


# --- the registry ------------------------------------------------------------------

def specs() -> tuple[FormatSpec, ...]:
    """Every registered format, in detection order."""
    return _specs


def format_names() -> list[str]:
    """The registered format names, in detection order (the ``--format`` choices
    besides :data:`AUTO`)."""
    return [spec.name for spec in _specs]


def get_spec(name: str) -> FormatSpec:
    """The spec of format *name*; KeyError for a name not registered."""
    for spec in _specs:
        if spec.name == name:
            return spec
    raise KeyError(name)


get_format = get_spec
"""The older name of :func:`get_spec`: callers use ``get_format(name).parse``."""


def register(spec: FormatSpec, *, before: str | None = FALLBACK) -> None:
    """Add *spec* to the registry, detected just before format *before* (by
    default the lenient fallback, which must stay last), or last when *before*
    is None.

    Raises:
        ValueError: the name is taken, is :data:`AUTO`, or *before* is not registered.
    """
    global _specs
    names = format_names()
    if spec.name == AUTO or spec.name in names:
        raise ValueError(f"format name {spec.name!r} is already taken")
    if before is None:
        _specs = (*_specs, spec)
        return
    if before not in names:
        raise ValueError(f"no format {before!r} to register {spec.name!r} before")
    index = names.index(before)
    _specs = (*_specs[:index], spec, *_specs[index:])


def unregister(name: str) -> FormatSpec:
    """Remove format *name* from the registry and return its spec (KeyError if absent)."""
    global _specs
    spec = get_spec(name)
    _specs = tuple(other for other in _specs if other is not spec)
    return spec


def detect(text: str) -> str | None:
    """Name of the first format whose check accepts *text*, or None.

    Only the checks run (they live in :mod:`digest_parser.formats.sniffing`), so
    no parser module is imported to find out.
    """
    for spec in _specs:
        if spec.sniff is not None and spec.sniff(text):
            return spec.name
    return None
