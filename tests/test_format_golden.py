"""Golden files for the arXiv and Hugging Face format parsers.

Each ``tests/fixtures/formats/<case>.<ext>`` is parsed with format detection
(so the expected ``format`` also checks detection) and compared with
``<case>.expected.json``. The shared samples are read from ../shared at run
time and compared with ``fixtures/formats/shared/<sample>.expected.json``.
Run with ``UPDATE_GOLDEN=1`` to (re)write the expected files after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from digest_parser import parse_text
from tests.format_helpers import FORMAT_FIXTURES, read_digest

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXPECTED_SUFFIX = ".expected.json"

CASES = sorted(p for p in FORMAT_FIXTURES.iterdir() if p.is_file() and not p.name.endswith(EXPECTED_SUFFIX))

# Shared samples in the formats owned by these parsers (the others fall back to hf-page).
SHARED_SAMPLES = [
    "arxiv_api_query.atom.xml",
    "arxiv_listing_page_copy.txt",
    "arxiv_mailing.eml",
    "arxiv_mailing_applemail_copy.txt",
    "arxiv_mailing_body.txt",
    "arxiv_rss.xml",
    "arxiv_rss_atom.xml",
    "hf_daily_papers_api.compact.json",
    "hf_daily_papers_api.json",
    "hf_paper_api.json",
    "hf_papers_page_capture.md",
]


def _check(case: Path, expected_path: Path) -> None:
    actual = parse_text(read_digest(case), source=case.name).to_json()
    if UPDATE:
        expected_path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not expected_path.exists():
        pytest.fail(f"missing {expected_path.name}; run with UPDATE_GOLDEN=1 and review it")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def test_there_are_cases_for_every_format() -> None:
    extensions = {case.suffix for case in CASES}
    assert {".txt", ".json", ".xml", ".md", ".mbox"} <= extensions


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_invented_fixture_matches_golden(case: Path) -> None:
    _check(case, case.with_name(case.name + EXPECTED_SUFFIX))


@pytest.mark.parametrize("name", SHARED_SAMPLES)
def test_shared_sample_matches_golden(samples_dir: Path, name: str) -> None:
    _check(samples_dir / name, FORMAT_FIXTURES / "shared" / (name + EXPECTED_SUFFIX))


def test_no_orphan_expected_files() -> None:
    inputs = {case.name for case in CASES}
    orphans = [
        p.name
        for p in FORMAT_FIXTURES.glob("*" + EXPECTED_SUFFIX)
        if p.name.removesuffix(EXPECTED_SUFFIX) not in inputs
    ]
    assert orphans == []
