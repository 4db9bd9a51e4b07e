"""Cheap format checks, kept apart from the parsers so detection imports none of them.

Auto-detection asks every format before the lenient hf-page fallback. Importing the
parsers just to ask would pull in ``xml.etree``, ``email`` and a hundred regular
expressions before the reader's first frame, for formats the digest is not in.
Each check looks at the first few KB only, and never raises. The registry in
:mod:`digest_parser.formats` pairs each check with its format.
"""

from __future__ import annotations

import re

from digest_parser.formats._text import normalise

_JSON_SNIFF_CHARS = 4096
_SNIFF_CHARS = 8192

_WRAPPED_PAPER = re.compile(r'"paper"\s*:\s*\{')
_EMPTY_LIST = re.compile(r"^\[\s*\]\s*$")

_MAIL_SIGNATURE = "Send any comments regarding submissions directly to submitter."
_MAIL_HEADERS = re.compile(
    r"^(?:From:.*no-reply@arxiv\.org|Subject:\s*\S+ daily Subj-class mailing)", re.IGNORECASE | re.MULTILINE
)
_MAIL_ENTRY_START = re.compile(r"^\\\\[ \u00a0]*\n(?:arXiv:|Paper\b)[^\n]*\n(?:Date:|replaced with)", re.MULTILINE)

_LISTING_START = re.compile(r"^(?:Showing new listings for |\[1\]\s+arXiv:\S+\s)", re.MULTILINE)

_MARKDOWN_PAPER_HEADING = re.compile(r"^#{1,6}[ \t]*\[.*\]\(https?://huggingface\.co/papers/", re.MULTILINE)

_PAGE_SNIFF_CHARS = 4096
_PAGE_HEADER = re.compile(
    r"^[ \t]*(?:Get trending papers in your email inbox|by\s*AK and the research community"
    r"|Daily Papers|Trending Papers)\b",
    re.MULTILINE,
)
_SUBSCRIBE = re.compile(r"^[ \t]*Subscribe[ \t]*\r?$", re.MULTILINE)


def hf_json(text: str) -> bool:
    """True for a JSON list of daily items or flat papers, or one paper object."""
    head = text[:_JSON_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        if _EMPTY_LIST.match(head):
            return True  # /api/daily_papers on a weekend
        return bool(_WRAPPED_PAPER.search(head)) or ('"upvotes"' in head and '"summary"' in head)
    if head.startswith("{"):
        return '"id"' in head and '"upvotes"' in head and ('"discussionId"' in head or '"summary"' in head)
    return False


def arxiv_feed(text: str) -> bool:
    """True for an arXiv RSS 2.0/1.0 feed, an rss.arxiv.org Atom feed or an API result."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        return False
    if "<rss" in head or "<rdf:RDF" in head:
        return "arxiv" in head.lower()
    if "<feed" in head:
        return "oai:arXiv.org:" in head or "arxiv.org/abs/" in head or "arxiv.org/api" in head
    return False


def arxiv_mail(text: str) -> bool:
    """True for an arXiv mailing body, an arXiv .eml/mbox message, or copied entries."""
    head = normalise(text[:_SNIFF_CHARS].lstrip("\ufeff"))
    return _MAIL_SIGNATURE in head or bool(_MAIL_HEADERS.search(head)) or bool(_MAIL_ENTRY_START.search(head))


def arxiv_listing(text: str) -> bool:
    """True for a copied arXiv list page."""
    return bool(_LISTING_START.search(text[:_SNIFF_CHARS]))


def hf_markdown(text: str) -> bool:
    """True when a heading links to a Hugging Face paper page."""
    return bool(_MARKDOWN_PAPER_HEADING.search(text[:_SNIFF_CHARS]))


def hf_page(text: str) -> bool:
    """True when the first few KB hold a line of the HF papers page header: a
    distinctive one, or ``new`` first and a ``Subscribe`` line."""
    if _PAGE_HEADER.search(text, 0, _PAGE_SNIFF_CHARS) is not None:
        return True
    head = text[:_PAGE_SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    return head.startswith(("new\n", "new\r")) and _SUBSCRIBE.search(head) is not None
