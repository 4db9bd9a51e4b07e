"""Reading digest files: what is refused, how, and that both read paths agree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from digest_parser import reading
from digest_parser.reading import DigestDataError, DigestReadError


def _write(tmp_path: Path, data: bytes, name: str = "d.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _all_ways(path: str, chunk_bytes: int = 3) -> list[str]:
    """read_text, and the streamed chunks, lines and line batches joined back."""
    batches = list(reading.iter_line_batches(path, chunk_bytes))
    assert all(batch.lines for batch in batches), "an empty batch would read as an extra line"
    return [
        reading.read_text(path),
        "\n".join(reading.iter_chunks(path, chunk_bytes)),
        "\n".join(reading.iter_lines(path, chunk_bytes)),
        "\n".join(line for batch in batches for line in batch.lines),
    ]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\nb\n", "a\nb\n"),
        (b"\xef\xbb\xbfa\r\nb", "a\nb"),  # BOM dropped, CRLF
        (b"a\rb\r\rc", "a\nb\n\nc"),  # old Mac CR
        (b"a\r\n\r\nb\r", "a\n\nb\n"),
        ("caf\u00e9 \u2014 \u00e0".encode(), "caf\u00e9 \u2014 \u00e0"),
        (b"", ""),
        (b"\xef\xbb\xbf", ""),
    ],
)
def test_decoding_and_newlines(tmp_path: Path, data: bytes, text: str) -> None:
    path = _write(tmp_path, data)
    for chunk_bytes in (1, 2, 5, reading.CHUNK_BYTES):
        assert _all_ways(path, chunk_bytes) == [text, text, text, text]


def test_only_newline_splits_lines(tmp_path: Path) -> None:
    # VT, FF, NEL, U+2028 are not line ends (str.splitlines would split on them).
    path = _write(tmp_path, "a\x0bb\x0cc\u0085d\u2028e\nf".encode())
    assert list(reading.iter_lines(path)) == ["a\x0bb\x0cc\u0085d\u2028e", "f"]


def test_invalid_utf8_names_line_offset_and_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, b"first line\r\nsecond \xe9 line\n", "x.txt")
    for read in (reading.read_text, lambda p: "\n".join(reading.iter_lines(p, 4))):
        with pytest.raises(DigestDataError) as caught:
            read(path)
        assert str(caught.value).endswith(
            "x.txt: line 2: not valid UTF-8 (byte 0xe9 at offset 19); re-save the file as UTF-8"
        )
        assert caught.value.line == 2
        assert caught.value.exit_code == reading.EX_DATAERR


def test_truncated_utf8_at_end_of_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"ok\n\xe2\x82")
    with pytest.raises(DigestDataError, match=r"line 2: not valid UTF-8 \(byte 0xe2 at offset 3\)"):
        reading.read_text(path)
    with pytest.raises(DigestDataError, match=r"line 2: not valid UTF-8 \(byte 0xe2 at offset 3\)"):
        list(reading.iter_chunks(path, 1))


def test_nul_in_first_8k_is_binary_and_later_nul_is_text(tmp_path: Path) -> None:
    binary = _write(tmp_path, b"x" * 8000 + b"\x00" + b"y" * 10, "bin.dat")
    with pytest.raises(DigestDataError, match=r"bin\.dat: looks like a binary file \(NUL byte at offset 8000\)"):
        reading.read_text(binary)
    with pytest.raises(DigestDataError, match="binary"):
        list(reading.iter_lines(binary, 7))
    late = _write(tmp_path, b"x" * 9000 + b"\x00", "late.txt")
    assert reading.read_text(late).endswith("\x00")  # left to the sanitiser, which makes it U+FFFD


def test_utf16_is_refused_as_binary(tmp_path: Path) -> None:
    path = _write(tmp_path, "hello".encode("utf-16"))
    with pytest.raises(DigestDataError, match="binary"):
        reading.read_text(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DigestReadError) as caught:
        reading.read_text(str(tmp_path / "nope.txt"))
    assert "nope.txt: no such file" in str(caught.value)
    assert caught.value.exit_code == reading.EX_NOINPUT
    assert not isinstance(caught.value, DigestDataError)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DigestReadError, match="is a directory"):
        reading.read_text(str(tmp_path))
    with pytest.raises(DigestReadError, match="is a directory"):
        list(reading.iter_lines(str(tmp_path)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A plain open() would block here forever: nobody writes to the FIFO.
    with pytest.raises(DigestReadError, match="is a FIFO, not a regular file"):
        reading.read_text(str(fifo))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_is_refused() -> None:
    with pytest.raises(DigestReadError, match="is a device"):
        reading.read_text("/dev/zero")


def test_size_cap_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, b"a" * 100)
    monkeypatch.setenv(reading.MAX_BYTES_ENV, "99")
    with pytest.raises(DigestDataError, match=f"larger than the 99 byte limit.*{reading.MAX_BYTES_ENV}"):
        reading.read_text(path)
    with pytest.raises(DigestDataError, match="larger than"):
        list(reading.iter_chunks(path, 10))
    monkeypatch.setenv(reading.MAX_BYTES_ENV, "100")
    assert len(reading.read_text(path)) == 100
    monkeypatch.setenv(reading.MAX_BYTES_ENV, "junk")
    assert reading.max_bytes() == reading.DEFAULT_MAX_BYTES


def test_stdin_is_read_and_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(b"from\r\nstdin")
    with source.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", handle)
        assert reading.read_text("-") == "from\nstdin"
    with source.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", handle)
        monkeypatch.setenv(reading.MAX_BYTES_ENV, "5")
        with pytest.raises(DigestDataError, match="standard input: is larger than"):
            reading.read_text("-")


def test_hostile_file_name_is_escaped_in_the_message(tmp_path: Path) -> None:
    name = "evil\x1b]52;c;cGF5bG9hZA==\x07\u202e.txt"
    with pytest.raises(DigestReadError) as caught:
        reading.read_text(str(tmp_path / name))
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "evil\\x1b]52;c;cGF5bG9hZA==\\x07\\u202e.txt: no such file" in message
    assert caught.value.path.endswith(name)  # the raw path stays available to callers


def test_undecodable_file_name_byte_is_shown_as_hex() -> None:
    assert reading.display_path("caf\udce9.txt") == "caf\\xe9.txt"


_MANY_LINES = b"one\r\ntwo\rthree\n\n" * 50 + b"\r\n" + b"bad \xff byte\n"


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 7, 64, reading.CHUNK_BYTES])
def test_streamed_error_names_the_line_after_many_reads(tmp_path: Path, chunk_bytes: int) -> None:
    # The streamed line number is the lines read before plus the breaks before the
    # bad byte ("\r\n" split between two reads is one break).
    path = _write(tmp_path, b"\xef\xbb\xbf" + _MANY_LINES)
    with pytest.raises(DigestDataError) as whole:
        reading.read_text(path)
    with pytest.raises(DigestDataError) as streamed:
        list(reading.iter_chunks(path, chunk_bytes))
    assert str(streamed.value) == str(whole.value)
    assert whole.value.line == 4 * 50 + 2


@pytest.mark.parametrize("chunk_bytes", [1, 5, reading.CHUNK_BYTES])
def test_streamed_error_from_a_pipe_names_the_line(monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> None:
    # The same from a pipe, which cannot be read twice.
    read_end, write_end = os.pipe()
    os.write(write_end, _MANY_LINES)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        monkeypatch.setattr(sys, "stdin", pipe)
        with pytest.raises(DigestDataError) as streamed:
            list(reading.iter_chunks("-", chunk_bytes))
    offset = len(_MANY_LINES) - len(b"\xff byte\n")
    assert str(streamed.value) == (
        f"standard input: line {4 * 50 + 2}: not valid UTF-8 (byte 0xff at offset {offset}); re-save the file as UTF-8"
    )
