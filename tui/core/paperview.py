"""How a paper's links are presented: one order for the detail pane, the link
picker and the number keys, so ``[2]`` always means the same link."""

from __future__ import annotations

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
