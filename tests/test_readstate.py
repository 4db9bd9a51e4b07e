"""Read state (docs/stores.md): read.json beside the bookmarks, same durability rules."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.stores.jsonstore import StoreError
from tui.stores.readstate import ReadStateStore

NOON = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(isolated_data_dir: Path) -> ReadStateStore:
    store = ReadStateStore()
    store.load()
    return store


def on_disk(store: ReadStateStore) -> dict[str, str]:
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    return document["read"]


def test_default_file_is_read_json_beside_the_bookmarks(isolated_data_dir: Path) -> None:
    assert ReadStateStore().path == isolated_data_dir / "read.json"


def test_mark_many_keys_in_one_write(store: ReadStateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (writes.append(dst), real_replace(src, dst)))

    assert store.mark(["arxiv:1", "arxiv:2", "arxiv:3", "arxiv:2"], True, now=NOON) == 3

    assert len(writes) == 1
    assert store.read_keys() == frozenset({"arxiv:1", "arxiv:2", "arxiv:3"})
    assert on_disk(store) == dict.fromkeys(["arxiv:1", "arxiv:2", "arxiv:3"], "2026-03-14T12:00:00Z")


def test_marking_again_keeps_the_first_time_and_writes_nothing(store: ReadStateStore) -> None:
    store.mark(["arxiv:1"], True, now=NOON)
    mtime = store.path.stat().st_mtime_ns
    assert store.mark(["arxiv:1"], True, now=datetime(2027, 1, 1, tzinfo=UTC)) == 0
    assert on_disk(store)["arxiv:1"] == "2026-03-14T12:00:00Z"
    assert store.path.stat().st_mtime_ns == mtime


def test_mark_unread(store: ReadStateStore) -> None:
    store.mark(["a", "b", "c"], True)
    assert store.mark(["a", "c", "zzz"], False) == 2
    assert store.read_keys() == frozenset({"b"}) and on_disk(store).keys() == {"b"}


def test_toggle_and_is_read(store: ReadStateStore) -> None:
    assert store.toggle("title:x", now=NOON) is True and store.is_read("title:x")
    assert store.toggle("title:x") is False and not store.is_read("title:x")
    assert on_disk(store) == {}


def test_another_instance_is_merged_and_picked_up(store: ReadStateStore) -> None:
    other = ReadStateStore(store.path)
    other.load()
    other.mark(["theirs"], True)
    assert store.refresh_if_changed() is not None and store.is_read("theirs")
    store.mark(["mine"], True)
    assert on_disk(store).keys() == {"theirs", "mine"}
    assert other.refresh_if_changed() is not None and other.read_keys() == {"theirs", "mine"}


def test_unreadable_entries_are_moved_aside_with_the_file(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "read.json"
    original = json.dumps(
        {"version": 1, "read": {"good": "2026-03-14T12:00:00Z", "bad": 5, "worse": "yesterday", "\x1b[2Jk": "2026-03-14"}}
    ).encode()
    path.write_bytes(original)
    store = ReadStateStore(path)

    report = store.load()

    [moved] = path.parent.glob("read.json.corrupt-*")
    assert moved.read_bytes() == original
    assert "2 unreadable entries" in report.warnings[0] and str(moved) in report.warnings[0]
    assert store.read_keys() == frozenset({"good", "k"})  # the key is sanitised on the way in
    assert on_disk(store).keys() == {"good", "k"}


def test_wrong_shape_is_quarantined(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "read.json"
    path.write_bytes(b'{"version": 1, "read": ["a", "b"]}')
    store = ReadStateStore(path)
    report = store.load()
    assert store.read_keys() == frozenset() and "moved aside" in report.warnings[0]
    assert not path.exists()


def test_newer_version_is_read_only(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "read.json"
    original = b'{"version": 3, "read": {"a": "2026-03-14T12:00:00Z"}, "sync": {}}'
    path.write_bytes(original)
    store = ReadStateStore(path)
    assert store.load().read_only and store.is_read("a")
    with pytest.raises(StoreError, match="is read-only: it was written by a newer version"):
        store.mark(["b"], True)
    assert path.read_bytes() == original


def test_lock_message_names_the_read_state(store: ReadStateStore) -> None:
    import filelock

    store.mark(["a"], True)
    quick = ReadStateStore(store.path, lock_timeout=0.01)
    with filelock.FileLock(str(store.path) + ".lock"):
        with pytest.raises(StoreError, match="^read state is locked by another process"):
            quick.toggle("a")
