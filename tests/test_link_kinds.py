"""Link classification and canonical repositories (digest_parser/link_kinds.py;
the rules are in docs/formats.md, "Links")."""

from __future__ import annotations

import pytest

from digest_parser.link_kinds import canonical_repo, classify, first_code_url, plain_github_repo
from digest_parser.links import extract_links
from digest_parser.models import Link

CLASSIFY = [
    ("https://github.com/o/r", "code"),
    ("http://www.GitHub.com/o/r/blob/main/x.py#L3", "code"),
    ("https://github.com/o", "other"),
    ("https://github.com/o/.git", "other"),
    ("https://github.com/o/..", "other"),
    ("https://github.com/features/copilot", "other"),
    ("https://github.com/o/r?tab=readme-ov-file#top", "code"),
    ("https://github.com/o/", "other"),
    ("https://github.com/orgs/o", "other"),
    ("https://github.com/topics/nlp", "other"),
    ("https://github.com@evil.example/o/r", "other"),
    ("https://gist.github.com/o/abc123", "other"),
    ("https://gitlab.com/group/sub/proj/-/tree/main", "code"),
    ("https://bitbucket.org/o/r/src/main/", "code"),
    ("https://codeberg.org/o/r", "code"),
    ("https://git.sr.ht/~o/r", "code"),
    ("https://sr.ht/~o/r", "code"),
    ("https://git.sr.ht/o/r", "other"),
    ("https://gitee.com/o/r", "code"),
    ("https://huggingface.co/o/m", "model"),
    ("https://hf.co/o/m", "model"),
    ("https://huggingface.co/o/m/tree/main", "model"),
    ("https://huggingface.co/o", "other"),
    ("https://huggingface.co/docs/transformers", "other"),
    ("https://huggingface.co/avatars/0000.svg", "other"),
    ("https://huggingface.co/models?search=x", "other"),
    ("https://huggingface.co/datasets/o/d", "dataset"),
    ("https://huggingface.co/datasets/o", "other"),
    ("https://huggingface.co/spaces/o/s", "space"),
    ("https://huggingface.co/papers/2501.00002", "paper"),
    ("https://huggingface.co/papers/trending", "other"),
    ("https://arxiv.org/abs/2501.00002v2", "paper"),
    ("https://arxiv.org/pdf/2501.00002", "paper"),
    ("https://arxiv.org/html/2501.00002v1", "paper"),
    ("https://export.arxiv.org/abs/hep-th/9901001", "paper"),
    ("https://arxiv.org/list/cs.AI/new", "other"),
    ("https://doi.org/10.1145/1234567.1234568", "paper"),
    ("https://dx.doi.org/10.5281/zenodo.1", "paper"),
    ("https://openreview.net/forum?id=abc", "paper"),
    ("https://openreview.net/group?id=ICLR.cc", "other"),
    ("https://aclanthology.org/2024.acl-long.12/", "paper"),
    ("https://aclanthology.org/P19-1001.pdf", "paper"),
    ("https://aclanthology.org/events/acl-2024/", "other"),
    ("https://tide.github.io/kite/", "project"),
    ("https://tide.gitlab.io", "project"),
    ("https://kite.pages.dev/", "project"),
    ("https://sites.google.com/view/kite", "project"),
    ("https://aka.ms/kite", "other"),
    ("https://anonymous.4open.science/r/KITE-1A2B", "other"),
    ("https://scholar.google.com/scholar_url?url=https://arxiv.org/pdf/2501.00002&hl=en", "paper"),
    ("https://scholar.google.com/scholar_url?url=https%3A%2F%2Fgithub.com%2Fo%2Fr&hl=en", "code"),
    ("https://scholar.google.com/scholar_url?hl=en", "other"),
    ("not a url", "other"),
    ("", "other"),
]


@pytest.mark.parametrize(("url", "kind"), CLASSIFY)
def test_classify(url: str, kind: str) -> None:
    assert classify(url) == kind


@pytest.mark.parametrize(("url", "kind"), [case for case in CLASSIFY if case[0].startswith("http")])
def test_extract_links_gives_the_same_kind(url: str, kind: str) -> None:
    """extract_links has a shortcut for plain GitHub links; it must agree."""
    links = extract_links(f"See {url}.")
    if [link.url for link in links] == [url]:
        assert links[0].kind == kind


CANONICAL = [
    ("https://github.com/Owner/Repo", "https://github.com/Owner/Repo"),
    ("http://www.GitHub.com/Owner/Repo/", "https://github.com/Owner/Repo"),
    ("https://github.com/o/r.git", "https://github.com/o/r"),
    ("https://github.com/o/r.github.io", "https://github.com/o/r.github.io"),
    ("https://github.com/o/r.github.io.git", "https://github.com/o/r.github.io"),
    ("https://github.com/o/.git", None),
    ("https://github.com/o/r/tree/main/sub/dir", "https://github.com/o/r"),
    ("https://github.com/o/r/blob/main/a.py?plain=1#L2", "https://github.com/o/r"),
    ("https://github.com/o/r?tab=readme#top", "https://github.com/o/r"),
    ("https://github.com/o/data.v2", "https://github.com/o/data.v2"),
    ("https://github.com/o", None),
    ("https://github.com/o/r%20x", None),
    ("https://gitlab.com/g/sub/proj/-/blob/main/x", "https://gitlab.com/g/sub/proj"),
    ("https://gitlab.com/g/proj.git", "https://gitlab.com/g/proj"),
    ("https://bitbucket.org/o/r/src/main/", "https://bitbucket.org/o/r"),
    ("https://git.sr.ht/~o/r/tree", "https://git.sr.ht/~o/r"),
    ("https://huggingface.co/o/m/resolve/main/w.bin", "https://huggingface.co/o/m"),
    ("https://hf.co/o/m", "https://huggingface.co/o/m"),
    ("https://huggingface.co/datasets/o/d/viewer", "https://huggingface.co/datasets/o/d"),
    ("https://huggingface.co/spaces/o/s?logs=1", "https://huggingface.co/spaces/o/s"),
    ("https://huggingface.co/papers/2501.00002", None),
    ("https://tide.github.io/kite", None),
    ("https://arxiv.org/abs/2501.00002", None),
    ("https://scholar.google.com/scholar_url?url=https://github.com/o/r/tree/x&hl=en", "https://github.com/o/r"),
    ("github.com/o/r", None),
    ("", None),
]


@pytest.mark.parametrize(("url", "repo"), CANONICAL)
def test_canonical_repo(url: str, repo: str | None) -> None:
    assert canonical_repo(url) == repo


def test_first_code_url_skips_other_kinds() -> None:
    links = extract_links(
        "Page https://tide.github.io/, weights https://huggingface.co/t/m, code "
        "https://github.com/t/kite/tree/dev and https://github.com/t/other."
    )
    assert first_code_url(links) == "https://github.com/t/kite"
    assert first_code_url(list(links)) == "https://github.com/t/kite"


def test_first_code_url_none_without_code() -> None:
    assert first_code_url(()) is None
    assert first_code_url((Link("https://huggingface.co/t/m", "model"),)) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/kite", "https://github.com/o/kite/", "https://github.com/o/kite.git",
        "http://github.com/o/kite", "https://github.com/o/ki", "https://github.com/o/..", "https://github.com/o/kite?x=1",
        "https://github.com/o/kite#readme", "https://github.com/search/kite", "https://github.com/o/kite/tree/main",
    ],
)
def test_plain_github_shortcut_agrees_with_canonical_repo(url: str) -> None:
    repo = plain_github_repo(url)
    assert repo is None or repo == canonical_repo(url)
    assert first_code_url(extract_links(url)) == canonical_repo(url)
