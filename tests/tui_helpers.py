"""Helpers for Pilot tests: build the app on a digest, read what the user sees
and what would be written to the terminal (docs/reliability.md, "Untrusted text")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot

from digest_parser.models import Digest, Paper
from tui.app import DigestApp
from tui.core.library import build_library
from tui.core.sources import DigestSource
from tui.screens.main import MainScreen

READER_FIXTURES = Path(__file__).parent / "fixtures" / "reader"

SGR = re.compile(r"\x1b\[[0-9;:]*m")
FOREIGN = (
    "\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x9b", "\x9d", "\x90", "\x00", "\x7f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200b", "\ufeff",
)


def frame_text(app: DigestApp) -> str:
    """What the user sees, as plain text."""
    update = app.screen._compositor.render_update(full=True)
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


def frame_bytes(app: DigestApp) -> str:
    """What would be written to the terminal for a full repaint."""
    return app.screen._compositor.render_update(full=True).render_segments(app.console)


def foreign_controls(app: DigestApp) -> list[str]:
    """Control sequences in the output that Textual itself did not produce."""
    out = SGR.sub("", frame_bytes(app))
    return [sequence for sequence in FOREIGN if sequence in out]


def app_for(*paths: Path | str, **kwargs: object) -> DigestApp:
    return DigestApp([DigestSource(str(path)) for path in paths], **kwargs)  # type: ignore[arg-type]


def app_for_text(text: str, name: str = "digest.txt", **kwargs: object) -> DigestApp:
    return DigestApp([DigestSource(name, text)], **kwargs)  # type: ignore[arg-type]


def app_for_papers(papers: Sequence[Paper], **kwargs: object) -> DigestApp:
    """An app showing *papers* as given, without the parser's cleaning."""
    app = DigestApp([], **kwargs)  # type: ignore[arg-type]
    app._test_digest = Digest(format="test", source="test.txt", papers=tuple(papers))  # type: ignore[attr-defined]
    return app


async def ready(pilot: Pilot) -> MainScreen:
    """Wait until every digest has loaded and the screen has settled."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    digest = getattr(app, "_test_digest", None)
    screen = app.screen
    assert isinstance(screen, MainScreen)
    if digest is not None:
        screen.post_message(MainScreen.LibraryLoaded(build_library([digest]), 1, 1))
        await pilot.pause()
    await pilot.pause()
    return screen


async def stores_settled(pilot: Pilot) -> None:
    """Wait until every queued bookmark/read-state write has run and its
    result has reached the screen (the store thread runs in order)."""
    screen = pilot.app.screen
    if not isinstance(screen, MainScreen):
        screen = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
    assert screen.persistence is not None
    screen.persistence.wait_until_idle(timeout=30)
    await pilot.pause()
    await pilot.pause()


CLIPBOARD_ENVIRONMENT = ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TMUX")


def without_local_clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Headless: no display, no SSH or tmux, no clipboard tools. Returns the list that
    :func:`spy_osc52` fills with what OSC 52 would send."""
    for name in CLIPBOARD_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIGEST_READER_LOCAL_CLIPBOARD", "0")
    return []


def spy_osc52(app: DigestApp, sent: list[str]) -> None:
    """Record in *sent* each text the app sends through OSC 52 (still sending it)."""
    original = app.copy_to_clipboard

    def copy(text: str) -> None:
        sent.append(text)
        original(text)

    app.copy_to_clipboard = copy  # type: ignore[method-assign]


def messages(app: DigestApp) -> list[str]:
    """The notifications shown so far, as plain text."""
    return [str(notification.message) for notification in app._notifications]
