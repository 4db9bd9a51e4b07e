"""`digest-reader parse PATH… [--format NAME] [--jsonl]`: print the papers as JSON.

Output (UTF-8): one line, one JSON object ``{"format", "source", "date",
"papers": […], "problems": […]}``, the papers of every PATH merged in order;
or, with ``--jsonl``, one paper object per line and each problem on stderr as
``SOURCE:LINE: REASON``. ``-`` reads standard input.

A folder is read as the reader reads it (:func:`tui.core.sources.expand`):
every non-hidden file in it, newest first, each paper once (by :attr:`Paper.key`,
at its first place, merged from every copy as the reader merges them:
:func:`tui.core.library.build_library`). A file of the folder that is no digest is skipped with
one line on stderr (``skipped FILE: REASON``), as the reader skips it with a
warning; a folder in which no file is a digest is refused with the reader's
message, exit status 66. Files named as PATHs are merged as they are, not
de-duplicated.

Papers are written as they are parsed, and forgotten: a large HF page copy is
never held in memory whole, nor is its JSON (docs/formats.md, "`digest-reader
parse`"). A folder's papers are held until the folder is read, to be merged.

On a file that cannot be used, nothing goes to stdout; one line goes to stderr
naming the file (control characters escaped) and what to do, and the exit
status says why: 66 missing or unreadable, 65 bad data (binary, not UTF-8, too
large, in no known format; or a format forced with ``--format`` found no paper
in a file that holds text its own check does not recognise), 2 usage. Every file is opened and its start read
before anything is written, so only a fault found further into a large file
(invalid UTF-8 past its first MiB) comes after output has begun: the output
stops there, incomplete, with the same line on stderr and status 65 (a file
of a folder is skipped instead, with one line on stderr, as the reader skips
it: a folder is read whole before it is written). No traceback. Imports nothing from Textual.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from digest_parser import api, formats
from digest_parser.models import Digest, Problem
from digest_parser.reading import EX_DATAERR, MAX_BYTES_ENV, DigestReadError, display_path, iter_chunks, read_text
from digest_parser.sanitize import clean_line
from tui.live.options import add_live_arguments, live_mode, specs_help
from tui.live.result import FetchError
from tui.live.specs import SpecError, parse_spec

PROG = "digest-reader parse"
EX_USAGE = 2

# json.dumps(…, ensure_ascii=False) with its default separators, made once: the
# streamed output must be byte for byte what dumping the whole digest gave.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the format names of the registry."""
    specs = formats.specs()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Parse research-paper digests and print their papers as one JSON object (or one per line).",
        epilog=(
            "Formats: "
            + "; ".join(f"{spec.name}: {spec.description}" for spec in specs)
            + f". Files larger than 256 MiB are refused unless {MAX_BYTES_ENV} (bytes) allows them."
            " Papers are written as they are parsed; a fault found past the start of a large file stops"
            " the output there."
            " A folder stands for every digest in it, newest first, each paper once; a file in it that is"
            " no digest is skipped with one line on standard error."
            " Exit status: 0 ok, 2 usage, 65 bad data, no known format, or no paper found in the format forced,"
            " 66 missing or unreadable file (or a folder holding no digest),"
        " 69 a live source that could not be fetched and is not cached. "
        + specs_help()
        ),
    )
    add_live_arguments(parser)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="digest file or folder of digests; '-' reads standard input; "
                        "or a live source (hf, hf:2024-10-22, arxiv:cs.CL)")
    parser.add_argument(
        "--format",
        default=formats.AUTO,
        choices=[formats.AUTO, *(spec.name for spec in specs)],
        help="digest format (default: auto-detect; a file in no known format is an error, and so is a file"
        " in which the format forced finds no paper)",
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="JSON Lines: one paper object per line, for pipelines; problems go to standard error,"
        " one per line as SOURCE:LINE: REASON",
    )
    return parser


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (never raises SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else EX_USAGE
    if args.paths.count("-") > 1:
        return _fail("'-' (standard input) can be given only once", EX_USAGE)
    try:
        opened = [_open_path(path, args) for path in args.paths]
        digests: list[api.DigestInParts] = []
        folders: list[int | None] = []
        for number, (path, found) in enumerate(zip(args.paths, opened, strict=True)):
            if isinstance(found, list):  # a folder: the digests in it (refusals already said)
                digests += found
                folders += [number] * len(found)
                continue
            checked, refusal = check_digest(path, found, args.format)
            if refusal is not None:
                return _fail(refusal, EX_DATAERR)
            digests.append(checked)
            folders.append(None)
        head, _ = api.merge_in_parts(digests)  # (its parts are read below, a folder's papers each once)
        parts = _each_paper_once_per_folder(digests, folders)
        if args.jsonl:
            _write_json_lines(parts, _stdout_writer())
        else:
            _write_json(head, parts, _stdout_writer())
    except DigestReadError as error:
        _flush_stdout()  # what was written stays, and ends where the fault was found
        return _fail(str(error), error.exit_code)
    except api.UnknownFormatError as error:
        return _fail(str(error), EX_USAGE)
    except SpecError as error:
        return _fail(str(error), EX_USAGE)
    except FetchError as error:
        return _fail(error.message, error.exit_code)
    except BrokenPipeError:
        # `digest-reader parse x | head`: the reader left; say nothing more, read no further.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    _flush_stdout()
    return 0


def _open_path(path: str, args: argparse.Namespace) -> api.DigestInParts | list[api.DigestInParts]:
    """A PATH opened: one digest, or a folder's digests (see :func:`open_folder`)."""
    if path != "-" and parse_spec(path) is None and os.path.isdir(path):
        return open_folder(path, args.format, PROG)
    return _open(path, args)


def open_folder(path: str, format: str, prog: str) -> list[api.DigestInParts]:
    """Every digest of the folder *path*, newest first, as the reader lists them
    (:func:`tui.core.sources.expand`). A file that cannot be read, or is no
    digest, is skipped with one line on stderr (the reader skips it with a
    warning).

    Raises:
        DigestReadError: The folder cannot be listed, or holds no digest: the
            reader's own error (exit status 66).
    """
    from tui.core.sources import expand

    digests: list[api.DigestInParts] = []
    for source in expand([path]):
        try:
            digest, refusal = check_digest(source.path, api.load_in_parts(source.path, format), format)
        except DigestReadError as error:
            refusal = str(error)
        if refusal is not None:
            print(f"{prog}: skipped {clean_line(refusal)}", file=sys.stderr)
            continue
        digests.append(digest)
    if not digests:
        raise DigestReadError(path, NO_DIGEST_IN_FOLDER)
    return digests


NO_DIGEST_IN_FOLDER = "the directory holds no digest files"
"""What the reader says of a folder with nothing to read (:func:`tui.core.sources.expand`)."""


def check_digest(path: str, digest: api.DigestInParts, format: str) -> tuple[api.DigestInParts, str | None]:
    """*digest* (read from *path*) and, when it must be refused, the one line
    saying why (:func:`refusal`). To know whether a forced format found a
    paper, the parts are read ahead up to the first one; the digest returned
    still gives them all.

    Raises:
        DigestReadError: Reading ahead met a fault in the file.
    """
    if digest.format == api.UNKNOWN or format == formats.AUTO or parse_spec(path) is not None:
        return digest, refusal(path, digest.format, format, has_papers=True)
    parts = iter(digest)
    ahead: list[Digest] = []
    for part in parts:
        ahead.append(part)
        if part.papers:
            return api.DigestInParts(itertools.chain(ahead, parts), digest.format, digest.source), None
    text = digest.text if isinstance(digest, _TextDigest) else None
    checked = api.DigestInParts(iter(ahead), digest.format, digest.source)
    return checked, refusal(path, digest.format, format, has_papers=False, text=text)


def refusal(path: str, found_format: str, format: str, *, has_papers: bool, text: str | None = None,
            option: str = "--format") -> str | None:
    """The one line refusing a digest read from *path* as *format* (``auto`` or
    forced), or None to use it. Refused: text in no known format
    (*found_format* is ``unknown``); and, with a forced format, a digest with
    no paper whose text the format does not recognise (:func:`found_nothing_as`).

    Args:
        path: The file (``-``: standard input); a live source is never refused here.
        found_format: The :attr:`Digest.format` the parse gave.
        format: The ``--format`` asked for.
        has_papers: Whether the digest holds a paper.
        text: The digest's text when it is at hand; else its start is read
            again from *path* (only when nothing was found).
        option: The command's option that chooses the format, for the advice.

    Raises:
        DigestReadError: The file could not be read again.
    """
    if found_format == api.UNKNOWN:
        return f"{display_path(path)}: {api.unknown_format_reason().replace('--format', option)}"
    if has_papers or format == formats.AUTO or parse_spec(path) is not None:
        return None
    # 1 MiB of its start is plenty for the checks.
    head = text if text is not None else next(iter_chunks(path), "")
    if found_nothing_as(format, head):
        return f"{display_path(path)}: no papers found as {format}; try {option} auto"
    return None


def found_nothing_as(format: str, text: str) -> bool:
    """Whether a digest in which the forced *format* found no paper is refused:
    *text* (its start) holds more than white space, and the format's own
    detection check does not recognise it. An empty digest in its own format
    (``[]``: a day of Hugging Face papers with none) is not refused."""
    if format == formats.AUTO or not text.strip():
        return False
    sniff = formats.get_spec(format).sniff
    return sniff is None or not sniff(text)


class _TextDigest(api.DigestInParts):
    """Standard input parsed whole, keeping its text for :func:`check_digest`."""

    def __init__(self, text: str, format: str) -> None:
        digest = api.parse_text(text, source="-", format=format)
        super().__init__(iter((digest,)), digest.format, digest.source)
        self.text = text


def _each_paper_once_per_folder(digests: list[api.DigestInParts], folders: list[int | None]) -> Iterator[Digest]:
    """The parts of *digests* in order; the digests of one folder (*folders*: the
    PATH each came from, None for a file) read whole and merged as the reader
    merges them (:func:`tui.core.library.build_library`): each paper once, at its
    first place, holding what each copy knew (a "new" entry's abstract beside a
    later bare "replace"). A folder's problems come first, then its papers. A
    file of the folder in which a fault is found is skipped, with one line on
    stderr; the rest of the folder is kept."""
    from tui.core.library import build_library

    for folder, group in itertools.groupby(zip(digests, folders, strict=True), key=lambda pair: pair[1]):
        if folder is None:
            for digest, _ in group:
                yield from digest
            continue
        parts: list[Digest] = []
        for digest, _ in group:
            try:
                parts += list(digest)  # (whole: a file with a fault gives nothing)
            except DigestReadError as error:
                # A fault found past a file's first MiB: the file is skipped, as the
                # reader skips it with a warning (nothing of the folder was written yet).
                print(f"{PROG}: skipped {clean_line(str(error))}", file=sys.stderr)
        for part in parts:
            if part.problems:
                yield replace(part, papers=())
        if parts:
            yield replace(parts[-1], papers=build_library(parts).papers, problems=())


def _open(path: str, args: argparse.Namespace) -> api.DigestInParts:
    """A file (or ``-``) in parts; or a live source, fetched or from the cache,
    with one line on stderr saying which (docs/live-sources.md)."""
    spec = parse_spec(path) if path != "-" else None
    if spec is None:
        if path == "-" and args.format != formats.AUTO:
            return _TextDigest(read_text(path), args.format)  # its text tells whether to refuse it
        return api.load_in_parts(path, args.format)
    from datetime import UTC, datetime

    from tui.live import load_live, stderr_line  # on first use: httpx and the cache

    result = load_live(spec, mode=live_mode(args), replacements=args.replacements)
    print(f"{PROG}: {clean_line(stderr_line(result, datetime.now(UTC)))}", file=sys.stderr)
    digest = result.digest
    return api.DigestInParts(iter([digest]), digest.format, digest.source)


def _write_json(head: Digest, parts: Iterable[Digest], write: Callable[[str], None]) -> None:
    """Write ``json.dumps(merged.to_json(), ensure_ascii=False)`` and a newline,
    where *merged* is *head* holding the papers and problems of *parts*,
    writing each part's papers as it comes. The keys are written in the order
    of :meth:`Digest.to_json` (tests/test_cli_parse.py compares the bytes)."""
    write(f'{{"format": {_encode(head.format)}, "source": {_encode(head.source)}, "date": {_encode(head.date)}, "papers": [')
    problems: list[Problem] = []
    separator = ""
    for part in parts:
        if part.papers:
            write(separator + ", ".join([_encode(paper.to_json()) for paper in part.papers]))
            separator = ", "
        problems += part.problems
    write('], "problems": [' + ", ".join([_encode(problem.to_json()) for problem in problems]) + "]}\n")


def _write_json_lines(parts: Iterable[Digest], write: Callable[[str], None]) -> None:
    """One paper object per line as each part comes; each problem to stderr
    as ``SOURCE:LINE: REASON``."""
    for part in parts:
        if part.papers:
            write("".join([_encode(paper.to_json()) + "\n" for paper in part.papers]))
        for problem in part.problems:
            print(clean_line(f"{problem.source}:{problem.line}: {problem.reason}"), file=sys.stderr)


def _stdout_writer() -> Callable[[str], None]:
    buffer = sys.stdout.buffer

    def write(text: str) -> None:
        # surrogatepass: a lone surrogate cannot reach here (every field is
        # cleaned), but if one did, the JSON would still be written.
        buffer.write(text.encode("utf-8", "surrogatepass"))

    return write


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(message: str, status: int) -> int:
    # Messages may quote a file name: clean_line keeps escapes off the terminal
    # even if a caller forgot to escape it.
    print(f"{PROG}: {clean_line(message)}", file=sys.stderr)
    return status
