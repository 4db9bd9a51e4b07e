"""What every torture case shares: its result record, child processes, and the checks on files.

Each case runs its children with their own data directory in the environment,
so nothing here can read or write the bookmarks of whoever runs the suite.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
WORKER = Path(__file__).resolve().parent / "worker.py"
TRACEBACK = "Traceback (most recent call last)"
CHILD_TIMEOUT = 120.0
"""Seconds any one child may take before the case gives up on it (a hang is a finding, not a wait)."""


@dataclass
class CaseResult:
    """The figures of one case, as the summary table prints them."""

    group: str
    """Which part of the suite: kills, concurrency, corrupt, hostile, orphan."""
    case: str
    runs: int = 0
    broken_files: int = 0
    """Files that no longer load strictly, or that a later start quarantined."""
    lost_changes: int = 0
    """Changes a child reported as done that the file does not hold afterwards."""
    temp_after_kill: int = 0
    """Temporary files seen right after the kills (summed over runs)."""
    temp_after_start: int = 0
    """Temporary files still there once the next start has loaded the store."""
    messages_ok: int = 0
    messages_checked: int = 0
    tracebacks: int = 0
    originals_lost: int = 0
    """Runs after which no file in reach held the store's original bytes any more."""
    exits_ok: int = 0
    exits_checked: int = 0
    touched: int = 0
    """Files that must be left alone (a symlink's target, a read-only or newer-version
    file) but were renamed, replaced or rewritten."""
    skipped: str | None = None
    """Why the case did not run (no tmpfs, not root…), or None."""
    problems: list[str] = field(default_factory=list)
    """One line per thing that went against the documented behaviour."""
    figures: dict[str, str] = field(default_factory=dict)
    """Extra measured values (orphan: seconds to exit, CPU)."""
    messages: list[str] = field(default_factory=list)
    """What the user was told, ``door: message``, for ``--verbose``."""

    def note(self, problem: str) -> None:
        """Record one deviation (kept short: the table shows the first few)."""
        self.problems.append(problem)

    def check_messages(self, ok: bool, problem: str) -> None:
        self.messages_checked += 1
        if ok:
            self.messages_ok += 1
        else:
            self.note(problem)

    def check_exit(self, got: int, expected: Iterable[int], what: str) -> None:
        allowed = tuple(expected)
        self.exits_checked += 1
        if got in allowed:
            self.exits_ok += 1
        else:
            self.note(f"{what}: exit {got}, documented {'/'.join(map(str, allowed))}")

    @property
    def clean(self) -> bool:
        """Nothing broken, lost or shown as a traceback (what --strict requires); a skipped case is not a failure."""
        return self.skipped is not None or (
            not self.broken_files
            and not self.lost_changes
            and not self.tracebacks
            and not self.originals_lost
            and not self.touched
            and self.messages_ok == self.messages_checked
            and self.exits_ok == self.exits_checked
            and not self.problems
        )


# --------------------------------------------------------------------------- children


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child: this checkout importable, the data directory isolated."""
    env = dict(os.environ)
    env.pop("DIGEST_READER_BOOKMARKS", None)
    env.update(
        DIGEST_READER_DATA_DIR=str(data_dir),
        XDG_DATA_HOME=str(data_dir / "xdg"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


@dataclass(frozen=True)
class Finished:
    """A child that ran to its end."""

    status: int
    stdout: bytes
    stderr: bytes

    @property
    def traceback(self) -> bool:
        return TRACEBACK.encode() in self.stdout or TRACEBACK.encode() in self.stderr

    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.decode("utf-8", "replace").splitlines() if line.strip()]


def run_cli(args: Sequence[str], data_dir: Path, *, stdin: bytes | None = None) -> Finished:
    """``python -m tui ARGS`` (the ``digest-reader`` command) with an isolated data directory."""
    completed = subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=REPO,
        env=child_env(data_dir),
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    return Finished(completed.returncode, completed.stdout, completed.stderr)


def start_worker(args: Sequence[str], data_dir: Path, *, stdin: bool = False) -> subprocess.Popen[bytes]:
    """A ``worker.py`` child; read its stdout with :class:`LineReader`."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        cwd=REPO,
        env=child_env(data_dir),
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# --------------------------------------------------------------------------- files


def temp_files(directory: Path) -> list[str]:
    """Temporary files a writer left in *directory* (any name with a ``.tmp`` part)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(name for name in names if name.endswith(".tmp") or ".tmp." in name)


def quarantined(path: Path) -> list[Path]:
    """Files the store moved aside for *path* (``<name>.corrupt-…``)."""
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def strictly_readable(raw: bytes, top: str, shape: type) -> bool:
    """True when *raw* is a store document of the version the store writes, whose *top* field has *shape*."""
    from tui.stores import bookmarks, readstate

    written = {"bookmarks": bookmarks.FORMAT_VERSION, "read": readstate.FORMAT_VERSION}[top]
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("version") == written and isinstance(document.get(top), shape)


def holders_of(content: bytes, roots: Iterable[Path]) -> list[Path]:
    """Regular files under *roots* (not following links) whose bytes are exactly *content*."""
    found: list[Path] = []
    for root in roots:
        if not root.exists():
            continue
        for directory, _dirs, names in os.walk(root):
            for name in names:
                candidate = Path(directory) / name
                try:
                    if candidate.is_symlink() or candidate.stat().st_size != len(content):
                        continue
                    if candidate.read_bytes() == content:
                        found.append(candidate)
                except OSError:
                    continue
    return found


@dataclass(frozen=True)
class FileState:
    """Everything that says a file was left alone: same inode, bytes, mode and times."""

    inode: int
    mode: int
    mtime_ns: int
    content: bytes

    @classmethod
    def of(cls, path: Path) -> FileState | None:
        try:
            info = os.lstat(path)
            return cls(info.st_ino, info.st_mode, info.st_mtime_ns, path.read_bytes())
        except OSError:
            return None


def one_line_messages(lines: Sequence[str], prefix: str) -> tuple[bool, str]:
    """Check CLI stderr: every line is one prefixed message, and they say one thing.

    A warning and an error carrying the same text (a read-only store refusing an
    import) count as one message.

    Returns:
        ``(ok, why_not)``.
    """
    if not lines:
        return False, "no message"
    texts = set()
    for line in lines:
        if not line.startswith(prefix):
            return False, f"unprefixed line: {line[:80]!r}"
        body = line[len(prefix) :]
        for kind in ("warning: ", "error: "):
            if body.startswith(kind):
                body = body[len(kind) :]
        texts.add(body)
    if len(texts) != 1:
        return False, f"{len(texts)} different messages: " + " | ".join(sorted(t[:60] for t in texts))
    return True, ""


class LineReader:
    """Lines from a child's stdout pipe, read with a deadline (a hung child must not hang the suite)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self._fd = process.stdout.fileno()
        self._pending = b""
        self.lines: list[str] = []
        self.closed = False

    def _take(self, chunk: bytes) -> None:
        self._pending += chunk
        *complete, self._pending = self._pending.split(b"\n")
        self.lines += [line.decode("utf-8", "replace") for line in complete]

    def until(self, predicate: Callable[[str], bool], timeout: float) -> bool:
        """Read until a line satisfies *predicate*; False on timeout or end of output."""
        if any(predicate(line) for line in self.lines):
            return True
        deadline = time.monotonic() + timeout
        while not self.closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if not ready:
                continue
            seen = len(self.lines)
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self.closed = True
                break
            self._take(chunk)
            if any(predicate(line) for line in self.lines[seen:]):
                return True
        return False

    def drain(self) -> list[str]:
        """Read everything left (call once the child is dead); returns all lines."""
        while not self.closed:
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self.closed = True
            self._take(chunk)
        if self._pending:
            self.lines.append(self._pending.decode("utf-8", "replace"))
            self._pending = b""
        return self.lines
