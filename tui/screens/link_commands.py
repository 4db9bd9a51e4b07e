"""Copying and opening a link, citing a paper: `c`, `y`, `u`, `o`, `Y` and `Z` end here.

Every link goes through the URL policy (tui.system.urlpolicy, applied by the
clipboard and browser helpers) before it leaves the app; plain text (a BibTeX
entry) goes through the clipboard's text check. All of it runs in thread
workers with time limits, so a hung clipboard tool, a slow browser or a busy
Zotero never freezes the keys; the outcome comes back as a notification that
says exactly what happened (docs/reliability.md, docs/citing.md).
"""

from __future__ import annotations

from functools import partial

from textual.app import App


def copy_link(app: App[object], url: str) -> None:
    """Copy *url* (OSC 52, and the system clipboard where there is one), off the UI thread."""
    app.run_worker(partial(_copy, app, url), thread=True, group="clipboard", exit_on_error=False,
                   description="Copying a link")


def open_link(app: App[object], url: str) -> None:
    """Open *url* in the browser, off the UI thread; where none can start, copy it instead."""
    app.run_worker(partial(_open, app, url), thread=True, group="browser", exit_on_error=False,
                   description="Opening a link")


def copy_text(app: App[object], text: str, what: str) -> None:
    """Copy plain *text* (OSC 52, and the system clipboard where there is one), off the UI thread.

    *what* names it in the message ("the BibTeX entry"); the text itself is never shown.
    """
    app.run_worker(partial(_copy_text, app, text, what), thread=True, group="clipboard", exit_on_error=False,
                   description=f"Copying {what}")


def send_to_zotero(app: App[object], bibtex: str, *, base_url: str | None = None) -> None:
    """Send a BibTeX entry to a running Zotero, off the UI thread.

    When Zotero is not running the entry is copied instead, and the message says both.
    *base_url* is the config file's ``zotero_url`` (``$DIGEST_READER_ZOTERO_URL`` wins).
    """
    app.run_worker(partial(_send_to_zotero, app, bibtex, base_url), thread=True, group="zotero",
                   exit_on_error=False, description="Sending to Zotero")


def _copy_text(app: App[object], text: str, what: str) -> None:
    from tui.system.clipboard import copy_text as copy_plain_text  # on first use

    outcome = copy_plain_text(text, what=what, osc52=lambda sent: app.call_from_thread(app.copy_to_clipboard, sent))
    severity = "information" if outcome.copied_locally or outcome.sent_osc52 else "warning"
    app.call_from_thread(app.notify, outcome.message, severity=severity, markup=False, timeout=6)


def _send_to_zotero(app: App[object], bibtex: str, base_url: str | None) -> None:
    from tui.system.clipboard import copy_text as copy_plain_text  # on first use (httpx behind zotero)
    from tui.system.zotero import send_to_zotero as send

    outcome = send(bibtex, base_url=base_url)
    if outcome.saved:
        app.call_from_thread(app.notify, outcome.message, markup=False, timeout=4)
        return
    if not outcome.not_running:
        app.call_from_thread(app.notify, outcome.message, severity="warning", markup=False, timeout=10)
        return
    copied = copy_plain_text(bibtex, what="the BibTeX entry",
                             osc52=lambda sent: app.call_from_thread(app.copy_to_clipboard, sent))
    app.call_from_thread(app.notify, f"{outcome.message} {copied.message}", severity="warning", markup=False,
                         timeout=10)


def _copy(app: App[object], url: str) -> None:
    from tui.system.clipboard import copy_url  # on first use: not on the path to the first frame

    outcome = copy_url(url, osc52=lambda text: app.call_from_thread(app.copy_to_clipboard, text))
    severity = "information" if outcome.copied_locally or outcome.sent_osc52 else "warning"
    app.call_from_thread(app.notify, outcome.message, severity=severity, markup=False, timeout=6)


def _open(app: App[object], url: str) -> None:
    from tui.system.browser import open_url  # on first use (webbrowser, subprocess)
    from tui.system.clipboard import copy_url

    outcome = open_url(url)
    if outcome.opened:
        app.call_from_thread(app.notify, outcome.message, markup=False, timeout=4)
        return
    if outcome.url is None:  # refused by the URL policy: nothing leaves the app
        app.call_from_thread(app.notify, outcome.message, severity="warning", markup=False, timeout=6)
        return
    # No browser here (SSH, no display) or it failed: say why, and copy the link instead.
    copied = copy_url(outcome.url, osc52=lambda text: app.call_from_thread(app.copy_to_clipboard, text))
    reason = outcome.message.split("; copy the link", 1)[0]  # "Could not open a browser (xdg-open exited 3)"
    # (Without a local copy, its message says where the link went, or that it did not, and shows it.)
    message = f"{reason}; link copied: {outcome.url}" if copied.copied_locally else f"{reason}. {copied.message}"
    app.call_from_thread(app.notify, message, severity="warning", markup=False, timeout=10)
