"""The reader on a terminal that goes away (docs/reliability.md, "The terminal
going away"; docs/textual-upstream-orphan-spin.md).

The real program runs on a pseudo-terminal that is its controlling terminal,
as in a terminal window; closing the master side is closing the window. Once
the terminal is gone the reader must save what is pending and exit at once,
whether SIGHUP is ignored (``nohup``) or not. Without the fix, with SIGHUP
ignored, it spins on a whole core forever; with SIGHUP at its default, it dies
without saving.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from digest_parser import load
from tests.tui_helpers import app_for, ready
from tui.app import TERMINAL_GONE_STATUS, DigestApp
from tui.stores.readstate import ReadStateStore

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux ptys and /proc")

REPO = Path(__file__).resolve().parent.parent
DIGEST = REPO / "tests" / "fixtures" / "reader" / "small.txt"
PAPERS = load(str(DIGEST)).papers

START_SECONDS = 60.0
"""How long the first frame may take on a loaded machine."""

EXIT_SECONDS = 3.0
"""How long the reader may take to exit once its terminal is gone: it takes a
fraction of a second; well under the five seconds after which the reader's own
deadline would end it without an orderly exit."""

SPIN_CPU_SECONDS = 1.0
"""CPU time the reader may use between the terminal going and its exit; a
reader spinning on the ended input would use about as much as the time waited."""


def _controlling_terminal(ignore_sighup: bool) -> Callable[[], None]:
    def prepare() -> None:  # in the child, before exec
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        signal.signal(signal.SIGHUP, signal.SIG_IGN if ignore_sighup else signal.SIG_DFL)

    return prepare


READER = [sys.executable, "-m", "tui", str(DIGEST)]
UNDER_A_SHELL = ["/bin/sh", "-c", '"$@"; :', "sh", *READER]
"""The reader run by a shell that stays the session leader (the ``:`` keeps the
shell from replacing itself with the reader), as ``nohup digest-reader`` typed
in a terminal: the kernel signals only the session leader, so the reader gets
no SIGHUP nor SIGCONT, only the end of its input."""


class ReaderOnPty:
    """``python -m tui DIGEST`` on a pseudo-terminal that is the controlling
    terminal of its session, as in a terminal window."""

    def __init__(self, *, ignore_sighup: bool, argv: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("CI", None)
        self.process = subprocess.Popen(
            argv,
            stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env,
            preexec_fn=_controlling_terminal(ignore_sighup),
        )
        os.close(slave)
        self.master: int | None = master
        self.output = b""

    def wait_for(self, text: str, timeout: float = START_SECONDS) -> None:
        assert self.master is not None
        needle = text.encode()
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared; the screen had: {self.output[-2000:]!r}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.output += os.read(self.master, 1 << 16)
                except OSError:
                    pytest.fail(f"the reader ended before showing {text!r}: {self.output[-2000:]!r}")

    def send(self, keys: bytes) -> None:
        assert self.master is not None
        os.write(self.master, keys)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the process started and its children."""
        return sum(_cpu_seconds(pid) for pid in _with_children(self.process.pid))

    def close_terminal(self) -> None:
        assert self.master is not None
        os.close(self.master)
        self.master = None

    def wait_for_exit(self, timeout: float) -> tuple[int, float, float] | None:
        """(wait status, seconds, CPU seconds of the whole run) once the reader
        has exited, or None if it is still running after *timeout*."""
        started = time.monotonic()
        while True:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            elapsed = time.monotonic() - started
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                return status, elapsed, usage.ru_utime + usage.ru_stime
            if elapsed > timeout:
                return None
            time.sleep(0.01)

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()
        if self.master is not None:
            self.close_terminal()


def _with_children(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(grandchild for child in children for grandchild in _with_children(int(child)))]


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.fixture
def start_reader() -> Iterator[Callable[..., ReaderOnPty]]:
    started: list[ReaderOnPty] = []

    def start(*, ignore_sighup: bool, argv: list[str]) -> ReaderOnPty:
        reader = ReaderOnPty(ignore_sighup=ignore_sighup, argv=argv)
        started.append(reader)
        return reader

    yield start
    for reader in started:
        reader.kill()


@linux_only
@pytest.mark.parametrize(
    ("ignore_sighup", "argv"),
    [(True, READER), (False, READER), (True, UNDER_A_SHELL)],
    ids=["sighup-ignored", "sighup-default", "nohup-under-a-shell"],
)
def test_closing_the_terminal_saves_and_exits_at_once(
    start_reader: Callable[..., ReaderOnPty], ignore_sighup: bool, argv: list[str]
) -> None:
    reader = start_reader(ignore_sighup=ignore_sighup, argv=argv)
    reader.wait_for("tokens through a small")  # the first paper's abstract: the detail is drawn
    reader.send(b"j")
    reader.wait_for("invented spreadsheet")  # the second paper shown: marked read, written in a batch later
    cpu_before = reader.cpu_seconds()

    reader.close_terminal()
    exited = reader.wait_for_exit(EXIT_SECONDS)

    assert exited is not None, f"the reader still runs {EXIT_SECONDS} s after its terminal went away"
    status, seconds, cpu_total = exited
    assert os.WIFEXITED(status), f"the reader was killed (wait status {status:#x}), not exited in order"
    assert cpu_total - cpu_before < SPIN_CPU_SECONDS, f"{cpu_total - cpu_before:.2f} s of CPU in {seconds:.2f} s"
    store = ReadStateStore()
    store.load()
    # Both papers shown were saved: the one still pending in the batch too.
    assert {PAPERS[0].key, PAPERS[1].key} <= store.read_keys()


async def test_terminal_gone_saves_what_is_pending_and_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    deadlines: list[tuple[float, int]] = []
    # (The real deadline would end the test run itself if the exit hung.)
    monkeypatch.setattr("tui.app.exit_if_still_running_after", lambda seconds, status: deadlines.append((seconds, status)))
    app = app_for(DIGEST)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")  # the second paper shown: marked read, its write still batched
        app.post_message(DigestApp.TerminalGone())  # what the watch and the SIGHUP handler post
        app.post_message(DigestApp.TerminalGone())  # (both may come: one exit)
        await pilot.pause()
    assert not app.is_running
    assert app.terminal_gone and app.return_code == TERMINAL_GONE_STATUS
    assert len(deadlines) == 1 and deadlines[0][1] == TERMINAL_GONE_STATUS
    store = ReadStateStore()
    store.load()
    assert {PAPERS[0].key, PAPERS[1].key} <= store.read_keys()
