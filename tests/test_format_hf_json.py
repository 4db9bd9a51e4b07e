"""Hugging Face Daily Papers JSON."""

from __future__ import annotations

import json
from pathlib import Path

from digest_parser.formats import hf_json
from tests.format_helpers import read_digest, unclean_fields


def parse(data: object):
    return hf_json.parse(json.dumps(data, indent=1), "papers.json")


def item(**paper: object) -> dict[str, object]:
    return {"paper": {"id": "2604.00001", "title": "T", "summary": "S", **paper}}


def test_daily_sample_fields(samples_dir: Path) -> None:
    digest = hf_json.parse(read_digest(samples_dir / "hf_daily_papers_api.json"), "d.json")
    first = digest.papers[0]
    assert first.title == "Lattice Whisper: Sparse Token Routing for Long-Horizon Speech Agents"
    assert "\n" not in first.abstract and first.abstract.startswith("We introduce Lattice Whisper, a routing")
    # "hidden" only hides the paper from that author's profile: still an author, in place.
    assert first.authors == ("Mira Quill", "Tomas Brandt", "Anonymous Reviewer")
    assert (first.arxiv_id, first.date) == ("2603.00101", "2026-03-12")
    assert first.get_extra("upvotes") == "42" and first.get_extra("listing_date") == "2026-03-13"
    assert first.code_url == "https://github.com/quillworks/lattice-whisper"
    assert first.get_extra("ai_summary", ).startswith("A sparse routing lattice")
    urls = [link.url for link in first.links]
    assert "https://quillworks.github.io/lattice-whisper/" in urls
    assert "https://huggingface.co/papers/2603.00101" in urls and "https://arxiv.org/abs/2603.00101" in urls
    assert digest.papers[1].get_extra("upvotes") == "0"


def test_compact_and_pretty_give_the_same_papers_apart_from_lines(samples_dir: Path) -> None:
    pretty = hf_json.parse(read_digest(samples_dir / "hf_daily_papers_api.json"), "x")
    compact = hf_json.parse(read_digest(samples_dir / "hf_daily_papers_api.compact.json"), "x")
    assert [p.line for p in pretty.papers] == [2, 90]
    assert [p.line for p in compact.papers] == [1, 1]
    assert [p.to_json() | {"line": 0} for p in pretty.papers] == [p.to_json() | {"line": 0} for p in compact.papers]


def test_bare_github_repo_is_a_github_url_and_wins_over_the_abstract() -> None:
    paper = parse([item(githubRepo="thu-ml/Causal-Forcing", summary="See https://github.com/other/repo")]).papers[0]
    assert paper.code_url == "https://github.com/thu-ml/Causal-Forcing"


def test_fields_found_in_the_wrapper_when_the_paper_lacks_them() -> None:
    data = [{"paper": {"id": "2604.00001", "summary": "S"}, "title": "Wrapper Title", "ai_summary": "Short.",
             "githubRepo": "https://github.com/o/r"}]
    paper = parse(data).papers[0]
    assert (paper.title, paper.get_extra("ai_summary"), paper.code_url) == ("Wrapper Title", "Short.", "https://github.com/o/r")


def test_paper_value_wins_over_wrapper_value() -> None:
    data = [{"paper": {"id": "2604.00001", "title": "From Paper", "summary": "S"}, "title": "From Wrapper"}]
    assert parse(data).papers[0].title == "From Paper"


def test_summary_unwrapped_with_paragraphs() -> None:
    paper = parse([item(summary="one\ntwo\n\nthree\n  four", title="A\n  B")]).papers[0]
    assert paper.abstract == "one two\n\nthree\n\nfour"
    assert paper.title == "A B"


def test_invalid_json_is_one_problem_with_line_and_column() -> None:
    digest = hf_json.parse('[\n  {"paper": {"id": "1"},}\n]', "bad.json")
    assert digest.papers == ()
    [problem] = digest.problems
    assert problem.line == 2 and "line 2, column" in problem.reason


def test_deep_nesting_and_wrong_shapes_are_problems() -> None:
    assert hf_json.parse("[" * 50_000, "x").problems
    assert hf_json.parse('"just a string"', "x").problems
    digest = parse([1, None, item()])
    assert len(digest.papers) == 1 and len(digest.problems) == 2


def test_non_http_urls_and_non_integer_counts_are_dropped() -> None:
    paper = parse([item(projectPage="javascript:alert(1)", upvotes=True, githubRepo=["x"])]).papers[0]
    assert all(link.url.startswith("https://") for link in paper.links)
    assert paper.get_extra("upvotes") is None and paper.code_url is None


def test_control_characters_in_json_strings_are_sanitised() -> None:
    digest = parse([item(title="Bad\u001b[31mTitle\u0085", summary="x\u202eevil\ud800",
                         authors=[{"name": "N\u0007ame"}])])
    assert unclean_fields(digest) == []


def test_empty_list_is_an_empty_digest() -> None:
    digest = hf_json.parse("[]", "weekend.json")
    assert digest.papers == () and digest.problems == ()
