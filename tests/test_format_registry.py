"""The format registry: one FormatSpec per format, read by detection, the
``--format`` choices and parsing alike; every parse goes through one guard."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from digest_parser import api, formats, reading
from digest_parser.formats import FALLBACK, FormatParsers, FormatSpec, LineParsers, get_spec, hf_page
from digest_parser.formats.spec import TextParse
from digest_parser.models import Digest, Paper
from digest_parser.reading import DigestDataError, LineBatch
from tui import cli_parse

FAKE = "fake-list"
FAKE_HEADER = "FAKE DIGEST"


def _fake_parse(text: str, source: str) -> Digest:
    """Every non-blank line after the header is a paper title."""
    papers = tuple(
        Paper(title=line.strip(), abstract="", source=source, line=number)
        for number, line in enumerate(text.split("\n")[1:], start=2)
        if line.strip()
    )
    return Digest(format=FAKE, source=source, papers=papers)


def _fake_spec(
    load_calls: list[str] | None = None, parse: TextParse = _fake_parse, streaming: LineParsers | None = None
) -> FormatSpec:
    def load() -> FormatParsers:
        if load_calls is not None:
            load_calls.append(FAKE)
        return FormatParsers(parse, streaming)

    def sniff(text: str) -> bool:
        return text.startswith(FAKE_HEADER)

    return FormatSpec(FAKE, "a list of titles under a FAKE DIGEST line", sniff, load)


@pytest.fixture
def registered():
    """Register a spec made by the test for its duration, whatever happens."""
    names: list[str] = []

    def register(spec: FormatSpec, **where: str | None) -> FormatSpec:
        formats.register(spec, **where)
        names.append(spec.name)
        return spec

    yield register
    for name in names:
        if name in formats.format_names():
            formats.unregister(name)


def test_built_in_formats_in_detection_order() -> None:
    assert formats.format_names() == ["hf-json", "arxiv-feed", "arxiv-mail", "arxiv-listing", "hf-markdown", "hf-page"]
    assert all(spec.sniff is not None and spec.description for spec in formats.specs())
    assert [spec.name for spec in formats.specs() if spec.parsers.streaming is not None] == ["hf-page"]


def test_a_registered_format_is_detected_offered_and_parsed(registered, tmp_path: Path) -> None:
    loads: list[str] = []
    registered(_fake_spec(loads))
    text = f"{FAKE_HEADER}\nFirst title\n\nSecond title\n"

    assert formats.format_names()[-2:] == [FAKE, FALLBACK]  # before the fallback, by default
    assert formats.detect(text) == FAKE
    assert loads == []  # detection never imports a parser

    assert cli_parse.build_parser().parse_args(["x", "--format", FAKE]).format == FAKE
    assert f"{FAKE}: a list of titles" in (cli_parse.build_parser().epilog or "")
    digest = api.parse_text(text, "t")
    assert digest.format == FAKE and [paper.title for paper in digest.papers] == ["First title", "Second title"]
    path = tmp_path / "fake.txt"
    path.write_text(text, encoding="utf-8")
    assert api.load(str(path)) == Digest(format=FAKE, source=str(path), papers=_fake_parse(text, str(path)).papers)
    (progressive,) = api.load_progressively(str(path), FAKE)  # it does not stream: one Digest
    assert [paper.title for paper in progressive.papers] == ["First title", "Second title"]
    assert loads == [FAKE]  # loaded once, on the first parse


def test_unregistering_removes_it_everywhere() -> None:
    spec = _fake_spec()
    formats.register(spec, before=None)
    try:
        assert formats.format_names()[-1] == FAKE
    finally:
        assert formats.unregister(FAKE) is spec
    assert FAKE not in formats.format_names()
    assert formats.detect(f"{FAKE_HEADER}\nT\n") is None
    with pytest.raises(api.UnknownFormatError, match="choose one of: auto, hf-json"):
        api.parse_text("x", format=FAKE)
    with pytest.raises(SystemExit):
        cli_parse.build_parser().parse_args(["x", "--format", FAKE])


def test_register_refuses_a_taken_name_or_an_unknown_place(registered) -> None:
    registered(_fake_spec())
    with pytest.raises(ValueError, match="already taken"):
        formats.register(_fake_spec())
    with pytest.raises(ValueError, match="already taken"):
        formats.register(FormatSpec(formats.AUTO, "x", None, lambda: FormatParsers(_fake_parse)))
    with pytest.raises(ValueError, match="no format"):
        formats.register(FormatSpec("other", "x", None, lambda: FormatParsers(_fake_parse)), before="nope")
    with pytest.raises(KeyError):
        formats.unregister("nope")


def test_a_format_without_a_check_is_only_chosen_by_name(registered) -> None:
    registered(FormatSpec(FAKE, "only by name", None, lambda: FormatParsers(_fake_parse)), before=None)
    text = f"{FAKE_HEADER}\nA title\n"
    assert formats.detect(text) is None
    assert api.parse_text(text, "t", format=FAKE).papers[0].title == "A title"


def _broken_parse(text: str, source: str) -> Digest:
    raise RuntimeError(f"a bug, quoting the text: {text}")


def _assert_internal_error(digest: Digest, name: str) -> None:
    assert digest.format == name
    reasons = [problem.reason for problem in digest.problems]
    assert reasons[-1] == f"internal error in the {name} parser (RuntimeError); please report this file"


def test_a_parser_bug_becomes_a_problem(registered, tmp_path: Path) -> None:
    registered(_fake_spec(parse=_broken_parse))
    text = f"{FAKE_HEADER}\n\x1b[31mred\n"
    _assert_internal_error(api.parse_text(text, "t"), FAKE)
    path = tmp_path / "fake.txt"
    path.write_text(text, encoding="utf-8")
    _assert_internal_error(api.load(str(path)), FAKE)
    (digest,) = api.load_progressively(str(path))
    _assert_internal_error(digest, FAKE)


def test_a_streaming_parser_bug_becomes_a_problem_and_keeps_what_was_shown(registered, tmp_path: Path) -> None:
    def parse_lines(batches: Iterable[LineBatch], source: str) -> Digest:
        raise RuntimeError("bug")

    def parse_progressively(batches: Iterable[LineBatch], source: str) -> Iterator[Digest]:
        partial = Digest(format=FAKE, source=source, papers=(Paper(title="Shown", abstract="", source=source, line=2),))
        yield partial
        raise RuntimeError("bug")

    registered(_fake_spec(streaming=LineParsers(parse_lines, parse_progressively)))
    path = tmp_path / "fake.txt"
    path.write_text(f"{FAKE_HEADER}\nShown\n", encoding="utf-8")
    _assert_internal_error(api.load(str(path)), FAKE)
    first, last = api.load_progressively(str(path))
    assert [paper.title for paper in first.papers] == [paper.title for paper in last.papers] == ["Shown"]
    _assert_internal_error(last, FAKE)


def test_hf_page_is_guarded_on_every_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(self: object, batch: LineBatch) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(hf_page._Parser, "feed_lines", broken)
    text = "new\n\nGet trending papers in your email inbox!\n\nA title\n\nAn abstract that ends here.\n"
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    _assert_internal_error(api.parse_text(text, "t"), "hf-page")
    _assert_internal_error(api.load(str(path)), "hf-page")
    _assert_internal_error(list(api.load_progressively(str(path)))[-1], "hf-page")


def test_a_read_error_while_streaming_is_not_a_parser_bug(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"new\n\nGet trending papers in your email inbox!\n\nA title\n\nbad \xff byte\n")
    streaming = get_spec("hf-page").parsers.streaming
    assert streaming is not None
    with pytest.raises(DigestDataError):
        streaming.parse_lines(reading.iter_line_batches(str(path), 8), str(path))
    with pytest.raises(DigestDataError):
        list(streaming.parse_progressively(reading.iter_line_batches(str(path), 8), str(path)))
    with pytest.raises(DigestDataError):
        list(api.load_progressively(str(path)))


def test_every_format_has_a_section_in_the_docs() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    assert [name for name in formats.format_names() if f"\n### {name}\n" not in docs] == []


@pytest.mark.parametrize(("name", "text"), [
    ("papers.json", '[{"paper": {"id": "2603.00101", "title": "Kept: A Title", "summary": "Text."}}]'),
    ("papers.txt", "new\nGet trending papers in your email inbox!\n\nKept: A Title\n\n"
                   "Kept studies how small vision encoders forget when tuned on narrow domains.\n"),
])
def test_every_loader_takes_a_path_object_and_names_the_source_as_text(tmp_path: Path, name: str, text: str) -> None:
    # A Path used to reach the parsers as is: the streaming HF page parser failed on it
    # ("internal error", no papers), the others named their source with a Path.
    digest_file = tmp_path / name
    digest_file.write_text(text, encoding="utf-8")
    loaded = [api.load(digest_file), list(api.load_progressively(digest_file))[-1],
              api.load_paths([digest_file])]
    parts = list(api.load_in_parts(digest_file))
    assert [paper.title for part in parts for paper in part.papers] == ["Kept: A Title"]
    assert {part.source for part in parts} == {str(digest_file)}
    for digest in loaded:
        assert [paper.title for paper in digest.papers] == ["Kept: A Title"] and not digest.problems
        assert digest.source == str(digest_file) and digest.papers[0].source == str(digest_file)
