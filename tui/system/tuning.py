"""Process tuning for a reader that holds 100,000 papers: every knob in one place.

The cyclic garbage collector walks every container object on each full
collection, with the GIL held, on whichever thread happens to allocate; for the
reader that is usually the UI thread drawing a key's frame. Papers and the search
index live as long as the reader, so they are taken out of those walks
(``gc.freeze``). bench/README.md has the measurements behind each knob.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Take everything alive now out of later full collections, without collecting
    first: called on the UI thread once a digest is loaded, where a collection over
    100k papers would itself stall the screen."""
    gc.freeze()


def settle_long_lived_objects() -> None:
    """Collect cyclic garbage, then freeze what survives out of later full collections.

    Called from a worker while the search index is built (in pauses of typing):
    collecting first keeps that moment's garbage from being frozen for good; after
    the first call, each collection walks only what came since the last.
    """
    gc.collect()
    gc.freeze()
