"""The distinct words of one field of a corpus: which words hold a query word, and
which are its near spellings (the typo search compares a query word with these tens
of thousands of words, not with every text)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from types import ModuleType

from tui.core.query import fuzzy_cutoff

VOCAB_CHUNK = 5000
"""Words per rapidfuzz call, and texts per step of collecting a field's words."""
_HOLDERS_LIMIT = 512  # words holding a query word: beyond, finding them costs more than it saves
_VARIANT_MARGIN = 10.0


class Vocabulary:
    """Distinct words of one field, sorted by length so a slice skips short words."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._sorted: list[str] | None = None
        self._blob: str | None = None
        self._lexical: list[str] = []
        self._lengths: list[int] = []
        # The last ``containing`` answer: ranking asks it twice per word and field.
        self._last_holders: tuple[str, set[str] | None] | None = None

    def add(self, text: str) -> None:
        self.words.update(text.split())
        self._sorted = None
        self._blob = None
        self._last_holders = None

    def _joined(self) -> str:
        """Every word, one per line (built once, on first need)."""
        if self._blob is None:
            self._blob = "\n".join(self.words)
        return self._blob

    def may_contain(self, word: str) -> bool:
        """False when no word of the field contains ``word`` (one scan of its words), so a
        scan of the field for it (or a phrase holding it) would find nothing."""
        return word in self._joined()

    def prepare(self) -> list[str]:
        """Build what ``containing`` and ``variants`` need (else built on first use).

        Returns:
            The words, shortest first.
        """
        self._joined()
        by_length = self._sorted
        if by_length is None:
            self._lexical = sorted(self.words)
            self._sorted = by_length = sorted(self._lexical, key=len)
            self._lengths = [len(w) for w in by_length]
        return by_length

    def containing(self, word: str, limit: int = _HOLDERS_LIMIT) -> set[str] | None:
        """The words of the field that contain ``word`` (``word`` has no space), or
        None when there are more than ``limit`` (a scan of the texts is then cheaper)."""
        last = self._last_holders  # (one read: another thread may replace it)
        if last is not None and last[0] == word and limit == _HOLDERS_LIMIT:
            return last[1]
        blob = self._joined()
        found: set[str] = set()
        holders: set[str] | None = found
        at = blob.find(word)
        while at >= 0:
            start = blob.rfind("\n", 0, at) + 1
            end = blob.find("\n", at)
            end = len(blob) if end < 0 else end
            found.add(blob[start:end])
            if len(found) > limit:
                holders = None
                break
            at = blob.find(word, end)
        if limit == _HOLDERS_LIMIT:
            self._last_holders = (word, holders)
        return holders

    def variants(self, word: str, check: Callable[[], None], *, always: bool, limit: int) -> list[tuple[str, float]]:
        """Near spellings of ``word`` (best first, at most ``limit``, within 10 points
        of the best), excluding words that
        contain it (the exact scan finds those) and words containing a better one;
        unless ``always``, none when ``word`` is a word of this field or starts one."""
        cutoff = fuzzy_cutoff(word)
        if cutoff is None:
            return []
        by_length = self.prepare()
        # Unless ``always``: typed correctly so far (a word, or the start of one, of this
        # field), so no typo search; on abstracts each guess costs a scan of every abstract.
        at = bisect_left(self._lexical, word)
        if not always and at < len(self._lexical) and self._lexical[at].startswith(word):
            return []
        # A much shorter word would be aligned *inside* the query word and score 100.
        start = bisect_left(self._lengths, len(word) - 1)
        fuzz, process = load_rapidfuzz()

        found: list[tuple[str, float]] = []
        for lo in range(start, len(by_length), VOCAB_CHUNK):
            chunk = by_length[lo:lo + VOCAB_CHUNK]
            for choice, score, _ in process.extract(word, chunk, scorer=fuzz.partial_ratio,
                                                    score_cutoff=cutoff, limit=None):
                if word not in choice:
                    found.append((choice, score))
            check()
        found.sort(key=lambda item: (-item[1], len(item[0])))
        kept: list[tuple[str, float]] = []
        for choice, score in found:
            if kept and score < kept[0][1] - _VARIANT_MARGIN:
                break  # far worse than the best guess: noise, and a scan each
            if not any(better in choice for better, _ in kept):
                kept.append((choice, score))
            if len(kept) == limit:
                break
        return kept


def load_rapidfuzz() -> tuple[ModuleType, ModuleType]:
    from rapidfuzz import fuzz, process  # on first search: kept off start-up

    return fuzz, process
