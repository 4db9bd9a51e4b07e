"""Find links in abstract prose. STUB: the links helper replaces this module."""

from __future__ import annotations

import re

from digest_parser.models import Link, LinkKind

_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def classify(url: str) -> LinkKind:
    return "code" if "github.com/" in url else "other"


def canonical_repo(url: str) -> str | None:
    return url if "github.com/" in url else None


def extract_links(text: str) -> tuple[Link, ...]:
    urls = dict.fromkeys(m.group(0).rstrip(".,;:)") for m in _URL.finditer(text))
    return tuple(Link(url, classify(url)) for url in urls)


def first_code_url(links: tuple[Link, ...]) -> str | None:
    for link in links:
        if link.kind == "code":
            return canonical_repo(link.url)
    return None
