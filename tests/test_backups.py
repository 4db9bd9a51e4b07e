"""The last three good versions kept beside each store file, and bringing one back
(docs/stores.md, "Backups")."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from digest_parser.models import Paper
from tui.stores.bookmarks import BookmarkStore
from tui.stores.jsonstore import StoreError
from tui.stores.readstate import ReadStateStore


def make_paper(n: int) -> Paper:
    return Paper(title=f"paper number {n}", abstract="", source="t.txt")


def titles(path: Path) -> list[str]:
    return [entry["title"] for entry in json.loads(path.read_bytes())["bookmarks"]]


def backup(path: Path, number: int) -> Path:
    return path.with_name(f"{path.name}.bak-{number}")


@pytest.fixture
def path(isolated_data_dir: Path) -> Path:
    return isolated_data_dir / "bookmarks.json"


def test_each_change_keeps_the_three_versions_before_it_with_the_files_mode(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    path.chmod(0o640)
    for n in range(1, 5):
        store.add(make_paper(n))

    assert len(titles(path)) == 5
    assert [len(titles(backup(path, number))) for number in (1, 2, 3)] == [4, 3, 2]
    assert not backup(path, 4).exists()
    assert [stat.S_IMODE(backup(path, number).stat().st_mode) for number in (1, 2, 3)] == [0o640] * 3
    assert not [name for name in os.listdir(path.parent) if name.endswith(".tmp")]


def test_a_change_that_changes_nothing_keeps_the_backups_as_they_are(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    before = backup(path, 1).read_bytes()
    assert store.add(make_paper(1)) is False
    assert backup(path, 1).read_bytes() == before and not backup(path, 2).exists()


def test_a_write_that_fails_leaves_the_file_and_the_backups_as_they_were(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = BookmarkStore(path)
    store.load()
    for n in range(3):
        store.add(make_paper(n))
    listing = {name: (path.parent / name).read_bytes() for name in os.listdir(path.parent)}

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StoreError, match="No space left on device"):
        store.add(make_paper(9))
    assert {name: (path.parent / name).read_bytes() for name in os.listdir(path.parent)} == listing


def test_an_unreadable_file_is_never_kept_as_a_backup(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    good = backup(path, 1).read_bytes()
    path.write_bytes(b'{"version": 1, "bookmarks": [{"title": 5}, {"title": "kept"}]}')

    store.add(make_paper(2))  # the broken file is moved aside, not rotated into the backups

    assert backup(path, 1).read_bytes() == good and not backup(path, 2).exists()
    assert titles(path) == ["kept", "paper number 2"]


def test_the_quarantine_warning_names_the_newest_backup_and_the_command(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    for n in range(3):
        store.add(make_paper(n))
    path.write_bytes(b"{oops")

    [warning] = BookmarkStore(path).load().warnings

    assert "moved aside" in warning and str(backup(path, 1)) in warning and "2 bookmarks" in warning
    assert warning.endswith("restore it with digest-reader bookmarks --restore 1")


def test_a_store_elsewhere_names_its_file_in_the_command(tmp_path: Path) -> None:
    path = tmp_path / "my bookmarks" / "b.json"
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    path.write_bytes(b"{oops")
    [warning] = BookmarkStore(path).load().warnings
    assert warning.endswith(f"digest-reader bookmarks --restore 1 --bookmarks '{path}'")


def test_restore_brings_a_version_back_and_keeps_the_current_one(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    for n in range(4):
        store.add(make_paper(n))

    assert store.restore(2) == 2

    assert titles(path) == ["paper number 0", "paper number 1"]
    assert len(titles(backup(path, 1))) == 4  # what was current a moment ago
    assert list(store.bookmarks()) == [make_paper(0).key, make_paper(1).key]
    assert [b.count for b in store.backups()] == [4, 3, 2]


def test_restore_after_a_quarantine_needs_no_current_file(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    for n in range(3):
        store.add(make_paper(n))
    path.write_bytes(b"garbage")
    store = BookmarkStore(path)
    store.load()
    assert not path.exists()

    assert store.restore(1) == 2
    assert titles(path) == ["paper number 0", "paper number 1"]


def test_restore_refuses_what_it_cannot_bring_back(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    backup(path, 1).write_bytes(b"{torn")
    with pytest.raises(StoreError, match="there is no backup 2"):
        store.restore(2)
    with pytest.raises(StoreError, match="cannot be restored: not valid JSON"):
        store.restore(1)
    assert len(titles(path)) == 2
    [listed] = store.backups()
    assert listed.count is None and listed.problem is not None and "not valid JSON" in listed.problem


def test_a_read_only_store_restores_nothing(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    path.chmod(0o444)
    store = BookmarkStore(path)
    store.load()
    with pytest.raises(StoreError, match="write-protected"):
        store.restore(1)
    assert len(titles(path)) == 2


def test_the_read_state_keeps_backups_too(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "read.json"
    store = ReadStateStore(path)
    store.load()
    store.mark(["a"])
    store.mark(["b"])
    path.write_bytes(b"[]")
    [warning] = ReadStateStore(path).load().warnings
    assert "1 paper read" in warning and warning.endswith("digest-reader bookmarks --read-state --restore 1")
    restored = ReadStateStore(path)
    restored.load()
    assert restored.restore(1) == 1 and restored.read_keys() == {"a"}


def test_a_symlinked_store_keeps_its_backups_beside_the_target(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "bookmarks.json"
    target.parent.mkdir()
    path.symlink_to(target)
    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    assert len(titles(backup(target, 1))) == 1 and not backup(path, 1).exists()
    assert path.is_symlink()


def test_a_full_disk_before_the_temporary_file_leaves_no_second_name(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    store = BookmarkStore(path)
    store.load()
    store.add(make_paper(0))
    store.add(make_paper(1))
    listing = sorted(os.listdir(path.parent))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(StoreError, match="No space left on device"):
        store.add(make_paper(2))
    assert sorted(os.listdir(path.parent)) == listing
