"""Reading digest files: bounded, refusing what is not a text file.

Every digest is untrusted, and so is its path. The rules (docs/formats.md, "Reading files"):

- only regular files and standard input (``-``) are read. Directories, FIFOs,
  sockets and devices are refused; the file is opened with ``O_NONBLOCK`` and
  checked with ``fstat`` first, because a plain ``open()`` of a FIFO blocks;
- a read never takes more than :func:`max_bytes` bytes (256 MiB, or the env
  variable ``DIGEST_READER_MAX_BYTES``), because ``/proc`` files and pipes
  report a size of 0 and ``/dev/stdin`` may be endless;
- a NUL byte in the first 8 KB means a binary file (git's ``buffer_is_binary``
  rule); a NUL further on is left to the sanitiser, which makes it U+FFFD;
- the text is strict UTF-8, with or without BOM. Invalid bytes stop the read
  with the line, the offset and the byte, so the user can fix the file;
- ``\\r\\n`` and lone ``\\r`` become ``\\n``. Lines are split on ``\\n`` only,
  never with ``str.splitlines`` (which also splits on VT, FF, NEL, U+2028…).

Two ways to read: :func:`read_text` returns the whole text;
:func:`iter_line_batches` (and :func:`iter_chunks`, :func:`iter_lines`) stream
it from 1 MiB reads, so a 190 MB digest is never held twice.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from digest_parser.sanitize import is_clean

EX_DATAERR = 65
"""Exit status for a file that was read but holds bad data (sysexits.h)."""
EX_NOINPUT = 66
"""Exit status for a file that is missing or cannot be read (sysexits.h)."""

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_BYTES_ENV = "DIGEST_READER_MAX_BYTES"
BINARY_SNIFF_BYTES = 8192
CHUNK_BYTES = 1 << 20
STDIN = "-"


class DigestReadError(Exception):
    """A digest that cannot be read or decoded. ``str(err)`` is one line for stderr:
    ``file: line N: what is wrong; what to do``. The path is shown with control
    and format characters escaped, so a hostile file name cannot act on a terminal."""

    exit_code: int = EX_NOINPUT
    """Process exit status for this error (66: missing or unreadable)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = display_path(self.path)
        where = f"{shown}: line {self.line}: " if self.line else f"{shown}: "
        return where + self.message


class DigestDataError(DigestReadError):
    """The file was read but is not a usable text digest (binary, not UTF-8, too large)."""

    exit_code = EX_DATAERR


def display_path(path: str) -> str:
    """*path* safe for a terminal: control, format and line-separator characters
    (and lone surrogates from undecodable file names) become visible escapes."""
    if path == STDIN:
        return "standard input"
    if is_clean(path, one_line=True):
        return path
    return "".join(ch if is_clean(ch, one_line=True) else _escape(ch) for ch in path)


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def max_bytes() -> int:
    """The read cap in bytes: ``DIGEST_READER_MAX_BYTES`` when it holds a positive
    integer, else 256 MiB."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return DEFAULT_MAX_BYTES


def read_bytes(path: str) -> bytearray:
    """The raw bytes of *path* (``-``: standard input), at most :func:`max_bytes`.

    Raises:
        DigestReadError: missing, unreadable, not a regular file, too large, or
            binary (a NUL in the first 8 KB, checked before reading the rest, so
            ``/dev/zero`` piped in is refused at once).
    """
    with _open_binary(path) as stream:
        reader = _BoundedReader(path, stream)
        # A bytearray grows in place (realloc), where joining chunks would
        # briefly hold the file twice.
        data = bytearray(reader.head())
        while chunk := reader.read(CHUNK_BYTES):
            data += chunk
    return data


def decode_bytes(data: bytes | bytearray, path: str) -> str:
    """Decode a whole digest: refuse binary, strict UTF-8 (BOM dropped), newlines to ``\\n``.

    Raises:
        DigestDataError: binary data or invalid UTF-8 (with line, offset and byte).
    """
    _refuse_binary(data[:BINARY_SNIFF_BYTES], 0, path)
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        # memoryview: no copy of a 190 MB buffer just to drop three BOM bytes.
        text = str(memoryview(data)[skip:], "utf-8")
    except UnicodeDecodeError as error:
        offset = skip + error.start
        raise _not_utf8(path, data[skip:offset], offset, data[offset]) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: str) -> str:
    """The decoded text of the digest at *path* (``-``: standard input).

    Raises:
        DigestReadError: the file cannot be read (exit 66) or, as
            :class:`DigestDataError`, is not a UTF-8 text file (exit 65).
    """
    return decode_bytes(read_bytes(path), path)


class LineBatch(NamedTuple):
    """The lines one read completed: decoded, newline-normalised, without their ``\\n``."""

    lines: list[str]
    controls: bool
    """Whether the bytes they came from may hold an ASCII control character
    (tab, ESC, NUL…; line breaks aside). When not, each ASCII line of the batch
    is clean as it is, and a parser need not check it again: one C-level pass
    over each read costs less than a check of every title and abstract."""


def iter_line_batches(path: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[LineBatch]:
    """Stream the lines of the digest at *path*, without their ``\\n``, in
    batches: the lines each read of *chunk_bytes* completes.

    ``[line for batch in iter_line_batches(p) for line in batch.lines] ==
    read_text(p).split("\\n")`` for every input, errors included. Only about
    *chunk_bytes* of the file is held at a time (plus a line longer than that),
    so a 190 MB digest is never in memory twice.

    Raises:
        DigestReadError: as :func:`read_text`, when the bad part is reached.
    """
    with _open_binary(path) as stream:
        yield from _LineDecoder(path, stream, chunk_bytes).batches()


def iter_chunks(path: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[str]:
    """Stream the decoded text of *path* in pieces of whole lines.

    Each piece is one or more complete lines joined by ``\\n`` (no trailing
    ``\\n``), and ``"\\n".join(iter_chunks(p)) == read_text(p)`` for every input,
    errors included. Memory as :func:`iter_line_batches`.

    Raises:
        DigestReadError: as :func:`read_text`, when the bad part is reached.
    """
    for batch in iter_line_batches(path, chunk_bytes):
        yield "\n".join(batch.lines)


def iter_lines(path: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[str]:
    """Stream the lines of the digest at *path*, without their ``\\n``:
    ``"\\n".join(iter_lines(p)) == read_text(p)``.

    Raises:
        DigestReadError: as :func:`read_text`, when the bad part is reached.
    """
    for batch in iter_line_batches(path, chunk_bytes):
        yield from batch.lines


class _BoundedReader:
    """Reads a stream while enforcing the size cap and the binary check."""

    def __init__(self, path: str, stream: BinaryIO) -> None:
        self.path = path
        self.stream = stream
        self.limit = max_bytes()
        self.consumed = 0

    def head(self) -> bytes:
        """The first 8 KB (less at end of file), refused when it holds a NUL.

        Pipes return a few bytes at a time, so this gathers the whole window
        before anything is decoded: the binary check always comes first.
        """
        pieces = []
        size = 0
        while size < BINARY_SNIFF_BYTES:
            piece = self._raw_read(BINARY_SNIFF_BYTES - size)
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
        head = b"".join(pieces)
        _refuse_binary(head, 0, self.path)
        self._count(len(head))
        return head

    def read(self, size: int) -> bytes:
        """Up to *size* bytes; raises once more than the cap has been read."""
        data = self._raw_read(size)
        self._count(len(data))
        return data

    def _raw_read(self, size: int) -> bytes:
        try:
            return self.stream.read(size)
        except OSError as error:
            raise DigestReadError(self.path, f"cannot read ({error.strerror or error}); check the file") from None

    def _count(self, size: int) -> None:
        self.consumed += size
        if self.consumed > self.limit:
            raise _too_large(self.path, self.limit)


class _LineDecoder:
    """Streaming version of :func:`decode_bytes` that yields the lines of each read.

    The bytes read are split at ``\\n`` and each complete line is decoded on its
    own (a line break byte is never inside a UTF-8 sequence); the unfinished
    last line waits, as bytes, for the next read. That is faster than decoding
    a 1 MiB chunk and splitting it: a chunk holding one character beyond
    Latin-1 decodes to two bytes a character, and every line cut from it is
    narrowed back. The lines yielded
    so far also give an error message its line number for free.
    """

    def __init__(self, path: str, stream: BinaryIO, chunk_bytes: int) -> None:
        self.path = path
        self.reader = _BoundedReader(path, stream)
        self.chunk_bytes = max(1, chunk_bytes)
        self.fed = 0  # file offset just past the bytes read so far
        self.pending: list[bytes] = []  # the unfinished last line, in pieces (it may span many reads)
        self.pending_offset = 0  # file offset where it starts
        self.pending_controls = False  # the read it came from held a control character
        self.lines_done = 0  # lines yielded so far

    def batches(self) -> Iterator[LineBatch]:
        for raw in self._raw_chunks():
            # (A control byte of raw may end up in the pending line: it is flagged too.)
            controls = self.pending_controls or _has_controls(raw)
            self.pending_controls = controls
            if b"\r" in raw or (self.pending and self.pending[-1].endswith(b"\r")):
                lines = self._take_with_carriage_returns(raw)
            else:
                lines = self._take(raw)
            if lines:
                self.lines_done += len(lines)
                self.pending_controls = _has_controls(self.pending[0]) if controls else False
                yield LineBatch(lines, controls)
        data = b"".join(self.pending)
        # A "\r" still held back ends the last line: no "\n" came after it.
        yield LineBatch(self._decode(_normalise_breaks(data).split(b"\n"), data), self.pending_controls)

    def _raw_chunks(self) -> Iterator[bytes]:
        """The file's bytes after the BOM, in pieces of at most chunk_bytes."""
        head = self.reader.head()
        self.fed = self.pending_offset = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        for offset in range(self.fed, len(head), self.chunk_bytes):
            piece = head[offset : offset + self.chunk_bytes]
            self.fed += len(piece)
            yield piece
        while chunk := self.reader.read(self.chunk_bytes):
            self.fed += len(chunk)
            yield chunk

    def _take(self, raw: bytes) -> list[str]:
        """The lines *raw* completes (it holds no "\\r"), decoded."""
        parts = raw.split(b"\n")
        if len(parts) == 1:
            self.pending.append(raw)
            return []
        if self.pending:
            self.pending.append(parts[0])
            parts[0] = b"".join(self.pending)
        rest = parts.pop()
        lines = self._decode(parts, None)
        self.pending = [rest]
        self.pending_offset = self.fed - len(rest)
        return lines

    def _take_with_carriage_returns(self, raw: bytes) -> list[str]:
        """:meth:`_take` for bytes with "\\r\\n" or "\\r" line breaks."""
        data = b"".join([*self.pending, raw])
        # A "\r" at the very end stays pending: a "\n" may follow in the next read.
        complete = len(data) - 1 if data.endswith(b"\r") else len(data)
        parts = _normalise_breaks(data[:complete]).split(b"\n")
        rest = parts.pop()  # (it holds no break, so it is also the original bytes)
        rest_start = complete - len(rest)
        if not parts:
            self.pending = [data]
            return []
        lines = self._decode(parts, data[:rest_start])
        self.pending = [data[rest_start:]]
        self.pending_offset += rest_start
        return lines

    def _decode(self, parts: list[bytes], original: bytes | None) -> list[str]:
        """*parts* decoded; *original* is their bytes as read (None: the parts
        joined with "\\n"), starting at self.pending_offset, for an error message."""
        try:
            return list(map(bytes.decode, parts))
        except UnicodeDecodeError:
            pass
        if original is None:
            original = b"\n".join(parts)
        try:
            str(original, "utf-8")
        except UnicodeDecodeError as error:
            line = self.lines_done + _count_breaks(original[: error.start]) + 1
            raise _not_utf8_at(self.path, line, self.pending_offset + error.start, original[error.start]) from None
        raise AssertionError("a line did not decode, but its bytes did")  # pragma: no cover


# Every byte but the ASCII control characters; "\n" and "\r" are line breaks.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if (0x20 <= b != 0x7F) or b in b"\n\r")


def _has_controls(data: bytes) -> bool:
    return bool(data.translate(None, _NOT_CONTROL_BYTES))


def _normalise_breaks(data: bytes) -> bytes:
    """"\\r\\n" and a lone "\\r" become "\\n"."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data


def _count_breaks(data: bytes | bytearray) -> int:
    """Line breaks in raw bytes: "\r\n", "\r" and "\n" count one each."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _open_binary(path: str) -> BinaryIO:
    """Open *path* for binary reading, refusing anything but a regular file."""
    if path == STDIN:
        # Read a duplicate descriptor, so closing it leaves standard input open.
        try:
            return os.fdopen(os.dup(sys.stdin.fileno()), "rb")
        except (AttributeError, OSError, ValueError):
            raise DigestReadError(path, "standard input is closed; pipe a digest into the command") from None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DigestReadError(path, "no such file; check the path") from None
    except PermissionError:
        raise DigestReadError(path, "permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise DigestReadError(path, "is a directory; give a digest file inside it") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DigestReadError(path, f"cannot open ({reason}); check the path") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DigestReadError(path, "is a directory; give a digest file inside it")
        if not stat.S_ISREG(mode):
            raise DigestReadError(path, f"is a {_kind(mode)}, not a regular file; save the digest to a file, or pipe it to '-'")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse_binary(head: bytes | bytearray, base: int, path: str) -> None:
    nul = head.find(b"\x00")
    if nul >= 0:
        raise DigestDataError(path, f"looks like a binary file (NUL byte at offset {base + nul}); give a text digest")


def _too_large(path: str, limit: int) -> DigestDataError:
    return DigestDataError(
        path, f"is larger than the {limit:,} byte limit; split it, or raise {MAX_BYTES_ENV} to read it"
    )


def _not_utf8(path: str, before: bytes | bytearray, offset: int, byte: int) -> DigestDataError:
    return _not_utf8_at(path, _count_breaks(before) + 1, offset, byte)


def _not_utf8_at(path: str, line: int, offset: int, byte: int) -> DigestDataError:
    return DigestDataError(
        path, f"not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); re-save the file as UTF-8", line=line
    )
