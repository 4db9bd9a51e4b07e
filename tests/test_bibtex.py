"""tui.core.bibtex: one entry per paper (reader and bookmarks alike), keys from the text as it
reads, real TeX kept only where it merely typesets, every entry read back by bibtexparser 2."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.api import load
from digest_parser.models import Link, Paper
from digest_parser.reading import DigestReadError
from tui.core import bibtex
from tui.core.bibtex import (
    Citation,
    citation_for_paper,
    citation_key,
    entries,
    entry_for_bookmark,
    entry_for_paper,
    keyed_entries,
    title_tex,
    year_in,
)
from tui.stores.bookmarks import Bookmark

FIXTURES = Path(__file__).parent / "fixtures"


def fields_of(text: str) -> list[tuple[str, dict[str, str]]]:
    """Parse *text* strictly: every block an entry, keys unique; (key, fields) of each."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [block.raw[:200] for block in library.failed_blocks]
    assert len(library.entries) == len(library.blocks)
    keys = [entry.key for entry in library.entries]
    assert len(set(keys)) == len(keys), keys
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys), keys
    return [(entry.key, {field.key: field.value for field in entry.fields}) for entry in library.entries]


def check_citations(text: str, citations: list[Citation]) -> None:
    """*text*, the entries of *citations*, holds exactly the fields each calls for, TeX intact."""
    read = fields_of(text)
    assert len(read) == len(citations)
    for (_, fields), citation in zip(read, citations, strict=True):
        assert fields["title"] == "{" + title_tex(citation.title) + "}"
        expected = {"title"}
        if citation.authors:
            expected.add("author")
        if citation.year:
            expected.add("year")
            assert fields["year"] == citation.year
        if citation.arxiv_id:
            expected |= {"eprint", "archivePrefix"}
        if citation.url:
            expected.add("url")
        if citation.code_url and citation.code_url != citation.url:
            expected.add("note")
            assert fields["note"].startswith("Code: ")
        if citation.tags:
            expected.add("keywords")
        if citation.note.split():
            expected.add("annote")
        assert fields.keys() == expected


# --------------------------------------------------------------------- keys and TeX (docs/citing.md)


def test_a_key_never_comes_from_a_tex_command_name() -> None:
    paper = Paper(title=r"$\text{R}^2\text{R}$: Retrieval to Reasoning", abstract="", authors=("Li Wang",),
                  arxiv_id="2503.01234")
    assert citation_key(citation_for_paper(paper)) == "wang2025r2r"
    math_first = Paper(title=r"$\mathcal{O}(\log n)$ Sorting", abstract="", authors=("A. Ng",), arxiv_id="2401.00001")
    assert citation_key(citation_for_paper(math_first)) == "ng2024o"  # O(log n) reads "O", then "n"
    font = Paper(title=r"\textbf{Bold} Moves", abstract="", authors=(r"Jos\'e Nu\~nez",))
    assert citation_key(citation_for_paper(font)) == "nunezbold"


def test_a_title_keeps_its_real_tex_and_reads_back_intact() -> None:
    paper = Paper(title=r"NOEM$^{3}$A: Bounds for $n < 2^{k}$ at 50% of $\Theta(\mathcal{U})$ and \emph{more}",
                  abstract="", authors=("Kim Lee",), arxiv_id="2511.19780")
    text = entry_for_paper(paper)
    (key, fields), = fields_of(text)
    assert key == "lee2025noem3a"
    assert fields["title"] == r"{NOEM$^{3}$A: Bounds for $n < 2^{k}$ at 50\% of $\Theta(\mathcal{U})$ and \emph{more}}"
    assert r"\$" not in text


@pytest.mark.parametrize(
    "title",
    [
        r"$\input{/etc/passwd}$ Leaks",
        r"$\immediate\write18{rm -rf ~}$",
        r"$\def\x{y}\x$ Redefined",
        r"$\catcode`\@=11$ Catcodes",
        r"$\csname input\endcsname{f}$",
        r"$x^^5cinput{f}$",
        r"$\url{https://x.example}$",
        r"\input{/etc/passwd} plain",
        r"\textbf{\input{f}} nested",
        r"$\{x$ unbalanced",
        r"$x}{y$ inside out",
    ],
)
def test_tex_that_does_more_than_typeset_is_escaped_whole(title: str) -> None:
    tex = title_tex(title)
    assert "^^" not in tex
    for name in re.findall(r"\\([A-Za-z]+)", tex):
        assert name in {"textbackslash", "textbraceleft", "textbraceright", "textbf"}, (name, tex)
    (_, fields), = fields_of(entry_for_paper(Paper(title=title, abstract="")))
    assert fields["title"] == "{" + tex + "}"


def test_dollar_amounts_are_not_math() -> None:
    assert title_tex("From $5 to $10 a Day") == r"From \$5 to \$10 a Day"
    assert title_tex("Tuning $accent and $text-primary Colours") == r"Tuning \$accent and \$text-primary Colours"
    assert title_tex("Costs $x$ and % of $y$") == r"Costs $x$ and \% of $y$"


_tex_pieces = st.sampled_from(
    ["$", "\\", "{", "}", "^", "^^", "_", "%", "#", "&", "~", " ", "x", "2", r"\input", r"\alpha", r"\text",
     r"\textbf{", r"\def", r"\{", r"\}", r"\\", "é", "\n"]
)


@given(st.lists(_tex_pieces, max_size=30).map("".join))
def test_any_title_gives_balanced_braces_and_only_typesetting_commands(title: str) -> None:
    tex = title_tex(title)
    depth = 0
    for char in tex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert "^^" not in tex
    allowed = bibtex._MATH_COMMANDS | {"textbackslash", "textbraceleft", "textbraceright", "textbf"}
    assert set(re.findall(r"\\([A-Za-z]+)", tex)) <= allowed


# --------------------------------------------------------------------- what an entry holds


def test_an_hf_page_paper_cites_its_own_page_and_puts_the_code_in_a_note() -> None:
    paper = Paper(
        title="Heron: Speculative Draft Scheduling",
        abstract="Code: https://github.com/heron-lab/heron.",
        date="2026-03-12",
        links=(Link("https://github.com/heron-lab/heron", "code"), Link("https://huggingface.co/papers/2603.01111", "paper")),
        code_url="https://github.com/heron-lab/heron",
    )
    (key, fields), = fields_of(entry_for_paper(paper))
    assert key == "heron2026speculative"  # no author: the first title word takes its place, never "anon"
    assert fields["url"] == "https://huggingface.co/papers/2603.01111"
    assert fields["note"] == "Code: https://github.com/heron-lab/heron"
    assert fields["year"] == "2026"


def test_a_paper_with_only_a_code_link_has_no_url() -> None:
    paper = Paper(title="Lark", abstract="", links=(Link("https://github.com/o/lark", "code"),),
                  code_url="https://github.com/o/lark")
    (_, fields), = fields_of(entry_for_paper(paper))
    assert "url" not in fields
    assert fields["note"] == "Code: https://github.com/o/lark"


@pytest.mark.parametrize(
    ("paper_date", "digest_date", "year"),
    [
        ("2026-03-12", "2025-01-01", "2026"),  # the paper's own date first
        ("Mar 12", "2026-03-14", "2026"),  # else the digest's
        ("Mar 12", "Feb 27, 2025", "2025"),
        (None, "Published on Mar 12, 2024", "2024"),
        ("Mar 12", "Mar 14", None),  # nothing names a year: none is guessed
        (None, None, None),
    ],
)
def test_the_year_comes_from_the_paper_then_the_digest(paper_date: str | None, digest_date: str | None,
                                                       year: str | None) -> None:
    paper = Paper(title="Marsh", abstract="", date=paper_date)
    assert citation_for_paper(paper, digest_date=digest_date).year == year


@pytest.mark.parametrize(
    ("paper_date", "digest_date", "added", "year"),
    [
        ("Mar 12", "Mar 14", "2026-03-15T08:00:00Z", "2026"),  # the last Mar 12 on or before the day it was added
        (None, "Dec 30", "2026-01-02T08:00:00Z", "2025"),
        (None, "Jan 2", "2026-01-02T23:59:59Z", "2026"),
        (None, None, "2026-01-02T08:00:00Z", "2026"),  # nothing else: the year it was added
        ("Published on Mar 12, 2024", "Mar 14", "2026-03-15T08:00:00Z", "2024"),  # a year said wins
        (None, "Mar 14", "", None),
    ],
)
def test_a_date_without_a_year_takes_it_from_when_the_paper_was_bookmarked(
    paper_date: str | None, digest_date: str | None, added: str, year: str | None
) -> None:
    paper = Paper(title="Marsh", abstract="", date=paper_date)
    assert citation_for_paper(paper, digest_date=digest_date, added=added).year == year
    bookmark = Bookmark.from_json({"title": "Marsh", "date": paper_date, "digest_date": digest_date, "added": added})
    assert bibtex.citation_for_bookmark(bookmark).year == year


def test_a_paper_link_holding_an_arxiv_id_names_the_year() -> None:
    paper = Paper(title="Kestrel", abstract="", links=(Link("https://huggingface.co/papers/2511.19780", "paper"),),
                  date="2027-01-01")
    assert citation_for_paper(paper).year == "2025"
    code_only = Paper(title="Kestrel", abstract="", links=(Link("https://github.com/o/2511.19780", "code"),))
    assert citation_for_paper(code_only).year is None


def test_a_key_without_an_author_is_made_of_the_title() -> None:
    def key(title: str, year: str | None = "2026", arxiv_id: str | None = None) -> str:
        return citation_key(Citation(title=title, year=year, arxiv_id=arxiv_id))

    assert key("Unified Tokens for Everything") == "unified2026tokens"
    assert key("The Heron") == "heron2026"
    assert key(r"$\text{R}^2\text{R}$: Routing Rewards", year="2025") == "r2r2025routing"
    assert key("Ångström Sails", year=None) == "angstromsails"
    assert key("∞ ≠ ∅", year="2025", arxiv_id="2511.19780") == "arxiv251119780"  # no word to read: the arXiv id
    assert key("∞ ≠ ∅") == "untitled2026"


def test_the_arxiv_id_names_the_year_before_any_date() -> None:
    paper = Paper(title="T", abstract="", arxiv_id="2511.19780", date="2026-01-02")
    assert citation_for_paper(paper, digest_date="2027-01-01").year == "2025"
    assert bibtex.arxiv_year("hep-th/9901001") == "1999"
    assert bibtex.arxiv_year("2603.00101v2") == "2026"
    assert year_in("12/03/99") is None


# --------------------------------------------------------------------- one entry per paper


_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
_papers = st.builds(
    Paper,
    title=_words.filter(lambda title: title.strip() != ""),
    abstract=st.just(""),
    authors=st.lists(_words, max_size=3).map(tuple),
    arxiv_id=st.sampled_from([None, "2603.00101", "hep-th/9901001"]),
    links=st.lists(
        st.builds(Link, st.sampled_from(["https://arxiv.org/abs/2603.00101", "https://x.example/p{1}", "https://openreview.net/forum?id=a_b",
                                  "https://huggingface.co/papers/2511.19780"]),
                  st.sampled_from(["paper", "code", "other"])),
        max_size=3,
    ).map(tuple),
    code_url=st.sampled_from([None, "https://github.com/o/r", "https://x.example/a{b}\\c"]),
    date=st.sampled_from([None, "Mar 12", "2024-12-28", "Published on Mar 12, 2026"]),
)


@given(
    _papers,
    st.lists(st.sampled_from(["rl", "C++", "50%", "to-read"]), max_size=3, unique=True),
    st.text(max_size=40),
    st.sampled_from([None, "Mar 14", "2026-03-14", "Dec 31"]),
)
def test_a_paper_and_its_bookmark_give_the_same_entry(paper: Paper, tags: list[str], note: str,
                                                       digest_date: str | None) -> None:
    bookmark = Bookmark.from_paper(paper, tags=tags, note=note, digest_date=digest_date)
    assert entry_for_bookmark(bookmark) == entry_for_paper(
        paper, tags=bookmark.tags, note=note, digest_date=digest_date, added=bookmark.added
    )


def test_a_bookmark_only_paper_gives_its_bookmark_entry_too() -> None:
    from tui.core.library import paper_from_bookmark

    bookmark = Bookmark(key="arxiv:2603.00101", title="Folding $n^2$ Robots", authors=("Imogen Vale",),
                        arxiv_id="2603.00101", code_url="https://github.com/o/r", tags=("rl",), note="again")
    stand_in = paper_from_bookmark(bookmark)
    assert entry_for_paper(stand_in, tags=bookmark.tags, note=bookmark.note) == entry_for_bookmark(bookmark)


def test_keys_stay_unique_even_where_a_suffix_meets_a_real_key() -> None:
    same = Citation(title="Folding", authors=("Imogen Vale",), year="2026")
    other = Citation(title="Foldingb", authors=("Imogen Vale",), year="2026")
    written = keyed_entries([same, same, other, same])
    keys = [text.split("{", 1)[1].split(",", 1)[0] for text in written]
    assert keys == ["vale2026folding", "vale2026foldingb", "vale2026foldingbb", "vale2026foldingc"]
    check_citations(entries([same, same, other, same]), [same, same, other, same])


def _fixture_digests() -> list[Path]:
    paths = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and not path.name.endswith((".expected.json", ".py", ".pyc")) and "bookmarks" not in path.parts:
            paths.append(path)
    return paths


def test_every_paper_of_every_fixture_digest_reads_back() -> None:
    citations = []
    for path in _fixture_digests():
        try:
            digest = load(str(path))
        except DigestReadError:
            continue  # a fixture the parser refuses (binary, too deep…): no papers to cite
        citations += [citation_for_paper(paper, digest_date=digest.date) for paper in digest.papers]
    assert len(citations) > 100
    check_citations(entries(citations), citations)
