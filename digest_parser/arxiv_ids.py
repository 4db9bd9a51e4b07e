"""arXiv identifiers mentioned in text: :func:`find_arxiv_ids`.

Kept apart from the link finder: an id is found in prose as often as in a URL,
and telling an id from a number or another DOI needs its own rules (written out
in docs/formats.md, "arXiv identifiers").
"""

from __future__ import annotations

import re

__all__ = ["find_arxiv_ids"]

_OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|supr-con"
)
# Both scans start with a literal (`.` or `/`), which `re` finds with a fast
# string search; the context is then checked only around the few hits.
_NEW_ID_TAIL = re.compile(r"\.([0-9]{4,5})(?:v[0-9]+)?(?![0-9])")
_OLD_ID_TAIL = re.compile(r"/([0-9]{7})(?:v[0-9]+)?(?![0-9])")
_OLD_ARCHIVE = re.compile(rf"(?:{_OLD_ARCHIVES})(?:\.[A-Za-z]{{2}})?\Z", re.IGNORECASE)
_ARXIV_PLACE = re.compile(
    r"(?:(?:arxiv|ar5iv|alphaxiv)\.org|huggingface\.co|hf\.co)/(?:abs|pdf|html|format|ps|papers|overview)/\Z"
    r"|\b10\.48550/arxiv\.\Z",
    re.IGNORECASE,
)
_DOI_START = re.compile(r"\b10\.[0-9]{4,9}/")
_TOKEN_WINDOW = 300  # how far back a URL or DOI around an id is looked for


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv identifiers mentioned in *text*, without version, in order, unique.

    Finds new ids (``2401.01234``, ``1802.08979``, ``0704.0001``) and old ones
    (``hep-th/9901001``; a subject class as in ``math.GT/0309136`` is dropped,
    giving ``math/0309136``), in prose (``arXiv:2401.01234v2``), in arXiv,
    Hugging Face paper and alphaXiv URLs, and in arXiv DOIs
    (``10.48550/arXiv.2401.01234``). The version is removed: the result is the
    paper's identity, as :attr:`Paper.arxiv_id` holds it. Digits inside other
    DOIs and URLs are skipped, and ids with an impossible date (month 13) or
    digit count (5 digits before 2015, 4 after) are rejected. Never raises.
    """
    found: list[tuple[int, str]] = []
    for match in _NEW_ID_TAIL.finditer(text):
        start = match.start() - 4
        if start < 0 or not (text[start : match.start()].isascii() and text[start : match.start()].isdigit()):
            continue
        in_prose = _context(text, start)
        followed_by_number = text[match.end() : match.end() + 1] == "." and text[
            match.end() + 1 : match.end() + 2
        ].isdigit()
        if in_prose is None or (in_prose and followed_by_number):
            continue
        arxiv_id = _valid_new_id(text[start : match.start()], match.group(1))
        if arxiv_id:
            found.append((start, arxiv_id))
    for match in _OLD_ID_TAIL.finditer(text):
        archive = _OLD_ARCHIVE.search(text, max(0, match.start() - 12), match.start())
        if archive is None or _context(text, archive.start()) is None:
            continue
        arxiv_id = _valid_old_id(archive.group(0), match.group(1))
        if arxiv_id:
            found.append((archive.start(), arxiv_id))
    found.sort()
    return list(dict.fromkeys(arxiv_id for _, arxiv_id in found))


def _context(text: str, start: int) -> bool | None:
    """Where an id starting at *start* sits: True in prose, False in an arXiv
    URL or DOI, None where it is not an arXiv id (inside a word, a number, a
    foreign URL or DOI)."""
    window_start = max(0, start - _TOKEN_WINDOW)
    token_start = max(text.rfind(space, window_start, start) for space in (" ", "\n", "\t", "\xa0")) + 1
    prefix = text[max(token_start, window_start) : start]
    if "/" in prefix or "." in prefix:
        # Only the end of the prefix can name an arXiv place: search a short
        # tail, so a long token full of candidates stays linear.
        if _ARXIV_PLACE.search(prefix[-40:]):
            return False
        if "://" in prefix or ("10." in prefix and _DOI_START.search(prefix)):
            return None
    before = text[start - 1 : start] if start else ""
    if before and (before.isalnum() or before in "_./"):
        return None
    return True


def _valid_new_id(yymm: str, number: str) -> str | None:
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12 or (year, month) < (7, 4):
        return None
    expected_digits = 4 if (year, month) <= (14, 12) else 5
    return f"{yymm}.{number}" if len(number) == expected_digits else None


def _valid_old_id(archive: str, number: str) -> str | None:
    year, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12 or 8 <= year <= 90:
        return None
    return archive.split(".")[0].lower() + "/" + number
