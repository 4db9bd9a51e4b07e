"""Public entry points: parse text, load files.

`parse_text` is pure; `load`, `load_progressively`, `load_in_parts` and
`load_paths` are the only functions that read files (through
:mod:`digest_parser.reading`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Sequence

from digest_parser import formats
from digest_parser.formats.spec import FormatSpec, LineParsers
from digest_parser.gc_pause import gc_paused
from digest_parser.models import Digest, Problem
from digest_parser.reading import LineBatch, iter_line_batches, read_text

UNKNOWN = "unknown"
"""The :attr:`Digest.format` of text that no format recognised (``--format auto``)."""


class UnknownFormatError(ValueError):
    """Raised for a --format name that does not exist."""


def unknown_format_reason() -> str:
    """Why a digest in no known format was not read, naming every format tried."""
    return f"not a digest format I know (tried: {', '.join(formats.format_names())}); use --format to force one"


def parse_text(text: str, source: str = "-", format: str = formats.AUTO) -> Digest:
    """Parse decoded digest *text*. Never raises for any text.

    With ``format="auto"`` the format is detected; text no format recognises is
    parsed as a Hugging Face page copy, and a problem names the formats tried
    when that finds no paper either. The cyclic GC is paused meanwhile (see
    :mod:`digest_parser.gc_pause`).

    Raises:
        UnknownFormatError: *format* is not a registered format name.
    """
    with gc_paused():
        return _parse_text(text, source, format)


def _parse_text(text: str, source: str, format: str) -> Digest:
    if format == formats.AUTO:
        name = formats.detect(text)
        if name is None:
            digest = formats.get_spec(formats.FALLBACK).parse(text, source)
            if digest.papers or not text.strip():
                return digest
            problem = Problem(source, 1, unknown_format_reason())
            return Digest(format=UNKNOWN, source=source, problems=(problem, *digest.problems))
        format = name
    return _spec(format).parse(text, source)


def _spec(name: str) -> FormatSpec:
    try:
        return formats.get_spec(name)
    except KeyError:
        choices = ", ".join([formats.AUTO, *formats.format_names()])
        raise UnknownFormatError(f"unknown format {name!r}; choose one of: {choices}") from None


def load(path: str | os.PathLike[str], format: str = formats.AUTO) -> Digest:
    """Read and parse one digest file (``-`` is standard input).

    Formats that parse line by line (the HF page copy) get the file's lines
    streamed from 1 MiB reads (:func:`digest_parser.reading.iter_line_batches`),
    so a large digest is never in memory twice. The cyclic GC is paused while
    the file is parsed (see :mod:`digest_parser.gc_pause`).

    Raises :class:`digest_parser.reading.DigestReadError` when the file cannot
    be read or decoded, and :class:`UnknownFormatError` for an unknown *format*.
    """
    path = os.fspath(path)  # (a Path is welcome; the records name their source as a str)
    with gc_paused():
        if path == "-":
            return parse_text(read_text(path), source=path, format=format)
        streaming, batches = _open_lines(path, format)
        return _parse_opened(streaming, batches, path, format)


def _parse_opened(streaming: LineParsers | None, batches: Iterator[LineBatch], path: str, format: str) -> Digest:
    if streaming is not None:
        return streaming.parse_lines(batches, path)
    return parse_text(_joined(batches), source=path, format=format)


def load_progressively(path: str | os.PathLike[str], format: str = formats.AUTO) -> Iterator[Digest]:
    """Like :func:`load`, yielding partial Digests (complete papers only) while a
    large line-by-line format loads; the last one yielded is the whole digest.
    Other formats yield once.

    Raises :class:`digest_parser.reading.DigestReadError` as :func:`load`.
    """
    path = os.fspath(path)
    if path == "-":
        yield load(path, format)
        return
    streaming, batches = _open_lines(path, format)
    if streaming is not None:
        yield from streaming.parse_progressively(batches, path)
        return
    yield parse_text(_joined(batches), source=path, format=format)


class DigestInParts:
    """One digest file read in parts, as :func:`load_in_parts` opens it.

    Iterating gives the parts, once: each a :class:`Digest` holding the papers
    and problems found since the previous part; in order, they hold what
    :func:`load` returns. :attr:`format` and :attr:`source` are known at once;
    :meth:`settle_date` reads ahead as far as the digest's date needs.
    """

    def __init__(self, parts: Iterator[Digest], format: str, source: str) -> None:
        first = next(parts, None)
        if first is None:  # (a parse that yields nothing still gives one empty part)
            first = Digest(format=format, source=source)
        self.format = first.format
        """The digest's format name (``unknown`` when no format recognised it)."""
        self.source = first.source
        """The file, as the parser names it."""
        self._ahead = [first]
        self._parts = parts
        self._date = first.date
        self._date_settled = bool(first.papers)
        self._taken = False

    def settle_date(self) -> str | None:
        """The digest's date: parts are read ahead (and kept for the iteration)
        until one holds a paper, after which the date cannot change, or the
        digest ends. Raises :class:`DigestReadError` as the iteration does."""
        while not self._date_settled:
            part = next(self._parts, None)
            if part is None:
                self._date_settled = True
            else:
                self._ahead.append(part)
                self._date = part.date
                self._date_settled = bool(part.papers)
        return self._date

    def __iter__(self) -> Iterator[Digest]:
        if self._taken:
            raise RuntimeError("the parts of a digest can be read only once")
        self._taken = True
        return self._iterate()

    def _iterate(self) -> Iterator[Digest]:
        ahead, self._ahead = self._ahead, []
        yield from ahead
        yield from self._parts


def load_in_parts(path: str | os.PathLike[str], format: str = formats.AUTO) -> DigestInParts:
    """Read and parse one digest file in parts, for a caller that writes the
    papers as they come and keeps none (``digest-reader parse``).

    A format that parses line by line and can forget what it parsed (the HF
    page copy) reads the file as the parts are iterated, so memory stays flat
    however large the file. Any other format, and standard input, is parsed
    whole here and comes as one part.

    The file is opened, and its start read and parsed, here: a missing,
    unreadable, binary or too large file raises at once. A read error further
    on (invalid UTF-8 deep in a large file) raises from the iteration.

    Raises :class:`digest_parser.reading.DigestReadError` and
    :class:`UnknownFormatError` as :func:`load`.
    """
    path = os.fspath(path)
    if path == "-":
        return DigestInParts(iter((load(path, format),)), format, path)
    streaming, batches = _open_lines(path, format)
    if streaming is not None and streaming.parse_in_parts is not None:
        return DigestInParts(streaming.parse_in_parts(batches, path), format, path)
    with gc_paused():
        digest = _parse_opened(streaming, batches, path, format)
    return DigestInParts(iter((digest,)), format, path)


def merge_in_parts(digests: Sequence[DigestInParts]) -> tuple[Digest, Iterator[Digest]]:
    """What :func:`merge` gives, as a head and parts, to be written as it is read.

    The head holds the merged ``format``, ``source`` and ``date`` (no papers, no
    problems); the parts are every digest's, in order. To know the date, the
    digests are read ahead one by one until one has a date (the first part
    holding a paper settles it), so this may raise
    :class:`digest_parser.reading.DigestReadError`.
    """
    names = {digest.format for digest in digests}
    if len(digests) == 1:
        date = digests[0].settle_date()
    else:
        date = next((found for found in (digest.settle_date() for digest in digests) if found), None)
    head = Digest(
        format=names.pop() if len(names) == 1 else "mixed",
        source=", ".join(digest.source for digest in digests),
        date=date,
    )
    return head, (part for digest in digests for part in digest)


def _open_lines(path: str, format: str) -> tuple[LineParsers | None, Iterator[LineBatch]]:
    """The line-batch parsers for *path* (None when the format has none, or when
    *format* names no format: :func:`parse_text` then says so) and the file's
    line batches, the first one, read to detect the format, included."""
    batches = iter_line_batches(path)
    head = next(batches)  # (there is always one, if only [""])
    name = formats.detect("\n".join(head.lines)) if format == formats.AUTO else format
    try:
        spec = formats.get_spec(name) if name is not None else None
    except KeyError:
        spec = None
    streaming = spec.parsers.streaming if spec is not None else None
    return streaming, itertools.chain([head], batches)


def _joined(batches: Iterable[LineBatch]) -> str:
    return "\n".join(line for batch in batches for line in batch.lines)


def merge(digests: Sequence[Digest]) -> Digest:
    """One Digest holding the papers and problems of *digests*, in order."""
    if len(digests) == 1:
        return digests[0]
    names = {digest.format for digest in digests}
    return Digest(
        format=names.pop() if len(names) == 1 else "mixed",
        source=", ".join(digest.source for digest in digests),
        date=next((digest.date for digest in digests if digest.date), None),
        papers=tuple(paper for digest in digests for paper in digest.papers),
        problems=tuple(problem for digest in digests for problem in digest.problems),
    )


def load_paths(paths: Iterable[str | os.PathLike[str]], format: str = formats.AUTO) -> Digest:
    """Load every path and merge the results (papers are not de-duplicated here)."""
    return merge([load(path, format) for path in paths])
