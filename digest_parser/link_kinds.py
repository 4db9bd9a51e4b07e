"""What a link points at, and the repository it names.

:func:`classify` sorts a URL into a :data:`~digest_parser.models.LinkKind`
(code, model, dataset, space, paper, project, other) by its host and path
shape alone: nothing is fetched. :func:`canonical_repo` gives the one URL that
names a code, model, dataset or space repository however it was linked (a file
in it, a branch, ``.git``), which is what a paper's ``code_url`` holds and what
the reader copies. Finding the URLs in prose is :mod:`digest_parser.links`'s
job; the rules of both are written out in docs/formats.md, "Links".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qs

from digest_parser.models import Link, LinkKind

__all__ = ["canonical_repo", "classify", "first_code_url", "kind_and_repo", "plain_github_repo"]

_SPLIT = re.compile(
    r"[A-Za-z]+://(?:[^/?#@]*@)?(?P<host>\[[^\]/?#]*\]|[^/?#:]*)(?::[^/?#]*)?"
    r"(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?"
)
_SEGMENT = re.compile(r"[A-Za-z0-9_.-]+\Z")
# `/owner/name` then the end of the path or a `/`; `~owner` is SourceHut's form.
_OWNER_NAME = re.compile(r"/+(~?[A-Za-z0-9_.-]+)/+([A-Za-z0-9_.-]+)(?:/|\Z)")
_PLAIN_GITHUB = re.compile(r"https?://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)(?:[/?#]|\Z)")
_CODE_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht", "sr.ht"}
)
# First path segments that are site pages, not owners.
_NOT_OWNERS = frozenset(
    "about apps blog collections contact customer-stories dashboard enterprise events explore "
    "features groups help issues join login marketplace new notifications orgs organizations "
    "pricing pulls readme search security settings signup site sponsors topics trending users".split()
)
_GITLAB_PROJECT_END = frozenset(
    "- tree blob raw commits commit issues merge_requests wikis releases tags branches".split()
)
_HF_HOSTS = frozenset({"huggingface.co", "hf.co"})
_HF_REPO_TYPES: dict[str, LinkKind] = {"datasets": "dataset", "spaces": "space"}
_HF_NOT_OWNERS = _NOT_OWNERS | frozenset(
    "api avatars brand changelog chat docs huggingchat inference-endpoints learn logout mcp models "
    "oauth posts privacy storage support tasks terms-of-service welcome".split()
)
_HF_PAPER_LISTINGS = frozenset({"trending", "date", "week", "month", "search"})
# Hosts of paper pages, with the path shape of one paper (a listing is `other`).
_ARXIV_PATH = re.compile(r"/(?:abs|pdf|html|format|ps)/.")
_PAPER_PATHS: dict[str, re.Pattern[str]] = {
    "arxiv.org": _ARXIV_PATH,
    "export.arxiv.org": _ARXIV_PATH,
    "ar5iv.org": _ARXIV_PATH,
    "ar5iv.labs.arxiv.org": _ARXIV_PATH,
    "alphaxiv.org": re.compile(r"/(?:abs|overview)/."),
    "doi.org": re.compile(r"/10\.\d+/."),
    "dx.doi.org": re.compile(r"/10\.\d+/."),
    "openreview.net": re.compile(r"/(?:forum|pdf|attachment)\b"),
    "aclanthology.org": re.compile(r"/(?:[A-Z]\d{2}-\d{4}|\d{4}\.[\w-]+\.\d+)(?:\.pdf)?/?\Z"),
    "semanticscholar.org": re.compile(r"/paper/."),
    "biorxiv.org": re.compile(r"/content/10\."),
    "medrxiv.org": re.compile(r"/content/10\."),
    "proceedings.neurips.cc": re.compile(r"/paper"),
    "papers.nips.cc": re.compile(r"/paper"),
    "openaccess.thecvf.com": re.compile(r"/content"),
    "proceedings.mlr.press": re.compile(r"/v\d+/."),
    "dl.acm.org": re.compile(r"/doi/."),
}
_PROJECT_SUFFIXES = (
    ".github.io", ".gitlab.io", ".pages.dev", ".netlify.app", ".vercel.app", ".codeberg.page",
    ".readthedocs.io", ".hf.space",
)
_PROJECT_HOSTS = frozenset({"sites.google.com"})


def classify(url: str) -> LinkKind:
    """What *url* points at (see :data:`digest_parser.models.LinkKind`).

    ``code``: an owner/name repository on GitHub, GitLab, Bitbucket, Codeberg,
    SourceHut or Gitee (a bare ``github.com/owner`` is ``other``); ``model``,
    ``dataset``, ``space``: Hugging Face repositories; ``paper``: arXiv,
    DOI, Hugging Face paper pages, OpenReview, ACL Anthology and a few
    proceedings sites, when the path names one paper; ``project``: hosted
    project pages (``*.github.io``, ``*.gitlab.io``, ``*.pages.dev``,
    ``*.netlify.app``, ``*.vercel.app``, ``*.readthedocs.io``, ``*.hf.space``,
    ``sites.google.com``); else ``other``. A Google Scholar ``scholar_url?url=``
    redirect is classified by its target. Never raises.
    """
    return kind_and_repo(url)[0]


def canonical_repo(url: str) -> str | None:
    """Canonical repository URL for a code, model, dataset or space link, else None.

    ``https://<host>/<owner>/<name>`` for code hosts (``.git`` removed only as a
    final suffix; ``/tree/…``, ``/blob/…``, query, fragment and trailing slash
    dropped; case kept; host lower case, ``www.`` dropped) and
    ``https://huggingface.co/[datasets/|spaces/]<owner>/<name>`` for Hugging
    Face. A Google Scholar redirect is unwrapped first. Never raises.
    """
    return kind_and_repo(url)[1]


def kind_and_repo(url: str, depth: int = 0) -> tuple[LinkKind, str | None]:
    """(:func:`classify`, :func:`canonical_repo`) of *url* from one look at it:
    the link finder wants both for every link. *depth* counts the redirects
    already unwrapped."""
    parts = _SPLIT.match(url)
    if not parts:
        return "other", None
    host, path = parts.group("host", "path")
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if host in _CODE_HOSTS:
        repo = _code_repo(host, path)
        return ("code", repo) if repo else ("other", None)
    if host in _HF_HOSTS:
        return _hugging_face([segment for segment in path.split("/") if segment])
    if host.startswith("scholar.google.") and path == "/scholar_url" and depth < 3:
        return _scholar_target(parts.group("query") or "", depth)
    paper_path = _PAPER_PATHS.get(host)
    if paper_path is not None:
        return ("paper" if paper_path.match(path) else "other"), None
    if host.endswith(_PROJECT_SUFFIXES) or host in _PROJECT_HOSTS:
        return "project", None
    return "other", None


def _code_repo(host: str, path: str) -> str | None:
    if host == "gitlab.com":
        owner_name = _gitlab_project(path)
        if owner_name is None:
            return None
        owner, name = owner_name
    else:
        match = _OWNER_NAME.match(path)
        if not match:
            return None
        owner, name = match.groups()
    if owner.lower() in _NOT_OWNERS or (host.endswith("sr.ht") != owner.startswith("~")):
        return None
    repo_name = _repo_name(name)
    return f"https://{host}/{owner}/{repo_name}" if repo_name else None


def _repo_name(name: str) -> str | None:
    """*name* without a final ``.git``, or None when nothing sensible is left."""
    if name.endswith(".git"):
        name = name[:-4]
    return None if name in {"", ".", ".."} else name


def plain_github_repo(url: str) -> str | None:
    """:func:`canonical_repo` of a plain ``https://github.com/owner/name…`` link
    with one regex match (else None, also when the link is not that plain).
    A link that already is the canonical form is returned itself: its string
    is shared with the Link, not built again for every paper."""
    plain = _PLAIN_GITHUB.match(url)
    if plain is None:
        return None
    owner, name = plain.groups()
    if owner.lower() in _NOT_OWNERS:
        return None
    if plain.end(2) == len(url) and url.startswith("https") and len(name) > 2 and not name.endswith(".git"):
        return url  # (a name of 1-2 characters may be "." or "..", which _repo_name refuses)
    name = _repo_name(name)
    return f"https://github.com/{owner}/{name}" if name else None


def _gitlab_project(path: str) -> tuple[str, str] | None:
    """(group path, project) of a GitLab URL path; groups nest, so the project
    path runs until ``/-/`` or an old-style ``/tree/``, ``/blob/``…"""
    segments = []
    for segment in path.split("/"):
        if segment in _GITLAB_PROJECT_END:
            break
        if segment:
            if not _SEGMENT.match(segment):
                return None
            segments.append(segment)
    if len(segments) < 2:
        return None
    return "/".join(segments[:-1]), segments[-1]


def _hugging_face(segments: list[str]) -> tuple[LinkKind, str | None]:
    if not segments:
        return "other", None
    first = segments[0]
    if first == "papers":
        is_paper = len(segments) >= 2 and segments[1] not in _HF_PAPER_LISTINGS
        return ("paper" if is_paper else "other"), None
    kind: LinkKind = _HF_REPO_TYPES.get(first, "model")
    prefix = first + "/" if first in _HF_REPO_TYPES else ""
    if prefix:
        segments = segments[1:]
    if len(segments) < 2 or (not prefix and first.lower() in _HF_NOT_OWNERS):
        return "other", None
    owner, name = segments[0], segments[1]
    if not (_SEGMENT.match(owner) and _SEGMENT.match(name)) or name in {".", ".."}:
        return "other", None
    return kind, f"https://huggingface.co/{prefix}{owner}/{name}"


def _scholar_target(query: str, depth: int) -> tuple[LinkKind, str | None]:
    try:
        targets = parse_qs(query).get("url", [])
    except ValueError:
        return "other", None
    target = targets[0] if targets else ""
    if not target.lower().startswith(("http://", "https://")):
        return "other", None
    return kind_and_repo(target, depth + 1)


def first_code_url(links: Sequence[Link]) -> str | None:
    """Canonical repository URL of the first ``code`` link, or None.

    Args:
        links: Links in document order, as :func:`digest_parser.links.extract_links` returns them.
    """
    for link in links:
        if link.kind == "code":
            repo = plain_github_repo(link.url) or canonical_repo(link.url)
            if repo:
                return repo
    return None
