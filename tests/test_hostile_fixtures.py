"""The hostile digests parse into clean records, and the files match their generator.

A fixture that loses its attack bytes (an editor "fixing" it, a bad regeneration)
would make every test that uses it pass for nothing, so the raw bytes are checked
too.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import pytest

from digest_parser import Digest, DigestReadError, load
from digest_parser.sanitize import clean_line, clean_text

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    # dataclasses look their module up in sys.modules while building the class.
    sys.modules["make_hostile"] = module
    spec.loader.exec_module(module)
    return module


make_hostile = _load_generator()
TEXT_FIXTURES = [fx for fx in make_hostile.FIXTURES if fx.raw is None]
ESCAPE_FIXTURES = [fx for fx in TEXT_FIXTURES if fx.id.startswith("E")]
MARKUP_FIXTURES = [fx for fx in TEXT_FIXTURES if fx.verbatim]


def _ids(fixtures):
    return [fx.name for fx in fixtures]


def _unsafe_chars(text: str, *, allow_newline: bool) -> list[str]:
    """Characters that can act on a terminal or hide text: Cc (except an allowed
    newline), Cf (bidi, zero-width, BOM, tags), Cs (lone surrogates), and the
    U+2028/U+2029 separators that ``splitlines()`` treats as line ends."""
    return [
        repr(ch)
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and not (allow_newline and ch == "\n")
    ]


def _fields(digest: Digest) -> list[tuple[str, str, bool]]:
    """Every string of the digest as (where, text, may_hold_newlines)."""
    fields: list[tuple[str, str, bool]] = [("digest.date", digest.date or "", False)]
    for n, paper in enumerate(digest.papers):
        fields += [(f"paper {n} title", paper.title, False), (f"paper {n} abstract", paper.abstract, True)]
        fields += [(f"paper {n} author", author, False) for author in paper.authors]
        fields += [(f"paper {n} date", paper.date or "", False), (f"paper {n} id", paper.arxiv_id or "", False)]
        fields += [(f"paper {n} link", link.url, False) for link in paper.links]
        fields += [(f"paper {n} code_url", paper.code_url or "", False)]
        fields += [(f"paper {n} extra {key}", value, True) for key, value in paper.extra]
    fields += [(f"problem at line {p.line}", p.reason, False) for p in digest.problems]
    return fields


def test_committed_files_match_the_generator() -> None:
    for name, data in make_hostile.outputs().items():
        path = HOSTILE / name
        assert path.exists(), f"{name} missing: run make_hostile.py"
        assert path.read_bytes() == data, f"{name} differs from make_hostile.py output"


@pytest.mark.parametrize("fixture", ESCAPE_FIXTURES, ids=_ids(ESCAPE_FIXTURES))
def test_escape_fixture_really_carries_controls(fixture) -> None:
    raw = (HOSTILE / fixture.name).read_text(encoding="utf-8")
    assert _unsafe_chars(raw, allow_newline=True), f"{fixture.name} has lost its attack characters"


@pytest.mark.parametrize("fixture", TEXT_FIXTURES, ids=_ids(TEXT_FIXTURES))
def test_sanitiser_alone_leaves_no_controls(fixture) -> None:
    raw = (HOSTILE / fixture.name).read_text(encoding="utf-8")
    assert _unsafe_chars(clean_text(raw), allow_newline=True) == []
    for line in raw.split("\n"):
        assert _unsafe_chars(clean_line(line), allow_newline=False) == []


@pytest.mark.parametrize("fixture", TEXT_FIXTURES, ids=_ids(TEXT_FIXTURES))
def test_parsed_records_are_clean(fixture) -> None:
    digest = load(str(HOSTILE / fixture.name))
    assert len(digest.papers) == len(fixture.papers), [p.title[:60] for p in digest.papers]
    for where, text, multi_line in _fields(digest):
        assert _unsafe_chars(text, allow_newline=multi_line) == [], where


@pytest.mark.parametrize("fixture", TEXT_FIXTURES, ids=_ids(TEXT_FIXTURES))
def test_only_web_links_survive(fixture) -> None:
    digest = load(str(HOSTILE / fixture.name))
    for paper in digest.papers:
        for link in paper.links:
            assert link.url.startswith(("https://", "http://")), link.url
            assert not any(ch.isspace() for ch in link.url), link.url
            assert "evil.example]" not in link.url, "a [link=…] tag leaked into a URL"


@pytest.mark.parametrize("fixture", MARKUP_FIXTURES, ids=_ids(MARKUP_FIXTURES))
def test_markup_is_kept_verbatim(fixture) -> None:
    digest = load(str(HOSTILE / fixture.name))
    text = "\n".join(f"{paper.title}\n{paper.abstract}" for paper in digest.papers)
    for payload in fixture.verbatim:
        assert payload in text


def test_line_separator_does_not_split_the_paper() -> None:
    digest = load(str(HOSTILE / "line_separator.txt"))
    assert len(digest.papers) == 1
    assert digest.papers[0].title.startswith("A Title With a")
    assert digest.papers[0].title.endswith("Line Separator Inside")
    assert "\u2028" not in digest.papers[0].title


def test_markdown_phish_never_links_to_javascript_or_options() -> None:
    digest = load(str(HOSTILE / "markup_link_phish.txt"))
    urls = [link.url for paper in digest.papers for link in paper.links]
    assert "https://github.com/honest-lab/honest" in urls
    assert not [url for url in urls if "javascript" in url or "ProxyCommand" in url]


def test_nul_file_is_refused_with_one_line() -> None:
    with pytest.raises(DigestReadError) as caught:
        load(str(HOSTILE / "binary_nul.txt"))
    message = str(caught.value)
    assert "\n" not in message and "binary_nul.txt" in message


def test_an_open_csi_introducer_eats_no_text() -> None:
    # ESC [ with no final byte used to read the space and the next letter (or
    # the next line's first letter) as the rest of a CSI, and drop them.
    first, second = load(str(HOSTILE / "esc_trailing_csi.txt")).papers
    assert first.title == "Open Bracket Before the Next Line"
    assert "line keeps the next line whole" in first.abstract
    assert "before a space  keeps every word" in first.abstract
    assert "keeps it: \u00e9t\u00e9 stays \u00e9t\u00e9." in first.abstract
    assert second.title == "Trailing Introducer"
    assert second.abstract.endswith("at the very end of the text")
