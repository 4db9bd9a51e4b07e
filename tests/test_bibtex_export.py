"""Every BibTeX the project writes (``digest-reader bookmarks --format bibtex``) read back
by a real parser, bibtexparser 2: no block it cannot read, keys unique, the fields
each bookmark calls for, and the TeX in each field exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
from hypothesis import given
from hypothesis import strategies as st

from tui.cli_bookmarks import export, export_bibtex
from tui.core.bibtex import arxiv_year, latex_text, title_tex
from tui.stores.bookmarks import Bookmark, parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"


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
            if arxiv_year(bookmark.arxiv_id):
                expected.add("year")
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
