"""What a digest format is to the rest of the parser: a :class:`FormatSpec`.

A spec names the format, says in one line what it reads, carries the cheap
check detection asks (kept apart from the parser, so asking imports nothing
heavy) and a loader that imports the parser the first time it is needed. The
loader returns :class:`FormatParsers`: the text parse and, for a format that
can parse a file's lines as they are read, a :class:`LineParsers`. Whether a
format streams is said there, in the type, not found by looking for optional
function names.

Every parse a spec hands out goes through the same guard: an exception from a
parser becomes a :class:`~digest_parser.models.Problem` on the Digest, never a
traceback in the reader. Only a :class:`~digest_parser.reading.DigestReadError`
raised while the file's lines are still being read passes through, since it is
the file's fault and the caller reports it with its own exit status.

See docs/formats.md, "Adding a format".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from digest_parser.models import Digest, Problem
from digest_parser.reading import DigestReadError, LineBatch

Sniff = Callable[[str], bool]
"""Looks at the start of a decoded digest and says whether it is this format.
Must be cheap (a few KB at most) and never raise."""

TextParse = Callable[[str, str], Digest]
"""``parse(text, source) -> Digest`` for the whole decoded text."""

LinesParse = Callable[[Iterable[LineBatch], str], Digest]
"""``parse_lines(batches, source) -> Digest`` over the file's line batches as
:func:`digest_parser.reading.iter_line_batches` reads them."""

ProgressiveParse = Callable[[Iterable[LineBatch], str], Iterator[Digest]]
"""Like :data:`LinesParse`, yielding partial Digests (complete papers only) on
the way; the last one yielded is the whole digest."""

PartsParse = Callable[[Iterable[LineBatch], str], Iterator[Digest]]
"""Like :data:`LinesParse`, yielding the digest in parts and keeping none: each
part holds the papers and problems found since the previous one, and carries
the format and source; its date is final from the first part holding a paper
on. The parts, in order, hold what :data:`LinesParse` returns."""


@dataclass(frozen=True)
class LineParsers:
    """The parses of a format that reads a file line batch by line batch, so a
    large digest is never held whole in memory (the HF page copy)."""

    parse_lines: LinesParse
    parse_progressively: ProgressiveParse
    parse_in_parts: PartsParse | None = None
    """None: the format cannot forget what it parsed, and a caller that wants
    parts gets the whole digest as one."""


@dataclass(frozen=True)
class FormatParsers:
    """What a format's loader returns: its text parse, and its line-batch
    parses, or None when it needs the whole text at once."""

    parse: TextParse
    streaming: LineParsers | None = None


@dataclass(frozen=True)
class FormatSpec:
    """One digest format, as the registry in :mod:`digest_parser.formats` lists it.

    Attributes:
        name: The ``--format`` name and :attr:`Digest.format` of what it parses
            (``hf-page``, ``arxiv-mail``, …).
        description: One line for ``--help`` and error messages.
        sniff: The detection check, or None for a format that is only ever
            chosen by name (never auto-detected).
        load: Imports the parser and returns its parses. Called once, on the
            first parse; detection never calls it.
    """

    name: str
    description: str
    sniff: Sniff | None
    load: Callable[[], FormatParsers]

    @cached_property
    def parsers(self) -> FormatParsers:
        """The loaded parses, each wrapped by the guard (loaded on first use)."""
        loaded = self.load()
        streaming = loaded.streaming
        return FormatParsers(
            parse=_guard_text(self.name, loaded.parse),
            streaming=None
            if streaming is None
            else LineParsers(
                parse_lines=_guard_lines(self.name, streaming.parse_lines),
                parse_progressively=_guard_progressively(self.name, streaming.parse_progressively),
                parse_in_parts=None
                if streaming.parse_in_parts is None
                else _guard_in_parts(self.name, streaming.parse_in_parts),
            ),
        )

    def parse(self, text: str, source: str) -> Digest:
        """Parse decoded *text* read from *source*. Never raises."""
        return self.parsers.parse(text, source)


def internal_error(name: str, source: str, error: Exception) -> Problem:
    """The Problem that stands for a parser bug, naming the exception's type only
    (its message may quote the digest's text)."""
    return Problem(source, 1, f"internal error in the {name} parser ({type(error).__name__}); please report this file")


def _guard_text(name: str, parse: TextParse) -> TextParse:
    def guarded_parse(text: str, source: str) -> Digest:
        try:
            return parse(text, source)
        except Exception as error:  # (any exception: catching them is the guard's whole job)
            return Digest(format=name, source=source, problems=(internal_error(name, source, error),))

    guarded_parse.__doc__ = parse.__doc__
    return guarded_parse


def _guard_lines(name: str, parse_lines: LinesParse) -> LinesParse:
    def guarded_parse_lines(batches: Iterable[LineBatch], source: str) -> Digest:
        try:
            return parse_lines(batches, source)
        except DigestReadError:
            raise
        except Exception as error:  # (any exception: catching them is the guard's whole job)
            return Digest(format=name, source=source, problems=(internal_error(name, source, error),))

    guarded_parse_lines.__doc__ = parse_lines.__doc__
    return guarded_parse_lines


def _guard_progressively(name: str, parse_progressively: ProgressiveParse) -> ProgressiveParse:
    def guarded_parse_progressively(batches: Iterable[LineBatch], source: str) -> Iterator[Digest]:
        last: Digest | None = None
        try:
            for digest in parse_progressively(batches, source):
                last = digest
                yield digest
        except DigestReadError:
            raise
        except Exception as error:  # (any exception: catching them is the guard's whole job)
            # The papers already shown stay; the problem says the rest was lost.
            papers = last.papers if last is not None else ()
            problems = last.problems if last is not None else ()
            date = last.date if last is not None else None
            yield Digest(format=name, source=source, date=date, papers=papers,
                         problems=(*problems, internal_error(name, source, error)))

    guarded_parse_progressively.__doc__ = parse_progressively.__doc__
    return guarded_parse_progressively


def _guard_in_parts(name: str, parse_in_parts: PartsParse) -> PartsParse:
    def guarded_parse_in_parts(batches: Iterable[LineBatch], source: str) -> Iterator[Digest]:
        date: str | None = None
        try:
            for part in parse_in_parts(batches, source):
                date = part.date
                yield part
        except DigestReadError:
            raise
        except Exception as error:  # (any exception: catching them is the guard's whole job)
            # The parts already given stay; one more says the rest was lost.
            yield Digest(format=name, source=source, date=date, problems=(internal_error(name, source, error),))

    guarded_parse_in_parts.__doc__ = parse_in_parts.__doc__
    return guarded_parse_in_parts
