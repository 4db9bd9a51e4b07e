"""End to end: copy_url through the real xclip into a real (virtual) X server,
then read the clipboard back with xclip (docs/reliability.md, "Copying a link")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.xvfb import xvfb_display, xvfb_env  # noqa: F401 (pytest fixtures)
from tui.system.clipboard import copy_url

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("xclip") is None, reason="xclip is not installed"),
]


def read_clipboard(env: dict[str, str]) -> str:
    result = subprocess.run(
        ["xclip", "-o", "-selection", "clipboard"],
        env=env,
        capture_output=True,
        timeout=30,
        check=True,
    )
    return result.stdout.decode("utf-8")


def test_copied_link_is_on_the_x_clipboard(xvfb_env: dict[str, str]) -> None:  # noqa: F811
    sent: list[str] = []
    outcome = copy_url(
        "https://\u0430rxiv.org/abs/2603.00101",
        osc52=sent.append,
        env=xvfb_env,
        platform="linux",
        timeout=10.0,  # a loaded machine may be slow; a working xclip returns at once
        fallback=None,
    )
    assert outcome.copied_locally and outcome.method == "xclip", outcome.message
    assert read_clipboard(xvfb_env) == "https://xn--rxiv-43d.org/abs/2603.00101"
    assert sent == ["https://xn--rxiv-43d.org/abs/2603.00101"]


def test_second_copy_replaces_the_first(xvfb_env: dict[str, str]) -> None:  # noqa: F811
    for url in ("https://example.org/first", "https://example.org/second"):
        outcome = copy_url(
            url, osc52=lambda text: None, env=xvfb_env, platform="linux", timeout=10.0, fallback=None
        )
        assert outcome.copied_locally, outcome.message
    assert read_clipboard(xvfb_env) == "https://example.org/second"


def unserved_display() -> str:
    """A display number with no X server socket: a stale ``DISPLAY``."""
    for number in range(917, 1917):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    pytest.skip("no unused display number found")


def test_unreachable_display_is_reported_honestly() -> None:
    # RELIABILITY §4: with a stale DISPLAY pyperclip reported success although
    # xclip failed. The real xclip must fail here, and the message must say so.
    xclip = shutil.which("xclip")
    assert xclip is not None
    env = {"PATH": str(Path(xclip).parent), "DISPLAY": unserved_display()}
    outcome = copy_url(
        "https://example.org/x",
        osc52=lambda text: None,
        env=env,
        platform="linux",
        timeout=10.0,
        fallback=None,
    )
    assert not outcome.copied_locally and outcome.method == "osc52"
    assert "xclip exited with status 1" in outcome.message
    assert "https://example.org/x" in outcome.message
