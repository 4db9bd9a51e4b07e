"""Process tuning for a reader that holds 100,000 papers: every knob in one place.

Each knob is here because bench/README.md ("The reader in a terminal") shows it
matters for a key's time to its frame or for peak memory; the numbers are there.

- **The cyclic garbage collector** walks every container object on each full
  collection, with the GIL held, on whichever thread happens to allocate; for
  the reader that is usually the UI thread drawing a key's frame. Papers and the
  search index live as long as the reader, so they are taken out of those walks
  (:func:`freeze_long_lived`, :func:`settle_long_lived_objects`). While a digest
  is parsed the collector is paused instead (:mod:`digest_parser.gc_pause`): that
  knob stays with the parser, which imports nothing from ``tui``.
- **glibc's mmap threshold** is pinned before a large digest is read, so the
  read buffers do not leave holes in the heap between the papers that outlive
  them (:func:`keep_read_buffers_out_of_the_heap`).
- **Background work steps aside after each key**: the driver's input thread
  notes each key (:func:`tui.system.textual_internals.install_key_hook`) in a
  :class:`tui.system.keypause.KeyPause`, which workers wait on between their
  chunks; that module says why.
- **Frames without a full layout or an extra tick** use Textual's private API,
  so they live in :mod:`tui.system.textual_internals`, with the reasons.
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


GLIBC_MMAP_THRESHOLD = -3
"""``M_MMAP_THRESHOLD`` in glibc's ``<malloc.h>``."""

MMAP_THRESHOLD_BYTES = 128 * 1024
"""glibc's default; setting it explicitly turns off the dynamic threshold."""


def keep_read_buffers_out_of_the_heap() -> bool:
    """Have glibc give every large allocation its own mapping, for good.

    A large digest is read in 1 MiB chunks. glibc maps the first chunk on its
    own, but when it is freed it raises its mmap threshold above 1 MiB, so later
    chunks are carved from the heap between the abstracts that outlive them, and
    their holes stay resident, raising the reader's peak memory. Setting the
    threshold fixes it at the default. Process-wide and harmless; returns False
    where there is no glibc ``mallopt``.
    """
    import ctypes  # only when a large digest is loaded: not on every start

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return False
    return bool(mallopt(GLIBC_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
