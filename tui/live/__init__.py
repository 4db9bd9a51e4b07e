"""Live sources: digests fetched over HTTP (Hugging Face daily papers, arXiv feeds) and cached.

``hf``, ``hf:2024-10-22``, ``arxiv:cs.CV+cs.LG``… stand for a digest wherever a
path can (docs/live-sources.md). Modules, from the bottom up: ``specs`` (pure
parsing of the specs and their dates), ``http`` (the httpx client and its
limits), ``cache`` (the on-disk cache), ``fetch`` (cache policy, fetching and
parsing through the format registry), ``result`` (what a load gives, and its
status lines), ``options`` (the command-line flags).

Only ``specs`` and ``result`` are imported with the package: the reader's
start-up parses the command line but must not pay for httpx, the cache or the
stores' file code, so :func:`load_live` loads on first use (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.live.result import FetchCancelled, FetchError, LiveResult, status_text, stderr_line
from tui.live.specs import LiveSpec, SpecError, parse_spec

if TYPE_CHECKING:
    from tui.live.fetch import load_live

__all__ = [
    "FetchCancelled",
    "FetchError",
    "LiveResult",
    "LiveSpec",
    "SpecError",
    "load_live",
    "parse_spec",
    "status_text",
    "stderr_line",
]

def __getattr__(name: str) -> object:
    if name == "load_live":
        from tui.live.fetch import load_live

        return load_live
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
