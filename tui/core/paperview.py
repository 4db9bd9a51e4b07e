"""How a paper's links are presented: one order for the detail pane, the link
picker and the number keys, so ``[2]`` always means the same link."""

from __future__ import annotations

from urllib.parse import urlsplit

from digest_parser.models import Link, Paper


def ordered_links(paper: Paper) -> list[Link]:
    """The paper's links, code links first, then the rest in digest order.

    A paper whose ``code_url`` did not come from its links (HF JSON's
    ``githubRepo``, say) still gets it listed, first.
    """
    code = [link for link in paper.links if link.kind == "code"]
    rest = [link for link in paper.links if link.kind != "code"]
    if paper.code_url and not any(_same_repo(link.url, paper.code_url) for link in code):
        code.insert(0, Link(paper.code_url, "code"))
    return code + rest


def _same_repo(url: str, repo: str) -> bool:
    return url.rstrip("/").lower().startswith(repo.rstrip("/").lower())


def first_link(paper: Paper) -> str | None:
    """The first link in the presented order (code links first)."""
    links = ordered_links(paper)
    return links[0].url if links else None


def paper_link(paper: Paper) -> str | None:
    """The paper's own page, what `y` copies and `O` opens: its arXiv abstract page,
    else its Hugging Face paper page, else a link classified as a paper (DOI,
    OpenReview, ACL Anthology); never a code repository or a project page."""
    if paper.arxiv_id:
        return f"https://arxiv.org/abs/{paper.arxiv_id}"
    pages = [link.url for link in paper.links if link.kind == "paper"]
    hugging_face = [url for url in pages if _host(url) in ("huggingface.co", "www.huggingface.co")]
    chosen = hugging_face or pages
    return chosen[0] if chosen else None


def pdf_link(paper: Paper) -> str | None:
    """What `p` opens: the arXiv PDF when the id is known, else a link to a PDF file."""
    if paper.arxiv_id:
        return f"https://arxiv.org/pdf/{paper.arxiv_id}"
    for link in paper.links:
        if urlsplit(link.url).path.lower().endswith(".pdf"):
            return link.url
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def link_to_open(paper: Paper) -> str | None:
    """What `o` opens: the code link, else the paper's own link, else its first link."""
    return paper.code_url or paper_link(paper) or first_link(paper)
