"""`digest-reader parse` run as a real process: output, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf_page"
EX_USAGE, EX_DATAERR, EX_NOINPUT = 2, 65, 66


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "parse", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or REPO,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], status: int, *needles: str) -> str:
    assert result.returncode == status, result.stderr
    assert result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and message.endswith("\n"), message
    assert "Traceback" not in message
    for needle in needles:
        assert needle in message, message
    return message


def test_success_prints_one_json_object() -> None:
    result = run(str(FIXTURES / "plain_copy.txt"))
    assert result.returncode == 0 and result.stderr == b""
    data = json.loads(result.stdout.decode("utf-8"))
    assert set(data) == {"format", "source", "date", "papers", "problems"}
    assert data["format"] == "hf-page" and data["date"] == "Mar 14"
    assert [paper["title"][:6] for paper in data["papers"]] == ["Heron:", "Marsh:", "Quorum"]
    assert data["papers"][0]["code_url"] == "https://github.com/heron-lab/heron"


def test_several_paths_give_one_merged_object() -> None:
    result = run(str(FIXTURES / "plain_copy.txt"), str(FIXTURES / "problems.txt"))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert len(data["papers"]) == 5
    assert len(data["problems"]) == 4
    assert data["source"] == f"{FIXTURES / 'plain_copy.txt'}, {FIXTURES / 'problems.txt'}"
    assert [paper["source"] for paper in data["papers"]].count(str(FIXTURES / "problems.txt")) == 2


def test_stdin_dash() -> None:
    result = run("-", stdin=(FIXTURES / "crlf.txt").read_bytes())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == "-" and data["papers"][0]["title"] == "Heron: Speculative Draft Scheduling"


def test_forced_format() -> None:
    result = run("--format", "hf-page", str(FIXTURES / "markup.txt"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["papers"][0]["title"] == "[CLS] Pooling Is All You Need [/]"


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert b"digest-reader parse" in result.stdout and b"hf-page" in result.stdout


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "gone.txt")), EX_NOINPUT, "gone.txt: no such file")


def test_missing_file_among_good_ones_prints_nothing(tmp_path: Path) -> None:
    result = run(str(FIXTURES / "plain_copy.txt"), str(tmp_path / "gone.txt"))
    assert_one_line_error(result, EX_NOINPUT, "gone.txt")


def test_directory(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path)), EX_NOINPUT, "is a directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_line_error(run(str(fifo)), EX_NOINPUT, "is a FIFO")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device() -> None:
    assert_one_line_error(run("/dev/zero"), EX_NOINPUT, "/dev/zero: is a device")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_stdin_is_refused_at_once() -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "parse", "-"], stdin=zero, capture_output=True, cwd=REPO, timeout=60
        )
    assert_one_line_error(result, EX_DATAERR, "standard input: looks like a binary file")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run(str(path)), EX_DATAERR, "image.png: looks like a binary file")


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("new\n\nTitle\n\nCaf\u00e9 abstract.\n".encode("latin-1"))
    assert_one_line_error(
        run(str(path)), EX_DATAERR, "latin1.txt: line 5: not valid UTF-8 (byte 0xe9 at offset 15)", "re-save"
    )


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n\n" + b"word " * 100)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "parse", str(path)],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        env={**os.environ, "DIGEST_READER_MAX_BYTES": "100"},
    )
    assert_one_line_error(result, EX_DATAERR, "big.txt: is larger than the 100 byte limit", "DIGEST_READER_MAX_BYTES")


def test_file_name_with_escape_sequence(tmp_path: Path) -> None:
    name = "x\x1b]0;PWNED\x07\x1b[2J.txt"
    message = assert_one_line_error(run(str(tmp_path / name)), EX_NOINPUT, "no such file")
    assert "\x1b" not in message and "\x07" not in message
    assert "x\\x1b]0;PWNED\\x07\\x1b[2J.txt" in message


def test_file_name_with_escape_sequence_in_json(tmp_path: Path) -> None:
    path = tmp_path / "ok\x1b[31m.txt"
    path.write_bytes((FIXTURES / "plain_copy.txt").read_bytes())
    result = run(str(path))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and b"\\u001b" not in result.stdout


def test_unknown_format() -> None:
    result = run("--format", "nope", str(FIXTURES / "plain_copy.txt"))
    assert result.returncode == EX_USAGE and result.stdout == b""
    assert b"invalid choice: 'nope'" in result.stderr and b"Traceback" not in result.stderr


def test_no_path_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == EX_USAGE and result.stdout == b"" and b"PATH" in result.stderr


def test_main_returns_status_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli_parse import main

    assert main(["--format", "nope", "x"]) == EX_USAGE
    assert main(["-", "-"]) == EX_USAGE
    assert "only once" in capsys.readouterr().err
