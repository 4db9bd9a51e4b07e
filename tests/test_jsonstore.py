"""The shared durable-file mechanism (docs/stores.md), driven through the real
stores: atomic writes, quarantine of unreadable files, read-only newer versions,
permissions, symlinks, locking, and several processes at once."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import filelock
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.models import Paper
from tui.stores import locations
from tui.stores.bookmarks import FORMAT_VERSION as BOOKMARKS_VERSION
from tui.stores.bookmarks import BookmarkStore
from tui.stores.jsonstore import StoreError, decode_document
from tui.stores.readstate import ReadStateStore

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"
WORKER = Path(__file__).parent / "store_worker.py"

UNREADABLE = [
    "bad_json_truncated.json",
    "bad_utf8.json",
    "top_null.json",
    "top_array.json",
    "empty_file.json",
    "bookmarks_not_array.json",
    "version_string.json",
    "version_missing.json",
    "nan_value.json",
    "infinity_value.json",
]


def make_paper(n: int, prefix: str = "p") -> Paper:
    return Paper(title=f"{prefix} paper number {n}", abstract="", authors=("Ann Example",), source="t.txt")


@pytest.fixture
def path(isolated_data_dir: Path) -> Path:
    return isolated_data_dir / "bookmarks.json"


def strict_load(path: Path) -> dict:
    """Parse a store file the strictest way: must be a valid document of the version this program writes."""
    document, version = decode_document(path.read_bytes())
    assert version == (BOOKMARKS_VERSION if "bookmarks" in document else 1)
    return document


def quarantined(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def temp_files(directory: Path) -> list[str]:
    return [name for name in os.listdir(directory) if name.endswith(".tmp")]


# --------------------------------------------------------------------- quarantine


@pytest.mark.parametrize("case", UNREADABLE)
def test_unreadable_file_is_moved_aside_untouched_and_never_overwritten(path: Path, case: str) -> None:
    original = (FIXTURES / case).read_bytes()
    path.write_bytes(original)
    store = BookmarkStore(path)

    report = store.load()

    [moved] = quarantined(path)
    assert moved.read_bytes() == original
    assert not path.exists()
    assert store.bookmarks() == {}
    assert not report.read_only
    assert len(report.warnings) == 1 and str(moved) in report.warnings[0]
    moved_mtime = moved.stat().st_mtime_ns

    assert store.add(make_paper(1))

    assert [b["title"] for b in strict_load(path)["bookmarks"]] == ["p paper number 1"]
    assert quarantined(path) == [moved]
    assert moved.read_bytes() == original and moved.stat().st_mtime_ns == moved_mtime


def test_partly_unreadable_file_keeps_readable_entries_and_the_original_bytes(path: Path) -> None:
    original = (FIXTURES / "partial_entries.json").read_bytes()
    path.write_bytes(original)
    store = BookmarkStore(path)

    report = store.load()

    [moved] = quarantined(path)
    assert moved.read_bytes() == original
    assert "4 unreadable entries" in report.warnings[0] and str(moved) in report.warnings[0]
    assert list(store.bookmarks()) == ["arxiv:2603.00101"]
    # The readable entry is already back on disk: another instance must see it.
    assert [b["key"] for b in strict_load(path)["bookmarks"]] == ["arxiv:2603.00101"]
    assert strict_load(path)["bookmarks"][0]["note"] == "read section 3 again"


def test_file_corrupted_while_running_is_moved_aside_at_the_next_change(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    path.write_bytes(b'{"version": 1, "bookmarks": [')  # another program breaks it

    store.add(make_paper(2))

    [moved] = quarantined(path)
    assert moved.read_bytes() == b'{"version": 1, "bookmarks": ['
    assert [b["title"] for b in strict_load(path)["bookmarks"]] == ["p paper number 2"]
    [warning] = store.take_warnings()
    assert str(moved) in warning


def test_a_corrupt_file_locked_elsewhere_at_load_is_moved_aside_at_the_next_change(path: Path) -> None:
    path.write_bytes(b"{oops")
    store = BookmarkStore(path, lock_timeout=0.01)
    with filelock.FileLock(str(path) + ".lock"):
        [warning] = store.load().warnings
    assert "it will be moved aside at the next change, not now: bookmarks are locked" in warning
    assert path.read_bytes() == b"{oops" and quarantined(path) == []
    store.add(make_paper(1))
    [moved] = quarantined(path)
    assert moved.read_bytes() == b"{oops" and len(strict_load(path)["bookmarks"]) == 1


def test_two_quarantines_in_the_same_second_keep_both_files(path: Path) -> None:
    store = BookmarkStore(path)
    path.write_bytes(b"first broken")
    store.load()
    path.write_bytes(b"second broken")
    store.load()
    assert sorted(p.read_bytes() for p in quarantined(path)) == [b"first broken", b"second broken"]


def test_bom_is_accepted_and_not_written_back(path: Path) -> None:
    path.write_bytes((FIXTURES / "bom_prefixed.json").read_bytes())
    store = BookmarkStore(path)
    assert store.load().warnings == ()
    assert list(store.bookmarks()) == ["arxiv:2603.00101"]
    store.add(make_paper(1))
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert quarantined(path) == []


def test_a_directory_at_the_path_makes_the_store_read_only_and_is_left_alone(path: Path) -> None:
    path.mkdir()
    store = BookmarkStore(path)
    report = store.load()
    assert report.read_only and store.unreadable
    assert "not a regular file" in report.warnings[0]
    with pytest.raises(StoreError, match="read-only"):
        store.add(make_paper(1))
    assert path.is_dir() and quarantined(path) == []


def test_a_fifo_at_the_path_does_not_block(path: Path) -> None:
    os.mkfifo(path)
    store = BookmarkStore(path)
    assert store.load().read_only  # would hang forever on a blocking open
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


# --------------------------------------------------------------------- newer versions


def test_newer_version_is_read_only_and_never_rewritten(path: Path) -> None:
    original = (FIXTURES / "newer_version.json").read_bytes()
    path.write_bytes(original)
    mtime = path.stat().st_mtime_ns
    store = BookmarkStore(path)

    report = store.load()

    assert report.read_only and store.read_only and not store.unreadable
    assert "newer version" in report.warnings[0]
    assert list(store.bookmarks()) == ["arxiv:2603.00101"]  # still shown
    attempts = [
        lambda: store.add(make_paper(1)),
        lambda: store.toggle(make_paper(1)),
        lambda: store.remove("arxiv:2603.00101"),
        lambda: store.set_note("arxiv:2603.00101", "x"),
        lambda: store.import_bookmarks([]),
    ]
    for attempt in attempts:
        with pytest.raises(StoreError, match="is read-only: it was written by a newer version"):
            attempt()
    assert path.read_bytes() == original and path.stat().st_mtime_ns == mtime
    assert quarantined(path) == [] and temp_files(path.parent) == []


def test_file_upgraded_by_a_newer_version_while_running_is_not_overwritten(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    newer = (FIXTURES / "newer_version.json").read_bytes()
    path.write_bytes(newer)
    with pytest.raises(StoreError, match="read-only"):
        store.add(make_paper(2))
    assert path.read_bytes() == newer and store.read_only


# --------------------------------------------------------------------- changing a file: atomic writes


def test_failed_rename_leaves_the_old_file_and_no_temp_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    before = path.read_bytes()
    listing = sorted(os.listdir(path.parent))

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StoreError) as refused:
        store.add(make_paper(2))

    # Said plainly, then in the system's words, like the other messages.
    assert str(refused.value) == f"could not write {path}: the disk is full (No space left on device)"
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == listing
    assert not store.is_bookmarked(make_paper(2).key)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name file descriptors")
def test_write_order_is_fsync_file_then_rename_then_fsync_directory(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = BookmarkStore(path)
    store.load()
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(("replace", f"{src} -> {dst}"))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.add(make_paper(1))

    [(kind0, temp), (kind1, rename), (kind2, directory)] = events
    assert (kind0, kind1, kind2) == ("fsync", "replace", "fsync")
    assert Path(temp).parent == path.parent and temp.endswith(".tmp")
    assert rename == f"{temp} -> {path}"
    assert directory == str(path.parent)


def test_unencodable_value_leaves_the_file_unchanged(path: Path) -> None:
    from tui.stores.bookmarks import Bookmark

    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    before = path.read_bytes()

    with pytest.raises(StoreError) as caught:
        store.import_bookmarks([Bookmark(key="title:caf", title="Caf\udce9")])

    assert "U+DCE9" in str(caught.value) and "not changed" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before and temp_files(path.parent) == []
    assert not store.is_bookmarked("title:caf")


def test_stale_temp_files_from_a_killed_writer_are_removed_under_the_lock(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    stale = path.parent / ".bookmarks.json.k3j_9x2a.tmp"
    unrelated = path.parent / ".bookmarks.json.keep"
    stale.write_bytes(b'{"half')
    unrelated.write_bytes(b"mine")
    store.add(make_paper(1))
    assert not stale.exists() and unrelated.read_bytes() == b"mine"


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=60)
    return child.pid


def test_opening_the_store_removes_temp_files_no_live_writer_holds(path: Path) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        names = {
            "dead": f".bookmarks.json.{dead_pid()}.k3j_9x2a.tmp",
            "live": f".bookmarks.json.{alive.pid}.k3j_9x2a.tmp",
            "old": ".bookmarks.json.abcd1234.tmp",  # no pid in the name (an older version): by age
            "recent": ".bookmarks.json.efgh5678.tmp",
            "other store": f".read.json.{dead_pid()}.k3j_9x2a.tmp",
            "not ours": f".bookmarks.json.{dead_pid()}.keep",
        }
        for name in names.values():
            (path.parent / name).write_bytes(b'{"half')
        hour_ago = time.time() - 3600
        os.utime(path.parent / names["old"], (hour_ago, hour_ago))

        BookmarkStore(path).load()  # no change: opening is enough

        left = {label for label, name in names.items() if (path.parent / name).exists()}
        assert left == {"live", "recent", "other store", "not ours"}
    finally:
        alive.stdin.close()
        alive.wait(timeout=60)


def test_temp_file_names_carry_the_writers_pid(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed: list[str] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        renamed.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    assert renamed[0].startswith(f".bookmarks.json.{os.getpid()}.") and renamed[0].endswith(".tmp")


# --------------------------------------------------------------------- re-reading only what changed


def count_calls(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[int]:
    calls = [0]
    real = getattr(cls, name)

    def counted(self: object, *args: object) -> object:
        calls[0] += 1
        return real(self, *args)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_a_change_parses_the_file_only_when_another_program_changed_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    decodes = count_calls(monkeypatch, BookmarkStore, "_decode")
    for n in range(1, 4):
        store.add(make_paper(n))
    assert decodes == [0]  # the bytes are the ones it wrote: nothing to parse

    other = BookmarkStore(path)
    other.load()
    other.add(make_paper(9, "theirs"))
    decodes[0] = 0
    store.add(make_paper(4))
    assert decodes == [1]
    assert {b["title"] for b in strict_load(path)["bookmarks"]} >= {"theirs paper number 9", "p paper number 4"}


def test_an_edit_that_keeps_size_inode_and_mtime_is_still_noticed(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    info = path.stat()
    edited = path.read_bytes().replace(b"p paper number 1", b"q paper number 1")
    with open(path, "r+b") as handle:  # in place: same inode, same size
        handle.write(edited)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    store.add(make_paper(2))

    assert [b["title"] for b in strict_load(path)["bookmarks"]] == ["q paper number 1", "p paper number 2"]


def test_a_change_encodes_only_the_entries_it_changed(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.stores.bookmarks import Bookmark
    from tui.stores.jsonstore import encode_document

    seed = BookmarkStore(path)
    seed.load()
    seed.import_bookmarks(Bookmark.from_paper(make_paper(n)) for n in range(50))
    store = BookmarkStore(path)
    store.load()
    encoded = count_calls(monkeypatch, BookmarkStore, "_entry_line")
    store.add(make_paper(50))
    store.set_note(make_paper(3).key, "changed")
    store.remove(make_paper(7).key)
    assert encoded == [2]
    document = strict_load(path)
    assert path.read_bytes() == encode_document(document, what="bookmarks")  # byte for byte what a full encode gives
    assert len(document["bookmarks"]) == 50 and document["bookmarks"][3]["note"] == "changed"


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["set", "pop", "del", "setdefault", "update", "popitem", "clear"]), st.integers(0, 6)),
    max_size=12,
)


@given(before=st.lists(st.integers(0, 6), unique=True, max_size=6), changes=st.lists(OPERATIONS, max_size=4))
def test_any_change_writes_what_a_full_encode_of_its_entries_gives(before: list[int], changes: list) -> None:
    from tui.stores.jsonstore import encode_document

    with tempfile.TemporaryDirectory() as scratch:
        store = ReadStateStore(Path(scratch) / "read.json")
        store.load()
        store.mark([f"k{n}" for n in before])
        expected = dict(store._snapshot())
        for operations in changes:

            def change(entries: dict[str, str], operations: list = operations) -> None:
                for name, n in operations:
                    key, value = f"k{n}", f"2026-03-1{n}T00:00:00Z"
                    if name == "set":
                        entries[key] = value
                    elif name == "pop":
                        entries.pop(key, None)
                    elif name == "del" and key in entries:
                        del entries[key]
                    elif name == "setdefault":
                        entries.setdefault(key, value)
                    elif name == "update":
                        entries.update({key: value})
                    elif name == "popitem" and entries:
                        entries.popitem()
                    elif name == "clear":
                        entries.clear()

            store._change(change)
            changed = dict(expected)
            change(changed)
            if changed != expected:  # equal entries in another order are no change: nothing is written
                expected = changed
            raw = store.path.read_bytes() if store.path.exists() else None
            if raw is not None:
                assert raw == encode_document({"version": 1, "read": expected}, what="read state")
            assert list(store._snapshot().items()) == list(expected.items())


def test_the_file_is_one_entry_a_line(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    store.add(make_paper(2), note="two\nlines")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"version": 2, "bookmarks": ['
    assert [json.loads(line.rstrip(","))["title"] for line in lines[1:-1]] == ["p paper number 1", "p paper number 2"]
    assert lines[-1] == "]}"
    reads = ReadStateStore(path.parent / "read.json")
    reads.load()
    reads.mark(["a", "b"], now=None)
    read_lines = (path.parent / "read.json").read_text(encoding="utf-8").splitlines()
    assert read_lines[0] == '{"version": 1, "read": {' and read_lines[-1] == "}}" and len(read_lines) == 4


# --------------------------------------------------------------------- location, modes and symlinks


def test_default_location_follows_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG paths are the Linux default")
    monkeypatch.delenv(locations.DATA_DIR_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert BookmarkStore().path == tmp_path / "xdg" / "digest-reader" / "bookmarks.json"
    assert ReadStateStore().path == tmp_path / "xdg" / "digest-reader" / "read.json"


def test_overrides_take_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(locations.DATA_DIR_ENV, str(tmp_path / "data"))
    assert locations.bookmarks_path() == tmp_path / "data" / "bookmarks.json"
    monkeypatch.setenv(locations.BOOKMARKS_ENV, str(tmp_path / "env.json"))
    assert locations.bookmarks_path() == tmp_path / "env.json"
    assert locations.bookmarks_path(tmp_path / "cli.json") == tmp_path / "cli.json"
    assert locations.read_state_path(tmp_path / "x" / "cli.json") == tmp_path / "x" / "read.json"


def test_nothing_is_created_until_the_first_change(isolated_data_dir: Path) -> None:
    nested = isolated_data_dir / "new" / "deeper"
    store = BookmarkStore(nested / "bookmarks.json")
    store.load()
    store.refresh_if_changed()
    assert not (isolated_data_dir / "new").exists()


def test_new_directories_are_0700_and_new_file_0600(isolated_data_dir: Path) -> None:
    store = BookmarkStore(isolated_data_dir / "new" / "deeper" / "bookmarks.json")
    store.load()
    store.add(make_paper(1))
    for directory in (isolated_data_dir / "new", isolated_data_dir / "new" / "deeper"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(str(store.path) + ".lock").stat().st_mode) == 0o600


def test_existing_file_mode_is_preserved(path: Path) -> None:
    path.write_bytes(b'{"version": 1, "bookmarks": []}')
    path.chmod(0o640)
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_symlinked_file_stays_a_symlink_and_its_target_is_updated(path: Path, tmp_path: Path) -> None:
    target_dir = tmp_path / "dotfiles"
    target_dir.mkdir()
    target = target_dir / "my-bookmarks.json"
    first = BookmarkStore(target)
    first.load()
    first.add(make_paper(1))
    path.symlink_to(target)

    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(2))

    assert path.is_symlink() and os.readlink(path) == str(target)
    assert len(strict_load(target)["bookmarks"]) == 2
    assert temp_files(path.parent) == [] and temp_files(target_dir) == []


def directory_state(directory: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """Every file in *directory* with its inode, mode, mtime and bytes: to prove nothing was touched."""
    state = {}
    for name in sorted(os.listdir(directory)):
        info = os.lstat(directory / name)
        content = (directory / name).read_bytes() if stat.S_ISREG(info.st_mode) else b""
        state[name] = (info.st_ino, info.st_mode, info.st_mtime_ns, content)
    return state


@pytest.mark.parametrize(
    "foreign",
    [b"export PATH=$HOME/bin:$PATH\n", b"root:x:0:0:root:/root:/bin/bash\n", b'{"version": 1, "bookmarks": {}}', b""],
    ids=["dotfile", "passwd", "wrong-shape", "empty"],
)
def test_symlink_to_a_file_that_is_not_a_store_is_read_only_and_nothing_outside_is_touched(
    path: Path, tmp_path: Path, foreign: bytes
) -> None:
    outside = tmp_path / "home"
    outside.mkdir()
    target = outside / ".profile"
    target.write_bytes(foreign)
    target.chmod(0o600)
    path.symlink_to(target)
    before = directory_state(outside)
    store = BookmarkStore(path)

    report = store.load()

    assert report.read_only and store.read_only and store.unreadable
    [warning] = report.warnings
    assert str(path) in warning and str(target) in warning and "symlink" in warning
    with pytest.raises(StoreError, match="is read-only: it is a symlink to"):
        store.add(make_paper(1))
    assert store.refresh_if_changed() is None  # nothing changed: no second warning every poll
    assert directory_state(outside) == before  # not renamed, not rewritten, no lock or copy beside it
    assert os.listdir(path.parent) == ["bookmarks.json"] and path.is_symlink()


def test_symlinked_file_with_unreadable_entries_is_copied_beside_the_link_and_the_target_kept(
    path: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "dotfiles"
    outside.mkdir()
    target = outside / "bookmarks.json"
    original = (FIXTURES / "partial_entries.json").read_bytes()
    target.write_bytes(original)
    target.chmod(0o600)
    path.symlink_to(target)
    store = BookmarkStore(path)

    report = store.load()

    [copy] = quarantined(path)  # in the data directory, beside the link
    assert copy.read_bytes() == original and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert quarantined(target) == []
    assert str(path) in report.warnings[0] and str(target) in report.warnings[0] and str(copy) in report.warnings[0]
    assert path.is_symlink() and os.readlink(path) == str(target)
    assert [b["key"] for b in strict_load(target)["bookmarks"]] == ["arxiv:2603.00101"]  # a bookmarks file: kept up
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_symlink_target_broken_while_running_refuses_the_change_and_is_left_alone(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    path.symlink_to(target)
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    target.write_bytes(b"# not bookmarks any more\n")
    before = directory_state(tmp_path)

    with pytest.raises(StoreError, match="is read-only: it is a symlink to"):
        store.add(make_paper(2))

    assert directory_state(tmp_path) == before and quarantined(path) == []
    target.write_bytes(b'{"version": 1, "bookmarks": []}')  # the user puts it right
    assert store.refresh_if_changed() is not None and not store.read_only
    store.add(make_paper(3))
    assert len(strict_load(target)["bookmarks"]) == 1


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
@pytest.mark.parametrize("linked", [False, True], ids=["file", "symlink"])
def test_a_quarantined_file_is_never_readable_by_more_users_than_the_original(
    path: Path, tmp_path: Path, mode: int, linked: bool
) -> None:
    real = tmp_path / "target.json" if linked else path
    real.write_bytes((FIXTURES / "partial_entries.json").read_bytes())
    real.chmod(mode)
    if linked:
        path.symlink_to(real)
    BookmarkStore(path).load()
    [moved] = quarantined(path)
    assert stat.S_IMODE(moved.stat().st_mode) & ~mode == 0
    assert stat.S_IMODE(real.stat().st_mode) == mode  # the fresh file keeps the original's mode too


# --------------------------------------------------------------------- write-protected files


def test_a_write_protected_file_is_read_only_and_left_as_it_is(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    path.chmod(0o444)
    before = directory_state(path.parent)

    report = BookmarkStore(path).load()
    assert report.read_only and "write-protected (mode 0444)" in report.warnings[0] and str(path) in report.warnings[0]

    assert store.refresh_if_changed() is not None and store.read_only  # the running instance notices the chmod
    with pytest.raises(StoreError, match="is read-only: the file is write-protected"):
        store.add(make_paper(2))
    assert directory_state(path.parent) == before

    path.chmod(0o644)  # made writable again while running
    assert store.refresh_if_changed() is not None and not store.read_only
    store.add(make_paper(2))
    assert len(strict_load(path)["bookmarks"]) == 2


def test_a_file_made_read_only_while_running_is_said_once_by_the_refused_change(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    path.write_bytes((FIXTURES / "newer_version.json").read_bytes())
    with pytest.raises(StoreError, match="newer version"):
        store.add(make_paper(2))
    assert store.take_warnings() == ()  # the error says it; a warning saying it again would be noise
    with pytest.raises(StoreError, match="newer version"):
        store.add(make_paper(2))


def test_a_write_protected_unreadable_file_is_not_moved_aside(path: Path) -> None:
    path.write_bytes(b"{broken")
    path.chmod(0o444)
    before = directory_state(path.parent)
    report = BookmarkStore(path).load()
    assert report.read_only and "write-protected" in report.warnings[0] and "not valid JSON" in report.warnings[0]
    assert directory_state(path.parent) == before


def test_a_write_protected_read_state_is_read_only(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "read.json"
    path.write_bytes(b'{"version": 1, "read": {"a": "2026-03-14T12:00:00Z"}}')
    path.chmod(0o400)
    store = ReadStateStore(path)
    assert store.load().read_only and store.is_read("a")
    with pytest.raises(StoreError, match="write-protected"):
        store.mark(["b"])
    assert json.loads(path.read_bytes())["read"] == {"a": "2026-03-14T12:00:00Z"}


def test_a_json_error_says_where_with_one_at() -> None:
    with pytest.raises(ValueError) as cut:
        decode_document(b'{"version": 1, "bookmarks": [{"title": "cut off')
    # json's own message ends in "at": no second one before the place.
    assert str(cut.value) == "not valid JSON (Unterminated string starting at line 1 column 40)"
    with pytest.raises(ValueError) as empty:
        decode_document(b"nothing")
    assert str(empty.value) == "not valid JSON (Expecting value at line 1 column 1)"


def deny_writes_to(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Make *directory* read-only for this process, whoever runs the test (root ignores mode 0555)."""
    from tui.stores import files

    real_access = os.access
    monkeypatch.setattr(
        files.os, "access", lambda p, how, **kw: False if Path(p) == directory and how & os.W_OK else real_access(p, how, **kw)
    )


def test_a_store_in_a_read_only_folder_says_the_folder_is_read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(1))
    path.parent.chmod(0o555)
    try:
        if os.geteuid() == 0:
            deny_writes_to(monkeypatch, path.parent)
        before = directory_state(path.parent)

        report = BookmarkStore(path).load()
        [warning] = report.warnings
        assert report.read_only
        assert warning == (
            f"{path} is read-only: its folder {path.parent} is read-only (mode 0555); "
            "make the folder writable to save changes"
        )
        assert "write-protected" not in warning  # the file's own mode (0600) is not the reason
        with pytest.raises(StoreError, match="its folder .* is read-only"):
            store.add(make_paper(2))  # the running instance: refused at the next change
        assert directory_state(path.parent) == before
    finally:
        path.parent.chmod(0o700)
    monkeypatch.undo()

    # The folder made writable again: the file is the same, the next refresh still notices.
    assert store.refresh_if_changed() is not None and not store.read_only
    store.add(make_paper(2))
    assert len(strict_load(path)["bookmarks"]) == 2


def test_a_store_on_a_read_only_filesystem_says_the_filesystem_is_read_only(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.stores import files

    BookmarkStore(path).add(make_paper(1))
    real_statvfs = os.statvfs

    def read_only_mount(where: object) -> object:
        result = real_statvfs(where)
        return type("Mounted", (), {"f_flag": result.f_flag | os.ST_RDONLY})()

    monkeypatch.setattr(files.os, "statvfs", read_only_mount)
    deny_writes_to(monkeypatch, path.parent)  # what EROFS does to access(W_OK), even for root
    store = BookmarkStore(path)
    [warning] = store.load().warnings
    assert warning == (
        f"{path} is read-only: the filesystem holding {path.parent} is mounted read-only; "
        "remount it read-write to save changes"
    )
    with pytest.raises(StoreError, match="mounted read-only"):
        store.add(make_paper(2))


def test_a_write_on_a_filesystem_gone_read_only_says_so(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    store = BookmarkStore(path)
    store.add(make_paper(1))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(StoreError, match=r"could not write .*: the filesystem is read-only \(Read-only file system\)"):
        store.add(make_paper(2))


# --------------------------------------------------------------------- size limit


def test_a_change_that_would_cross_the_size_limit_is_refused_and_the_file_kept(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.stores import jsonstore

    monkeypatch.setattr(jsonstore, "MAX_FILE_BYTES", 64 * 1024)
    store = BookmarkStore(path)
    store.load()
    note = "a long note " * 1000  # 12 kB a bookmark
    acknowledged: list[str] = []
    with pytest.raises(StoreError) as refused:
        for n in range(20):
            store.add(make_paper(n), note=note)
            acknowledged.append(make_paper(n).key)
    message = str(refused.value)
    assert "over the" in message and "the file was not changed" in message and "\n" not in message
    # In bytes, so that the size is visibly over (in MiB both could read "0.1").
    size = int(re.search(r"would take ([\d,]+) bytes, over the 65,536 bytes", message)[1].replace(",", ""))
    assert size > 64 * 1024
    assert 3 <= len(acknowledged) < 20
    before = path.read_bytes()
    assert len(before) <= 64 * 1024

    fresh = BookmarkStore(path)  # what the next start sees: everything that was acknowledged
    assert fresh.load().warnings == () and list(fresh.bookmarks()) == acknowledged
    assert list(store.bookmarks()) == acknowledged and path.read_bytes() == before


def test_a_file_near_the_limit_that_would_be_written_larger_still_loads(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.stores import jsonstore

    entries = [{"title": f"paper {n}", "authors": ["A", "B", "C"]} for n in range(50)]
    compact = json.dumps({"version": 1, "bookmarks": entries}, separators=(",", ":")).encode()
    path.write_bytes(compact)
    monkeypatch.setattr(jsonstore, "MAX_FILE_BYTES", len(compact) + 1)  # readable; our spacing would not fit
    store = BookmarkStore(path)
    assert store.load().warnings == () and len(store.bookmarks()) == 50  # loading never raises
    with pytest.raises(StoreError, match="over the"):
        store.add(make_paper(1))
    assert path.read_bytes() == compact


def test_the_scale_target_fits_the_size_limit_with_a_wide_margin() -> None:
    from digest_parser.models import Link
    from tui.stores.bookmarks import Bookmark, encode_bookmarks
    from tui.stores.files import MAX_FILE_BYTES
    from tui.stores.jsonstore import encode_document

    bookmarks = [
        Bookmark.from_paper(
            Paper(
                title=f"A long paper title about sparse routing in mixtures of experts, number {n}",
                abstract="",
                authors=tuple(f"Firstname{a} Lastname{a}" for a in range(6)),
                arxiv_id=f"2603.{n:05d}",
                code_url=f"https://github.com/some-lab/some-repository-{n}",
                links=tuple(Link(f"https://example.org/{n}/{k}", "project") for k in range(4)),
                source="/home/someone/digests/2026-03-14-huggingface-papers.txt",
            ),
            note="a note of a few sentences about why this paper matters " * 10,
        )
        for n in range(10_000)
    ]
    bookmarks_size = len(encode_document(encode_bookmarks(bookmarks), what="bookmarks"))
    reads = {f"title:{'a normalised paper title of typical length ' * 2}{n}": "2026-03-14T09:30:00Z" for n in range(100_000)}
    reads_size = len(encode_document({"version": 1, "read": reads}, what="read state"))
    assert max(bookmarks_size, reads_size) * 3 < MAX_FILE_BYTES, (bookmarks_size, reads_size)


# --------------------------------------------------------------------- the lock: threads and processes


def test_stores_reaching_one_file_through_a_symlink_share_its_lock(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    path.symlink_to(target)
    store = BookmarkStore(path, lock_timeout=0.01)
    store.load()
    with filelock.FileLock(str(target) + ".lock"):  # the instance that opened the target itself
        with pytest.raises(StoreError, match="^bookmarks are locked by another process"):
            store.add(make_paper(1))
    assert not target.exists() and not Path(str(path) + ".lock").exists()



def test_lock_held_elsewhere_gives_a_one_line_error_and_changes_nothing(path: Path) -> None:
    store = BookmarkStore(path, lock_timeout=0.01)
    store.load()
    store.add(make_paper(1))
    before = path.read_bytes()
    with filelock.FileLock(str(path) + ".lock"):
        with pytest.raises(StoreError, match="^bookmarks are locked by another process"):
            store.add(make_paper(2))
    assert path.read_bytes() == before


def test_external_edit_is_merged_not_clobbered(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0, "mine"))
    subprocess.run([sys.executable, str(WORKER), "add", str(path), "theirs", "1"], check=True, timeout=60)
    assert not store.is_bookmarked(make_paper(0, "theirs").key)  # this instance has not looked yet

    store.add(make_paper(1, "mine"))

    titles = {b["title"].split(" padding")[0] for b in strict_load(path)["bookmarks"]}
    assert titles == {"mine paper number 0", "theirs paper 0", "mine paper number 1"}


def test_refresh_picks_up_another_instances_change_and_ignores_its_own(path: Path) -> None:
    ours, theirs = BookmarkStore(path), BookmarkStore(path)
    ours.load()
    theirs.load()
    ours.add(make_paper(1))
    assert ours.refresh_if_changed() is None

    theirs.add(make_paper(2))

    report = ours.refresh_if_changed()
    assert report is not None and report.warnings == ()
    assert ours.is_bookmarked(make_paper(2).key)
    assert ours.refresh_if_changed() is None


def test_two_processes_adding_150_each_lose_nothing(path: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "add", str(path), prefix, "150", "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for prefix in ("left", "right")
    ]
    for worker in workers:  # both started and loaded: release them together
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.close()
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    keys = [b["key"] for b in strict_load(path)["bookmarks"]]
    assert len(keys) == len(set(keys)) == 300


def test_threads_sharing_one_store_lose_nothing(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()

    def add_many(prefix: str) -> None:
        for n in range(25):
            store.add(make_paper(n, prefix))

    threads = [threading.Thread(target=add_many, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.bookmarks()) == 75 and len(strict_load(path)["bookmarks"]) == 75


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_writer_killed_at_random_moments_always_leaves_a_valid_file(path: Path) -> None:
    chance = random.Random(20260314)  # seeded: the same kill points every run
    previous = 0
    for _trial in range(30):
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), "add-forever", str(path), f"run{_trial}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout.readline().strip() == "ready"  # at least one change saved
        try:
            worker.wait(timeout=chance.uniform(0.0, 0.06))  # the random kill point
        except subprocess.TimeoutExpired:
            pass
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker.stdout.close()

        count = len(strict_load(path)["bookmarks"])  # old or new file, never a torn one
        assert count > previous
        previous = count

    store = BookmarkStore(path)
    assert store.load().warnings == () and len(store.bookmarks()) == previous
    assert temp_files(path.parent) == []  # the killed writers' leftovers go when the store is opened
    store.add(make_paper(1))
    assert temp_files(path.parent) == []
    assert quarantined(path) == []


# --------------------------------------------------------------------- read state shares it


def test_read_state_file_is_quarantined_and_permissions_apply(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "fresh" / "read.json"
    path.parent.mkdir(mode=0o755)
    path.write_bytes(b'{"version": 1, "read": {"k": NaN}}')
    store = ReadStateStore(path)
    report = store.load()
    [moved] = quarantined(path)
    assert moved.read_bytes() == b'{"version": 1, "read": {"k": NaN}}' and str(moved) in report.warnings[0]
    store.mark(["arxiv:1"], True)
    assert json.loads(path.read_text())["read"].keys() == {"arxiv:1"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600



def test_queries_do_not_wait_behind_a_change_waiting_for_the_lock(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.stores.locking import StoreLock

    store = BookmarkStore(path, lock_timeout=5)
    store.load()
    waiting = threading.Event()
    real_enter = StoreLock.__enter__

    def enter(self: StoreLock) -> None:
        waiting.set()
        real_enter(self)

    monkeypatch.setattr(StoreLock, "__enter__", enter)
    order: list[str] = []
    outcome: list[object] = []

    def add() -> None:
        try:
            outcome.append(store.add(make_paper(1)))
        except StoreError as error:
            outcome.append(error)
        order.append("add")

    other_process = filelock.FileLock(str(path) + ".lock")
    with other_process:
        worker = threading.Thread(target=add)
        worker.start()
        waiting.wait()
        # If queries shared the change's lock, this would block until the add timed out.
        store.is_bookmarked("x"), store.bookmarks(), store.take_warnings()
        order.append("query")
    worker.join()
    assert order == ["query", "add"] and outcome == [True]


def test_load_warnings_stay_queued_for_take_warnings(path: Path) -> None:
    path.write_bytes(b"garbage")
    store = BookmarkStore(path)
    report = store.load()
    assert len(report.warnings) == 1
    assert store.take_warnings() == report.warnings  # a caller polling only take_warnings sees it
    assert store.take_warnings() == ()
    path.write_bytes(b"more garbage")
    refreshed = store.refresh_if_changed()
    assert refreshed is not None and store.take_warnings() == refreshed.warnings
