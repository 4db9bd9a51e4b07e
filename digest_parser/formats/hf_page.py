"""Hugging Face papers page, plain-text copy. STUB: replaced by the parser helper."""

from __future__ import annotations

from digest_parser.links import extract_links, first_code_url
from digest_parser.models import Digest, Paper

NAME = "hf-page"
DESCRIPTION = "Hugging Face papers page, copied or saved as text"


def sniff(text: str) -> bool:
    return True


def parse(text: str, source: str) -> Digest:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    papers = []
    for title, abstract in zip(blocks[::2], blocks[1::2]):
        links = extract_links(abstract)
        papers.append(Paper(title=title.strip(), abstract=abstract.strip(), links=links,
                            code_url=first_code_url(links), source=source))
    return Digest(format=NAME, source=source, papers=tuple(papers))
