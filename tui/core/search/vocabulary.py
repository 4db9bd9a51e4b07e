"""The distinct words of one field of a corpus, with how often each occurs: which words
hold a query word, whether a word is one of the field's, and which words lie within a
few edits of a typo (the typo search compares a query word with these tens of
thousands of words, not with every text)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from types import ModuleType

VOCAB_CHUNK = 5000
"""Words per rapidfuzz call, and texts per step of collecting a field's words."""
_HOLDERS_LIMIT = 512  # words holding a query word: beyond, finding them costs more than it saves
_BUCKET_STEP = 20000  # words sorted into length buckets per step, between checks
FREQUENT = 20
"""Occurrences of a frequent word: ``nearest(frequent=True)`` compares with those only."""


class Vocabulary:
    """Distinct words of one field and their occurrences, in length buckets so a typo
    is compared only with words of about its length."""

    def __init__(self) -> None:
        self.words: Counter[str] = Counter()
        """Word -> occurrences in the field's texts."""
        self._blob: str | None = None
        self._most: int | None = None
        self._by_length: dict[int, list[str]] | None = None
        self._frequent_by_length: dict[int, list[str]] = {}
        self._bucketing: tuple[list[str], dict[int, list[str]], dict[int, list[str]]] | None = None
        self._bucket_lock = threading.Lock()  # a stale rank may still be bucketing
        # The last ``containing`` answer: ranking asks it twice per word and field.
        self._last_holders: tuple[str, set[str] | None] | None = None

    @property
    def most(self) -> int:
        """The occurrences of the field's most frequent word."""
        if self._most is None:
            self._most = max(self.words.values(), default=0)
        return self._most

    def add(self, text: str) -> None:
        self.words.update(text.split())
        self._most = None
        self._blob = None
        self._by_length = None
        self._bucketing = None
        self._last_holders = None

    def _joined(self) -> str:
        """Every word, each after a ``\\n`` and the last one followed by one (built once,
        on first need): ``"\\n" + word`` finds the words starting with ``word``."""
        if self._blob is None:
            self._blob = "\n" + "\n".join(self.words) + "\n"
        return self._blob

    def may_contain(self, word: str) -> bool:
        """False when no word of the field contains ``word`` (one scan of its words), so a
        scan of the field for it (or a phrase holding it) would find nothing."""
        return word in self._joined()

    def occurrences_from(self, word: str, enough: int) -> int:
        """How often words starting with ``word`` (``word`` itself included) occur in the
        field, counted up to ``enough`` (one scan of the words, stopped there)."""
        blob = self._joined()
        needle = "\n" + word
        total = 0
        at = blob.find(needle)
        while at >= 0 and total < enough:
            end = blob.find("\n", at + 1)
            total += self.words[blob[at + 1:end]]
            at = blob.find(needle, end)
        return min(total, enough)

    def prepare(self, check: Callable[[], None] = lambda: None) -> None:
        """Build what ``containing`` and ``nearest`` need (else built on first use), in
        steps with ``check`` between them; a cancelled call keeps its progress."""
        self._joined()
        if self._by_length is not None:
            return
        with self._bucket_lock:
            self._bucket(check)

    def _bucket(self, check: Callable[[], None]) -> None:
        if self._by_length is not None:
            return
        if self._bucketing is None:
            self._bucketing = (list(self.words), {}, {})
        pending, buckets, frequent = self._bucketing
        counts = self.words
        while pending:
            # (From the end: each step pops a slice off without moving the rest.)
            step = pending[-_BUCKET_STEP:]
            del pending[-_BUCKET_STEP:]
            for word in step:
                buckets.setdefault(len(word), []).append(word)
                if counts[word] >= FREQUENT:
                    frequent.setdefault(len(word), []).append(word)
            check()
        self._frequent_by_length = frequent
        self._by_length = buckets
        self._bucketing = None

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
            found.add(blob[start:end])
            if len(found) > limit:
                holders = None
                break
            at = blob.find(word, end)
        if limit == _HOLDERS_LIMIT:
            self._last_holders = (word, holders)
        return holders

    def nearest(self, word: str, edits: int, check: Callable[[], None], *,
                frequent: bool = False) -> list[tuple[str, int]]:
        """The words of the field within ``edits`` edits of ``word`` (optimal string
        alignment distance: a letter deleted, inserted or replaced, or two neighbours
        swapped, each one edit), with their distance; ``word`` itself included; only
        words occurring ``FREQUENT`` times or more if ``frequent``.

        Only words of a length within ``edits`` of the word's can be that close, so
        only their buckets are compared, ``VOCAB_CHUNK`` words per rapidfuzz call.
        """
        if edits <= 0:
            return [(word, 0)] if word in self.words else []
        lengths = range(max(1, len(word) - edits), len(word) + edits + 1)
        return self._within(word, lengths, edits, check, frequent, load_osa(), {})

    def expansions(self, word: str, letters: int, check: Callable[[], None]) -> list[tuple[str, int]]:
        """The words of the field that are ``word`` with 1 to ``letters`` letters added
        anywhere (``word`` is what is left when they are left out), with how many."""
        # (Levenshtein weights: a letter inserted into ``word`` costs 1, a deletion or
        # replacement more than the cutoff allows.)
        weights = {"weights": (1, letters + 1, letters + 1)}
        lengths = range(len(word) + 1, len(word) + letters + 1)
        return self._within(word, lengths, letters, check, False, load_levenshtein(), weights)

    def _within(self, word: str, lengths: range, cutoff: int, check: Callable[[], None], frequent: bool,
                scorer: Callable[..., int], scorer_kwargs: Mapping[str, object]) -> list[tuple[str, int]]:
        """The words of the lengths' buckets within ``cutoff`` of ``word`` by ``scorer``,
        with their distance, ``VOCAB_CHUNK`` words per rapidfuzz call."""
        self.prepare(check)
        buckets = self._frequent_by_length if frequent else self._by_length
        assert buckets is not None
        _, process = load_rapidfuzz()
        found: list[tuple[str, int]] = []
        for length in lengths:
            bucket = buckets.get(length, ())
            for lo in range(0, len(bucket), VOCAB_CHUNK):
                found += [(choice, int(distance)) for choice, distance, _ in process.extract(
                    word, bucket[lo:lo + VOCAB_CHUNK], scorer=scorer, score_cutoff=cutoff, limit=None,
                    scorer_kwargs=scorer_kwargs)]
                check()
        return found


def load_rapidfuzz() -> tuple[ModuleType, ModuleType]:
    from rapidfuzz import fuzz, process  # on first search: kept off start-up

    return fuzz, process


def load_osa() -> Callable[..., int]:
    from rapidfuzz.distance import OSA  # on first search: kept off start-up

    distance: Callable[..., int] = OSA.distance
    return distance


def load_levenshtein() -> Callable[..., int]:
    from rapidfuzz.distance import Levenshtein  # on first search: kept off start-up

    distance: Callable[..., int] = Levenshtein.distance
    return distance
