"""What a live load gives, and the lines that tell the user about it.

Kept apart from :mod:`tui.live.fetch` so that code which only names these (the
screen's type hints, ``except FetchError`` in a command) imports neither the
cache nor the HTTP client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from digest_parser.models import Digest
from digest_parser.sanitize import clean_line
from tui.live.options import OFFLINE
from tui.live.specs import LiveSpec

EX_DATAERR = 65
EX_UNAVAILABLE = 69


@dataclass(frozen=True, slots=True)
class LiveResult:
    """A loaded live source and where it came from."""

    digest: Digest
    spec: LiveSpec
    """The source shown: after stepping back from an empty day, that earlier day."""
    fetched_at: datetime
    """UTC, when the body was received or last confirmed current by the server."""
    from_cache: bool
    stale_reason: str | None
    """Why the network was not asked or did not answer usefully: ``offline``,
    ``fetch failed: connection refused``, ``bad response: an HTML page, not JSON``."""
    note: str | None
    """Anything else the user should know: a day stepped over, replacements left out."""


class FetchError(Exception):
    """Nothing usable: no cached copy, and the fetch failed. ``message`` is one line."""

    def __init__(self, message: str, exit_code: int = EX_UNAVAILABLE) -> None:
        self.message = clean_line(message)
        self.exit_code = exit_code
        """69 (EX_UNAVAILABLE) for a network failure, 65 (EX_DATAERR) for bad data."""
        super().__init__(self.message)


class FetchCancelled(FetchError):
    """``cancelled()`` turned true; nothing was loaded."""

    def __init__(self, label: str) -> None:
        super().__init__(f"{label}: cancelled")


def _ago(age: timedelta) -> str:
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def status_text(result: LiveResult, now: datetime) -> str:
    """One line for the header: ``fetched 10:42`` (local time), ``cached 3 h ago``,
    ``cached 3 h ago (offline)``, or ``offline: cached 3 h ago; fetch failed: …``."""
    if not result.from_cache:
        local = result.fetched_at.astimezone()
        same_day = local.date() == now.astimezone().date()
        return f"fetched {local:%H:%M}" if same_day else f"fetched {local:%Y-%m-%d %H:%M}"
    ago = _ago(now - result.fetched_at)
    if result.stale_reason is None:
        return f"cached {ago}"
    if result.stale_reason == OFFLINE:
        return f"cached {ago} (offline)"
    return f"offline: cached {ago}; {result.stale_reason}"


def stderr_line(result: LiveResult, now: datetime) -> str:
    """The line ``digest-reader parse`` prints for a live source: how many papers,
    whether they came from the cache, and any note."""
    count = len(result.digest.papers)
    papers = f"{count} paper{'s' if count != 1 else ''}"
    where = f"from the cache ({status_text(result, now)})" if result.from_cache else "fetched"
    line = f"{result.spec.label}: {papers} {where}"
    return f"{line}; {result.note}" if result.note else line
