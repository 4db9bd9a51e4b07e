"""Find, clean and classify the links in abstract prose (FORMATS.md §9).

Pipeline for :func:`extract_links`, one candidate at a time (rewriting the
whole abstract first would cost a copy of every abstract of a 100k-paper
digest, so every step below runs only on the few characters it concerns):

1. Fast path: no ``://`` in the text means no link.
2. Non-ASCII text only: delete zero-width characters (U+200B-U+200D, U+2060,
   U+FEFF and the soft hyphen U+00AD), which web pages insert to wrap URLs.
3. Find ``http://`` / ``https://`` (any case; the scheme is returned lower
   case). Bare hosts (``www.x.org``, ``cs.AI``, ``D4M.py``) are never linked.
4. Take characters up to the first stop character: any whitespace (NBSP,
   U+202F, U+3000 included), control or format character, ``< > " ' ` { } | \\ ^``,
   guillemets, curly quotes, en/em dashes, ``…``, CJK and full-width
   punctuation (U+3000-U+303F, U+FF00-U+FFFF), and ``](`` (a Markdown link).
   TeX escapes ``\\_ \\% \\# \\& \\~`` are kept and later unescaped, since
   ``\\href`` needs them and Markdown copies escape ``_``.
5. Markup: ``\\url{X}``, ``{X}.`` and ``\\footnote{X …}`` end at the brace or
   space. A URL starting right after a URL that ended with ``}{`` is the
   display text of ``\\href{X}{Y}`` (or its backslash-stripped remnant
   ``X}{Y``) and is dropped: Y is never a second link. In ``[Y](X)`` it is the
   display URL Y that is dropped and the target X that is kept.
6. Container remnants, decoded inside the candidate only, then the candidate
   is cut at the first stop character the decoding produced:
   quoted-printable soft breaks (a candidate ending in ``=`` at a line end
   whose next line starts with URL characters is evidence of QP: the pieces
   are joined and ``=XX`` escapes decoded as UTF-8), then HTML character
   references ending in ``;`` (``&amp;`` -> ``&``; names without ``;`` stay,
   so ``?a=1&copy=2`` is safe).
7. End the URL at the first ``)`` or ``]`` with no partner inside it (the GFM
   rule, applied anywhere rather than only at the end, so ``[![a](URL)b](…)``
   works), so ``…/wiki/Chain_(x)`` keeps its parenthesis; then drop trailing
   ``. , ; : ! ? * _ ~`` (``'`` and ``…`` already stop the URL). Inner dots
   stay (``datamix.v2``, ``owner.github.io``). A URL that really ends in
   ``.`` loses it (accepted, FORMATS §9.2).
8. Keep URLs with a host, remove exact duplicates, keep order, classify.

``this https URL`` (arXiv's elision of the link) gives no link;
:func:`has_elided_url` tells parsers to flag it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qs

from digest_parser.models import Link, LinkKind, new_link
from digest_parser.sanitize import _CF_RANGES

__all__ = [
    "Link",
    "LinkKind",
    "canonical_repo",
    "classify",
    "extract_links",
    "extract_links_and_code_url",
    "find_arxiv_ids",
    "first_code_url",
    "has_elided_url",
]

# Characters that end a URL candidate (step 4). Format characters (Cf) come
# from the sanitiser's table; the zero-width ones were deleted before matching.
_STOP_CHARS = (
    "\\s\\x00-\\x1f\\x7f-\\x9f"
    "<>\"'`{}|\\\\^"
    "\u00ab\u00bb\u2039\u203a\u2012-\u2015\u2018-\u201f\u2026"
    "\u3000-\u303f\uff00-\uffff\ud800-\udfff" + _CF_RANGES
)
_ORDINARY = f"[^{_STOP_CHARS}\\]]"
# Unrolled loop: long runs of ordinary characters are matched by one fast
# class; `]` (unless it opens a Markdown target) and TeX escapes in between.
_BODY = re.compile(f"{_ORDINARY}*(?:(?:\\](?!\\()|\\\\[_%#&~]){_ORDINARY}*)*")
# On ASCII text this ASCII-only class finds the same end ~2x faster: sre checks
# the Unicode ranges of the full class one by one for every character.
_ASCII_ORDINARY = "[^\\x00-\\x20\\x7f<>\"'`{}|\\\\^\\]]"
_ASCII_BODY = re.compile(f"{_ASCII_ORDINARY}*(?:(?:\\](?!\\()|\\\\[_%#&~]){_ASCII_ORDINARY}*)*")
_PLAIN_BODY = re.compile(f"{_ORDINARY}*(?:\\](?!\\(){_ORDINARY}*)*")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]+")

_TRAILING = ".,;:!?*_~"  # sentence punctuation and Markdown emphasis
_TEX_ESCAPE = re.compile(r"\\([_%#&~])")
_QP_RUN = re.compile(r"(?:=[0-9A-F]{2})+")
_ENTITY = re.compile(r"&(?:amp;)*(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")
_ELIDED = re.compile(r"\b[Tt]his\s+(?:https?|ftp)\s+URL\b")


def extract_links(text: str) -> tuple[Link, ...]:
    """Every http(s) URL in *text*, cleaned, duplicates removed, order kept.

    Args:
        text: Untrusted prose: an abstract, a title, a comments field.

    Returns:
        One :class:`Link` per distinct URL, with its kind from :func:`classify`.
        Never raises on any string.
    """
    return extract_links_and_code_url(text)[0]


def extract_links_and_code_url(text: str) -> tuple[tuple[Link, ...], str | None]:
    """:func:`extract_links` and the :func:`first_code_url` of those links, found
    in one pass: a parser wants both for every abstract, and the classification
    that makes a link ``code`` has its repository at hand."""
    if not text.isascii() and _has_invisible(text):
        text = _INVISIBLE.sub("", text)
    body = _ASCII_BODY if text.isascii() else _BODY
    found: dict[str, Link] = {}
    code_url = None
    previous_end = -1
    # The `:` of every `://`. The first hop is inline: most abstracts hold no `:`
    # before their link, and a call per hop costs as much as the find.
    pos = text.find(":")
    while pos != -1:
        if not text.startswith("://", pos):
            pos = _find(text, "://", pos + 1)
            if pos < 0:
                break
        # (Most links are lower-case https: one startswith before the general check.)
        start = pos - 5 if pos >= 5 and text.startswith("https", pos - 5) else _scheme_start(text, pos)
        if start < 0:
            pos = text.find(":", pos + 3)
            continue
        end = body.match(text, pos + 3).end()
        if text[end - 1] == "=" and text[end : end + 1] in ("\n", "\r"):
            url, end, quoted_printable = _join_soft_breaks(text, start, end)
        else:
            url, quoted_printable = text[start:end], False
        is_href_display = previous_end == start - 2 and text.startswith("}{", start - 2)
        is_markdown_display = text.startswith("](", end) and _scheme_start(
            text, text.find("://", end + 2, end + 11)
        ) == end + 2
        previous_end = end
        if not (is_href_display or is_markdown_display):
            url = _clean(url, pos - start, quoted_printable)
            if url and url not in found:
                plain_repo = _plain_github_repo(url)  # the link most abstracts carry, in one regex match
                kind, repo = ("code", plain_repo) if plain_repo else _analyse(url)
                found[url] = new_link(url, kind)
                if code_url is None and kind == "code":
                    code_url = repo
        pos = text.find(":", end)
    return (tuple(found.values()), code_url) if found else ((), None)


def _find(text: str, needle: str, start: int = 0) -> int:
    """``text.find(needle, start)``, faster in prose: a one-character find is a
    memchr, ~10x faster than a multi-character one, and the needle's first
    character is rare in prose. Many false hits hand over to the C search."""
    first = needle[0]
    index = text.find(first, start)
    hops = 0
    while index >= 0 and not text.startswith(needle, index):
        hops += 1
        if hops == 8:
            return text.find(needle, index)
        index = text.find(first, index + 1)
    return index


def _has_invisible(text: str) -> bool:
    # One `in` per character is ~20x faster than a regex search over the text.
    return (
        "\u200b" in text or "\u200c" in text or "\u200d" in text
        or "\u2060" in text or "\ufeff" in text or "\u00ad" in text
    )


def _scheme_start(text: str, pos: int) -> int:
    """Index where the ``http``/``https`` that ends at *pos* (a ``://``) starts, else -1."""
    if pos >= 5 and text[pos - 5 : pos].lower() == "https":
        return pos - 5
    if pos >= 4 and text[pos - 4 : pos].lower() == "http":
        return pos - 4
    return -1


def _join_soft_breaks(text: str, start: int, end: int) -> tuple[str, int, bool]:
    """Join a URL that a quoted-printable soft break (``=\\n``) split over lines.

    Returns the raw URL text, where it ends in *text*, and whether it was joined.
    """
    pieces = []
    piece_start = start
    while text[end - 1] == "=":
        if text.startswith("\n", end):
            next_line = end + 1
        elif text.startswith("\r\n", end):
            next_line = end + 2
        else:
            break
        next_end = _BODY.match(text, next_line).end()
        if next_end == next_line:
            break
        pieces.append(text[piece_start : end - 1])
        piece_start, end = next_line, next_end
    pieces.append(text[piece_start:end])
    return "".join(pieces), end, len(pieces) > 1


def _clean(raw: str, scheme_length: int, quoted_printable: bool) -> str:
    """Decode remnants, trim the right edge and check there is a host; "" if none."""
    url = raw
    if quoted_printable:
        url = _QP_RUN.sub(_decode_qp_run, url)
    if "\\" in url:
        url = _TEX_ESCAPE.sub(r"\1", url)
    if "&" in url and ";" in url:
        url = _decode_entities(url)
    host_start = scheme_length + 3
    if url != raw or quoted_printable:
        # Decoding may have produced a stop character: cut as if the text had
        # been decoded before matching (and no escape is honoured twice).
        url = url[: _PLAIN_BODY.match(url, host_start).end()]
    if ")" in url or "]" in url:
        url = _cut_unmatched(url)
    url = url.rstrip(_TRAILING)
    if len(url) <= host_start or not (url[host_start].isalnum() or url[host_start] == "["):
        return ""
    scheme = url[:scheme_length]
    return url if scheme in ("https", "http") else scheme.lower() + url[scheme_length:]


def _cut_unmatched(url: str) -> str:
    """End the URL at the first ``)`` or ``]`` that closes nothing inside it.

    Balanced pairs stay (``…/wiki/Chain_(x)``); an unmatched closer belongs to
    the prose or markup around the URL (``(see URL).``, ``[![a](URL)b](…)``).
    """
    for closer, opener in ((")", "("), ("]", "[")):
        index = url.find(closer)
        opened = closed = 0
        previous = 0
        while index != -1:
            opened += url.count(opener, previous, index)
            closed += 1
            if closed > opened:
                url = url[:index]
                break
            previous = index
            index = url.find(closer, index + 1)
    return url


def _decode_entities(url: str) -> str:
    """Decode HTML character references until none is left (HF pages escape twice).

    ``&amp;amp;…`` chains go in one pass; the bound only matters for hostile
    input nesting mixed forms (``&#38;#38;…``) many levels deep.
    """
    for _ in range(8):
        decoded = _ENTITY.sub(_decode_entity, url)
        if decoded == url:
            break
        url = decoded
    return url


def _decode_qp_run(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("=", ""))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: percent-encoding keeps the bytes in valid URL form.
        return "".join(f"%{byte:02X}" for byte in raw)


def _decode_entity(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        from html.entities import html5  # a 2,000-entry table: ~1 ms of start-up, kept for the rare entity

        # An unknown name stays as written; only the `&amp;` chain before it goes.
        return html5.get(name + ";") or f"&{name};"
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def first_code_url(links: Sequence[Link]) -> str | None:
    """Canonical repository URL of the first ``code`` link, or None.

    Args:
        links: Links in document order, as :func:`extract_links` returns them.
    """
    for link in links:
        if link.kind == "code":
            repo = _plain_github_repo(link.url) or canonical_repo(link.url)
            if repo:
                return repo
    return None


def has_elided_url(text: str) -> bool:
    """True when *text* holds arXiv's ``this https URL`` placeholder for a lost link."""
    found = _find(text, "URL")
    # A match ends at a "URL": look just before the first one, then everywhere.
    return found >= 0 and (_ELIDED.search(text, max(0, found - 30)) or _ELIDED.search(text)) is not None


# Classification and canonical repositories ----------------------------------

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
    return _analyse(url)[0]


def canonical_repo(url: str) -> str | None:
    """Canonical repository URL for a code, model, dataset or space link, else None.

    ``https://<host>/<owner>/<name>`` for code hosts (``.git`` removed only as a
    final suffix; ``/tree/…``, ``/blob/…``, query, fragment and trailing slash
    dropped; case kept; host lower case, ``www.`` dropped) and
    ``https://huggingface.co/[datasets/|spaces/]<owner>/<name>`` for Hugging
    Face. A Google Scholar redirect is unwrapped first. Never raises.
    """
    return _analyse(url)[1]


def _analyse(url: str, depth: int = 0) -> tuple[LinkKind, str | None]:
    """(kind, canonical repository or None) for *url*."""
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
    name = _repo_name(name)
    return f"https://{host}/{owner}/{name}" if name else None


def _repo_name(name: str) -> str | None:
    """*name* without a final ``.git``, or None when nothing sensible is left."""
    if name.endswith(".git"):
        name = name[:-4]
    return None if name in {"", ".", ".."} else name


def _plain_github_repo(url: str) -> str | None:
    """:func:`canonical_repo` of a plain ``https://github.com/owner/name…`` link
    with one regex match (else None, also when the link is not that plain).
    A link that already is the canonical form is returned itself: its string
    is shared, not built again (3 MB at 100k papers)."""
    plain = _PLAIN_GITHUB.match(url)
    if plain is None:
        return None
    owner, name = plain.groups()
    if owner.lower() in _NOT_OWNERS:
        return None
    if plain.end(2) == len(url) and url.startswith("https") and len(name) > 2 and not name.endswith(".git"):
        return url  # (a name of 1-2 characters may be "." or "..", which _repo_name refuses)
    name = _repo_name(name)  # type: ignore[assignment]
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
    return _analyse(target, depth + 1)


# arXiv identifiers ----------------------------------------------------------

_OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|supr-con"
)
# Both scans start with a literal (`.` or `/`), which `re` finds with a fast
# string search; the context is then checked only around the few hits.
_NEW_ID_TAIL = re.compile(r"\.([0-9]{4,5})(?:v[0-9]+)?(?![0-9])")
_OLD_ID_TAIL = re.compile(r"/([0-9]{7})(?:v[0-9]+)?(?![0-9])")
_OLD_ARCHIVE = re.compile(rf"(?:{_OLD_ARCHIVES})(?:\.[A-Za-z]{{2}})?\Z", re.IGNORECASE)
_ARXIV_PLACE = re.compile(
    r"(?:(?:arxiv|ar5iv|alphaxiv)\.org|huggingface\.co|hf\.co)/(?:abs|pdf|html|format|ps|papers|overview)/\Z"
    r"|\b10\.48550/arxiv\.\Z",
    re.IGNORECASE,
)
_DOI_START = re.compile(r"\b10\.[0-9]{4,9}/")
_TOKEN_WINDOW = 300  # how far back a URL or DOI around an id is looked for


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv identifiers mentioned in *text*, without version, in order, unique.

    Finds new ids (``2401.01234``, ``1802.08979``, ``0704.0001``) and old ones
    (``hep-th/9901001``; a subject class as in ``math.GT/0309136`` is dropped,
    giving ``math/0309136``), in prose (``arXiv:2401.01234v2``), in arXiv,
    Hugging Face paper and alphaXiv URLs, and in arXiv DOIs
    (``10.48550/arXiv.2401.01234``). The version is removed: the result is the
    paper's identity, as :attr:`Paper.arxiv_id` holds it. Digits inside other
    DOIs and URLs are skipped, and ids with an impossible date (month 13) or
    digit count (5 digits before 2015, 4 after) are rejected. Never raises.
    """
    found: list[tuple[int, str]] = []
    for match in _NEW_ID_TAIL.finditer(text):
        start = match.start() - 4
        if start < 0 or not (text[start : match.start()].isascii() and text[start : match.start()].isdigit()):
            continue
        in_prose = _context(text, start)
        followed_by_number = text[match.end() : match.end() + 1] == "." and text[
            match.end() + 1 : match.end() + 2
        ].isdigit()
        if in_prose is None or (in_prose and followed_by_number):
            continue
        arxiv_id = _valid_new_id(text[start : match.start()], match.group(1))
        if arxiv_id:
            found.append((start, arxiv_id))
    for match in _OLD_ID_TAIL.finditer(text):
        archive = _OLD_ARCHIVE.search(text, max(0, match.start() - 12), match.start())
        if archive is None or _context(text, archive.start()) is None:
            continue
        arxiv_id = _valid_old_id(archive.group(0), match.group(1))
        if arxiv_id:
            found.append((archive.start(), arxiv_id))
    found.sort()
    return list(dict.fromkeys(arxiv_id for _, arxiv_id in found))


def _context(text: str, start: int) -> bool | None:
    """Where an id starting at *start* sits: True in prose, False in an arXiv
    URL or DOI, None where it is not an arXiv id (inside a word, a number, a
    foreign URL or DOI)."""
    window_start = max(0, start - _TOKEN_WINDOW)
    token_start = max(text.rfind(space, window_start, start) for space in (" ", "\n", "\t", "\xa0")) + 1
    prefix = text[max(token_start, window_start) : start]
    if "/" in prefix or "." in prefix:
        # Only the end of the prefix can name an arXiv place: search a short
        # tail, so a long token full of candidates stays linear.
        if _ARXIV_PLACE.search(prefix[-40:]):
            return False
        if "://" in prefix or ("10." in prefix and _DOI_START.search(prefix)):
            return None
    before = text[start - 1 : start] if start else ""
    if before and (before.isalnum() or before in "_./"):
        return None
    return True


def _valid_new_id(yymm: str, number: str) -> str | None:
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12 or (year, month) < (7, 4):
        return None
    expected_digits = 4 if (year, month) <= (14, 12) else 5
    return f"{yymm}.{number}" if len(number) == expected_digits else None


def _valid_old_id(archive: str, number: str) -> str | None:
    year, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12 or 8 <= year <= 90:
        return None
    return archive.split(".")[0].lower() + "/" + number
