"""`digest-reader search QUERY SOURCE…`: the papers the reader's search finds, best first.

The query language is the search box's (:mod:`tui.core.query`, README
"Searching"), and the order is the one the reader's list shows for it: the
sources are loaded as the reader loads them (:func:`tui.core.sources.expand`,
then each digest parsed or fetched, merged by :func:`tui.core.library.build_library`,
so each paper once), and the query runs through the same
:class:`tui.core.state.ReaderState` and :func:`tui.core.scheduling.run_stages`
as the reader's search worker; the last (ranked, abstracts included) result
is the list. A query of filters only keeps the digest order, and an empty
query lists every paper, as the reader does.

Output (UTF-8), best first: ``--format table`` (the default, also when stdout
is not a terminal, so a pipe shows what the screen did): key, title and first
author in aligned columns, cut to the terminal's width (``COLUMNS``, or the
terminal stdout is; not cut when stdout is a pipe and ``COLUMNS`` is unset).
Titles are hostile text: :func:`digest_parser.sanitize.clean_line` cleans
them again here. ``--format ids``: one key a line. ``--format json``: one
object a line, ``{"key", "title", "score"}``; the score is the ranking's
(:meth:`tui.core.search.SearchIndex.rank`), null when the query ranks nothing
(filters only, or empty). The key is the arXiv id when known, else
:attr:`Paper.key <digest_parser.models.Paper.key>`, the key of bookmarks and
read state.

``is:bookmarked``, ``is:read``, ``is:unread``, ``is:tagged`` and ``tag:NAME``
see the user's bookmarks and read state, read (never written, never moved
aside) from the files the reader uses (``--bookmarks``; docs/stores.md), and
only when the query has such a filter. A file that cannot be read is said in
one line on stderr, and its filters then see no marks.

Exit status (grep's, and ``parse``'s for errors): 0 a paper matched, 1 none
did (with the reader's reason on stderr when stderr is a terminal), 2 usage,
65 bad data or no known format, 66 missing or unreadable file (or a folder
holding no digest), 69 a live source that could not be fetched and is not
cached. A file of a folder that is no digest is skipped with one line on
stderr, as ``parse`` and the reader skip it. No traceback; imports nothing
from Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from digest_parser import api, formats
from digest_parser.models import Digest, Paper
from digest_parser.reading import DigestReadError
from digest_parser.sanitize import clean_line
from tui.cli_parse import NO_DIGEST_IN_FOLDER, refusal
from tui.core.filters import FILTERS_BY_NAME
from tui.core.query import Query, parse_query
from tui.live.options import add_live_arguments, live_mode, specs_help
from tui.live.result import FetchError
from tui.live.specs import SpecError

if TYPE_CHECKING:
    from tui.core.scheduling import IndexCache, SearchResult
    from tui.core.sources import DigestSource
    from tui.core.state import ReaderState
    from tui.stores.bookmarks import Bookmark

PROG = "digest-reader search"
EX_NO_MATCH = 1
EX_USAGE = 2
EX_DATAERR = 65
OUTPUT_FORMATS = ("table", "ids", "json")

KEY_CELLS = 32
"""The widest the key column gets (a paper without arXiv id is keyed by its title)."""
AUTHOR_CELLS = 24
"""The widest the first-author column gets."""
MIN_TITLE_CELLS = 20
"""Narrower than this, the author column is left out and the title gets its room."""
GAP = "  "


class _Refused(Exception):
    """A file named on the command line was read but must not be used (exit 65)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Search digests with the reader's query language and print the papers that match, best first: "
            "the order the reader's list shows for the same query."
        ),
        epilog=(
            "Output: table (the default, on a terminal or not): key, title and first author, cut to the"
            " terminal's width (COLUMNS) and not cut in a pipe; ids: one key a line (the arXiv id, else the"
            " key of bookmarks and read state); json: one {\"key\", \"title\", \"score\"} object a line"
            " (score null when nothing is ranked). is: and tag: filters read your bookmarks and read state"
            " (never changing them). A QUERY starting with '-' goes after '--'."
            " Exit status: 0 a paper matched, 1 none did, 2 usage, 65 bad data or no known format,"
            " 66 missing or unreadable file (or a folder holding no digest), 69 a live source that could not"
            " be fetched and is not cached. " + specs_help()
        ),
    )
    parser.add_argument("query", metavar="QUERY",
                        help="what the search box takes: words, \"phrases\", -exclusions, title:/author:/abstract:,"
                        " has:code, is:unread, tag:NAME, cat:cs.CV …")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="digest files, folders of digests (every digest in it, newest first), - for standard"
                        " input, or live sources (hf, hf:2024-10-22, arxiv:cs.CL)")
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="table",
                        help="output: table (default), ids or json")
    parser.add_argument("--limit", type=_positive, metavar="N", help="print at most N papers (the best N)")
    parser.add_argument("--digest-format", default=formats.AUTO, choices=[formats.AUTO, *formats.format_names()],
                        metavar="NAME", help="format of the digests, as parse --format (default: auto-detect)")
    parser.add_argument("--bookmarks", metavar="FILE",
                        help="bookmarks file for is: and tag: filters, read state beside it (default: the user"
                        " data directory; env DIGEST_READER_BOOKMARKS)")
    add_live_arguments(parser)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (never raises SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else EX_USAGE
    if args.sources.count("-") > 1:
        return _fail("'-' (standard input) can be given only once", EX_USAGE)
    query = parse_query(args.query)
    try:
        digests = load_digests(args.sources, args.digest_format, mode=live_mode(args), replacements=args.replacements)
    except DigestReadError as error:
        return _fail(str(error), error.exit_code)
    except _Refused as error:
        return _fail(str(error), EX_DATAERR)
    except SpecError as error:
        return _fail(str(error), EX_USAGE)
    except FetchError as error:
        return _fail(error.message, error.exit_code)
    from tui.core.scheduling import IndexCache

    state = _state(digests, query, args.bookmarks)
    indexes = IndexCache()
    rows, explanation = search(state, query, indexes)
    if not rows:
        if explanation and _is_terminal(sys.stderr):
            print(f"{PROG}: {clean_line(explanation)}", file=sys.stderr)
        return EX_NO_MATCH
    papers = [state.view_papers[row] for row in rows[:args.limit]]
    try:
        if args.format == "ids":
            text = "".join(paper_key(paper) + "\n" for paper in papers)
        elif args.format == "json":
            scores = ranking_scores(state, query, indexes)
            text = "".join(json.dumps({"key": paper_key(paper), "title": paper.title, "score": scores.get(paper.key)},
                                      ensure_ascii=False) + "\n" for paper in papers)
        else:
            text = table(papers, _table_width())
        sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
        sys.stdout.flush()
    except BrokenPipeError:
        # `digest-reader search … | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


# ---- loading, as the reader does ---------------------------------------------------


def load_digests(paths: Sequence[str], format: str, *, mode: str = "auto", replacements: bool = False) -> list[Digest]:
    """The digests of *paths*, as the reader loads them (:func:`tui.core.sources.expand`
    and the screen's loading worker): files, folders (newest first), ``-`` and
    live sources, fetched or from the cache with one line on stderr each, as
    ``parse`` says it.

    Raises:
        DigestReadError: A PATH cannot be read, or a folder holds no digest.
        _Refused: A file named is in no known format, or the format forced found nothing in it.
        SpecError: A malformed source spec.
        FetchError: A live source could not be fetched and is not cached.
    """
    from tui.core.sources import expand

    digests: list[Digest] = []
    for path in paths:
        sources = expand([path], live_mode=mode, replacements=replacements)
        found = 0
        for source in sources:
            try:
                digest = _load(source, format)
                problem = None if source.live is not None else refusal(
                    source.path, digest.format, format, has_papers=bool(digest.papers), text=source.text,
                    option="--digest-format")
            except DigestReadError as error:
                if not source.optional:
                    raise
                problem = str(error)
            if problem is not None:
                if not source.optional:
                    raise _Refused(problem)
                print(f"{PROG}: skipped {clean_line(problem)}", file=sys.stderr)
                continue
            digests.append(digest)
            found += 1
        if sources and sources[0].optional and not found:  # a folder: every file in it was skipped
            raise DigestReadError(path, NO_DIGEST_IN_FOLDER)
    return digests


def _load(source: DigestSource, format: str) -> Digest:
    if source.live is not None:
        from datetime import UTC, datetime

        from tui.live import load_live, stderr_line  # on first use: httpx and the cache

        result = load_live(source.live, mode=source.live_mode, replacements=source.replacements)
        print(f"{PROG}: {clean_line(stderr_line(result, datetime.now(UTC)))}", file=sys.stderr)
        return result.digest
    if source.text is not None:
        return api.parse_text(source.text, source=source.path, format=format)
    return api.load(source.path, format)


# ---- the search, as the reader runs it --------------------------------------------------


def _needs_marks(query: Query) -> bool:
    return any(FILTERS_BY_NAME[flt.name].needs is not None for flt in query.filters)


def _state(digests: Sequence[Digest], query: Query, bookmarks_path: str | None) -> ReaderState:
    """The reader's state with *digests* loaded and, when *query* filters on
    them, the user's marks."""
    from tui.core.library import build_library
    from tui.core.state import ReaderState

    state = ReaderState()
    if _needs_marks(query):
        bookmarks, read = read_marks(bookmarks_path, warn=lambda line: print(f"{PROG}: {line}", file=sys.stderr))
        state.stores_changed(bookmarks, read)
    state.loaded(build_library(digests), len(digests), len(digests))
    return state


def search(state: ReaderState, query: Query, indexes: IndexCache) -> tuple[Sequence[int], str]:
    """The rows the reader's list shows for *query* over the state's papers
    (indices into ``state.view_papers``, best first), and, when there are none,
    the reader's reason (:func:`tui.core.search.explain_empty`).

    It is the reader's own path: :meth:`SearchSession.start` through
    :class:`ReaderState`, then :func:`run_stages` as the search worker runs it,
    with nobody typing; each result goes through :meth:`ReaderState.show_result`,
    so the last one counts, as on the screen. *indexes* keeps the index built.
    """
    from tui.core.scheduling import run_stages
    from tui.system.keypause import KeyPause

    papers = state.view_papers
    job, _ = state.search.start(query, papers, bookmarked=state.bookmarked, read=state.read, index=None,
                                tagged=state.tagged, tags=state.tags)
    if job is None:  # the query constrains nothing: every paper, in order
        state.show_all()
        return state.rows, "" if papers else "No papers loaded."
    def post(result: SearchResult) -> None:
        state.show_result(result)

    run_stages(job, indexes, post=post, cancelled=lambda: False, key_pause=KeyPause(), sleep=lambda _seconds: None)
    return state.rows, state.search.explanation


def ranking_scores(state: ReaderState, query: Query, indexes: IndexCache) -> dict[str, float]:
    """Paper key -> the score the ranked pass gave it (higher first); empty when
    the query ranks nothing (no words: filters only, or empty). The ranked pass
    is :meth:`SearchIndex.rank` with abstracts, the last one :func:`search` ran,
    on the index *indexes* kept."""
    from tui.core.filters import context_for

    if not query.terms:
        return {}
    index = indexes.get(state.view_papers)
    context = context_for(query, bookmarked=state.bookmarked, read=state.read, tagged=state.tagged, tags=state.tags)
    scores: dict[int, float] = {}
    index.rank(query, abstracts=True, context=context, scores=scores)
    return {index.papers[row].key: score for row, score in scores.items()}


def read_marks(bookmarks_path: str | None, *, warn: Callable[[str], None]) -> tuple[Mapping[str, Bookmark], set[str]]:
    """The user's bookmarks (by key) and read keys, read only: nothing is
    written or moved aside (the reader's stores would set an unreadable file
    aside; a search leaves that to the reader). A file that cannot be read is
    said through *warn* and counts as empty; a missing one is empty."""
    from tui.stores import locations
    from tui.stores.bookmarks import decode_bookmarks
    from tui.stores.files import display_path, error_reason, read_bytes
    from tui.stores.jsonstore import ShapeError, decode_document
    from tui.stores.readstate import decode_read_state

    bookmarks: Mapping[str, Bookmark] = {}
    read: set[str] = set()
    bookmarks_file = locations.bookmarks_path(bookmarks_path)
    read_file = locations.read_state_path(bookmarks_path)
    try:
        raw = read_bytes(bookmarks_file)
        if raw is not None:
            bookmarks = decode_bookmarks(decode_document(raw)[0]).entries
    except (OSError, ShapeError) as error:
        warn(f"{display_path(bookmarks_file)} could not be read ({error_reason(error)}); "
             "is: and tag: filters see no bookmarks")
    try:
        raw = read_bytes(read_file)
        if raw is not None:
            read = set(decode_read_state(decode_document(raw)[0]).entries)  # (reading only: see above)
    except (OSError, ShapeError) as error:
        warn(f"{display_path(read_file)} could not be read ({error_reason(error)}); "
             "is:read and is:unread see no paper read")
    return bookmarks, read


# ---- output ------------------------------------------------------------------------------


def paper_key(paper: Paper) -> str:
    """The arXiv id when known, else :attr:`Paper.key` (bookmarks' and read state's key)."""
    return paper.arxiv_id or paper.key


def table(papers: Sequence[Paper], width: int | None) -> str:
    """Key, title and first author in aligned columns, each line at most *width*
    cells (None: titles are not cut). Every field is cleaned for the terminal."""
    rows = [(clean_line(paper_key(paper)), clean_line(paper.title), clean_line(paper.authors[0]) if paper.authors else "")
            for paper in papers]
    if not rows:
        return ""
    key_cells = min(max(cells(key) for key, _, _ in rows), KEY_CELLS)
    author_cells = min(max(cells(author) for _, _, author in rows), AUTHOR_CELLS)
    title_cells = max(cells(title) for _, title, _ in rows)
    if width is not None:
        room = width - key_cells - len(GAP)
        if author_cells and room - author_cells - len(GAP) < MIN_TITLE_CELLS:
            author_cells = 0
        title_cells = min(title_cells, max(room - (author_cells + len(GAP) if author_cells else 0), 1))
    lines = []
    for key, title, author in rows:
        line = pad(fit(key, key_cells), key_cells) + GAP + pad(fit(title, title_cells), title_cells)
        if author_cells:
            line += GAP + fit(author, author_cells)
        lines.append(line.rstrip() + "\n")
    return "".join(lines)


def cells(text: str) -> int:
    """Terminal cells *text* takes: wide (East Asian) characters two, combining marks none."""
    return sum(_char_cells(char) for char in text)


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """*text* cut to *width* cells, ending in "…" when cut."""
    if cells(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _char_cells(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def _table_width() -> int | None:
    """``COLUMNS`` when set, else the terminal's width when stdout is one; None
    in a pipe (the lines are not cut: a pipe has no width)."""
    if os.environ.get("COLUMNS", "").strip().isdigit() or _is_terminal(sys.stdout):
        return shutil.get_terminal_size().columns
    return None


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # closed
        return False


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: {clean_line(message)}", file=sys.stderr)
    return status
