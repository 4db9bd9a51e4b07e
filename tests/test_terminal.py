"""The terminal going away (tui.system.terminal; docs/reliability.md, "The
terminal going away"): the watch sees a hang-up without taking input, points the
outputs that were that terminal at /dev/null, and SIGHUP becomes an orderly exit.

The whole reader on a closed terminal is tested in tests/test_terminal_gone.py.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Iterator

import pytest

from tui.system.terminal import (
    TerminalWatch,
    exit_if_still_running_after,
    on_hangup_signal,
    terminal_has_gone,
)

pytestmark = pytest.mark.skipif(not hasattr(select, "poll") or sys.platform == "win32", reason="needs poll and ptys")

DEADLINE = 5.0
"""Seconds a test waits for what should happen at once (a loaded machine is slow)."""


class Pty:
    """A pseudo-terminal whose master side a test may close (the terminal going away)."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self._master_open = True

    def close_master(self) -> None:
        os.close(self.master)
        self._master_open = False

    def close(self) -> None:
        if self._master_open:
            self.close_master()
        os.close(self.slave)


@pytest.fixture
def pty() -> Iterator[Pty]:
    terminal = Pty()
    yield terminal
    terminal.close()


def _is_dev_null(fd: int) -> bool:
    null = os.stat(os.devnull)
    here = os.fstat(fd)
    return (here.st_rdev, here.st_ino) == (null.st_rdev, null.st_ino)


def test_closing_the_terminal_calls_on_gone_once(pty: Pty) -> None:
    slave = pty.slave
    called = threading.Event()
    calls: list[int] = []

    def on_gone() -> None:
        calls.append(threading.get_ident())
        called.set()

    watch = TerminalWatch(slave, on_gone, outputs=())
    assert watch.start()
    assert not called.wait(0.2)  # a live terminal: nothing
    pty.close_master()
    assert called.wait(DEADLINE)
    assert watch.gone and len(calls) == 1
    assert calls[0] != threading.get_ident()  # on the watcher's thread
    assert terminal_has_gone(slave)
    watch.stop(timeout=DEADLINE)


def test_the_watch_takes_no_input(pty: Pty) -> None:
    master, slave = pty.master, pty.slave
    tty.setraw(slave)  # as the app sets it: a key is readable without a newline
    gone: list[bool] = []
    watch = TerminalWatch(slave, lambda: gone.append(True), outputs=())
    try:
        assert watch.start()
        os.write(master, b"q")
        time.sleep(0.2)  # (give a watch that wrongly reads the time to do it)
        ready, _, _ = select.select([slave], [], [], DEADLINE)
        assert ready and os.read(slave, 10) == b"q"  # the key is still there for the app
        assert not terminal_has_gone(slave)
    finally:
        watch.stop(timeout=DEADLINE)
    assert not gone


def test_stop_ends_the_watch_without_calling_on_gone(pty: Pty) -> None:
    slave = pty.slave
    gone: list[bool] = []
    watch = TerminalWatch(slave, lambda: gone.append(True), outputs=())
    assert watch.start()
    before = threading.active_count()
    watch.stop(timeout=DEADLINE)
    assert threading.active_count() == before - 1
    watch.stop()  # twice is fine
    pty.close_master()
    time.sleep(0.1)
    assert not watch.gone and not gone


def test_a_closed_pipe_counts_as_gone() -> None:
    read_end, write_end = os.pipe()
    called = threading.Event()
    watch = TerminalWatch(read_end, called.set, outputs=())
    try:
        assert watch.start()
        os.close(write_end)
        assert called.wait(DEADLINE)
    finally:
        watch.stop(timeout=DEADLINE)
        os.close(read_end)


def test_outputs_on_that_terminal_go_to_dev_null_before_on_gone(pty: Pty) -> None:
    slave = pty.slave
    output = os.dup(slave)  # standing in for the app's stdout/stderr on that terminal
    elsewhere_read, elsewhere = os.pipe()  # an output that is not a terminal: left alone
    seen: list[tuple[bool, bool]] = []
    called = threading.Event()

    def on_gone() -> None:
        seen.append((_is_dev_null(output), _is_dev_null(elsewhere)))
        called.set()

    watch = TerminalWatch(slave, on_gone, outputs=(output, elsewhere))
    try:
        assert watch.start()
        pty.close_master()
        assert called.wait(DEADLINE)
        assert seen == [(True, False)]
        os.write(output, b"a late frame")  # no EIO: it goes nowhere
    finally:
        watch.stop(timeout=DEADLINE)
        for fd in (output, elsewhere, elsewhere_read):
            os.close(fd)


async def test_sighup_runs_the_callback_on_the_event_loop() -> None:
    previous = signal.getsignal(signal.SIGHUP)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        called = asyncio.Event()
        restore = on_hangup_signal(called.set)
        assert restore is not None
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.wait_for(called.wait(), DEADLINE)
        restore()
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGHUP, previous)


async def test_an_ignored_sighup_stays_ignored() -> None:
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        assert on_hangup_signal(lambda: pytest.fail("SIGHUP is ignored")) is None
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_the_exit_deadline_ends_a_hung_process() -> None:
    program = (
        "import threading, sys\n"
        "from tui.system.terminal import exit_if_still_running_after\n"
        "exit_if_still_running_after(0.2, 129)\n"
        "threading.Event().wait(60)  # an exit that hangs\n"
    )
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", program], timeout=30, check=False)
    assert result.returncode == 129
    assert time.monotonic() - started < 30


def test_the_exit_deadline_is_a_daemon_that_can_be_cancelled() -> None:
    timer = exit_if_still_running_after(60, 129)
    assert timer.daemon
    timer.cancel()
