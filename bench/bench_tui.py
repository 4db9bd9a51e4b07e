"""Reader speed in a real pseudo-terminal: first frame, first titles, cursor moves, memory.

Runs `python -m tui FILE` on a pty (120x35), reads what it writes, and times:

- process start → first frame (any screen drawn), → first paper titles, → loading finished;
- the same for a bare Textual app (one Static), the floor every Textual app pays;
- a cursor key (`j`, written to the pty like a keyboard) → the frame whose detail
  pane shows the new paper (its unique ``file:line``), p50/p90 over N moves;
- peak memory (VmHWM) of the app process.

    python bench/bench_tui.py                 # seed (if present), 100, 10k, 100k papers
    python bench/bench_tui.py --sizes 1000    # just one size

Prints numbers; asserts nothing. Targets (issue 3): first titles within 1.5x the bare
floor for the seed; at 100k first frame within 0.4 s and first titles before loading
finishes; cursor move p50 <= 40 ms, p90 <= 60 ms at 100k; peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.gen_digest import default_path, generate  # noqa: E402
from digest_parser import load  # noqa: E402

SEED = REPO.parent / "shared" / "seed" / "000_d0c6732df6c45d95.txt"
COLS, ROWS = 120, 35
CONTROL = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-APP-READY")
Bare().run()
"""


class PtyApp:
    """A program on a pseudo-terminal, with its output as plain text."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        env.pop("CI", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.raw = bytearray()
        self.text = ""

    def wait_for(self, needle: str, timeout: float = 120.0, start: int = 0) -> float | None:
        """Seconds since start when *needle* first appears in the output (after offset *start*)."""
        deadline = time.perf_counter() + timeout
        while True:
            index = self.text.find(needle, start)
            if index >= 0:
                return time.perf_counter() - self.started
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    return None
                self.raw += chunk
                self.text = CONTROL.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def peak_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else None

    def close(self) -> None:
        try:
            self.send(b"q")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def bare_floor(runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_APP)
        for _ in range(runs):
            app = PtyApp([sys.executable, str(script)], Path(tmp))
            seconds = app.wait_for("BARE-APP-READY")
            app.close()
            if seconds is not None:
                times.append(seconds)
    return statistics.median(times)


def bench_file(label: str, path: Path, moves: int) -> dict[str, object]:
    digest = load(str(path))
    papers = digest.papers
    first_title = papers[0].title[:24]
    total = len(papers)
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DIGEST_READER_DATA_DIR"] = data_dir
        app = PtyApp([sys.executable, "-m", "tui", path.name], path.parent)
        first_frame = app.wait_for("papers")
        first_title_at = app.wait_for(first_title)
        loaded_at = app.wait_for(f"{total}/{total} papers")
        offset = len(app.text)
        latencies = []
        for number in range(1, min(moves, total - 1) + 1):
            marker = f"{path.name}:{papers[number].line}"
            app.text = app.text[-2000:]
            app.raw = bytearray(app.raw[-2000:])
            sent = time.perf_counter()
            app.send(b"j")
            seen = app.wait_for(marker, timeout=10, start=max(0, len(app.text) - 200))
            if seen is None:
                break
            latencies.append((time.perf_counter() - sent) * 1000)
        del offset
        peak = app.peak_rss_mb()
        app.close()
    latencies.sort()
    return {
        "label": label,
        "papers": total,
        "mb": path.stat().st_size / 1e6,
        "first_frame": first_frame,
        "first_titles": first_title_at,
        "loaded": loaded_at,
        "p50": statistics.median(latencies) if latencies else None,
        "p90": latencies[int(len(latencies) * 0.9) - 1] if len(latencies) >= 10 else None,
        "moves": len(latencies),
        "peak_mb": peak,
    }


def fmt(value: object, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 100_000])
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--bare-runs", type=int, default=3)
    args = parser.parse_args()

    floor = bare_floor(args.bare_runs)
    print(f"bare Textual app, first frame (median of {args.bare_runs}): {floor:.3f} s")
    inputs: list[tuple[str, Path]] = []
    if SEED.exists():
        inputs.append(("seed", SEED))
    for size in args.sizes:
        path = default_path(size)
        if not path.exists():
            generate(path, size)
        inputs.append((f"{size} papers", path))

    header = f"{'input':<14}{'MB':>8}{'frame s':>9}{'titles s':>10}{'x floor':>9}{'loaded s':>10}{'move p50':>10}{'p90 ms':>8}{'peak MB':>9}"
    print(header)
    print("-" * len(header))
    for label, path in inputs:
        result = bench_file(label, path, args.moves)
        ratio = result["first_titles"] / floor if result["first_titles"] else None
        print(
            f"{label:<14}{fmt(result['mb'], digits=1):>8}{fmt(result['first_frame']):>9}"
            f"{fmt(result['first_titles']):>10}{fmt(ratio):>9}{fmt(result['loaded']):>10}"
            f"{fmt(result['p50'], digits=1):>10}{fmt(result['p90'], digits=1):>8}{fmt(result['peak_mb'], digits=0):>9}"
        )
    print("targets: titles <= 1.5x floor (seed); at 100k frame <= 0.4 s, titles before loaded,"
          " move p50 <= 40 ms / p90 <= 60 ms, peak < 300 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
