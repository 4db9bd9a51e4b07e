"""Persistence, the reader's store thread, without Textual: every operation runs
in order off the caller's thread and ends in one StoreSnapshot (docs/stores.md)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest_parser.models import Paper
from tui.stores.bookmarks import BookmarkStore
from tui.stores.persistence import Persistence, StoreSnapshot
from tui.stores.readstate import ReadStateStore

PAPERS = [
    Paper(title="Alder: Sparse Routing", abstract="x", arxiv_id="2601.00001", source="a.txt"),
    Paper(title="Birch Without an Id", abstract="x", source="a.txt"),
]


class Recorder:
    """The screen's side of the callback: keeps what arrives, and from which thread."""

    def __init__(self) -> None:
        self.snapshots: list[StoreSnapshot] = []
        self.threads: set[str] = set()

    def __call__(self, snapshot: StoreSnapshot) -> None:
        self.snapshots.append(snapshot)
        self.threads.add(threading.current_thread().name)

    @property
    def last(self) -> StoreSnapshot:
        return self.snapshots[-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def persistence(recorder: Recorder) -> Iterator[Persistence]:
    persistence = Persistence(recorder)
    persistence.load()
    persistence.wait_until_idle(timeout=30)
    yield persistence
    persistence.close()


def test_load_delivers_what_the_files_hold_off_the_callers_thread(recorder: Recorder) -> None:
    store = BookmarkStore()
    store.load()
    store.add(PAPERS[0], note="later")
    reads = ReadStateStore()
    reads.load()
    reads.mark([PAPERS[1].key])

    persistence = Persistence(recorder)
    persistence.load()
    persistence.wait_until_idle(timeout=30)
    persistence.close()

    [snapshot] = recorder.snapshots
    assert list(snapshot.bookmarks) == [PAPERS[0].key] and snapshot.bookmarks[PAPERS[0].key].note == "later"
    assert snapshot.read == {PAPERS[1].key}
    assert snapshot.error is None and snapshot.info is None and snapshot.warnings == ()
    assert threading.current_thread().name not in recorder.threads


def test_bookmarks_path_moves_both_files(tmp_path: Path, recorder: Recorder) -> None:
    persistence = Persistence(recorder, str(tmp_path / "mine" / "b.json"))
    persistence.toggle_bookmark(PAPERS[0])
    persistence.mark_read([PAPERS[0].key])
    persistence.close()
    assert (tmp_path / "mine" / "b.json").is_file() and (tmp_path / "mine" / "read.json").is_file()


def test_operations_report_what_they_did(persistence: Persistence, recorder: Recorder) -> None:
    persistence.toggle_bookmark(PAPERS[0])
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Bookmarked." and PAPERS[0].key in recorder.last.bookmarks
    persistence.toggle_bookmark(PAPERS[0])
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Bookmark removed." and recorder.last.bookmarks == {}

    persistence.set_note(PAPERS[1], "check the proofs")
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Bookmarked with a note."
    assert recorder.last.bookmarks[PAPERS[1].key].note == "check the proofs"
    persistence.set_note(PAPERS[1], "")
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Note removed."
    persistence.set_note(PAPERS[1], "again")
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Note saved."

    persistence.toggle_read(PAPERS[0].key)
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info == "Marked read." and recorder.last.read == {PAPERS[0].key}
    persistence.mark_read([PAPERS[1].key])
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.info is None  # a batch from showing papers: no notification
    assert recorder.last.read == {PAPERS[0].key, PAPERS[1].key}


def test_operations_run_in_the_order_asked(persistence: Persistence, recorder: Recorder) -> None:
    keys = [paper.key for paper in PAPERS]
    for _round in range(20):
        persistence.mark_read(keys, True)
        persistence.mark_read(keys, False)  # must never be overtaken by the batch before it
    persistence.wait_until_idle(timeout=30)
    assert recorder.last.read == frozenset()
    reads = ReadStateStore()
    reads.load()
    assert reads.read_keys() == frozenset()


def test_refresh_is_silent_until_another_instance_writes(persistence: Persistence, recorder: Recorder) -> None:
    before = len(recorder.snapshots)
    persistence.refresh()
    persistence.wait_until_idle(timeout=30)
    assert len(recorder.snapshots) == before

    other = BookmarkStore()  # a second running reader
    other.load()
    other.add(PAPERS[1])
    persistence.refresh()
    persistence.wait_until_idle(timeout=30)

    assert len(recorder.snapshots) == before + 1
    assert list(recorder.last.bookmarks) == [PAPERS[1].key] and recorder.last.info is None


def test_a_failed_change_is_one_line_and_the_thread_keeps_working(
    isolated_data_dir: Path, recorder: Recorder
) -> None:
    (isolated_data_dir / "read.json").mkdir()  # not a file: the read state is read-only
    persistence = Persistence(recorder)
    persistence.load()
    persistence.mark_read([PAPERS[0].key])
    persistence.toggle_bookmark(PAPERS[0])
    persistence.close()

    loaded, failed, bookmarked = recorder.snapshots
    assert "not a regular file" in loaded.warnings[0]
    assert failed.error is not None and "is read-only: it could not be read (not a regular file)" in failed.error
    assert "\n" not in failed.error and failed.read == frozenset()
    assert bookmarked.error is None and bookmarked.info == "Bookmarked."


def test_quarantine_warnings_arrive_once(isolated_data_dir: Path, recorder: Recorder) -> None:
    (isolated_data_dir / "bookmarks.json").write_bytes(b"{not json")
    persistence = Persistence(recorder)
    persistence.load()
    persistence.toggle_bookmark(PAPERS[0])
    persistence.close()
    first, second = recorder.snapshots
    assert len(first.warnings) == 1 and "moved aside" in first.warnings[0]
    assert second.warnings == () and second.info == "Bookmarked."


def test_read_only_file_is_shown_and_changes_are_refused(isolated_data_dir: Path, recorder: Recorder) -> None:
    newer = b'{"version": 3, "bookmarks": [{"key": "arxiv:2601.00001", "title": "Alder"}]}'
    (isolated_data_dir / "bookmarks.json").write_bytes(newer)
    persistence = Persistence(recorder)
    persistence.load()
    persistence.toggle_bookmark(PAPERS[1])
    persistence.close()
    loaded, refused = recorder.snapshots
    assert list(loaded.bookmarks) == ["arxiv:2601.00001"] and "newer version" in loaded.warnings[0]
    assert refused.error is not None and "is read-only: it was written by a newer version" in refused.error
    assert (isolated_data_dir / "bookmarks.json").read_bytes() == newer


def test_close_finishes_queued_changes_and_ignores_later_ones(recorder: Recorder) -> None:
    persistence = Persistence(recorder)
    persistence.load()
    persistence.mark_read([PAPERS[0].key])
    persistence.close()  # waits: a change asked for before exit is never lost
    delivered = len(recorder.snapshots)
    persistence.toggle_bookmark(PAPERS[0])
    persistence.wait_until_idle(timeout=30)
    assert len(recorder.snapshots) == delivered == 2
    reads = ReadStateStore()
    reads.load()
    assert reads.read_keys() == {PAPERS[0].key}


# --------------------------------------------------------------------- what the user is told


def test_each_warning_is_titled_with_the_file_it_is_about(isolated_data_dir: Path, recorder: Recorder) -> None:
    (isolated_data_dir / "read.json").write_bytes(b"{not json")
    (isolated_data_dir / "bookmarks.json").write_bytes(b"[]")
    persistence = Persistence(recorder)
    persistence.load()
    persistence.close()
    [snapshot] = recorder.snapshots
    assert [(notice.title, notice.severity) for notice in snapshot.notices] == [
        ("Bookmarks", "warning"),
        ("Read state", "warning"),
    ]
    assert "bookmarks.json could not be read" in snapshot.notices[0].text
    assert "read.json could not be read" in snapshot.notices[1].text
    assert tuple(notice.text for notice in snapshot.notices) == snapshot.warnings


def failing_cases(data: Path) -> dict[str, tuple[str, object]]:
    """How to make each kind of change fail, and the store it fails in."""
    import filelock

    def newer() -> None:
        (data / "bookmarks.json").write_bytes(b'{"version": 9, "bookmarks": []}')

    def protected() -> None:
        (data / "read.json").write_bytes(b'{"version": 1, "read": {}}')
        (data / "read.json").chmod(0o444)

    def not_a_file() -> None:
        (data / "read.json").mkdir()

    def locked() -> object:
        lock = filelock.FileLock(str(data / "bookmarks.json.lock"))
        lock.acquire()
        return lock

    return {"newer": ("Bookmarks", newer), "protected": ("Read state", protected),
            "not a file": ("Read state", not_a_file), "locked": ("Bookmarks", locked)}


@pytest.mark.parametrize("case", ["newer", "protected", "not a file", "locked"])
def test_a_failed_change_reads_as_one_sentence_titled_with_its_file(
    isolated_data_dir: Path, recorder: Recorder, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BookmarkStore.__init__.__kwdefaults__, "lock_timeout", 0.05)  # the lock case: fail fast
    title, arrange = failing_cases(isolated_data_dir)[case]
    held = arrange()
    persistence = Persistence(recorder)
    persistence.load()
    if title == "Bookmarks":
        persistence.toggle_bookmark(PAPERS[0])
    else:
        persistence.toggle_read(PAPERS[0].key)
    persistence.close()
    if held is not None:
        held.release()

    failed = recorder.last
    assert failed.error is not None and failed.info is None
    [error] = [notice for notice in failed.notices if notice.severity == "error"]
    assert error.title == title and error.text == f"Not saved: {failed.error}"
    assert "\n" not in error.text and ": :" not in error.text
    assert not error.text.startswith("Not saved: read-only")  # a sentence, not a stack of labels
    assert error.text[len("Not saved: ")] in "/abcdefghijklmnopqrstuvwxyz"


def test_a_read_only_read_state_is_told_once_not_at_every_batch(isolated_data_dir: Path, recorder: Recorder) -> None:
    path = isolated_data_dir / "read.json"
    path.write_bytes(b'{"version": 1, "read": {}}')
    path.chmod(0o444)
    persistence = Persistence(recorder)
    persistence.load()
    for paper in PAPERS:  # papers shown one after the other: one batch each
        persistence.mark_read([paper.key])
    persistence.toggle_read(PAPERS[0].key)  # asked for: always answered
    persistence.close()

    loaded, first, second, toggled = recorder.snapshots
    assert [notice.severity for notice in loaded.notices] == ["warning"]
    assert first.error and [notice.text for notice in first.notices] == [f"Not saved: {first.error}"]
    assert second.error == first.error and second.notices == ()
    assert toggled.error and [notice.severity for notice in toggled.notices] == ["error"]


def test_a_full_disk_reads_like_the_other_failed_changes(
    isolated_data_dir: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    persistence = Persistence(recorder)
    persistence.load()
    persistence.wait_until_idle(timeout=30)
    monkeypatch.setattr(os, "replace", disk_full)
    persistence.toggle_bookmark(PAPERS[0])
    persistence.close()
    [error] = recorder.last.notices
    path = isolated_data_dir / "bookmarks.json"
    assert error == ("Bookmarks", f"Not saved: could not write {path}: the disk is full (No space left on device)", "error")


def test_set_tags_bookmarks_the_paper_and_the_snapshot_carries_the_tags(persistence: Persistence, recorder: Recorder) -> None:
    persistence.set_tags(PAPERS[0], ["robots", "RL", "rl"])
    persistence.set_tags(PAPERS[0], ["robots"])
    persistence.set_tags(PAPERS[0], [])
    persistence.set_tags(PAPERS[1], [])
    persistence.wait_until_idle(timeout=30)
    added, changed, removed, bare = recorder.snapshots[-4:]
    assert added.info == "Bookmarked with tags: RL, robots." and added.bookmarks[PAPERS[0].key].tags == ("RL", "robots")
    assert changed.info == "Tags saved: robots." and changed.bookmarks[PAPERS[0].key].tags == ("robots",)
    assert removed.info == "Tags removed." and removed.bookmarks[PAPERS[0].key].tags == ()
    assert bare.info == "Bookmarked." and bare.bookmarks[PAPERS[1].key].tags == ()
    store = BookmarkStore()
    store.load()
    assert set(store.bookmarks()) == {PAPERS[0].key, PAPERS[1].key}
