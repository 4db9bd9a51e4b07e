"""``digest-reader bookmarks --to-zotero [--tag NAME]``: send bookmarks to a running Zotero.

The bookmarks go as the BibTeX ``bookmarks --format bibtex`` prints
(:mod:`tui.core.bibtex`), to Zotero's connector import (:mod:`tui.system.zotero`),
:data:`BATCH_SIZE` entries a request so that no single import keeps Zotero busy
for long; keys are unique across all of them. Sending stops at the first batch
Zotero does not save, and the line says how many were saved before it.
Zotero does not merge duplicates: sending the same bookmarks twice adds them
twice (docs/citing.md).

Exit status: 0 saved (or nothing to send), 69 Zotero is not running
(``EX_UNAVAILABLE``), 65 any other answer (``EX_DATAERR``).
Textual is not imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.bibtex import citation_for_bookmark, keyed_entries

if TYPE_CHECKING:
    from tui.stores.bookmarks import Bookmark
    from tui.system.zotero import ZoteroOutcome

BATCH_SIZE = 50
"""Entries per import request: Zotero answers each within seconds."""
TIMEOUT = 60.0
"""Seconds to connect, to send, and for each read of Zotero's answer to one batch."""
EXIT_NOT_RUNNING = 69
EXIT_NOT_SAVED = 65

Sender = Callable[..., "ZoteroOutcome"]


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """What sending the bookmarks did."""

    status: int
    """The exit status: 0, :data:`EXIT_NOT_RUNNING` or :data:`EXIT_NOT_SAVED`."""
    line: str
    """One line for the user: on standard output when *status* is 0, else the error."""
    saved: int = 0
    """Bookmarks Zotero saved (whole batches)."""


def send_bookmarks(
    bookmarks: Sequence[Bookmark],
    *,
    base_url: str | None = None,
    batch_size: int = BATCH_SIZE,
    timeout: float = TIMEOUT,
    send: Sender | None = None,
) -> BulkOutcome:
    """Send *bookmarks* to Zotero in batches, stopping at the first one not saved.

    Args:
        bookmarks: In the order to send them.
        base_url: The config file's ``zotero_url``; ``$DIGEST_READER_ZOTERO_URL`` wins.
        batch_size: Entries per request.
        timeout: Passed to :func:`tui.system.zotero.send_to_zotero` for each batch.
        send: The sender (default :func:`tui.system.zotero.send_to_zotero`).
    """
    if send is None:
        from tui.system.zotero import send_to_zotero  # on first use: httpx behind it

        send = send_to_zotero
    if not bookmarks:
        return BulkOutcome(0, "no bookmarks to send: nothing was sent to Zotero")
    written = keyed_entries(citation_for_bookmark(bookmark) for bookmark in bookmarks)
    saved = items = 0
    for start in range(0, len(written), max(batch_size, 1)):
        batch = written[start : start + max(batch_size, 1)]
        outcome = send("\n".join(batch), base_url=base_url, timeout=timeout)
        if not outcome.saved:
            status = EXIT_NOT_RUNNING if outcome.not_running else EXIT_NOT_SAVED
            before = f"saved {_count(saved)} of {len(written):,} to Zotero, then: " if saved else ""
            return BulkOutcome(status, before + outcome.message, saved)
        saved += len(batch)
        items += outcome.items
    return BulkOutcome(0, f"saved {_count(saved)} to Zotero ({items:,} item{'s' * (items != 1)} imported)", saved)


def _count(number: int) -> str:
    return f"{number:,} bookmark{'s' * (number != 1)}"
