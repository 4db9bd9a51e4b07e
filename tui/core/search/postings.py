"""Which texts of a field hold each of its words, built in resumable steps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

_POSTINGS_CHUNK = 500  # texts per step of building the postings, between checks


class Postings:
    """Which texts of a field hold each of its words (sorted ids), so the papers holding
    a rare word are found without scanning every text; and each text's word initials,
    so a one-letter query finds word starts in a few characters a text, not a whole title.
    Built by ``warm`` in steps; until it is ``ready``, searches scan."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._partial: dict[str, list[int]] = {}
        self._partial_initials: list[str] = []
        self._lock = threading.Lock()
        self.ready: dict[str, list[int]] | None = None
        self.initials: list[str] | None = None

    def build(self, check: Callable[[], None]) -> None:
        """Resumable: a cancelled build keeps its progress."""
        with self._lock:
            partial, initials, texts = self._partial, self._partial_initials, self._texts
            while self.ready is None and len(initials) < len(texts):
                lo = len(initials)
                for i in range(lo, min(lo + _POSTINGS_CHUNK, len(texts))):
                    words = set(texts[i].split())
                    for word in words:
                        partial.setdefault(word, []).append(i)
                    initials.append("".join([word[0] for word in words]))
                check()
            self.initials = initials
            self.ready = partial
