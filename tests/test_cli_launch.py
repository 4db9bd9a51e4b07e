"""`digest-reader PATH` refuses bad input with one line before any screen is drawn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.sources import demo_path

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, TERM="dumb"),
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stdout == ""  # nothing drawn: no alternate screen, no escape codes
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "nope.txt")), 66, "nope.txt", "no such file")


def test_binary_file() -> None:
    assert_one_line_error(run(str(HOSTILE / "binary_nul.txt")), 65, "binary_nul.txt")


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"Good title\n\nCaf\xe9 abstract that is not UTF-8.\n")
    assert_one_line_error(run(str(bad)), 65, "latin1.txt", "line 3", "0xe9")


def test_empty_directory(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path)), 66, "no digest files")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run(str(fifo))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1


def test_hostile_file_name_is_shown_safely(tmp_path: Path) -> None:
    name = "evil\x1b]0;PWNED\x07.txt"
    assert_one_line_error(run(str(tmp_path / name)), 66, "no such file")


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--format", "nonsense", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_piped_digest_without_a_terminal_is_refused_before_the_screen() -> None:
    """`digest-reader -` reads keys from the terminal once the pipe is read; with
    no terminal at all (no controlling tty) that is a one-line error, not a deaf app."""
    result = subprocess.run(
        [sys.executable, "-m", "tui", "-"],
        input="A Title\n\nAn abstract that ends like a sentence.\n",
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
        env=dict(os.environ, TERM="dumb"),
    )
    assert_one_line_error(result, 66, "standard input", "no terminal to read keys from")


def test_a_file_with_stdin_not_a_terminal_and_no_terminal_is_refused() -> None:
    """Standard input from /dev/null (a launcher, a cron job) and no terminal to read
    keys from: one line, not an app that is deaf and spins on end-of-file."""
    result = subprocess.run(
        [sys.executable, "-m", "tui", str(demo_path())],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
        env=dict(os.environ, TERM="dumb"),
    )
    assert_one_line_error(result, 66, "standard input", "no terminal to read keys from")
