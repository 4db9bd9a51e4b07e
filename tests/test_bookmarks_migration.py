"""Version 2 of the bookmarks file (tags): reading version 1, the upgrade at the first
write with the version-1 bytes kept as ``bookmarks.json.v1``, and a version-1 program
and this one on the same file losing nothing (docs/stores.md "Versions").
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from digest_parser.models import Paper
from tui.stores.bookmarks import BookmarkStore, parse_export
from tui.stores.jsonstore import StoreError, decode_document

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"
WORKER = Path(__file__).parent / "store_worker.py"
REPO = Path(__file__).resolve().parent.parent
VERSION_1 = (FIXTURES / "version1_three.json").read_bytes()
LAST_VERSION_1_RELEASE = "e663805f4c4ac6f5ab802da887c045d8669a78a5"
"""The last commit whose stores read and write only version 1 (the code before tags)."""


@pytest.fixture
def path(isolated_data_dir: Path) -> Path:
    path = isolated_data_dir / "bookmarks.json"
    path.write_bytes(VERSION_1)
    path.chmod(0o640)
    return path


def version_of(path: Path) -> int:
    return decode_document(path.read_bytes())[1]


def kept_copy(path: Path) -> Path:
    return path.with_name("bookmarks.json.v1")


def paper(title: str) -> Paper:
    return Paper(title=title, abstract="", source="new.txt")


# --------------------------------------------------------------------- reading and upgrading


def test_a_version_1_file_is_read_as_it_is_and_left_alone_until_a_change(path: Path) -> None:
    store = BookmarkStore(path)
    assert store.load().warnings == () and not store.read_only
    golden, _ = parse_export((FIXTURES / "golden_three.json").read_bytes())
    assert [(b.key, b.note, b.tags) for b in store.bookmarks().values()] == [(b.key, b.note, ()) for b in golden]
    assert store.add(Paper(title="x", abstract="", arxiv_id="2603.00101")) is False  # already there: no write
    assert path.read_bytes() == VERSION_1 and not kept_copy(path).exists()


def test_the_first_change_upgrades_the_file_and_keeps_the_version_1_bytes_beside_it(path: Path) -> None:
    store = BookmarkStore(path)
    store.load()
    store.set_tags("arxiv:2603.00101", ["robots"])

    assert version_of(path) == 2
    assert kept_copy(path).read_bytes() == VERSION_1
    assert stat.S_IMODE(kept_copy(path).stat().st_mode) == 0o640  # the file's own mode, like a backup
    document = json.loads(path.read_bytes())
    assert [entry["tags"] for entry in document["bookmarks"]] == [["robots"], [], []]
    assert [entry["note"] for entry in document["bookmarks"]] == ["read section 3 again", 'first, "quoted"\nsecond', ""]
    assert path.with_name("bookmarks.json.bak-1").read_bytes() == VERSION_1  # and the usual backup

    store.add(paper("Another"))  # a version-2 file: nothing more is kept as .v1
    assert kept_copy(path).read_bytes() == VERSION_1 and version_of(path) == 2


def test_the_kept_version_1_file_is_never_overwritten(path: Path) -> None:
    kept_copy(path).write_bytes(b"the user's own file of that name")
    store = BookmarkStore(path)
    store.load()
    store.add(paper("First"))
    assert kept_copy(path).read_bytes() == b"the user's own file of that name"
    assert path.with_name("bookmarks.json.bak-1").read_bytes() == VERSION_1  # the bytes are still kept
    assert version_of(path) == 2


def test_a_file_written_by_hand_as_version_1_between_two_writes_is_upgraded_again(path: Path) -> None:
    """What a version-1 program does when it finds no file (or the user copying the .v1 file back):
    a version-1 file appears where a version-2 one was. It is read, not refused, and upgraded
    at the next write; the first .v1 stays as it was, the new version-1 bytes become backup 1."""
    store = BookmarkStore(path)
    store.load()
    store.set_tags("arxiv:2603.00101", ["robots"])
    by_hand = b'{"version": 1, "bookmarks": [{"title": "Written by hand"}]}'
    path.write_bytes(by_hand)

    store.set_tags("title:written by hand", ["manual"])

    assert {b.key: b.tags for b in store.bookmarks().values()} == {"title:written by hand": ("manual",)}
    assert kept_copy(path).read_bytes() == VERSION_1
    assert path.with_name("bookmarks.json.bak-1").read_bytes() == by_hand


def test_a_version_1_file_that_cannot_be_copied_is_not_upgraded(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(source: object, destination: object) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.stores.jsonstore.keep_copy", no_room)
    store = BookmarkStore(path)
    store.load()
    with pytest.raises(StoreError, match=r"could not keep the version-1 file as .*bookmarks\.json\.v1 before upgrading"):
        store.add(paper("First"))
    assert path.read_bytes() == VERSION_1


def test_a_newer_version_still_opens_read_only(path: Path) -> None:
    newer = (FIXTURES / "newer_version.json").read_bytes()
    path.write_bytes(newer)
    store = BookmarkStore(path)
    [warning] = store.load().warnings
    assert store.read_only and "(version 3; this program reads versions 1 to 2)" in warning
    with pytest.raises(StoreError, match="newer version"):
        store.set_tags("arxiv:2603.00101", ["x"])
    assert path.read_bytes() == newer and not kept_copy(path).exists()


def test_a_version_1_writer_and_a_version_2_writer_in_one_process_lose_nothing(path: Path) -> None:
    """Two instances in one process: the version-1 one is tests/store_worker.py's VersionOneStore."""
    sys.path.insert(0, str(WORKER.parent))
    try:
        from store_worker import VersionOneStore
    finally:
        sys.path.remove(str(WORKER.parent))
    old, new = VersionOneStore(path), BookmarkStore(path)
    old.load()
    new.load()
    old.add(paper("Added by the old program"))  # before the upgrade: a version-1 write
    assert version_of(path) == 1
    new.set_tags("arxiv:2603.00101", ["robots"])  # merges what the old one added, then upgrades
    assert "title:added by the old program" in new.bookmarks() and version_of(path) == 2
    with pytest.raises(StoreError, match=r"newer version of digest-reader \(version 2; this program reads version 1\)"):
        old.add(paper("Refused"))
    assert old.read_only and "title:added by the old program" in old.bookmarks()
    fresh = BookmarkStore(path)
    fresh.load()
    assert fresh.get("arxiv:2603.00101").tags == ("robots",) and len(fresh.bookmarks()) == 4


# --------------------------------------------------------------------- two programs, two processes


def version_1_code(tmp_path: Path) -> Path | None:
    """The stores as the last version-1 release had them, unpacked from git; None when not in this clone."""
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        return None
    archive = subprocess.run(
        [git, "-C", str(REPO), "archive", "--format=tar", LAST_VERSION_1_RELEASE, "tui", "digest_parser"],
        capture_output=True, timeout=60, check=False,
    )
    if archive.returncode != 0:
        return None
    code = tmp_path / "version-1-code"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(code, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))  # type: ignore[arg-type]
    return code


def older_program(path: Path, code: Path | None, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the version-1 program on *path* in a process of its own: the real one (*code*), or simulated."""
    env = {**os.environ}
    if code is None:
        extra = ["--format-version", "1"]
    else:
        env["DIGEST_READER_CODE"] = str(code)
        extra = []
    return subprocess.run(
        [sys.executable, str(WORKER), argv[0], str(path), *argv[1:], *extra],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )


@pytest.mark.parametrize("program", ["simulated", "last version-1 release"])
def test_an_old_program_and_this_one_on_one_file_never_lose_data(path: Path, tmp_path: Path, program: str) -> None:
    """An older digest-reader (version 1, no tags) and this one share a bookmarks file.

    "last version-1 release" runs the stores of the last commit before tags, taken
    from git history, in a child process: the real old code. "simulated" runs this
    code as version 1 (tests/store_worker.py's VersionOneStore), for a clone without
    that history. Either way the old program:

    1. adds a bookmark to the version-1 file, after this program loaded it;
    2. this program tags a bookmark: it re-reads under the lock, so the old
       program's bookmark is kept, and the file becomes version 2 with its
       version-1 bytes (the old bookmark included) kept as bookmarks.json.v1;
    3. the old program meets version 2 as a newer version: it still lists every
       bookmark, refuses to add one, and the file, tags included, is untouched.
    """
    code = version_1_code(tmp_path) if program != "simulated" else None
    if program != "simulated" and code is None:
        pytest.skip("the last version-1 release is not in this clone's git history")
    store = BookmarkStore(path)
    store.load()

    added = older_program(path, code, "add-one", "Added by the old program")
    assert (added.returncode, added.stdout) == (0, "added\n"), added.stderr
    assert version_of(path) == 1

    store.set_tags("title:added by the old program", ["from-old"])
    assert version_of(path) == 2
    assert b"Added by the old program" in kept_copy(path).read_bytes()
    assert json.loads(kept_copy(path).read_bytes())["version"] == 1
    upgraded = path.read_bytes()

    refused = older_program(path, code, "add-one", "Refused by the old program")
    assert refused.returncode == 1, refused.stderr
    assert "is read-only: it was written by a newer version of digest-reader (version 2" in refused.stdout
    listed = older_program(path, code, "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1] == "read-only" and "title:added by the old program" in listed.stdout
    assert path.read_bytes() == upgraded  # tags and all: the old program wrote nothing

    fresh = BookmarkStore(path)
    fresh.load()
    assert fresh.get("title:added by the old program").tags == ("from-old",)
    assert len(fresh.bookmarks()) == 4 and "title:refused by the old program" not in fresh.bookmarks()
