"""The reader whose terminal goes away while SIGHUP is ignored (``nohup``, some multiplexers).

The reader runs on a pseudo-terminal that is its controlling terminal, with
SIGHUP ignored as ``nohup`` or ``trap '' HUP`` leave it. Once it has drawn the
digest, the terminal's master side is closed, as when a terminal window is
closed. Measured: whether the process exits within :data:`EXIT_WITHIN`
seconds, and if it does not, the CPU it uses over :data:`CPU_WINDOW` seconds
(a process spinning on end of input uses a whole core). It is killed after.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from bench.torture.common import REPO, CaseResult, child_env

DIGEST = REPO / "tests" / "fixtures" / "reader" / "small.txt"
DRAWN = b"Alder"
"""A title of the digest: once it is on the terminal, the reader is up."""
EXIT_WITHIN = 1.0
CPU_WINDOW = 2.0
START_TIMEOUT = 60.0
ROWS, COLUMNS = 30, 100


def _orphan_child() -> None:  # runs in the child between fork and exec
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty becomes the controlling terminal of the new session


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of *pid* so far, from /proc (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_drawn(master: int, process: subprocess.Popen[bytes]) -> bool:
    seen = b""
    deadline = time.monotonic() + START_TIMEOUT
    while DRAWN not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or process.poll() is not None:
            return False
        ready, _, _ = select.select([master], [], [], min(remaining, 0.5))
        if ready:
            try:
                seen = (seen + os.read(master, 65536))[-4096:]
            except OSError:
                return False
    return True


def run_orphan(work: Path) -> CaseResult:
    """Close the reader's terminal under it; figures: seconds to exit, CPU if it stays."""
    result = CaseResult("orphan", "terminal closed, SIGHUP ignored")
    if not hasattr(termios, "TIOCSCTTY") or not Path("/proc/self/stat").exists():
        result.skipped = "needs Linux (/proc and TIOCSCTTY)"
        return result
    data_dir = work / "orphan"
    data_dir.mkdir(parents=True)
    digest = data_dir / DIGEST.name
    shutil.copyfile(DIGEST, digest)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = child_env(data_dir, TERM="xterm-256color")
    env.pop("CI", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", str(digest)],
        cwd=REPO,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=_orphan_child,  # two system calls before exec: safe even with threads running
    )
    os.close(slave)
    result.runs = 1
    try:
        if not _wait_drawn(master, process):
            result.note(f"the reader did not draw the digest (status {process.poll()})")
            return result
        os.close(master)
        master = -1
        closed = time.monotonic()
        deadline = closed + EXIT_WITHIN
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is not None:
            result.figures["exit after close"] = f"{time.monotonic() - closed:.2f} s (status {process.returncode})"
            result.figures["CPU while orphaned"] = "-"
            return result
        result.figures["exit after close"] = f"no (still running after {EXIT_WITHIN:g} s)"
        result.note(f"still running {EXIT_WITHIN:g} s after its terminal closed")
        before, started = _cpu_seconds(process.pid), time.monotonic()
        while process.poll() is None and time.monotonic() - started < CPU_WINDOW:
            time.sleep(0.05)
        after, elapsed = _cpu_seconds(process.pid), time.monotonic() - started
        if before is not None and after is not None:
            result.figures["CPU while orphaned"] = f"{100 * (after - before) / elapsed:.0f}% of a core over {elapsed:.1f} s"
        return result
    finally:
        if master >= 0:
            os.close(master)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def orphan_exited(result: CaseResult) -> bool:
    """True when the measured reader exited within the limit."""
    return result.figures.get("exit after close", "no").split()[0] != "no" and result.skipped is None
