"""Pause Python's cyclic garbage collector while a parse builds its records.

Why: a 100k-paper digest leaves some 300k container objects (papers, links,
link tuples) that all survive, and the collections the allocations trigger
walk the ones built so far again and again, though none of them can be
freed. What a parser builds holds no reference cycle, so reference counting
frees its garbage and pausing loses nothing; after the pause one young
collection moves the records to the older generations.

Why the counting: the collector's switch is process-wide. The reader parses
in a worker thread while the UI thread runs, and two parses may overlap (two
threads, or a parse inside a parse). So pauses nest: the first one to begin
turns the collector off (only if it was on), the last one to end turns it back
on, and both happen under a lock. Other threads meanwhile see no collections
for as long as a parse runs; their cyclic garbage is collected afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0  # pauses begun and not yet ended, in every thread
_reenable = False  # the first pause turned the collector off: the last one turns it on


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the ``with`` body with the cyclic GC off (see the module docstring).

    Reentrant and thread-safe; the collector's previous state comes back when
    the last overlapping pause ends, also when its body raises.
    """
    global _active, _reenable
    with _lock:
        if _active == 0:
            _reenable = gc.isenabled()
            if _reenable:
                gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _reenable:
                _reenable = False
                gc.enable()
