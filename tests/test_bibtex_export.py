"""Every BibTeX the project writes (``digest-reader bookmarks --format bibtex``) read back
by a real parser, bibtexparser 2: no block it cannot read, keys unique, the fields
each bookmark calls for, and the TeX in each field exactly as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import bibtexparser
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.api import load
from tui.cli_bookmarks import export, export_bibtex
from tui.core.bibtex import citation_for_bookmark, latex_text, title_tex
from tui.stores.bookmarks import Bookmark, BookmarkStore, parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"
BIBTEX_FIXTURES = Path(__file__).parent / "fixtures" / "bibtex"


def read_back(text: str, bookmarks: list[Bookmark]) -> None:
    """Parse *text*, the BibTeX of *bookmarks*, and check it says what they hold."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [block.raw[:200] for block in library.failed_blocks]
    entries = library.entries
    assert len(entries) == len(bookmarks) == len(library.blocks)  # nothing else: no stray comment or string block
    keys = [entry.key for entry in entries]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys)
    for entry, bookmark in zip(entries, bookmarks, strict=True):
        fields = {field.key: field.value for field in entry.fields}
        assert entry.entry_type == "misc"
        assert fields["title"] == "{" + title_tex(bookmark.title) + "}"  # TeX that only typesets kept (test_bibtex.py)
        expected = {"title"}
        if bookmark.authors:
            expected.add("author")
            assert fields["author"].count(" and ") >= len(bookmark.authors) - 1
        if bookmark.tags:
            expected.add("keywords")
            assert fields["keywords"] == ", ".join(latex_text(tag) for tag in bookmark.tags)
        if bookmark.arxiv_id:
            expected |= {"eprint", "archivePrefix"}
            assert fields["eprint"] == latex_text(bookmark.arxiv_id)
        if year := citation_for_bookmark(bookmark).year:
            expected.add("year")
            assert fields["year"] == year
        if bookmark.paper_url:  # the paper's own page, never the code link
            expected.add("url")
        if bookmark.code_url and bookmark.code_url != bookmark.paper_url:
            expected.add("note")
            assert fields["note"] == "Code: " + latex_text(bookmark.code_url)
        if bookmark.note.split():
            expected.add("annote")
            assert fields["annote"] == latex_text(" ".join(bookmark.note.split()))
        assert fields.keys() == expected


def test_the_golden_export_reads_back() -> None:
    bookmarks, _ = parse_export((FIXTURES / "golden_three.json").read_bytes())
    read_back(export_bibtex(bookmarks), bookmarks)


def test_an_export_of_one_tag_reads_back() -> None:
    bookmarks, _ = parse_export((FIXTURES / "golden_three.json").read_bytes())
    read_back(export(bookmarks, "bibtex", tag="c++"), [bookmarks[1]])


def test_colliding_keys_stay_unique_when_read_back() -> None:
    twin = Bookmark(key="arxiv:2603.00102", title="Folding Again", authors=("Imogen Vale",), arxiv_id="2603.00102")
    read_back(export_bibtex([twin] * 30), [twin] * 30)  # b … z, then aa, ab, …


# Bookmarks as the store holds them: built from JSON entries, so every string is
# sanitised like text read from the file (one line, except the note).
_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_entries = st.fixed_dictionaries(
    {
        "title": _words.filter(lambda title: title.strip() != ""),
        "authors": st.lists(_words, max_size=3),
        "note": st.text(max_size=60),
        "tags": st.lists(_words, max_size=4),
    },
    optional={
        "arxiv_id": st.sampled_from(["2603.00101", "hep-th/9901001", "not an id", "2603.00101v2"]),
        "code_url": st.sampled_from(["https://github.com/o/r", "https://x.example/a{b}\\c"]),
    },
)


@given(st.lists(_entries, min_size=1, max_size=5))
def test_any_bookmarks_read_back(entries: list[dict]) -> None:
    bookmarks = [Bookmark.from_json({**entry, "key": f"k{n}"}) for n, entry in enumerate(entries)]
    read_back(export_bibtex(bookmarks), bookmarks)


def entries_by_key(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {entry.key: {field.key: field.value for field in entry.fields} for entry in library.entries}


# --------------------------------------------------------------------- TeX titles (docs/citing.md)


def test_tex_titles_keep_their_tex_and_keys_read_the_text() -> None:
    bookmarks, _ = parse_export((BIBTEX_FIXTURES / "tex_titles_bookmarks.json").read_bytes())
    text = export_bibtex(bookmarks)
    read_back(text, bookmarks)
    titles = {key: fields["title"] for key, fields in entries_by_key(text).items()}
    assert titles == {
        "wang2025r2r": r"{$\text{R}^2\text{R}$: Routing Rewards to Reasoners}",
        # % # & (a TeX comment, a macro parameter, an alignment tab) escaped, in math and out; the rest kept
        "quill2025glyph2b": r"{GLYPH$^{2}$B: Bounds at 40\% for $\mathcal{G} \& \Omega$ \#2}",
        "menon2025h": r"{$\mathcal{H}$-Hashing with \textbf{Sparse} Codes}",
        "duarte2025bold": r"{\textbf{Bold} Claims, $\mathbb{R}^n$ Proofs}",
    }
    assert r"\$" not in text


# --------------------------------------------------------------------- papers from a Hugging Face page


def test_hf_page_bookmarks_cite_the_papers_own_page_with_a_year_and_a_meaningful_key() -> None:
    bookmarks, skipped = parse_export((BIBTEX_FIXTURES / "hf_page_bookmarks.json").read_bytes())
    assert skipped == 0
    text = export_bibtex(bookmarks)
    read_back(text, bookmarks)
    found = entries_by_key(text)
    assert list(found) == [
        "kestrel2025unified",
        "plover2025cheap",
        "wren2026sparse",
        "tern2024confident",
        "finch2026",
    ]
    assert not any(key.startswith("anon") for key in found)
    for fields in found.values():
        assert "author" not in fields
        assert "github.com" not in fields.get("url", "") and "gitlab.com" not in fields.get("url", "")
        assert fields["note"].startswith("Code: https://git")
    kestrel, plover, wren, tern, finch = found.values()
    # the Hugging Face paper page, its arXiv id naming the year
    assert (kestrel["url"], kestrel["year"]) == ("https://huggingface.co/papers/2511.19780", "2025")
    assert kestrel["note"] == "Code: https://github.com/kestrel-lab/kestrel"
    # no paper link: no url; the digest said "Dec 30" and it was bookmarked on 2026-01-02
    assert "url" not in plover and plover["year"] == "2025"
    # an older bookmark without dates: the Hugging Face page is preferred to another paper link, as y does
    assert (wren["url"], wren["year"]) == ("https://huggingface.co/papers/2604.00042", "2026")
    # the paper's own date before the digest's
    assert tern["year"] == "2024"
    # nothing else names a year: the year it was bookmarked
    assert finch["year"] == "2026"


def test_an_hf_page_digest_bookmarked_keeps_the_digest_date_for_the_year(tmp_path: Path) -> None:
    digest = load(str(BIBTEX_FIXTURES / "hf_page.txt"))
    assert (digest.format, digest.date) == ("hf-page", "Nov 26")
    store = BookmarkStore(tmp_path / "bookmarks.json")
    store.load()
    for paper in digest.papers:
        assert store.toggle(paper, digest_date=digest.date, now=datetime(2025, 11, 28, 9, tzinfo=UTC))
    reread = BookmarkStore(tmp_path / "bookmarks.json")
    reread.load()
    bookmarks = list(reread.bookmarks().values())
    assert [bookmark.digest_date for bookmark in bookmarks] == ["Nov 26", "Nov 26"]
    text = export_bibtex(bookmarks)
    read_back(text, bookmarks)
    kestrel, plover = entries_by_key(text).items()
    assert kestrel[0] == "kestrel2025unified" and kestrel[1]["year"] == "2025"
    assert "url" not in kestrel[1] and kestrel[1]["note"] == "Code: https://github.com/kestrel-lab/kestrel"
    assert plover[0] == "plover2025cheap"
    assert plover[1]["url"] == "https://huggingface.co/papers/2511.20001"
    assert plover[1]["note"] == "Code: https://github.com/plover-ai/plover"
