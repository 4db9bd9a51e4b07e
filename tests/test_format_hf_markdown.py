"""Hugging Face papers page Markdown capture and the arXiv list page copy."""

from __future__ import annotations

from pathlib import Path

from digest_parser.formats import arxiv_listing, hf_markdown
from tests.format_helpers import FORMAT_FIXTURES, read_digest


def test_capture_sample(samples_dir: Path) -> None:
    digest = hf_markdown.parse(read_digest(samples_dir / "hf_papers_page_capture.md"), "c.md")
    first, second = digest.papers
    assert digest.date == "Mar 14"
    assert (first.arxiv_id, first.get_extra("upvotes"), first.date) == ("2603.00101", "42", "Mar 12")
    assert first.get_extra("num_comments") == "3" and first.get_extra("organization") == "Quillworks Lab"
    assert second.title == "Glacier: Slow Weights for Continual Retrieval with Frozen Encoders"  # "\  " hard break
    assert "\\" not in second.abstract and "encoder drifts. Glacier" in second.abstract  # "\\" soft breaks
    assert (second.get_extra("upvotes"), second.date) == ("0", "Nov 1, 2023")
    assert second.code_url == "https://github.com/glacier-ir/glacier"


def test_markdown_escapes_and_missing_abstract() -> None:
    digest = hf_markdown.parse(read_digest(FORMAT_FIXTURES / "hf_capture_edge_cases.md"), "e.md")
    first, second = digest.papers
    assert first.title == "[Re] Reproducing *Star* Results: A Hard Break in the Title"
    assert "50% and a_b come out plain" in first.abstract
    assert second.abstract == "" and second.date == "Feb 27, 2025"  # the "- 3 authors" link is not an abstract


def test_no_heading_is_a_problem() -> None:
    digest = hf_markdown.parse("# Nothing here\n", "x.md")
    assert digest.papers == () and len(digest.problems) == 1


def test_listing_sample_flags_elided_urls(samples_dir: Path) -> None:
    digest = arxiv_listing.parse(read_digest(samples_dir / "arxiv_listing_page_copy.txt"), "l.txt")
    assert [p.get_extra("kind") for p in digest.papers] == ["new", "new", "cross", "replace"]
    assert all(p.get_extra("url_elided") == "true" for p in digest.papers)
    assert digest.papers[0].authors[2] == "José Nuñez"
    assert digest.papers[0].abstract.endswith("Code and checkpoints: this https URL .")
    assert digest.papers[0].get_extra("categories") == "cs.CL cs.AI cs.SD"
    assert digest.papers[0].code_url is None  # the URL is lost in the copy


def test_listing_replaced_cross_and_wrapped_authors() -> None:
    digest = arxiv_listing.parse(read_digest(FORMAT_FIXTURES / "listing_edge_cases.txt"), "l.txt")
    first, second, third = digest.papers
    assert first.abstract.endswith("\n\nMethods: a density argument and a computer search.")
    assert second.authors == ("Ann One", "Ben Two", "Cleo Three", "Dan Four", "Eve Five", "Finn Six")
    assert third.get_extra("kind") == "replace-cross" and third.get_extra("url_elided") is None
