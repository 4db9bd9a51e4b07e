"""arXiv identifiers in text (digest_parser/arxiv_ids.py)."""

from __future__ import annotations

import pytest

from digest_parser.arxiv_ids import find_arxiv_ids

ARXIV_IDS = [
    ("extending arXiv:2401.01234 and 1802.00001v2 and hep-th/9901001 (see https://arxiv.org/abs/2501.00002v2)",
     ["2401.01234", "1802.00001", "hep-th/9901001", "2501.00002"]),
    ("four-digit era 0704.0001 and 1412.9999v3", ["0704.0001", "1412.9999"]),
    ("HF search lists 1802.08979.", ["1802.08979"]),
    ("math.GT/0309136v2 and cond-mat/0102536", ["math/0309136", "cond-mat/0102536"]),
    ("duplicates 2401.01234v1, 2401.01234v2", ["2401.01234"]),
    ("DOI 10.1145/3394.56789 is not an id", []),
    ("arXiv DOI https://doi.org/10.48550/arXiv.2402.00003 counts", ["2402.00003"]),
    ("bare DOI 10.48550/arXiv.2402.00004", ["2402.00004"]),
    ("foreign URL https://zenodo.org/records/2401.01234 is skipped", []),
    ("scheme-less arxiv.org/abs/2403.00005 and huggingface.co/papers/2403.00006", ["2403.00005", "2403.00006"]),
    ("https://arxiv.org/pdf/2403.00007.pdf", ["2403.00007"]),
    ("bad month 2413.01234, bad digit count 2401.0123 and 1412.12345", []),
    ("too early 0612.0001", []),
    ("inside numbers 12401.01234, x2401.01234, v1.2401.01234, 2401.01234.5", []),
    ("not an archive foo/9901001 and hep-th/9913001 (month 13)", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "ids"), ARXIV_IDS)
def test_find_arxiv_ids(text: str, ids: list[str]) -> None:
    assert find_arxiv_ids(text) == ids

