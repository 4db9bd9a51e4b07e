"""The Hugging Face papers page parser: golden files, specific rules, the real seed.

Golden files live in tests/fixtures/hf_page: ``<case>.txt`` (written by
make_cases.py, all text invented) and ``<case>.expected.json``. A missing
expected file fails; ``UPDATE_GOLDEN=1`` rewrites them (then read the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import api, formats, reading
from digest_parser.formats import hf_page, sniffing
from digest_parser.sanitize import is_clean

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf_page"
CASES = sorted(path.name[: -len(".txt")] for path in FIXTURES.glob("*.txt"))


def _parse_fixture(case: str):
    path = FIXTURES / f"{case}.txt"
    return api.parse_text(reading.read_text(str(path)), source=path.name, format="hf-page")


def test_every_case_is_present() -> None:
    expected = {"plain_copy", "headers_spaced", "wrapped", "full_page", "problems", "crlf", "cr_only", "bom"}
    assert expected | {"hostile", "markup", "dotted_titles"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    digest = _parse_fixture(case)
    actual = json.dumps(digest.to_json(), indent=2, ensure_ascii=False) + "\n"
    expected_path = FIXTURES / f"{case}.expected.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"{expected_path.name} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_auto_detection_picks_hf_page(case: str) -> None:
    text = reading.read_text(str(FIXTURES / f"{case}.txt"))
    assert formats.detect(text) == "hf-page"


def test_fixture_bytes_keep_their_point() -> None:
    # An editor or git "fixing" these files would make their golden tests pass for nothing.
    assert b"\r\n" in (FIXTURES / "crlf.txt").read_bytes()
    cr_only = (FIXTURES / "cr_only.txt").read_bytes()
    assert b"\r" in cr_only and b"\n" not in cr_only
    assert (FIXTURES / "bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    hostile = (FIXTURES / "hostile.txt").read_bytes()
    assert b"\x1b]52;" in hostile and b"\xe2\x80\xae" in hostile and b"\xc2\x9b" in hostile


def test_every_field_of_every_case_is_clean() -> None:
    for case in CASES:
        digest = _parse_fixture(case)
        for paper in digest.papers:
            assert is_clean(paper.title, one_line=True) and paper.title == " ".join(paper.title.split())
            assert is_clean(paper.abstract)
            assert all(is_clean(link.url, one_line=True) for link in paper.links)
            assert all(is_clean(value, one_line=True) for _, value in paper.extra)
        assert all(is_clean(problem.reason, one_line=True) for problem in digest.problems)


def test_full_page_noise_never_becomes_a_title() -> None:
    digest = _parse_fixture("full_page")
    titles = [paper.title for paper in digest.papers]
    assert titles == [
        "Heron: Speculative Draft Scheduling Across Accelerators",
        "Marsh: Forgetting in Small Vision Encoders",
        "Quorum: Confidence-Weighted Votes for Agent Ensembles",
        "Lark: Glued Comment Counts in Naive Copies",
    ]
    assert digest.problems == ()
    heron, marsh, quorum, lark = digest.papers
    assert (heron.date, heron.get_extra("upvotes")) == ("2026-03-12", "42")
    assert (marsh.date, marsh.get_extra("upvotes"), marsh.get_extra("comments")) == ("2026-03-11", "0", "3")
    assert (quorum.date, quorum.get_extra("upvotes")) == ("2024-12-28", "7")
    assert (lark.date, lark.get_extra("comments"), lark.get_extra("upvotes")) == ("May 29", "6", "15")
    assert heron.authors == () and marsh.authors == ()  # "5 authors" is a count, not names


def test_problems_name_the_line_and_keep_the_rest() -> None:
    digest = _parse_fixture("problems")
    assert [paper.title[:6] for paper in digest.papers] == ["Heron:", "Quorum"]
    assert [(problem.line, problem.reason.split(",")[0]) for problem in digest.problems] == [
        (5, "title with no abstract after it"),
        (13, "title with no abstract after it"),
        (15, "title with no abstract after it"),
        (21, "title with no abstract after it"),
    ]
    # A prose block right after an abstract is its next paragraph.
    assert digest.papers[0].abstract.count("\n\n") == 1


def test_titles_ending_like_sentences_are_titles() -> None:
    # A run followed by a long abstract is that abstract's title, even when it
    # ends in "."; before, the lonely title above it took it for its abstract,
    # and the real abstract became a paragraph (or the next title).
    digest = _parse_fixture("dotted_titles")
    assert [(paper.title, paper.abstract[:12]) for paper in digest.papers] == [
        ("Kiln: Firing Schedules for Sparse Experts.", "Kiln schedul"),
        ("Tern: Routing Tokens by Tide.", "Tern routes "),
        ("Do Small Routers Help?", "Plover measu"),
        ("Stop Tuning the Gate!", "A one-senten"),
        ("Wren: A Title That Wraps and Ends With a Full Stop.", "Wren asks wh"),
        ("Heron, Again: Short and Dotted.", "We present H"),
        ("Finch: A Dotted Title With a Short Abstract.", "It ends like"),
    ]
    assert all("\n" not in paper.abstract for paper in digest.papers)  # no title read as a paragraph
    assert [(problem.line, problem.reason.split(",")[0]) for problem in digest.problems] == [
        (13, "title with no abstract after it"),
        (32, "title with no abstract after it"),
    ]


@pytest.mark.parametrize("end", [".", "?", "!", ""])
def test_a_lonely_title_before_a_title_ending_like_a_sentence(end: str) -> None:
    long_abstract = "An abstract long enough that no title could be mistaken for it, " * 3 + "so it ends here."
    text = f"new\n\nSubscribe\n\nLonely Title\n\nThe Next Title{end}\n\n{long_abstract}\n"
    digest = hf_page.parse(text, "x")
    assert [(paper.title, paper.abstract) for paper in digest.papers] == [(f"The Next Title{end}", long_abstract)]
    assert [(problem.line, problem.reason) for problem in digest.problems] == [
        (5, 'title with no abstract after it, skipped: "Lonely Title"')
    ]


def test_a_short_abstract_ending_like_a_sentence_is_still_an_abstract() -> None:
    # What stays pending is settled by the next run, by metadata or by the end.
    text = (
        "Title One.\n\nShort abstract one.\n\nTitle Two.\n\nShort abstract two.\n\n42\n\n"
        "Title Three\n\nShort abstract three.\n"
    )
    digest = hf_page.parse(text, "x")
    assert [(paper.title, paper.abstract, paper.get_extra("upvotes")) for paper in digest.papers] == [
        ("Title One.", "Short abstract one.", None),
        ("Title Two.", "Short abstract two.", "42"),
        ("Title Three", "Short abstract three.", None),
    ]
    assert digest.problems == ()


def test_two_line_title_and_hard_wrapped_abstract_are_joined() -> None:
    marsh, quorum = _parse_fixture("wrapped").papers
    assert marsh.title == "Marsh: Forgetting in Small Vision Encoders When Tuned on Narrow Domains"
    assert "\n" not in marsh.abstract and "Code is at https://github.com" in marsh.abstract
    assert marsh.code_url == "https://github.com/marsh-lab/marsh"
    assert quorum.title == "Quorum: Confidence-Weighted Votes for Agent Ensembles"
    assert (marsh.line, quorum.line) == (7, 15)


def test_line_endings_and_bom_do_not_change_the_papers() -> None:
    crlf = _parse_fixture("crlf")
    assert crlf.date == "Mar 14" and crlf.papers[0].title == "Heron: Speculative Draft Scheduling"
    assert not any("\r" in paper.abstract for paper in crlf.papers)
    assert _parse_fixture("cr_only").papers[0].title == "Quorum: Votes"
    assert _parse_fixture("bom").papers[0].title == "Marsh: Forgetting"


def test_markup_looking_text_is_kept_verbatim() -> None:
    paper = _parse_fixture("markup").papers[0]
    assert paper.title == "[CLS] Pooling Is All You Need [/]"
    assert "[@click=app.quit]x[/]" in paper.abstract and "[bold red]styled[/bold red]" in paper.abstract


def test_hostile_controls_are_removed() -> None:
    first, second = _parse_fixture("hostile").papers
    assert first.title == "EscRed Title With tab"
    assert first.code_url == "https://github.com/safe-lab/safe-repo"
    assert "\ufffd Code:" in first.abstract  # a lone ESC at a line end is shown, and eats nothing
    assert second.title == "No Break Spaces In Title"
    assert "Line separator inside" in second.abstract and "\n" not in second.abstract


def test_parse_accepts_raw_text_with_crlf_and_bom() -> None:
    text = "\ufeffnew\r\nSubscribe\r\n\r\nTitle One\r\n\r\nAn abstract that ends.\r\n"
    digest = hf_page.parse(text, "x")
    assert [(paper.title, paper.abstract, paper.line) for paper in digest.papers] == [
        ("Title One", "An abstract that ends.", 4)
    ]


def test_nul_past_the_binary_window_becomes_a_replacement_character() -> None:
    digest = hf_page.parse("Title\n\nAn abstract with a \x00 inside.\n", "x")
    assert digest.papers[0].abstract == "An abstract with a \ufffd inside."


@pytest.mark.parametrize("abstract", ["An abstract that ends.", "An abstract that ends, \u00e9."])
@pytest.mark.parametrize("control", ["\x85", "\x1c", "\x0b"])
def test_a_control_at_a_line_end_is_shown_in_ascii_and_other_text(abstract: str, control: str) -> None:
    # str.strip() counts these controls as whitespace: a trailing NEL used to
    # vanish from an ASCII abstract (and only there) instead of being shown.
    digest = hf_page.parse(f"Title{control}\n\n{abstract}{control}\n", "x")
    assert [(paper.title, paper.abstract) for paper in digest.papers] == [("Title\ufffd", abstract + "\ufffd")]


def test_chunking_does_not_change_the_result() -> None:
    text = reading.read_text(str(FIXTURES / "full_page.txt"))
    whole = hf_page.parse(text, "x")
    lines = text.split("\n")
    for size in (1, 2, 7):
        chunks = ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]
        assert hf_page.parse_chunks(chunks, "x") == whole


def test_sniff() -> None:
    assert sniffing.hf_page("new\n\nGet trending papers in your email inbox!\n")
    assert sniffing.hf_page("byAK and the research community\nMar 14\n")
    assert not sniffing.hf_page("Title\n\nAbstract.\n")
    assert not sniffing.hf_page("x" * 5000 + "\nDaily Papers\n")  # only the head is looked at


def test_empty_and_blank_text() -> None:
    for text in ("", "\n\n\n", "   \n\t\n"):
        digest = hf_page.parse(text, "x")
        assert digest.papers == () and digest.problems == ()


# The real seed digest (read from ../shared at run time, never copied) -------------


def test_seed_digest(seed_path: Path) -> None:
    digest = api.load(str(seed_path))
    assert digest.format == "hf-page" and digest.date == "Mar 14"
    assert len(digest.papers) == 108 and digest.problems == ()
    with_code = [paper for paper in digest.papers if paper.code_url]
    assert len(with_code) == 40
    assert all(paper.code_url.startswith("https://github.com/") for paper in with_code)
    by_title = {paper.title.split(":")[0]: paper for paper in digest.papers}
    assert by_title["TinyViT"].code_url == "https://github.com/microsoft/Cream"
    pa_llava = by_title["PA-LLaVA"]
    assert [link.url for link in pa_llava.links] == ["https://github.com/ddw2AIGROUP2CQUPT/PA-LLaVA"]
    headers = {"new", "Subscribe", "byAK and the research community", "Mar 14"}
    assert not headers & {paper.title for paper in digest.papers}


def test_seed_titles_and_abstracts_are_whole(seed_path: Path) -> None:
    # The seed is regular (title, blank, abstract, blank), so a naive split is
    # an independent oracle for it; the parser must agree paper by paper.
    blocks = [block.strip() for block in reading.read_text(str(seed_path)).split("\n\n") if block.strip()]
    start = next(i for i, block in enumerate(blocks) if block == "Mar 14") + 1
    pairs = list(zip(blocks[start::2], blocks[start + 1 :: 2], strict=True))
    digest = api.load(str(seed_path))
    assert [(paper.title, paper.abstract) for paper in digest.papers] == pairs


def test_a_link_in_the_title_is_found_too() -> None:
    text = (
        "Kestrel: Code at https://github.com/kestrel-lab/kestrel\n\n"
        "We present Kestrel; the project page is https://kestrel-lab.github.io/.\n\n"
    )
    paper = hf_page.parse(text, "t.txt").papers[0]
    assert [link.url for link in paper.links] == [
        "https://github.com/kestrel-lab/kestrel",
        "https://kestrel-lab.github.io/",
    ]
    assert paper.code_url == "https://github.com/kestrel-lab/kestrel"


@given(st.one_of(st.from_regex(hf_page._NOISE, fullmatch=True), st.from_regex(hf_page._NOISE)))
def test_every_noise_line_starts_as_the_shortcut_expects(text: str) -> None:
    # _noise asks the regex only for lines starting with one of _NOISE_STARTS.
    if hf_page._NOISE.fullmatch(text) is not None:
        assert text.startswith(hf_page._NOISE_STARTS)


@pytest.mark.parametrize("chunk_bytes", [1, 7, 40, 1 << 20])  # 40: the ESC ends the first read
def test_a_control_character_in_a_later_read_is_still_removed(tmp_path: Path, chunk_bytes: int) -> None:
    # The title comes in a read without control characters, the abstract (or the
    # end of its line, carried over to the next read) in one with an ESC.
    abstract = "Esc \x1b[2J early, " + "in an abstract that is long enough to be one, " * 4 + "the end."
    path = tmp_path / "d.txt"
    path.write_text(f"new\n\nSubscribe\n\nA Clean Title\n\n{abstract}\n\nTitle\x07 Two\n\nShort one.\n")
    batches = list(reading.iter_line_batches(str(path), chunk_bytes))
    digest = hf_page.parse_lines(batches, str(path))
    assert digest == hf_page.parse(path.read_text(), str(path))
    assert [paper.title for paper in digest.papers] == ["A Clean Title", "Title\ufffd Two"]
    assert "\x1b" not in digest.papers[0].abstract and "[2J" not in digest.papers[0].abstract
