"""Link extraction and cleaning (digest_parser/links.py; the rules are in
docs/formats.md, "Links"), and properties of extraction and classification together.

Classification alone is tested in test_link_kinds.py, arXiv ids in test_arxiv_ids.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import links as links_module
from digest_parser.links import (
    canonical_repo,
    classify,
    extract_links,
    extract_links_and_code_url,
    find_arxiv_ids,
    first_code_url,
    has_elided_url,
)

REPO_KINDS = {"code", "model", "dataset", "space"}
# What a returned URL may never hold (docs/formats.md, "Links").
FORBIDDEN = re.compile(
    "[\\s\\x00-\\x1f\\x7f-\\x9f\"'`<>{}|\\\\^\u2018-\u201f\u00ab\u00bb\u2026\u200b-\u200f\u2028-\u202e\ufeff]"
)


def urls_of(text: str) -> list[str]:
    return [link.url for link in extract_links(text)]


def repos_of(text: str) -> list[str | None]:
    """Canonical repos of the repository links, in order, deduplicated."""
    links = extract_links(text)
    return list(dict.fromkeys(canonical_repo(link.url) for link in links if link.kind in REPO_KINDS))


# --- the shared test vectors of the format spec (../shared, read at run time) ---

_VECTORS = Path(__file__).resolve().parents[2] / "shared/formats/samples/url_edge_cases.jsonl"
_VECTOR_IDS = (
    [json.loads(line)["id"] for line in _VECTORS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if _VECTORS.exists()
    else ["vectors-absent"]
)


def _vectors(samples_dir: Path) -> dict[str, dict]:
    lines = (samples_dir / "url_edge_cases.jsonl").read_text(encoding="utf-8").splitlines()
    return {case["id"]: case for case in map(json.loads, filter(str.strip, lines))}


@pytest.mark.parametrize("case_id", _VECTOR_IDS)
def test_shared_url_vector(samples_dir: Path, case_id: str) -> None:
    case = _vectors(samples_dir)[case_id]
    assert urls_of(case["text"]) == case["urls"]
    assert repos_of(case["text"]) == case["repos"]


def test_shared_vectors_are_all_there(samples_dir: Path) -> None:
    assert len(_vectors(samples_dir)) == 38


# --- invented cases covering the same ground (run without ../shared) -------

GH = "https://github.com/tidewater-ml/reedbed"
CASES: list[tuple[str, str, list[str], list[str]]] = [
    # id, text, urls, repos
    ("trailing-period", f"Our code: {GH}.", [GH], [GH]),
    ("space-period", f"Released at {GH} .", [GH], [GH]),
    ("trailing-many", f"Really? See {GH}!?;:,", [GH], [GH]),
    ("dotted-repo", "Tool at https://github.com/ouse-lab/gridmix.v3.",
     ["https://github.com/ouse-lab/gridmix.v3"], ["https://github.com/ouse-lab/gridmix.v3"]),
    ("inner-dots", "See https://github.com/tern-nlp/corpus.filter.kit, too.",
     ["https://github.com/tern-nlp/corpus.filter.kit"], ["https://github.com/tern-nlp/corpus.filter.kit"]),
    ("repo-named-github-io", "Site source https://github.com/heron/heron.github.io.",
     ["https://github.com/heron/heron.github.io"], ["https://github.com/heron/heron.github.io"]),
    ("dot-git", "Old: https://github.com/heron/wader.git is frozen.",
     ["https://github.com/heron/wader.git"], ["https://github.com/heron/wader"]),
    ("dot-git-after-github-io", "https://github.com/heron/heron.github.io.git",
     ["https://github.com/heron/heron.github.io.git"], ["https://github.com/heron/heron.github.io"]),
    ("trailing-slash-dot", f"Code at {GH}/.", [GH + "/"], [GH]),
    ("latex-url", "Kit: \\url{https://marsh-bench.github.io}.", ["https://marsh-bench.github.io"], []),
    ("latex-href-same", f"Code \\href{{{GH}}}{{{GH}}}.", [GH], [GH]),
    ("latex-href-words", f"Code \\href{{{GH}}}{{here}}.", [GH], [GH]),
    ("href-remnant", f"Code {GH}}}{{{GH}.", [GH], [GH]),
    ("href-remnant-other", f"{GH}}}{{https://github.com/other/thing", [GH], [GH]),
    ("href-escaped-underscore", "\\href{https://github.com/tide/sea_wall}{https://github.com/tide/sea\\_wall}",
     ["https://github.com/tide/sea_wall"], ["https://github.com/tide/sea_wall"]),
    ("tex-escapes-in-target", "\\href{https://x.org/a\\_b\\#sec\\%20}{x}", ["https://x.org/a_b#sec%20"], []),
    ("footnote", "Weights.\\footnote{https://huggingface.co/tide/reed-1b and more}",
     ["https://huggingface.co/tide/reed-1b"], ["https://huggingface.co/tide/reed-1b"]),
    ("brace-end", "{https://github.com/tide/marsh_textbook}.",
     ["https://github.com/tide/marsh_textbook"], ["https://github.com/tide/marsh_textbook"]),
    ("markdown-link", "The [page](https://wader.github.io/).", ["https://wader.github.io/"], []),
    ("markdown-url-text", "[https://a.example.org/x](https://b.example.org/y)", ["https://b.example.org/y"], []),
    ("paren-wrapped", "Small models (see https://aka.ms/wader-eval).", ["https://aka.ms/wader-eval"], []),
    ("paren-balanced", "As in https://en.wikipedia.org/wiki/Tide_(sea).",
     ["https://en.wikipedia.org/wiki/Tide_(sea)"], []),
    ("paren-hf", "Model (https://huggingface.co/Tide/Reed-2B).",
     ["https://huggingface.co/Tide/Reed-2B"], ["https://huggingface.co/Tide/Reed-2B"]),
    ("paren-project", "(https://reed-lvlm.github.io).", ["https://reed-lvlm.github.io"], []),
    ("paren-cn-host", "board (https://rank.tide.org.cn/leaderboard-x).", ["https://rank.tide.org.cn/leaderboard-x"], []),
    ("subtree", "In (https://github.com/tide/mono/tree/main/pkgs/eval).",
     ["https://github.com/tide/mono/tree/main/pkgs/eval"], ["https://github.com/tide/mono"]),
    ("subtree-dot", "at https://github.com/tide/Cream/tree/main/Tiny.",
     ["https://github.com/tide/Cream/tree/main/Tiny"], ["https://github.com/tide/Cream"]),
    ("hf-dataset", "Data: https://huggingface.co/datasets/tide/logs, then",
     ["https://huggingface.co/datasets/tide/logs"], ["https://huggingface.co/datasets/tide/logs"]),
    ("hf-space", "Demo https://huggingface.co/spaces/tide/demo.",
     ["https://huggingface.co/spaces/tide/demo"], ["https://huggingface.co/spaces/tide/demo"]),
    ("doi", "Snapshot https://doi.org/10.5281/zenodo.1111111.", ["https://doi.org/10.5281/zenodo.1111111"], []),
    ("elided", "Project page: this https URL.", [], []),
    ("cjk-fullwidth-paren", "语料（https://github.com/tide/kite）和", ["https://github.com/tide/kite"],
     ["https://github.com/tide/kite"]),
    ("cjk-glued", "代码见https://github.com/tide/kite。", ["https://github.com/tide/kite"], ["https://github.com/tide/kite"]),
    ("fullwidth-comma", "https://tide.example.org，你好", ["https://tide.example.org"], []),
    ("nbsp", f"{GH}\u00a0and more", [GH], [GH]),
    ("narrow-nbsp", f"{GH}\u202fand", [GH], [GH]),
    ("zero-width", "https://github.com/tide/\u200bree\u2060dbed\ufeff", [
        "https://github.com/tide/reedbed"], ["https://github.com/tide/reedbed"]),
    ("scholar", "https://scholar.google.com/scholar_url?url=https://arxiv.org/pdf/2501.00002&hl=en",
     ["https://scholar.google.com/scholar_url?url=https://arxiv.org/pdf/2501.00002&hl=en"], []),
    ("scholar-to-code", "https://scholar.google.de/scholar_url?url=https://github.com/tide/kite&hl=de",
     ["https://scholar.google.de/scholar_url?url=https://github.com/tide/kite&hl=de"], ["https://github.com/tide/kite"]),
    ("glued-colon", "Page URL:https://tide-demo.github.io/Wave/", ["https://tide-demo.github.io/Wave/"], []),
    ("own-line", "demo at\nhttps://tide.github.io/kite/demo/long-example-page-name.html\n",
     ["https://tide.github.io/kite/demo/long-example-page-name.html"], []),
    ("query-period", "Data: https://drive.example.com/f/ABC?usp=sharing.", ["https://drive.example.com/f/ABC?usp=sharing"], []),
    ("double-trailing", f"(code: {GH}).", [GH], [GH]),
    ("legit-trailing-dot-lost", "http://fr.wikipedia.org/wiki/A.B.", ["http://fr.wikipedia.org/wiki/A.B"], []),
    ("em-dash", "see https://tide.github.io/—videos", ["https://tide.github.io/"], []),
    ("en-dash", "see https://tide.github.io/x–y", ["https://tide.github.io/x"], []),
    ("angle", f"<{GH}>", [GH], [GH]),
    ("curly-quotes", f"“{GH}”", [GH], [GH]),
    ("ellipsis", f"{GH}… more", [GH], [GH]),
    ("html-entity", "https://tide.example.org/x?a=1&amp;b=2", ["https://tide.example.org/x?a=1&b=2"], []),
    ("html-entity-twice", "https://tide.example.org/x?a=1&amp;amp;b=2", ["https://tide.example.org/x?a=1&b=2"], []),
    ("html-quote-ends", "href=&quot;https://tide.example.org/x&quot; more", ["https://tide.example.org/x"], []),
    ("entity-needs-semicolon", "https://tide.example.org/x?a=1&copy=2", ["https://tide.example.org/x?a=1&copy=2"], []),
    ("qp-soft-break", "https://scholar.google.com/scholar_url?url=3Dhttps://arxiv.org/pdf/2501.0000=\n2&hl=3Den",
     ["https://scholar.google.com/scholar_url?url=https://arxiv.org/pdf/2501.00002&hl=en"], []),
    ("qp-crlf-and-utf8", "https://tide.example.org/M=C3=BC=\r\nnchen x", ["https://tide.example.org/München"], []),
    ("equals-at-line-end-then-space", "https://tide.example.org/?q=\n next", ["https://tide.example.org/?q="], []),
    ("no-qp-without-line-break", "https://tide.example.org/a=3Db", ["https://tide.example.org/a=3Db"], []),
    ("categories", "Categories: cs.AI math.CO cs.SE", [], []),
    ("file-names", "The D4M.py package and model.pt files", [], []),
    ("www-not-linked", "see www.tide.example.org for more", [], []),
    ("upper-scheme", "HTTPS://github.com/tidewater-ml/reedbed", [GH], [GH]),
    ("no-host", "https:// and http://.) and https://-x", [], []),
    ("duplicates", f"{GH} and {GH}. And again ({GH}).", [GH], [GH]),
    ("user-page-not-repo", "https://github.com/tidewater-ml and https://huggingface.co/tide",
     ["https://github.com/tidewater-ml", "https://huggingface.co/tide"], []),
    ("markdown-bold", f"**{GH}**", [GH], [GH]),
    ("markdown-image-in-link", "[![logo](https://cdn.tide.example.org/l.png)Tide Lab](https://huggingface.co/tide)",
     ["https://cdn.tide.example.org/l.png", "https://huggingface.co/tide"], []),
    ("unmatched-paren-mid-url", "(https://tide.example.org/a)(b)", ["https://tide.example.org/a"], []),
    ("brackets", "[https://tide.example.org/c] and http://[::1]/x", ["https://tide.example.org/c", "http://[::1]/x"], []),
    ("qp-html-with-entities",
     '<a href=3D"https://scholar.google.com/scholar_url?url=3Dhtt=\nps://arxiv.org/pdf/2501.00002&amp;hl=3Den" c',
     ["https://scholar.google.com/scholar_url?url=https://arxiv.org/pdf/2501.00002&hl=en"], []),
]


@pytest.mark.parametrize(("text", "urls", "repos"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_invented_case(text: str, urls: list[str], repos: list[str]) -> None:
    assert urls_of(text) == urls
    assert repos_of(text) == repos


def test_links_carry_their_kind() -> None:
    text = (
        "Code https://github.com/a/b, weights https://huggingface.co/a/m, data "
        "https://huggingface.co/datasets/a/d, demo https://huggingface.co/spaces/a/s, paper "
        "https://arxiv.org/abs/2501.00002, page https://a.github.io/p and https://example.org."
    )
    assert [link.kind for link in extract_links(text)] == [
        "code", "model", "dataset", "space", "paper", "project", "other"
    ]


def test_no_url_gives_empty_tuple() -> None:
    assert extract_links("A plain abstract with no link, 3.5 points better.") == ()
    assert extract_links("") == ()


def test_has_elided_url() -> None:
    assert has_elided_url("Project page: this https URL.")
    assert has_elided_url("Code at This http URL")
    assert has_elided_url("Code at this\u00a0https\u00a0URL.")
    assert not has_elided_url("Code at https://github.com/t/kite.")
    assert not has_elided_url("this https URLs")


@pytest.mark.parametrize("prefix", ["", "a: b: ", "x:" * 9, ":/" * 20, "U-turn, UNet, " * 5])
def test_scans_find_what_follows_many_near_misses(prefix: str) -> None:
    # The scans hop from ':' (or 'U') to the next one, handing over to a plain
    # find after a few misses: both ways must find the same thing.
    assert urls_of(prefix + "Code: https://github.com/t/kite.") == ["https://github.com/t/kite"]
    assert has_elided_url(prefix + "Project page: this https URL.")
    assert not has_elided_url(prefix + "URLs")


def test_scholar_alert_sample_links_are_decoded(samples_dir: Path) -> None:
    """The raw quoted-printable alert (text and HTML parts) gives whole, decoded
    redirect links whose arXiv target is recognised."""
    raw = (samples_dir / "google_scholar_alert.eml").read_text(encoding="utf-8")
    links = [link for link in extract_links(raw) if "/scholar_url?" in link.url]
    assert len(links) >= 3
    for link in links:
        assert "=3D" not in link.url and "&amp;" not in link.url, link.url
        assert link.url.startswith("https://scholar.google.com/scholar_url?url=https://")
    assert [link.kind for link in links if "arxiv.org/pdf/2603.00101&" in link.url] == ["paper", "paper"]


# --- the real seed digest (read at run time, never copied) ----------------------


def test_seed_github_links_give_clean_repos(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    raw_tokens = [token for token in text.split() if "github.com/" in token]
    repos = {canonical_repo(link.url) for link in extract_links(text) if link.kind == "code"}
    assert raw_tokens, "the seed should mention GitHub"
    for repo in repos:
        assert repo is not None
        assert re.fullmatch(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]*[A-Za-z0-9_-]", repo), repo
    for token in raw_tokens:
        # Every raw mention, whatever punctuation or brace follows it, maps to
        # one extracted repository that it starts with.
        target = token[token.index("https://") :]
        assert any(target.startswith(repo) for repo in repos), token


def test_seed_every_url_obeys_character_rules(seed_path: Path) -> None:
    for link in extract_links(seed_path.read_text(encoding="utf-8")):
        assert link.url.startswith(("http://", "https://"))
        assert not FORBIDDEN.search(link.url)
        assert link.url[-1] not in ".,;:!?*_~)}"


# --- properties -------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "https://", "http://", "HTTPS://", "github.com/", "huggingface.co/", "o/r", ".git", "/tree/x",
        "}{", "](", "[", "(", ")", "]", "{", "}", "\\_", "\\", "=", "=\n", "=3D", "=C3", "&amp;", "&#", ";",
        "&quot;", ".", ",", " ", "\n", "\u00a0", "\u200b", "\u202e", "（", "。", "—", "…", "'", '"', "<", ">",
        "scholar.google.com/scholar_url?url=", "this https URL", "arXiv:", "2401.01234", "10.48550/arXiv.",
    ]
)
HOSTILE_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=4)), max_size=30).map("".join),
)


@given(HOSTILE_TEXT)
def test_never_raises_and_urls_obey_character_rules(text: str) -> None:
    links = extract_links(text)
    for link in links:
        assert link.url.startswith(("http://", "https://"))
        assert not FORBIDDEN.search(link.url), link.url
        assert link.kind == classify(link.url)
        canonical_repo(link.url)
    assert len({link.url for link in links}) == len(links)
    # first_code_url has a shortcut for plain GitHub links; it must agree.
    repos = (canonical_repo(link.url) for link in links if link.kind == "code")
    assert first_code_url(links) == next(filter(None, repos), None)
    find_arxiv_ids(text)
    has_elided_url(text)


@given(HOSTILE_TEXT)
def test_extraction_is_stable(text: str) -> None:
    urls = urls_of(text)
    assert urls_of(" ".join(urls)) == urls


_HOST_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_PATH_CHARS = st.text(alphabet="abcXYZ019-._~%+=&$@", min_size=0, max_size=8)


@st.composite
def clean_urls(draw: st.DrawFn) -> str:
    """A URL whose last character is not sentence punctuation and whose
    parentheses balance, i.e. one that should survive being put in prose."""
    scheme = draw(st.sampled_from(["http://", "https://"]))
    host = ".".join(draw(st.lists(_HOST_LABEL, min_size=1, max_size=3))) + draw(st.sampled_from([".org", ".io", ""]))
    segments = draw(st.lists(_PATH_CHARS, max_size=4))
    balanced = draw(st.sampled_from(["", "_(x)", "(a.b)"]))
    path = "".join("/" + segment for segment in segments) + (("/" + balanced) if balanced else "")
    query = draw(st.sampled_from(["", "?a=1&b=2", "?q=x.y"]))
    ending = draw(st.sampled_from(["", "/", "Z", "9", "#frag"]))
    url = scheme + host + path + query + ending
    while url[-1] in ".,;:!?*_~":  # what the extractor trims by design
        url = url[:-1]
    return url


_WRAPPINGS = [
    "{} .", "{}.", "{},", "{};", "{}:", "{}!", "{}?", "({}).", "({})", "[{}]", "<{}>", "{{{}}}.", "\\url{{{}}}.",
    "\\href{{{}}}{{here}}.", "[text]({}).", "“{}”", "\"{}\"", "'{}'", "{}…", "{}。", "（{}）", "{}，", "{}—so",
    "{}\u00a0and", "**{}**", "~{}~", "URL:{}", "代码见{}",
]


@given(clean_urls(), st.sampled_from(_WRAPPINGS))
def test_url_in_prose_is_recovered_exactly(url: str, wrapping: str) -> None:
    text = "We release everything at " + wrapping.format(url) + " Thanks to all."
    assert urls_of(text) == [url]


@given(HOSTILE_TEXT)
def test_links_and_code_url_in_one_pass_agree_with_first_code_url(text: str) -> None:
    links, code_url = extract_links_and_code_url(text)
    assert links == extract_links(text)
    assert code_url == first_code_url(links)


_ASCII_TEXT = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=0x7F)),
    st.lists(st.one_of(_FRAGMENTS.filter(str.isascii), st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=4)),
             max_size=30).map("".join),
)


@given(_ASCII_TEXT, st.integers(min_value=0, max_value=40))
def test_ascii_body_pattern_ends_urls_where_the_full_one_does(text: str, start: int) -> None:
    # ASCII text is matched with an ASCII-only character class (faster); it must
    # stop exactly where the class with the Unicode stop characters stops.
    start = min(start, len(text))
    assert links_module._ASCII_BODY.match(text, start).end() == links_module._BODY.match(text, start).end()


def test_a_canonical_github_link_is_its_own_repository() -> None:
    # Shared, not rebuilt: a copy for every paper adds up in a large digest.
    links, code_url = extract_links_and_code_url("Code: https://github.com/owner/kite.")
    assert code_url == "https://github.com/owner/kite" and code_url is links[0].url
