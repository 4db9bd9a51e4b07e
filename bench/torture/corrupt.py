"""Every way a bookmarks file can be broken or out of reach, met three ways.

Each case builds a data directory holding the broken store, three times over,
and meets it once through each door:

- **app**: :class:`tui.stores.persistence.Persistence`, what the reader runs at
  start (load) and on ``b`` (toggle a bookmark);
- **list**: ``digest-reader bookmarks --bookmarks PATH``;
- **import**: ``digest-reader bookmarks --import EXPORT --bookmarks PATH``.

After each, it checks: no traceback; the original bytes still exist somewhere
in reach (in place, moved aside, or copied); a file that must be left alone (a
symlink's target, a read-only or newer-version file, a full disk's file) has the
same inode, mode, time and bytes; the messages are one clear line; and the exit
status and whether the change went through are the ones ``docs/stores.md``
documents.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.torture.common import CaseResult, FileState, Finished, holders_of, one_line_messages, run_cli

CLI_PREFIX = "digest-reader bookmarks: "


class Skip(Exception):
    """The case cannot run here (no tmpfs, …); the message says why."""


@dataclass(frozen=True)
class Expect:
    """What each door must do with the case (``docs/stores.md``)."""

    load_messages: tuple[int, ...]
    """How many warnings the app may show at load."""
    change_allowed: bool
    """Whether the app's toggle and the CLI's import go through."""
    list_exit: tuple[int, ...]
    import_exit: tuple[int, ...]
    list_messages: tuple[int, ...]
    """How many different messages ``bookmarks`` (the listing) may print."""
    in_place: bool
    """The original must stay where it was, untouched (else it may be moved aside)."""
    names_link: bool = False
    """The app's message must name the link and its target."""


QUARANTINED = Expect((1,), True, (0,), (0,), (1,), in_place=False)
READ_ONLY = Expect((1,), False, (0,), (1,), (1,), in_place=True)


@dataclass
class Setup:
    """One data directory holding a broken store, ready for one door."""

    data_dir: Path
    path: Path
    """The bookmarks path given to the store (a symlink in the symlink cases)."""
    original: Path
    """Where the original bytes are: the path, or the symlink's target."""
    content: bytes | None
    """The original bytes (None when the original is a directory)."""
    search: list[Path] = field(default_factory=list)
    """Directories where the original bytes may legitimately be found afterwards."""
    export: Path | None = None
    """What the import door imports (None: the ordinary one-bookmark export)."""
    new_note_bytes: int = 0
    """The app door's change: a bookmark with a note this long (0: an ordinary toggle)."""


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, Path], Setup]
    """``build(case_dir, exports_dir)`` makes the data directory inside *case_dir*."""
    expect: Expect
    doors: tuple[str, ...] = ("app", "list", "import")
    quick_doors: tuple[str, ...] | None = None
    """The doors ``--quick`` uses when not all of them (a case that costs seconds a door)."""


# --------------------------------------------------------------------------- contents


def _golden() -> bytes:
    from digest_parser.models import Link, Paper
    from tui.stores.bookmarks import Bookmark, encode_bookmarks

    papers = [
        Paper(title=f"Kept paper {n}", abstract="", authors=("Ann Example",),
              links=(Link(f"https://github.com/example/p{n}", "code"),), source="digest.txt")
        for n in range(3)
    ]
    document = encode_bookmarks(Bookmark.from_paper(paper, note=f"note {n}") for n, paper in enumerate(papers))
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _export(directory: Path, name: str, note: str = "") -> Path:
    from digest_parser.models import Paper
    from tui.stores.bookmarks import Bookmark, encode_bookmarks

    bookmark = Bookmark.from_paper(Paper(title=f"Imported paper {name}", abstract="", source="x.txt"), note=note)
    path = directory / f"{name}.json"
    path.write_text(json.dumps(encode_bookmarks([bookmark]), ensure_ascii=False), encoding="utf-8")
    return path


def _cap() -> int:
    from tui.stores.files import MAX_FILE_BYTES

    return MAX_FILE_BYTES


def _data_dir(case_dir: Path) -> Path:
    data_dir = case_dir / "data"
    data_dir.mkdir(parents=True)
    return data_dir


def _plain(content: Callable[[], bytes]) -> Callable[[Path, Path], Setup]:
    def build(case_dir: Path, exports: Path) -> Setup:
        data_dir = _data_dir(case_dir)
        path = data_dir / "bookmarks.json"
        raw = content()
        path.write_bytes(raw)
        return Setup(data_dir, path, path, raw, [data_dir])

    return build


def _truncated() -> bytes:
    golden = _golden()
    return golden[: len(golden) // 2]


def _over_cap(case_dir: Path, exports: Path) -> Setup:
    """A file one byte over the cap. Sparse: the reader refuses it by size, whatever it holds."""
    data_dir = _data_dir(case_dir)
    path = data_dir / "bookmarks.json"
    head = b'{"version": 1, "bookmarks": [], "padding": "'
    path.write_bytes(head)
    os.truncate(path, _cap() + 1)
    return Setup(data_dir, path, path, head + bytes(_cap() + 1 - len(head)), [data_dir])


def _deep() -> bytes:
    depth = 200_000  # 400 kB of brackets, far past the JSON parser's recursion limit
    return b'{"version": 1, "bookmarks": ' + b"[" * depth + b"]" * depth + b"}\n"


def _newer() -> bytes:
    document = json.loads(_golden())
    document["version"] = 99
    return json.dumps(document).encode()


def _symlink(inside: bool) -> Callable[[Path, Path], Setup]:
    def build(case_dir: Path, exports: Path) -> Setup:
        data_dir = _data_dir(case_dir)
        target_dir = data_dir / "elsewhere" if inside else case_dir / "home"
        target_dir.mkdir()
        target = target_dir / ("notes.json" if inside else ".profile")
        raw = b"export PATH=$HOME/bin:$PATH  # not a bookmarks file\n"
        target.write_bytes(raw)
        target.chmod(0o600)
        path = data_dir / "bookmarks.json"
        path.symlink_to(target)
        return Setup(data_dir, path, target, raw, [data_dir, target_dir])

    return build


def _directory(case_dir: Path, exports: Path) -> Setup:
    data_dir = _data_dir(case_dir)
    path = data_dir / "bookmarks.json"
    path.mkdir()
    (path / "keep.txt").write_bytes(b"a file inside the directory")
    return Setup(data_dir, path, path, None, [data_dir])


def _read_only_file(case_dir: Path, exports: Path) -> Setup:
    data_dir = _data_dir(case_dir)
    path = data_dir / "bookmarks.json"
    raw = _golden()
    path.write_bytes(raw)
    path.chmod(0o444)
    return Setup(data_dir, path, path, raw, [data_dir])


def _over_cap_change(case_dir: Path, exports: Path) -> Setup:
    """A readable store holding one note of half the cap; the change adds another.

    Each half is just readable, together they are not. The files are written as
    raw JSON: building tens of megabytes through the store would cost seconds.
    """
    data_dir = _data_dir(case_dir)
    path = data_dir / "bookmarks.json"
    half = _cap() // 2 + 4096
    document = json.loads(_golden())
    document["bookmarks"][0]["note"] = "n" * half
    raw = json.dumps(document).encode()
    path.write_bytes(raw)
    export = exports / "big-note.json"
    if not export.exists():
        document["bookmarks"] = [{"title": "Imported paper with a long note", "note": "m" * half}]
        export.write_bytes(json.dumps(document).encode())
    return Setup(data_dir, path, path, raw, [data_dir], export=export, new_note_bytes=half)


# --------------------------------------------------------------------------- mounts


def _can_mount() -> str | None:
    """None when a tmpfs can be mounted here, else why not."""
    if os.geteuid() != 0:
        return "needs root to mount a tmpfs"
    if shutil.which("mount") is None:
        return "no mount command"
    return None


def _mount_tmpfs(directory: Path, size: str) -> None:
    completed = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(directory)],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise Skip(f"could not mount a tmpfs: {completed.stderr.strip()[:80]}")


def _unmount(directory: Path) -> None:
    if subprocess.run(["umount", str(directory)], capture_output=True, check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True, check=False)


def _read_only_directory(case_dir: Path, exports: Path) -> Setup:
    """A store in a directory the user cannot write: as root (who ignores 0555) a read-only tmpfs."""
    data_dir = _data_dir(case_dir)
    path = data_dir / "bookmarks.json"
    raw = _golden()
    if os.geteuid() == 0:
        if reason := _can_mount():
            raise Skip(reason)
        _mount_tmpfs(data_dir, "256k")
        path.write_bytes(raw)
        if subprocess.run(["mount", "-o", "remount,ro", str(data_dir)], capture_output=True, check=False).returncode:
            _unmount(data_dir)
            raise Skip("could not remount the tmpfs read-only")
    else:
        path.write_bytes(raw)
        data_dir.chmod(0o555)
    return Setup(data_dir, path, path, raw, [data_dir])


def _full_disk(case_dir: Path, exports: Path) -> Setup:
    """A store on a 64 KiB tmpfs filled to the last byte."""
    if reason := _can_mount():
        raise Skip(reason)
    data_dir = _data_dir(case_dir)
    _mount_tmpfs(data_dir, "64k")
    path = data_dir / "bookmarks.json"
    raw = _golden()
    path.write_bytes(raw)
    filler = os.open(data_dir / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(filler, b"\0" * 512)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            _unmount(data_dir)
            raise
    finally:
        os.close(filler)
    return Setup(data_dir, path, path, raw, [data_dir])


def _release(setup: Setup) -> None:
    """Undo what a build did to the filesystem (mounts, modes) so the directory can be removed."""
    if os.path.ismount(setup.data_dir):
        _unmount(setup.data_dir)
    try:
        if stat.S_IMODE(os.stat(setup.data_dir).st_mode) == 0o555:
            setup.data_dir.chmod(0o700)
    except OSError:
        pass


CASES: tuple[Case, ...] = (
    Case("truncated", _plain(_truncated), QUARANTINED),
    Case("not JSON", _plain(lambda: b"these are not the bookmarks you are looking for\n"), QUARANTINED),
    Case("not UTF-8", _plain(lambda: b'{"version": 1, "bookmarks": [{"title": "caf\xe9"}]}'), QUARANTINED),
    Case("NaN", _plain(lambda: b'{"version": 1, "bookmarks": [], "x": NaN}'), QUARANTINED),
    Case("wrong shape", _plain(lambda: b'{"version": 1, "bookmarks": {"a": 1}}'), QUARANTINED),
    Case("newer version", _plain(_newer), READ_ONLY),
    Case("over the size cap", _over_cap, QUARANTINED),
    Case("deep nesting", _plain(_deep), QUARANTINED),
    Case("symlink inside data dir", _symlink(inside=True), Expect((1,), False, (0, 1), (1,), (1,), True, names_link=True)),
    Case("symlink outside data dir", _symlink(inside=False), Expect((1,), False, (0, 1), (1,), (1,), True, names_link=True)),
    Case("directory", _directory, Expect((1,), False, (1,), (1,), (1,), in_place=True)),
    Case("read-only file", _read_only_file, READ_ONLY),
    Case("read-only directory", _read_only_directory, Expect((0, 1), False, (0,), (1,), (0, 1), in_place=True)),
    Case("full disk", _full_disk, Expect((0,), False, (0,), (1,), (0,), in_place=True)),
    Case("change crossing the cap", _over_cap_change, Expect((0,), False, (0,), (1,), (0,), in_place=True),
         doors=("app", "import"), quick_doors=("app",)),
)


# --------------------------------------------------------------------------- doors


def _app_door(setup: Setup, case: Case, result: CaseResult) -> None:
    """Load and change the store the way the reader does, through Persistence."""
    from digest_parser.models import Paper
    from tui.stores.persistence import Persistence, StoreSnapshot

    snapshots: list[StoreSnapshot] = []
    persistence = Persistence(snapshots.append, str(setup.path))
    paper = Paper(title="A paper bookmarked in the app", abstract="", source="digest.txt")
    try:
        persistence.load()
        persistence.wait_until_idle(timeout=60)
        if setup.new_note_bytes:
            persistence.set_note(paper, "o" * setup.new_note_bytes)
        else:
            persistence.toggle_bookmark(paper)
        persistence.wait_until_idle(timeout=60)
    except Exception as error:  # what the user would see as a traceback
        result.tracebacks += 1
        result.note(f"app: {type(error).__name__}: {str(error)[:80]}")
        return
    finally:
        persistence.close()
    if len(snapshots) != 2:
        result.tracebacks += 1
        result.note(f"app: {2 - len(snapshots)} operation(s) failed without a message (an exception escaped)")
        return
    loaded, changed = snapshots
    messages = [*loaded.warnings, *([loaded.error] if loaded.error else [])]
    result.messages += [f"app load: {message}" for message in messages]
    result.messages += [f"app change: {changed.error}"] if changed.error else []
    ok = len(messages) in case.expect.load_messages and all("\n" not in m for m in messages)
    if ok and case.expect.names_link and messages:
        ok = setup.path.name in messages[0] and setup.original.name in messages[0]
    result.check_messages(ok, f"app load: {len(messages)} message(s): {' | '.join(m[:70] for m in messages)}")
    refused = changed.error is not None
    if refused == case.expect.change_allowed:
        result.note(f"app change: {'refused' if refused else 'went through'}: {(changed.error or changed.info or '')[:70]}")
    result.check_messages(not refused or "\n" not in (changed.error or ""), "app change: multi-line error")


def _list_door(setup: Setup, case: Case, result: CaseResult) -> None:
    finished = run_cli(["bookmarks", "--bookmarks", str(setup.path)], setup.data_dir)
    _cli_checks("list", finished, case.expect.list_exit, case.expect.list_messages, result)


def _import_door(setup: Setup, case: Case, result: CaseResult, exports: Path) -> None:
    export = setup.export or _export(exports, "one")
    finished = run_cli(["bookmarks", "--import", str(export), "--bookmarks", str(setup.path)], setup.data_dir)
    refused = finished.status != 0
    messages = (1,) if refused or case.expect.list_messages == (1,) else (0,)
    _cli_checks("import", finished, case.expect.import_exit, messages, result)


def _cli_checks(door: str, finished: Finished, exits: tuple[int, ...], messages: tuple[int, ...], result: CaseResult) -> None:
    if finished.traceback:
        result.tracebacks += 1
        result.note(f"{door}: traceback")
    result.check_exit(finished.status, exits, door)
    lines = finished.stderr_lines()
    result.messages += [f"{door}: {line}" for line in lines]
    if not lines:
        result.check_messages(0 in messages, f"{door}: no message")
        return
    ok, why = one_line_messages(lines, CLI_PREFIX)
    result.check_messages(ok and 1 in messages, f"{door}: {why or f'{len(lines)} line(s) where none was expected'}")


def _after(setup: Setup, case: Case, before: FileState | None, result: CaseResult, door: str) -> None:
    """The original is still in reach, and left alone where the case says it must be."""
    if setup.content is None:
        if not (setup.original.is_dir() and (setup.original / "keep.txt").exists()):
            result.originals_lost += 1
            result.note(f"{door}: the directory was moved or emptied")
    elif not holders_of(setup.content, setup.search):
        result.originals_lost += 1
        result.note(f"{door}: the original bytes are nowhere")
    if case.expect.in_place and setup.content is not None and FileState.of(setup.original) != before:
        result.touched += 1
        result.note(f"{door}: {setup.original.name} was renamed or rewritten")
    if setup.original != setup.path and not (setup.path.is_symlink() and Path(os.readlink(setup.path)) == setup.original):
        result.touched += 1
        result.note(f"{door}: the symlink was replaced")


def run_case(case: Case, work: Path, *, quick: bool = False) -> CaseResult:
    """Meet one broken store through each of its doors: the app, the listing, the import."""
    result = CaseResult("corrupt", case.name)
    exports = work / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    meetings: dict[str, Callable[[Setup], None]] = {
        "app": lambda s: _app_door(s, case, result),
        "list": lambda s: _list_door(s, case, result),
        "import": lambda s: _import_door(s, case, result, exports),
    }
    for door in (case.quick_doors or case.doors) if quick else case.doors:
        meet = meetings[door]
        case_dir = work / "corrupt" / case.name.replace(" ", "-") / door
        case_dir.mkdir(parents=True)
        try:
            setup = case.build(case_dir, exports)
        except Skip as reason:
            result.skipped = str(reason)
            return result
        try:
            before = FileState.of(setup.original)
            meet(setup)
            result.runs += 1
            _after(setup, case, before, result, door)
        finally:
            _release(setup)
    return result


def run_corrupt_cases(work: Path, *, quick: bool = False, names: set[str] | None = None) -> list[CaseResult]:
    """Every case of :data:`CASES` (or only those named)."""
    return [run_case(case, work, quick=quick) for case in CASES if names is None or case.name in names]

