"""Public entry points: parse text, load files.

`parse_text` is pure; `load` and `load_paths` are the only functions that read
files (through :mod:`digest_parser.reading`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from digest_parser import formats
from digest_parser.formats.spec import FormatSpec, LineParsers
from digest_parser.gc_pause import gc_paused
from digest_parser.models import Digest, Problem
from digest_parser.reading import LineBatch, iter_line_batches, read_text


class UnknownFormatError(ValueError):
    """Raised for a --format name that does not exist."""


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
            tried = ", ".join(formats.format_names())
            problem = Problem(source, 1, f"not a digest format I know (tried: {tried}); use --format to force one")
            return Digest(format="unknown", source=source, problems=(problem, *digest.problems))
        format = name
    return _spec(format).parse(text, source)


def _spec(name: str) -> FormatSpec:
    try:
        return formats.get_spec(name)
    except KeyError:
        choices = ", ".join([formats.AUTO, *formats.format_names()])
        raise UnknownFormatError(f"unknown format {name!r}; choose one of: {choices}") from None


def load(path: str, format: str = formats.AUTO) -> Digest:
    """Read and parse one digest file (``-`` is standard input).

    Formats that parse line by line (the HF page copy) get the file's lines
    streamed from 1 MiB reads (:func:`digest_parser.reading.iter_line_batches`),
    so a large digest is never in memory twice. The cyclic GC is paused while
    the file is parsed (see :mod:`digest_parser.gc_pause`).

    Raises :class:`digest_parser.reading.DigestReadError` when the file cannot
    be read or decoded, and :class:`UnknownFormatError` for an unknown *format*.
    """
    with gc_paused():
        if path == "-":
            return parse_text(read_text(path), source=path, format=format)
        streaming, batches = _open_lines(path, format)
        if streaming is not None:
            return streaming.parse_lines(batches, path)
        return parse_text(_joined(batches), source=path, format=format)


def load_progressively(path: str, format: str = formats.AUTO) -> Iterator[Digest]:
    """Like :func:`load`, yielding partial Digests (complete papers only) while a
    large line-by-line format loads; the last one yielded is the whole digest.
    Other formats yield once.

    Raises :class:`digest_parser.reading.DigestReadError` as :func:`load`.
    """
    if path == "-":
        yield load(path, format)
        return
    streaming, batches = _open_lines(path, format)
    if streaming is not None:
        yield from streaming.parse_progressively(batches, path)
        return
    yield parse_text(_joined(batches), source=path, format=format)


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


def load_paths(paths: Iterable[str], format: str = formats.AUTO) -> Digest:
    """Load every path and merge the results (papers are not de-duplicated here)."""
    return merge([load(path, format) for path in paths])
