"""Format detection: every sample is recognised as its own format."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from digest_parser import parse_text
from digest_parser.formats import FALLBACK, detect, format_names, get_spec
from tests.format_helpers import FORMAT_FIXTURES, read_digest

SAMPLE_FORMATS = {
    "arxiv_api_query.atom.xml": "arxiv-feed",
    "arxiv_rss.xml": "arxiv-feed",
    "arxiv_rss_atom.xml": "arxiv-feed",
    "arxiv_mailing.eml": "arxiv-mail",
    "arxiv_mailing_body.txt": "arxiv-mail",
    "arxiv_mailing_applemail_copy.txt": "arxiv-mail",
    "arxiv_listing_page_copy.txt": "arxiv-listing",
    "hf_daily_papers_api.json": "hf-json",
    "hf_daily_papers_api.compact.json": "hf-json",
    "hf_paper_api.json": "hf-json",
    "hf_papers_page_capture.md": "hf-markdown",
}
MINE = ("hf-json", "arxiv-feed", "arxiv-mail", "arxiv-listing", "hf-markdown")


def test_hf_page_stays_the_last_fallback() -> None:
    assert format_names()[-1] == FALLBACK == "hf-page"
    assert set(MINE) <= set(format_names())


@pytest.mark.parametrize(("name", "expected"), SAMPLE_FORMATS.items())
def test_sample_detected(samples_dir: Path, name: str, expected: str) -> None:
    text = read_digest(samples_dir / name)
    assert detect(text) == expected
    digest = parse_text(text, name)
    assert digest.format == expected and digest.papers and digest.problems == ()


@pytest.mark.parametrize(
    "name",
    ["hf_papers_page_copy.txt", "hf_papers_page_copy_full.txt", "google_scholar_alert.eml",
     "semantic_scholar_paper.json", "pwc_papers_with_abstracts.json", "url_edge_cases.jsonl"],
)
def test_other_samples_are_not_claimed_by_these_formats(samples_dir: Path, name: str) -> None:
    text = read_digest(samples_dir / name)
    assert [fmt for fmt in MINE if _sniff(fmt)(text)] == []


def _sniff(fmt: str) -> Callable[[str], bool]:
    sniff = get_spec(fmt).sniff
    assert sniff is not None
    return sniff


@pytest.mark.parametrize("fmt", MINE)
def test_sniff_rejects_empty_and_prose(fmt: str) -> None:
    assert not _sniff(fmt)("")
    assert not _sniff(fmt)("Dear reader,\n\nhere are some thoughts on papers.\n")
    assert get_spec(fmt).name == fmt and get_spec(fmt).description


def test_mail_with_bom_and_leading_blank_lines_is_detected() -> None:
    text = "\ufeff\n\n" + read_digest(FORMAT_FIXTURES / "mail_concatenated.txt")
    assert detect(text) == "arxiv-mail"
    assert len(parse_text(text).papers) == 5


def test_copied_entries_without_header_are_a_mailing() -> None:
    text = "\\\\\narXiv:2602.00001\nDate: Tue, 3 Feb 2026 10:00:00 GMT   (5kb)\n\nTitle: T\nAuthors: A\nCategories: cs.LG\n"
    assert detect(text) == "arxiv-mail"


def test_detecting_an_hf_page_imports_no_other_parser() -> None:
    """Detection asks the cheap checks in sniffing.py: importing the XML and e-mail
    parsers just to ask would delay the reader's first frame."""
    script = (
        "import sys\n"
        "from digest_parser import parse_text\n"
        "parse_text('new\\n\\nGet trending papers in your email inbox!\\n\\nA title\\n\\nAn abstract.\\n', 'x')\n"
        "print(sorted(m for m in sys.modules if m.startswith('digest_parser.formats.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(result.stdout))
    assert "digest_parser.formats.hf_page" in loaded
    assert not loaded & {f"digest_parser.formats.{name.replace('-', '_')}" for name in MINE}
