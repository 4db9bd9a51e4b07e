"""Pilot tests: the main screen says what really happened and can be read in every
theme (docs/reliability.md): the browser's real outcome, readable colours in
every built-in theme, a way back from the full-screen detail, screenshots saved
where they can be, R undone, a note not lost by accident, Quit in a narrow footer."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path

import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, messages, ready, spy_osc52, without_local_clipboard

FAKE_TOOLS = Path(__file__).resolve().parent / "fake_tools"
CODE = "https://github.com/quill/quillstep"

PAPERS = [
    Paper(
        title=f"Paper {name}: Planning With Checkpoints, Part {i}",
        abstract=f"An abstract about {name.lower()} in two sentences. It has a second one.",
        authors=("Ada Quill", "Bo Fern"),
        date="2026-11-27",
        arxiv_id=f"2611.0000{i}",
        links=(Link(f"https://github.com/quill/{name.lower()}", "code"), Link(f"https://arxiv.org/abs/2611.0000{i}", "paper")),
        code_url=f"https://github.com/quill/{name.lower()}",
        source="daily.txt",
        line=10 * i + 2,
        extra=(("categories", "cs.AI cs.CL"), ("upvotes", str(10 + i))),
    )
    for i, name in enumerate(["Quillstep", "Mossbank", "Harbor", "Loomcraft", "Pebble"], 1)
]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fake tools are POSIX shell scripts")


# ---- o: the browser's real outcome -------------------------------------------------------------


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A graphical session (DISPLAY) without a local clipboard; returns the fake browser's log."""
    without_local_clipboard(monkeypatch)
    monkeypatch.setenv("DISPLAY", ":0")
    log = tmp_path / "browser.argv"
    monkeypatch.setenv("FAKE_BROWSER_OUT", str(log))
    return log


def use_browser(monkeypatch: pytest.MonkeyPatch, fake: str) -> None:
    # xdg-open is what webbrowser picks on a Linux desktop: a BackgroundBrowser.
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(str(FAKE_TOOLS / fake)))


async def test_o_with_a_browser_that_fails_says_so_and_copies_the_link(desktop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, "browser_fail")
    sent: list[str] = []
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, sent)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = messages(app)
        assert not any("Sent to the browser" in message for message in shown)
        failure = next(message for message in shown if "Could not open" in message)
        assert "browser_fail exited 3" in failure
        assert "OSC 52" in failure and "https://github.com/quill/quillstep" in failure
        assert "\x1b" not in failure
        assert sent == ["https://github.com/quill/quillstep"]  # copied instead (OSC 52)
        assert desktop.read_text() == "https://github.com/quill/quillstep\n"


async def test_o_with_a_failing_browser_and_a_local_clipboard_says_link_copied(
    desktop: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_browser(monkeypatch, "browser_fail")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "xclip").symlink_to(FAKE_TOOLS / "copy_ok")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_CLIPBOARD_OUT", str(tmp_path / "clipboard.out"))
    monkeypatch.setenv("DIGEST_READER_LOCAL_CLIPBOARD", "1")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failure = next(message for message in messages(app) if "Could not open" in message)
        assert "(browser_fail exited 3" in failure
        assert failure.endswith("; link copied: https://github.com/quill/quillstep")
        assert (tmp_path / "clipboard.out").read_text() == "https://github.com/quill/quillstep"


async def test_o_with_a_browser_that_works_says_sent(desktop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_browser(monkeypatch, "browser_ok")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sent to the browser: https://github.com/quill/quillstep" in messages(app)
        assert desktop.read_text() == "https://github.com/quill/quillstep\n"
