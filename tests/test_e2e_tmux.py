"""In a real terminal (tmux), hostile digests cannot change the pane title, write
the clipboard through OSC 52, or stop the app from quitting on `q`
(docs/reliability.md, "Untrusted text"); and a reader that ignores SIGHUP ends
when its pane is killed (docs/reliability.md, "The terminal going away").

The harness is ../shared/tmux_escape_check.sh: it sets `set-clipboard on`, runs
a command in a fresh tmux server, presses `q` and fails if the pane title
changed, a paste buffer appeared or the command did not print APP_RC=0.
Control tests run the same harness on `cat FIXTURE` and expect FAIL, so a
harness or fixture that no longer detects anything is noticed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
HARNESS = SHARED / "tmux_escape_check.sh"
HOSTILE = REPO / "tests" / "fixtures" / "hostile"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not HARNESS.exists(), reason=f"{HARNESS} is missing"),
]

ESCAPE_FIXTURES = [
    "esc_osc52_clipboard.txt",
    "esc_osc8_hyperlink.txt",
    "esc_title_and_screen.txt",
    "esc_dcs_apc_pm.txt",
    "esc_c1_8bit.txt",
    "esc_queries.txt",
    "ctrl_del_cr_bs.txt",
    "esc_unterminated.txt",
    "esc_trailing_csi.txt",
]

# Fixtures whose raw bytes do change the pane title or write a buffer in tmux
# (checked with `cat`); the others attack things the harness cannot see.
POTENT_FIXTURES = [
    "esc_osc52_clipboard.txt",
    "esc_title_and_screen.txt",
    "esc_dcs_apc_pm.txt",
    "esc_unterminated.txt",
]


def _run_harness(command: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SETTLE="4")
    env.pop("TMUX", None)  # the harness starts its own server; never talk to an enclosing one
    return subprocess.run(
        ["bash", str(HARNESS), f"cd {shlex.quote(str(REPO))} && {command}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def _app(args: str) -> str:
    return f"{shlex.quote(sys.executable)} -m tui {args}"


@pytest.mark.parametrize("name", ESCAPE_FIXTURES)
def test_hostile_digest_cannot_touch_the_terminal(name: str) -> None:
    result = _run_harness(_app(shlex.quote(str(HOSTILE / name))))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_bundled_demo_opens_and_quits() -> None:
    result = _run_harness(_app(""))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_piped_digest_keeps_the_keyboard() -> None:
    fixture = shlex.quote(str(HOSTILE / "markup_autoclose.txt"))
    result = _run_harness(f"cat {fixture} | {_app('-')}")
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("name", POTENT_FIXTURES)
def test_harness_catches_the_raw_fixture(name: str) -> None:
    result = _run_harness(f"cat {shlex.quote(str(HOSTILE / name))}")
    assert result.returncode == 1 and "FAIL" in result.stdout, result.stdout + result.stderr


def _still_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; its new parent reaps it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_pane_ends_a_reader_that_ignores_sighup(tmp_path: Path) -> None:
    """The trial in the issue: ``trap '' HUP`` in a multiplexer pane, then the pane
    goes. The reader used to stay, spinning on a whole core."""
    socket, pid_file = tmp_path / "tmux.sock", tmp_path / "reader.pid"
    fixture = REPO / "tests" / "fixtures" / "reader" / "small.txt"
    command = f"trap '' HUP; echo $$ > {shlex.quote(str(pid_file))}; exec {_app(shlex.quote(str(fixture)))}"
    env = dict(os.environ)
    env.pop("TMUX", None)

    def tmux(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-S", str(socket), "-f", "/dev/null", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=30)

    assert tmux("new-session", "-d", "-x", "120", "-y", "30", command).returncode == 0
    pid: int | None = None
    try:
        deadline = time.monotonic() + 60
        while "Alder" not in tmux("capture-pane", "-p").stdout:
            assert time.monotonic() < deadline, "the reader never drew its first frame"
            time.sleep(0.1)
        pid = int(pid_file.read_text())
        assert _still_running(pid)
        tmux("kill-server")
        deadline = time.monotonic() + 5
        while _still_running(pid):
            assert time.monotonic() < deadline, "the reader still runs after its pane was killed"
            time.sleep(0.02)
    finally:
        tmux("kill-server")
        if pid is not None and _still_running(pid):
            os.kill(pid, signal.SIGKILL)  # an orphan left by a failing run
