"""``digest-reader bookmarks``: print, export, import or restore bookmarks.

    digest-reader bookmarks [--format json|markdown|md|bibtex|bib|csv] [--tag NAME] [--bookmarks PATH]
    digest-reader bookmarks --to-zotero [--tag NAME] [--bookmarks PATH]
    digest-reader bookmarks --import FILE [--bookmarks PATH]
    digest-reader bookmarks [--read-state] --restore [N] [--bookmarks PATH]

Every export carries the tags (JSON: the file's ``tags``, CSV: a ``tags`` column
joined with ``;``, Markdown: a ``tags:`` line, BibTeX: ``keywords``); ``--tag NAME``
exports only the bookmarks with that tag. ``md`` and ``bib`` name ``markdown`` and
``bibtex``. ``--import`` adds the tags it brings to bookmarks already there and
loses no note: a bookmark without one takes the imported note, and a note that
differs keeps its text with the imported one after it (``docs/stores.md``), each
such bookmark named in a warning. ``--to-zotero`` sends the bookmarks (those
with ``--tag NAME``) to a running Zotero as that BibTeX (:mod:`tui.cli_zotero`,
docs/citing.md). ``--restore`` alone lists the backups kept
beside the file (``docs/stores.md``), ``--restore N`` brings one back;
``--read-state`` does the same for ``read.json``.

Output is UTF-8 whatever the locale. Errors are one line on stderr with a
non-zero exit (1: store or import error, 2: usage; with ``--to-zotero`` 69:
Zotero is not running, 65: Zotero did not save them), never a traceback.
Textual is not imported here.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from digest_parser.sanitize import clean_line
from tui.core import bibtex
from tui.stores import locations
from tui.stores.bookmarks import IMPORTED_NOTE_MARK, Bookmark, BookmarkStore, encode_bookmarks, parse_export
from tui.stores.files import MAX_FILE_BYTES, StoreError, display_path, read_bytes
from tui.stores.jsonstore import JsonStore, ShapeError
from tui.stores.readstate import ReadStateStore
from tui.stores.tags import MAX_TAG_LENGTH, has_tag, parse_tags

PROG = "digest-reader bookmarks"
NOT_SAVED = "not saved"
"""Starts the error of a change that failed, as the reader's "Not saved: …" (``tui.stores.persistence``)."""
NOT_RESTORED = "not restored"
FORMATS = ("json", "markdown", "bibtex", "csv")
FORMAT_ALIASES = {"md": "markdown", "bib": "bibtex"}
"""Short names ``--format`` takes for a format (shown in ``--help``)."""


# --------------------------------------------------------------------------- export


def export(bookmarks: Iterable[Bookmark], fmt: str, *, tag: str | None = None) -> str:
    """Render bookmarks in an export format.

    Args:
        bookmarks: In the order to print them.
        fmt: ``json`` (the file format, what ``--import`` reads), ``markdown``,
            ``bibtex`` or ``csv``.
        tag: Only the bookmarks with this tag (compared without case).

    Raises:
        ValueError: Unknown format.
    """
    renderers = {"json": export_json, "markdown": export_markdown, "bibtex": export_bibtex, "csv": export_csv}
    if fmt not in renderers:
        raise ValueError(f"unknown export format {fmt!r}")
    chosen = [bookmark for bookmark in bookmarks if tag is None or has_tag(bookmark.tags, tag)]
    if fmt == "markdown":
        return export_markdown(chosen, tag=tag)
    return renderers[fmt](chosen)


def export_json(bookmarks: Sequence[Bookmark]) -> str:
    """The bookmarks file format, pretty-printed."""
    return json.dumps(encode_bookmarks(bookmarks), ensure_ascii=False, indent=2) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!$])")


def _markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown_url(url: str) -> str:
    # An autolink <…> may not hold spaces or angle brackets.
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"


def export_markdown(bookmarks: Sequence[Bookmark], *, tag: str | None = None) -> str:
    """A Markdown list: title and authors, then paper link, code link, tags and note.

    *tag* names the tag the list was chosen by, in its heading.
    """
    tagged = f" tagged {_markdown_text(tag)}" if tag else ""
    lines = [f"# Bookmarks{tagged} ({len(bookmarks)})", ""]
    for bookmark in bookmarks:
        head = f"- **{_markdown_text(bookmark.title)}**"
        if bookmark.authors:
            head += " — " + _markdown_text(", ".join(bookmark.authors))
        lines.append(head)
        if bookmark.paper_url:
            lines.append(f"  - paper: {_markdown_url(bookmark.paper_url)}")
        if bookmark.code_url:
            lines.append(f"  - code: {_markdown_url(bookmark.code_url)}")
        if bookmark.tags:
            lines.append("  - tags: " + ", ".join(_markdown_text(tag) for tag in bookmark.tags))
        if bookmark.note:
            note_lines = [_markdown_text(line) for line in bookmark.note.split("\n")]
            lines.append("  - note: " + "\n    ".join(note_lines))
    return "\n".join(lines) + "\n"


def export_bibtex(bookmarks: Sequence[Bookmark]) -> str:
    """BibTeX ``@misc`` entries, keys unique within the export: :mod:`tui.core.bibtex`
    writes them, the same entries the reader's ``Y`` copies (docs/citing.md)."""
    return bibtex.entries_for_bookmarks(bookmarks)


def citation_key(bookmark: Bookmark) -> str:
    """The bookmark's citation key before de-duplication (:func:`tui.core.bibtex.citation_key`)."""
    return bibtex.citation_key(bibtex.citation_for_bookmark(bookmark))


CSV_COLUMNS = ("key", "title", "authors", "arxiv_id", "paper_url", "code_url", "source", "added", "note", "tags",
               "date", "digest_date")
"""(The dates last: a script reading the earlier columns by position keeps working.)"""
TAG_SEPARATOR = ";"
"""Joins the tags in a CSV cell; never part of a tag (``tui.stores.tags``)."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str | None) -> str:
    text = value or ""
    # A spreadsheet would run "=HYPERLINK(…)" from a hostile title as a formula (OWASP CSV injection).
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_csv(bookmarks: Sequence[Bookmark]) -> str:
    """CSV with a header row; authors joined with ``; ``, tags with ``;``; formula-like cells prefixed with ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for b in bookmarks:
        tags = TAG_SEPARATOR.join(b.tags)
        row = (b.key, b.title, "; ".join(b.authors), b.arxiv_id, b.paper_url, b.code_url, b.source, b.added, b.note, tags,
               b.date, b.digest_date)
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- command


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _backup_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise argparse.ArgumentTypeError(f"not a backup number: {text!r}")
    return int(text)


def _format_name(text: str) -> str:
    name = FORMAT_ALIASES.get(text, text)
    if name not in FORMATS:
        shown = ", ".join(f"{fmt} (or {alias})" if (alias := _alias_of(fmt)) else fmt for fmt in FORMATS)
        raise argparse.ArgumentTypeError(f"invalid choice: {clean_line(text)!r} (choose from {shown})")
    return name


def _alias_of(fmt: str) -> str | None:
    return next((alias for alias, name in FORMAT_ALIASES.items() if name == fmt), None)


def _tag_name(text: str) -> str:
    tags = parse_tags(text)
    if len(tags) != 1 or len(text.strip()) > MAX_TAG_LENGTH:
        raise argparse.ArgumentTypeError(
            f"not a tag: {clean_line(text)!r} (one word of at most {MAX_TAG_LENGTH} characters, no commas or spaces)"
        )
    return tags[0]


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Print, export, import or restore bookmarks.")
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--format",
        type=_format_name,
        default="markdown",
        metavar="{json,markdown,md,bibtex,bib,csv}",
        help="output format: json, markdown (or md), bibtex (or bib), csv (default: markdown)",
    )
    action.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="merge a JSON export (- for stdin); a note that differs from yours is kept after it",
    )
    action.add_argument(
        "--to-zotero",
        action="store_true",
        help="send the bookmarks (with --tag: those tagged NAME) to a running Zotero "
        "(address: $DIGEST_READER_ZOTERO_URL, default http://127.0.0.1:23119)",
    )
    action.add_argument(
        "--restore",
        nargs="?",
        const=0,
        type=_backup_number,
        metavar="N",
        help="list the backups kept beside the file, or bring back backup N (the current file is kept as backup 1)",
    )
    parser.add_argument("--tag", metavar="NAME", type=_tag_name, help="export or send only the bookmarks with this tag")
    parser.add_argument("--read-state", action="store_true", help="with --restore: the read state (read.json) instead")
    parser.add_argument("--bookmarks", metavar="PATH", help="bookmarks file (default: the user data directory)")
    return parser


def main(argv: list[str]) -> int:
    """Run the command.

    Args:
        argv: The arguments after ``bookmarks``.

    Returns:
        The exit status: 0 success, 1 store or import error, 2 usage error;
        with ``--to-zotero`` 69 Zotero is not running, 65 Zotero did not save them.
    """
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        return _fail(f"{error} (see --help)", status=2)
    except SystemExit as done:  # --help
        return int(done.code or 0)
    if args.read_state and args.restore is None:
        return _fail("--read-state goes with --restore (see --help)", status=2)
    if args.tag is not None and (args.restore is not None or args.import_file is not None):
        return _fail("--tag goes with an export, not with --import or --restore (see --help)", status=2)
    if args.restore is not None:
        return _restore(args.restore, args.bookmarks, args.read_state)
    store = BookmarkStore(Path(args.bookmarks) if args.bookmarks else None)
    store.load()
    if store.unreadable:
        return _fail(store.read_only_reason or "could not read the bookmarks")
    _warn_after_load(store, changing=args.import_file is not None)
    try:
        if args.import_file is not None:
            return _import(store, args.import_file)
        bookmarks = store.bookmarks().values()
        if args.tag is not None and not any(has_tag(bookmark.tags, args.tag) for bookmark in bookmarks):
            _warn(f"no bookmark is tagged {args.tag}")
        if args.to_zotero:
            return _to_zotero([b for b in bookmarks if args.tag is None or has_tag(b.tags, args.tag)])
        _write_out(export(bookmarks, args.format, tag=args.tag))
    except StoreError as error:
        return _fail(str(error))
    except BrokenPipeError:
        # The reader (head, less) went away: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def _to_zotero(bookmarks: Sequence[Bookmark]) -> int:
    from tui.cli_zotero import send_bookmarks  # on first use: the HTTP client behind it

    outcome = send_bookmarks(bookmarks)
    if outcome.status:
        return _fail(outcome.line, status=outcome.status)
    _write_out(outcome.line + "\n")
    return 0


def _import(store: BookmarkStore, source: str) -> int:
    shown = "standard input" if source == "-" else display_path(source)
    try:
        raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if source == "-" else read_bytes(Path(source))
    except OSError as error:
        return _fail(f"cannot import {shown}: {error.strerror or error}")
    if raw is None:
        return _fail(f"cannot import {shown}: No such file or directory")
    try:
        incoming, skipped = parse_export(raw)
    except ShapeError as error:
        return _fail(f"cannot import {shown}: {error}")
    try:
        counts = store.merge_bookmarks(incoming)
    except StoreError as error:
        _warn_after_load(store, changing=True)  # a file moved aside meanwhile is still said
        return _fail(f"{NOT_SAVED}: {error}")
    for warning in store.take_warnings():
        _warn(warning)
    for key in counts.notes_merged:
        merged = store.get(key)
        title = merged.title if merged else key
        _warn(f"notes differ for {title!r} ({key}): kept both, the imported one after '{IMPORTED_NOTE_MARK}'")
    added, kept = counts.added, counts.kept
    summary = f"imported {added} new bookmark{'s' * (added != 1)} from {shown}, kept {kept} already bookmarked"
    said = []
    if counts.retagged:
        said.append(f"added tags to {counts.retagged} of them")
    if counts.notes_added:
        said.append(f"added the note of {counts.notes_added} of them")
    if differed := len(counts.notes_merged):
        said.append(f"{differed} note{'s' * (differed != 1)} differed: both kept")
    if said:
        summary += f" ({'; '.join(said)})"
    if skipped:
        summary += f", skipped {skipped} unreadable entr{'y' if skipped == 1 else 'ies'}"
    _write_out(f"{summary} ({display_path(store.path)})\n")
    return 0


def _restore(number: int, bookmarks: str | None, read_state: bool) -> int:
    """List the backups (*number* 0) or bring one back."""
    store: JsonStore[Any]
    if read_state:
        store = ReadStateStore(locations.read_state_path(bookmarks))
    else:
        store = BookmarkStore(Path(bookmarks) if bookmarks else None)
    store.load()  # an unreadable file is moved aside first, and said so
    if store.unreadable:
        return _fail(store.read_only_reason or f"could not read {display_path(store.path)}")
    _warn_after_load(store, changing=number != 0)
    if number == 0:
        _write_out(_backup_listing(store))
        return 0
    replaced = os.path.exists(store.path)
    try:
        count = store.restore(number)
    except StoreError as error:
        return _fail(f"{NOT_RESTORED}: {error}")
    noun = store.NOUN[0] if count == 1 else store.NOUN[1]
    kept = "; the version it replaced is backup 1 now" if replaced else ""
    _write_out(f"restored backup {number} ({count:,} {noun}) to {display_path(store.path)}{kept}\n")
    return 0


def _backup_listing(store: JsonStore[Any]) -> str:
    backups = store.backups()
    if not backups:
        return f"no backups of {display_path(store.path)} yet: one is kept at each change\n"
    lines = [f"backups of {display_path(store.path)}, newest first:"]
    for backup in backups:
        if backup.count is not None:
            what = f"{backup.count:,} {store.NOUN[0] if backup.count == 1 else store.NOUN[1]}"
        else:
            what = f"cannot be restored: {clean_line(backup.problem or 'unreadable')}"
        lines.append(f"  {backup.number}  {backup.modified:%Y-%m-%d %H:%M:%S}  {what}")
    command = store.restore_command("N")
    if command:
        lines.append(f"restore one with: {clean_line(command)}")
    return "\n".join(lines) + "\n"


def _warn_after_load(store: JsonStore[Any], *, changing: bool) -> None:
    """Print what loading the store said, except what the refused change is about to say.

    A read-only store refuses the change with the reason it gave at load: as a
    warning and again as the error, the one reason would be printed twice.
    """
    for warning in store.take_warnings():
        if not (changing and warning == store.read_only_reason):
            _warn(warning)


def _write_out(text: str) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {clean_line(message)}", file=sys.stderr)


def _fail(message: str, *, status: int = 1) -> int:
    print(f"{PROG}: error: {clean_line(message)}", file=sys.stderr)
    return status
