"""Copying and opening a link: `c`, `y`, `u` and `o` end here.

Every link goes through the URL policy (tui.system.urlpolicy, applied by the
clipboard and browser helpers) before it leaves the app. Both run in thread
workers with time limits, so a hung clipboard tool or a slow browser never
freezes the keys; the outcome comes back as a notification that says exactly
what happened.
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
    # No browser here (SSH, no display) or it failed: show the link and copy it instead.
    copied = copy_url(outcome.url, osc52=lambda text: app.call_from_thread(app.copy_to_clipboard, text))
    reason = outcome.message.split(";", 1)[0]  # "No browser started over SSH"
    app.call_from_thread(app.notify, f"{reason}. {copied.message}", severity="warning", markup=False, timeout=10)
