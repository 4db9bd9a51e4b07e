"""A throw-away X server for end-to-end clipboard tests.

Use the fixtures by importing them into a test module::

    from tests.xvfb import xvfb_display, xvfb_env  # noqa: F401 (pytest fixtures)

    def test_copy(xvfb_env: dict[str, str]) -> None: ...

``xvfb_display`` yields ``":N"``; ``xvfb_env`` also points ``DISPLAY`` at it
in ``os.environ`` (through monkeypatch) and removes ``WAYLAND_DISPLAY`` and the
SSH variables, so code that reads the real environment (an app under Pilot)
sees a plain local X11 session. Both skip the test when Xvfb is missing.

Readiness comes from ``-displayfd``: Xvfb picks a free display number itself
and writes it to the pipe once it accepts connections, so there is neither a
sleep nor a race with another test (or agent) choosing the same number.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

__all__ = ["XvfbError", "running_xvfb", "xvfb_display", "xvfb_env"]

_START_TIMEOUT = 20.0  # a generous bound for a loaded machine; only failure waits this long


class XvfbError(RuntimeError):
    """Xvfb could not be started."""


@contextmanager
def running_xvfb(executable: str = "Xvfb", timeout: float = _START_TIMEOUT) -> Iterator[str]:
    """Run Xvfb on a free display for the duration of the ``with`` block.

    Args:
        executable: Xvfb command or path.
        timeout: Seconds to wait for Xvfb to report its display.

    Yields:
        The display name, such as ``":3"``.

    Raises:
        XvfbError: Xvfb is missing, exited, or did not report a display in time.
    """
    path = shutil.which(executable)
    if path is None:
        raise XvfbError(f"{executable} is not installed")
    read_end, write_end = os.pipe()
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - the server writes to it until stop() closes it
    try:
        server = subprocess.Popen(
            [path, "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
            pass_fds=(write_end,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,  # terminal signals (Ctrl-C) go to pytest, not Xvfb
        )
    except OSError as error:
        os.close(read_end)
        errors.close()
        raise XvfbError(f"could not start {executable}: {error}") from error
    finally:
        os.close(write_end)  # keep only Xvfb's copy, so its exit shows as end of file
    try:
        number = _read_display_number(read_end, timeout)
        if number is None:
            errors.seek(0)
            said = errors.read(2000).decode("utf-8", "replace").strip()
            raise XvfbError(f"{executable} did not start: {said or 'no display reported'}")
        yield f":{number}"
    finally:
        os.close(read_end)
        _stop(server)
        errors.close()


def _read_display_number(fd: int, timeout: float) -> str | None:
    """Read the ``N\\n`` Xvfb writes when ready; None on end of file or timeout."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        readable, _, _ = select.select([fd], [], [], remaining)
        if not readable:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return None
        data += chunk
    number = data.decode("ascii", "replace").strip()
    return number if number.isdigit() else None


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb display name (``":N"``) for one test; skips without Xvfb."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    with running_xvfb() as display:
        yield display


@pytest.fixture
def xvfb_env(xvfb_display: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """``os.environ`` made a plain local X11 session on the Xvfb display.

    Returns:
        A copy of the resulting environment, for passing as ``env=``.
    """
    monkeypatch.setenv("DISPLAY", xvfb_display)
    unwanted = ("WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "DIGEST_READER_LOCAL_CLIPBOARD")
    for name in unwanted:
        monkeypatch.delenv(name, raising=False)
    return dict(os.environ)
