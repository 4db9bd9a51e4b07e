"""Properties of the hf-page parser and the read path, over generated input.

- parse never raises on any text, and every field it returns is clean;
- the decode path raises nothing but DigestReadError on any bytes, and the
  streamed and whole-file reads agree (text or error message);
- chunking never changes the result;
- digests written from known papers parse back to exactly those papers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_parser import api, reading
from digest_parser.formats import hf_page, sniffing
from digest_parser.models import Digest
from digest_parser.reading import DigestReadError
from digest_parser.sanitize import is_clean

# Pieces of real-looking pages mixed with hostile characters, so generated text
# reaches the header, noise and metadata rules, not only the plain-prose path.
_FRAGMENTS = st.sampled_from(
    [
        "new", "Subscribe", "byAK and the research community", "Get trending papers in your email inbox!",
        "Mar 14", "Mar 11, 2026", "May 296", "Feb 30, 2025", "42", "-", "\u00b7", "Upvote", "Submitted by",
        "GitHub 1.2k", "arXiv Page", "5 authors", "Lab \u00b7 Published on Mar 12, 2026", "Models",
        "https://github.com/o/r.", "this https URL", "\\href{https://x.org/a}{here}", "}{", "[/]",
        "\x1b[2J", "\x1b]52;c;QQ==\x07", "\x1b]0;t", "\x9b31m", "\u202e", "\u200b", "\ufeff", "\u00a0",
        "\u2028", "\x00", "\x7f", "\t", "\r", "\r\n", "\n", "\n\n", "  ",
        "A sentence that goes on for a while and ends here.",
    ]
)
_ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls included
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(_ANY_CHAR, max_size=30)), max_size=40).map("".join)


def assert_clean(digest: Digest) -> None:
    assert is_clean(digest.source, one_line=True)
    assert digest.date is None or is_clean(digest.date, one_line=True)
    for paper in digest.papers:
        assert paper.title and is_clean(paper.title, one_line=True)
        assert paper.title == " ".join(paper.title.split())
        assert is_clean(paper.abstract)
        assert paper.date is None or is_clean(paper.date, one_line=True)
        assert is_clean(paper.source, one_line=True)
        for link in paper.links:
            assert is_clean(link.url, one_line=True)
        assert paper.code_url is None or is_clean(paper.code_url, one_line=True)
        for key, value in paper.extra:
            assert is_clean(key, one_line=True) and is_clean(value, one_line=True)
        assert paper.line >= 1
    for problem in digest.problems:
        assert is_clean(problem.reason, one_line=True) and problem.line >= 1
        assert is_clean(problem.source, one_line=True)


@given(text=_TEXT, source=st.text(_ANY_CHAR, max_size=10))
def test_parse_never_raises_and_every_field_is_clean(text: str, source: str) -> None:
    digest = hf_page.parse(text, source)
    assert digest.format == "hf-page"
    assert_clean(digest)
    line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(paper.line <= line_count for paper in digest.papers)


@given(text=st.text(_ANY_CHAR, max_size=200))
def test_parse_text_auto_never_raises_on_raw_unicode(text: str) -> None:
    assert_clean(api.parse_text(text, "x"))


@given(text=_TEXT, cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6))
def test_chunking_never_changes_the_result(text: str, cuts: list[int]) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    chunks, start = [], 0
    for cut in sorted(set(cuts)):
        if start < cut <= len(lines):
            chunks.append("\n".join(lines[start:cut]))
            start = cut
    chunks.append("\n".join(lines[start:]))
    assert hf_page.parse_chunks(chunks, "x") == hf_page.parse(text, "x")


_BYTES = st.one_of(
    st.binary(max_size=300),
    _TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(_TEXT, st.binary(max_size=4)).map(lambda pair: pair[0].encode("utf-8", "replace") + pair[1]),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=_BYTES, bom=st.booleans(), chunk_bytes=st.integers(min_value=1, max_value=9))
def test_decode_path_raises_only_read_errors_and_both_reads_agree(data: bytes, bom: bool, chunk_bytes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "d.txt")
        Path(path).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        try:
            whole: str | DigestReadError = reading.read_text(path)
        except DigestReadError as error:
            whole = error
        try:
            streamed: str | DigestReadError = "\n".join(reading.iter_chunks(path, chunk_bytes))
        except DigestReadError as error:
            streamed = error
        if isinstance(whole, DigestReadError):
            assert isinstance(streamed, DigestReadError) and str(streamed) == str(whole)
            assert "\n" not in str(whole)
            return
        assert streamed == whole
        assert "\r" not in whole
        digest = api.load(path)
        assert_clean(digest)


_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)


@st.composite
def _papers(draw: st.DrawFn) -> list[tuple[str, str, list[int]]]:
    """(title, abstract, where to wrap the abstract) for a few papers."""
    papers = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        title = "Paper " + " ".join(word.capitalize() for word in draw(st.lists(_WORD, min_size=1, max_size=8)))
        words = draw(st.lists(_WORD, min_size=1, max_size=40))
        wraps = draw(st.lists(st.integers(min_value=1, max_value=len(words)), max_size=3))
        papers.append((title, words, sorted(set(wraps) - {len(words)})))
    return [(title, " ".join(words) + ".", wraps) for title, words, wraps in papers]


_HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 14\n"


def _render(papers: list[tuple[str, str, list[int]]], header: bool, wrap_title: bool) -> str:
    parts = [_HEADER] if header else []
    for title, abstract, wraps in papers:
        words = abstract.split(" ")
        lines, start = [], 0
        for wrap in [*wraps, len(words)]:
            lines.append(" ".join(words[start:wrap]))
            start = wrap
        shown_title = title.replace(" ", "\n  ", 1) if wrap_title else title
        parts.append(f"{shown_title}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


@given(papers=_papers(), header=st.booleans(), wrap_title=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_written_papers_parse_back(papers, header: bool, wrap_title: bool, newline: str) -> None:
    text = _render(papers, header, wrap_title).replace("\n", newline)
    digest = hf_page.parse(text, "x")
    assert digest.problems == ()
    assert [(paper.title, paper.abstract) for paper in digest.papers] == [(t, a) for t, a, _ in papers]
    assert digest.date == ("Mar 14" if header else None)


@st.composite
def _page_with_lonely_titles(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], list[int]]:
    """A page whose titles may end in ".", "?" or "!", some papers with a short
    abstract, and lonely titles (no abstract) before papers with a long one:
    (text, the papers, the lines of the lonely titles)."""
    lines = ["new", "", "Subscribe", ""]
    papers: list[tuple[str, str]] = []
    lonely: list[int] = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        words = " ".join(word.capitalize() for word in draw(st.lists(_WORD, min_size=1, max_size=6)))
        title = "Paper " + words + draw(st.sampled_from(["", ".", "?", "!"]))
        body = " ".join(draw(st.lists(_WORD, min_size=1, max_size=12)))
        if draw(st.booleans()):  # a long abstract: a lonely title may come before it
            abstract = (body + " ") * (1 + 160 // (len(body) + 1)) + "done."
            if draw(st.booleans()):
                # Lonely titles that do not end like sentences: one that does
                # could as well be the previous abstract's next paragraph.
                lonely.append(len(lines) + 1)
                lines += ["Lonely " + words + draw(st.sampled_from(["", "?", "!"])), ""]
        else:
            abstract = body.capitalize() + "."
        lines += [title, "", abstract, ""]
        papers.append((title, abstract))
    return "\n".join(lines), papers, lonely


@given(page=_page_with_lonely_titles())
def test_titles_are_read_by_structure_not_by_their_last_character(page) -> None:
    text, papers, lonely = page
    digest = hf_page.parse(text, "x")
    assert [(paper.title, paper.abstract) for paper in digest.papers] == papers
    assert [(problem.line, problem.reason.split(",")[0]) for problem in digest.problems] == [
        (line, "title with no abstract after it") for line in lonely
    ]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, bom=st.booleans(), chunk_bytes=st.integers(min_value=1, max_value=64))
def test_streamed_line_batches_parse_as_the_whole_text(text: str, bom: bool, chunk_bytes: int) -> None:
    # api.load decodes each line of each read on its own and feeds the parser
    # lists of lines; that must give what parsing the whole decoded text gives.
    data = text.replace("\x00", "").encode("utf-8", "replace")  # (a NUL up front reads as binary)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "d.txt")
        Path(path).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        whole = reading.read_text(path)
        streamed = hf_page.parse_lines(reading.iter_line_batches(path, chunk_bytes), path)
        # (Not hf_page.parse: it also drops a second BOM at the start of the text.)
        assert streamed == hf_page.parse_chunks([whole], path)
        if sniffing.hf_page(whole):
            assert api.load(path) == streamed


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=_BYTES, chunk_bytes=st.integers(min_value=1, max_value=9))
def test_a_batch_said_free_of_controls_has_none(data: bytes, chunk_bytes: int) -> None:
    # The hf-page parser trusts an ASCII line of such a batch without checking it.
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "d.txt")
        Path(path).write_bytes(data.replace(b"\x00", b""))
        try:
            batches = list(reading.iter_line_batches(path, chunk_bytes))
        except DigestReadError:
            return
    for batch in batches:
        if not batch.controls:
            assert all(is_clean(line, one_line=True) for line in batch.lines if line.isascii())
