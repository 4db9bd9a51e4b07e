"""Digests read in parts (`api.load_in_parts`, `api.merge_in_parts`): what
`digest-reader parse` writes as it reads.

The parts of a digest, joined, are the digest `load` gives; a merge read in
parts has the head `merge` gives; the HF page parser keeps none of what it has
handed out, so reading a large file in parts takes little memory.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_parser import api, formats, reading
from digest_parser.formats import FormatParsers, FormatSpec, LineParsers, hf_page
from digest_parser.models import Digest, Paper
from digest_parser.reading import DigestDataError, LineBatch

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVERY_FIXTURE = sorted(
    path
    for folder in ("hf_page", "formats", "hostile")
    for path in (FIXTURES / folder).iterdir()
    if path.is_file() and not path.name.endswith((".expected.json", ".py", ".md")) and path.name != "binary_nul.txt"
)


def joined(parts: Iterable[Digest]) -> tuple[tuple[Paper, ...], tuple[object, ...], list[Digest]]:
    parts = list(parts)
    return (
        tuple(paper for part in parts for paper in part.papers),
        tuple(problem for part in parts for problem in part.problems),
        parts,
    )


def page(papers: int, date: str | None = "Mar 14", abstract_words: int = 300) -> str:
    header = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n" + (f"{date}\n\n" if date else "")
    abstract = " ".join(["word"] * abstract_words) + "."
    return header + "".join(f"Paper {n}: A Title\n\n{abstract}\n\n" for n in range(papers))


@pytest.mark.parametrize("path", EVERY_FIXTURE, ids=[path.name for path in EVERY_FIXTURE])
def test_the_parts_of_every_fixture_are_what_load_gives(path: Path) -> None:
    whole = api.load(str(path))
    in_parts = api.load_in_parts(str(path))
    assert (in_parts.format, in_parts.source, in_parts.settle_date()) == (whole.format, whole.source, whole.date)
    papers, problems, _ = joined(in_parts)
    assert (papers, problems) == (whole.papers, whole.problems)


def test_a_large_page_comes_in_many_parts_each_with_its_final_date(tmp_path: Path) -> None:
    path = tmp_path / "large.txt"
    path.write_text(page(3000), encoding="utf-8")  # about 5 MB: several 1 MiB reads
    papers, problems, parts = joined(api.load_in_parts(str(path)))
    assert len(parts) > 3 and problems == ()
    assert papers == api.load(str(path)).papers
    assert {part.date for part in parts} == {"Mar 14"}
    assert {part.format for part in parts} == {"hf-page"}


def test_reading_in_parts_keeps_no_paper_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.txt"
    path.write_text(page(12000), encoding="utf-8")
    size = path.stat().st_size  # about 18 MB
    tracemalloc.start()
    try:
        count = sum(len(part.papers) for part in api.load_in_parts(str(path)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 12000
    # A 1 MiB read, its lines and the papers of one part: far below the file.
    # (Loading it whole takes more than the file's size.)
    assert peak < size / 3, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(
            ["new", "Subscribe", "Mar 14", "42", "Submitted by", "A Title", "A Title.", "Ends.", "x" * 160, "\x1b[", ""]
        ),
        max_size=60,
    ).map("\n".join),
    chunk_bytes=st.integers(min_value=1, max_value=64),
)
def test_parse_in_parts_joins_to_parse_lines(tmp_path_factory: pytest.TempPathFactory, text: str, chunk_bytes: int) -> None:
    path = tmp_path_factory.mktemp("parts") / "d.txt"
    path.write_text(text, encoding="utf-8")
    whole = hf_page.parse_lines(reading.iter_line_batches(str(path), chunk_bytes), str(path))
    papers, problems, parts = joined(hf_page.parse_in_parts(reading.iter_line_batches(str(path), chunk_bytes), str(path)))
    assert (papers, problems) == (whole.papers, whole.problems)
    # From the first part holding a paper on, the date is the digest's.
    with_paper = [index for index, part in enumerate(parts) if part.papers]
    if with_paper:
        assert {part.date for part in parts[with_paper[0] :]} == {whole.date}
    assert parts[-1].date == whole.date


# Merging ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ["hf_page/plain_copy.txt"],
        ["hf_page/plain_copy.txt", "hf_page/problems.txt"],
        ["hf_page/problems.txt", "hf_page/plain_copy.txt"],  # the date is the second file's
        ["formats/feed_legacy_rss1.xml", "hf_page/full_page.txt", "formats/mail_edge_cases.txt"],
        ["formats/hf_json_edge_cases.json", "formats/hf_json_invalid.json"],
    ],
)
def test_a_merge_in_parts_is_the_merge(names: list[str]) -> None:
    paths = [str(FIXTURES / name) for name in names]
    whole = api.merge([api.load(path) for path in paths])
    head, parts = api.merge_in_parts([api.load_in_parts(path) for path in paths])
    assert (head.format, head.source, head.date, head.papers, head.problems) == (
        whole.format, whole.source, whole.date, (), ()
    )
    papers, problems, _ = joined(parts)
    assert (papers, problems) == (whole.papers, whole.problems)


def test_the_date_of_a_merge_reads_ahead_only_as_far_as_it_must(tmp_path: Path) -> None:
    undated, dated = tmp_path / "undated.txt", tmp_path / "dated.txt"
    undated.write_text(page(3000, date=None), encoding="utf-8")
    dated.write_text(page(2, date="Feb 3"), encoding="utf-8")
    first, second = api.load_in_parts(str(undated)), api.load_in_parts(str(dated))
    head, parts = api.merge_in_parts([first, second])
    assert head.date == "Feb 3" and head.format == "hf-page"
    # The undated file was read until its first paper (its date is then known
    # to be none), not to its end.
    assert len(first._ahead) == 1
    papers, _, _ = joined(parts)
    assert len(papers) == 3002


def test_parts_can_be_read_once() -> None:
    digest = api.load_in_parts(str(FIXTURES / "hf_page" / "plain_copy.txt"))
    assert len(joined(digest)[0]) == 3
    with pytest.raises(RuntimeError):
        list(digest)


# Errors --------------------------------------------------------------------------------


def test_a_bad_byte_at_the_start_raises_at_once_and_one_further_on_while_reading(tmp_path: Path) -> None:
    early = tmp_path / "early.txt"
    early.write_bytes(b"new\n\nA title\n\nbad \xff byte.\n")
    with pytest.raises(DigestDataError):
        api.load_in_parts(str(early))
    late = tmp_path / "late.txt"
    late.write_bytes(page(2000).encode() + b"Late\n\nbad \xff byte.\n")  # past the first 1 MiB read
    in_parts = api.load_in_parts(str(late))
    with pytest.raises(DigestDataError, match="not valid UTF-8"):
        list(in_parts)


def test_a_parser_bug_while_reading_in_parts_keeps_what_was_given(tmp_path: Path) -> None:
    def parse_lines(batches: Iterable[LineBatch], source: str) -> Digest:
        raise AssertionError("not called")

    def parse_in_parts(batches: Iterable[LineBatch], source: str) -> Iterator[Digest]:
        yield Digest(format="fake-parts", source=source, date="Mar 1",
                     papers=(Paper(title="Given", abstract="", source=source, line=2),))
        raise RuntimeError("bug")

    spec = FormatSpec(
        "fake-parts",
        "a test format",
        lambda text: text.startswith("FAKE PARTS"),
        lambda: FormatParsers(lambda text, source: Digest("fake-parts", source), LineParsers(parse_lines, iter, parse_in_parts)),
    )
    formats.register(spec)
    try:
        path = tmp_path / "fake.txt"
        path.write_text("FAKE PARTS\nGiven\n", encoding="utf-8")
        papers, problems, parts = joined(api.load_in_parts(str(path)))
    finally:
        formats.unregister("fake-parts")
    assert [paper.title for paper in papers] == ["Given"]
    assert [problem.reason for problem in problems] == [
        "internal error in the fake-parts parser (RuntimeError); please report this file"
    ]
    assert parts[-1].date == "Mar 1"
