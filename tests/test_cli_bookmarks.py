"""``digest-reader bookmarks``: export formats (golden strings), import merge, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli_bookmarks import citation_key, export, export_bibtex, main
from tui.stores.bookmarks import Bookmark, BookmarkStore, parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"
REPO = Path(__file__).resolve().parent.parent

GOLDEN_MARKDOWN = """\
# Bookmarks (3)

- **Folding Origami Robots with Sparse Rewards** — Imogen Vale, Tariq Osei
  - paper: <https://arxiv.org/abs/2603.00101>
  - code: <https://github.com/example/origami>
  - tags: rl, Robots
  - note: read section 3 again
- **Braces {and} 100% \\_under\\_ \\& \\#tags \\~ \\$cost^2 \\\\ back \\[x\\]\\*** — Zoë Ångström, Lee and Park Lab
  - paper: <https://openreview.net/forum?id=b{1}>
  - tags: 50%, a\\_b\\&c, C++, {odd}
  - note: first, "quoted"
    second
- **=HYPERLINK("http://x.example","win")**
  - paper: <https://arxiv.org/abs/hep-th/9901001>
  - code: <https://gitlab.com/g/p>
"""

GOLDEN_BIBTEX = """\
@misc{vale2026folding,
  title = {{Folding Origami Robots with Sparse Rewards}},
  author = {Imogen Vale and Tariq Osei},
  year = {2026},
  eprint = {2603.00101},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2603.00101},
  note = {Code: https://github.com/example/origami},
  keywords = {rl, Robots},
  annote = {read section 3 again}
}

@misc{angstrom2026braces,
  title = {{Braces \\textbraceleft{}and\\textbraceright{} 100\\% \\_under\\_ \\& \\#tags \\~{} \\$cost\\^{}2 \\textbackslash{} back [x]*}},
  author = {Zoë Ångström and {Lee and Park Lab}},
  year = {2026},
  url = {https://openreview.net/forum?id=b%7B1%7D},
  keywords = {50\\%, a\\_b\\&c, C++, \\textbraceleft{}odd\\textbraceright{}},
  annote = {first, "quoted" second}
}

@misc{hyperlink1999http,
  title = {{=HYPERLINK("http://x.example","win")}},
  year = {1999},
  eprint = {hep-th/9901001},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/hep-th/9901001},
  note = {Code: https://gitlab.com/g/p}
}
"""  # noqa: E501 (a golden string: its lines are what the export prints)

GOLDEN_CSV = """\
key,title,authors,arxiv_id,paper_url,code_url,source,added,note,tags,date,digest_date
arxiv:2603.00101,Folding Origami Robots with Sparse Rewards,Imogen Vale; Tariq Osei,2603.00101,\
https://arxiv.org/abs/2603.00101,https://github.com/example/origami,march.txt,2026-03-14T09:30:00Z,\
read section 3 again,rl;Robots,,
title:braces and 100 under tags cost 2 back,Braces {and} 100% _under_ & #tags ~ $cost^2 \\ back [x]*,\
Zoë Ångström; Lee and Park Lab,,https://openreview.net/forum?id=b{1},,feed.xml,2026-03-15T10:00:00Z,"first, ""quoted""
second",50%;a_b&c;C++;{odd},,
arxiv:hep-th/9901001,"'=HYPERLINK(""http://x.example"",""win"")",,hep-th/9901001,\
https://arxiv.org/abs/hep-th/9901001,https://gitlab.com/g/p,old.txt,2026-03-16T11:00:00Z,,,,
"""


@pytest.fixture
def three(isolated_data_dir: Path) -> Path:
    """The default bookmarks file holding the three golden bookmarks."""
    path = isolated_data_dir / "bookmarks.json"
    path.write_bytes((FIXTURES / "golden_three.json").read_bytes())
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# --------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("fmt", "expected"), [("markdown", GOLDEN_MARKDOWN), ("bibtex", GOLDEN_BIBTEX), ("csv", GOLDEN_CSV)]
)
def test_export_formats_match_golden_text(three: Path, fmt: str, expected: str, capsys) -> None:
    status, out, err = run(["--format", fmt], capsys)
    assert (status, err) == (0, "")
    assert out == expected


def test_csv_carries_the_papers_date_and_the_digests() -> None:
    import csv
    import io

    from tui.cli_bookmarks import export_csv

    bookmark = Bookmark(key="title:x", title="X", date="2026-03-12", digest_date="Mar 14")
    rows = list(csv.DictReader(io.StringIO(export_csv([bookmark, Bookmark(key="title:y", title="Y")]))))
    assert [(row["date"], row["digest_date"]) for row in rows] == [("2026-03-12", "Mar 14"), ("", "")]


def test_markdown_is_the_default_format(three: Path, capsys) -> None:
    assert run([], capsys)[1] == GOLDEN_MARKDOWN


@pytest.mark.parametrize(("alias", "expected"), [("md", GOLDEN_MARKDOWN), ("bib", GOLDEN_BIBTEX)])
def test_format_aliases_md_and_bib(three: Path, alias: str, expected: str, capsys) -> None:
    assert run(["--format", alias], capsys) == (0, expected, "")


def test_help_names_the_format_aliases(capsys) -> None:
    _, out, _ = run(["--help"], capsys)
    assert "md" in out.split("--format", 1)[1] and "bib" in out.split("--format", 1)[1]
    status, _, err = run(["--format", "mdx"], capsys)
    assert status == 2 and "md" in err and err.count("\n") == 1


def test_json_export_is_the_file_format_and_round_trips_through_import(three: Path, capsys, tmp_path) -> None:
    status, out, _ = run(["--format", "json"], capsys)
    assert status == 0
    assert json.loads(out) == json.loads((FIXTURES / "golden_three.json").read_text(encoding="utf-8"))

    export_file = tmp_path / "export.json"
    export_file.write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh.json"
    status, out, err = run(["--import", str(export_file), "--bookmarks", str(fresh)], capsys)
    assert (status, err) == (0, "")
    assert out.count("\n") == 1 and "imported 3 new bookmarks" in out
    assert json.loads(fresh.read_text(encoding="utf-8")) == json.loads(export_file.read_text(encoding="utf-8"))


def test_csv_reads_back_with_the_csv_module(three: Path) -> None:
    import csv
    import io

    bookmarks, _ = parse_export(three.read_bytes())
    rows = list(csv.DictReader(io.StringIO(export(bookmarks, "csv"))))
    assert [row["key"] for row in rows] == [b.key for b in bookmarks]
    assert rows[1]["note"] == 'first, "quoted"\nsecond'


def test_citation_keys_are_stable_and_collisions_get_suffixes() -> None:
    twin = Bookmark(key="arxiv:2603.00102", title="Folding Origami Robots Again", authors=("Imogen Vale",),
                    arxiv_id="2603.00102")
    first = Bookmark(key="arxiv:2603.00101", title="The Folding of Things", authors=("I. Vale",), arxiv_id="2603.00101")
    assert citation_key(twin) == citation_key(first) == "vale2026folding"
    text = export_bibtex([first, twin, twin])
    assert "@misc{vale2026folding," in text and "@misc{vale2026foldingb," in text and "@misc{vale2026foldingc," in text


@given(st.text(), st.lists(st.text(), max_size=3), st.text())
def test_bibtex_fields_always_have_balanced_braces(title: str, authors: list[str], note: str) -> None:
    bookmark = Bookmark(key="title:x", title=title, authors=tuple(authors), note=note)
    depth = 0
    for char in export_bibtex([bookmark]):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@pytest.mark.parametrize("fmt", ["json", "markdown", "bibtex", "csv"])
def test_tag_exports_only_the_bookmarks_with_that_tag_in_any_format(three: Path, fmt: str, capsys) -> None:
    status, out, err = run(["--format", fmt, "--tag", "ROBOTS"], capsys)  # compared without case
    assert (status, err) == (0, "")
    assert "Folding Origami" in out and "Braces" not in out and "HYPERLINK" not in out
    if fmt == "markdown":
        assert out.startswith("# Bookmarks tagged ROBOTS (1)\n")
    if fmt == "json":
        assert [entry["tags"] for entry in json.loads(out)["bookmarks"]] == [["rl", "Robots"]]


def test_a_tag_no_bookmark_has_exports_nothing_and_says_so(three: Path, capsys) -> None:
    status, out, err = run(["--format", "csv", "--tag", "nowhere"], capsys)
    assert status == 0 and out == GOLDEN_CSV.splitlines(keepends=True)[0]
    assert err == "digest-reader bookmarks: warning: no bookmark is tagged nowhere\n"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--tag", "two words"], "not a tag: 'two words'"),
        (["--tag", "a,b"], "not a tag"),
        (["--tag", ""], "not a tag"),
        (["--tag", "x" * 41], "at most 40 characters"),
        (["--tag", "rl", "--import", "x.json"], "--tag goes with an export"),
        (["--tag", "rl", "--restore"], "--tag goes with an export"),
    ],
)
def test_tag_usage_errors_are_one_line(three: Path, argv: list[str], fragment: str, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert fragment in one_line_error(code, err, 2) and out == ""


def test_csv_tags_read_back_as_the_bookmarks_tags(three: Path) -> None:
    import csv
    import io

    bookmarks, _ = parse_export(three.read_bytes())
    rows = list(csv.DictReader(io.StringIO(export(bookmarks, "csv"))))
    assert [tuple(filter(None, row["tags"].split(";"))) for row in rows] == [b.tags for b in bookmarks]


def test_a_version_1_store_exports_as_version_2_without_changing_the_file(isolated_data_dir: Path, capsys) -> None:
    path = isolated_data_dir / "bookmarks.json"
    path.write_bytes((FIXTURES / "version1_three.json").read_bytes())
    status, out, _ = run(["--format", "json"], capsys)
    document = json.loads(out)
    assert status == 0 and document["version"] == 2 and [b["tags"] for b in document["bookmarks"]] == [[], [], []]
    assert path.read_bytes() == (FIXTURES / "version1_three.json").read_bytes()


# --------------------------------------------------------------------- import


def test_import_merges_tags_into_bookmarks_already_there(isolated_data_dir: Path, capsys, tmp_path: Path) -> None:
    path = isolated_data_dir / "bookmarks.json"
    path.write_bytes((FIXTURES / "version1_three.json").read_bytes())  # mine: no tags yet, a version-1 file
    BookmarkStore(path).set_tags("arxiv:2603.00101", ["mine"])
    status, out, err = run(["--import", str(FIXTURES / "golden_three.json")], capsys)  # theirs: tagged
    assert (status, err) == (0, "")
    assert out.startswith("imported 0 new bookmarks from ") and "kept 3 already bookmarked (added tags to 2 of them)" in out
    tags = {entry["key"]: entry["tags"] for entry in json.loads(path.read_bytes())["bookmarks"]}
    assert tags == {
        "arxiv:2603.00101": ["mine", "rl", "Robots"],
        "title:braces and 100 under tags cost 2 back": ["50%", "a_b&c", "C++", "{odd}"],
        "arxiv:hep-th/9901001": [],
    }
    assert path.with_name("bookmarks.json.v1").read_bytes() == (FIXTURES / "version1_three.json").read_bytes()


def test_import_keeps_existing_notes_and_prints_one_line(isolated_data_dir: Path, capsys) -> None:
    store = BookmarkStore()
    store.load()
    mine, _ = parse_export((FIXTURES / "golden_three.json").read_bytes())
    # A note that already holds the imported one ("their note"): nothing to add, nothing to say.
    mine_note = "mine, after their note"
    store.import_bookmarks([Bookmark(**{**mine[0].to_json(), "authors": (), "links": (), "note": mine_note})])

    status, out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)

    assert (status, err) == (0, "")
    assert out.startswith("imported 1 new bookmark from ") and "kept 1 already bookmarked" in out
    assert out.count("\n") == 1
    notes = {b["key"]: b["note"] for b in json.loads(store.path.read_text(encoding="utf-8"))["bookmarks"]}
    assert notes == {"arxiv:2603.00101": mine_note, "title:a survey of tiny gardens": ""}


def test_import_keeps_both_notes_when_they_differ_and_says_so(isolated_data_dir: Path, capsys, tmp_path: Path) -> None:
    store = BookmarkStore()
    store.load()
    theirs, _ = parse_export((FIXTURES / "export_two.json").read_bytes())  # notes "their note" and ""
    store.import_bookmarks([Bookmark(key=theirs[0].key, title=theirs[0].title, note="mine\nsecond line"),
                            Bookmark(key=theirs[1].key, title=theirs[1].title, note="")])

    status, out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)

    assert status == 0
    assert "kept 2 already bookmarked" in out and "1 note differed: both kept" in out and out.count("\n") == 1
    assert err.count("\n") == 1
    assert err.startswith("digest-reader bookmarks: warning: notes differ for 'Folding Origami Robots with Sparse Rewards'")
    assert "kept both" in err
    notes = {b["key"]: b["note"] for b in json.loads(store.path.read_text(encoding="utf-8"))["bookmarks"]}
    assert notes == {
        "arxiv:2603.00101": "mine\nsecond line\n\n--- imported note ---\ntheir note",
        "title:a survey of tiny gardens": "",
    }

    # The same import again: the imported note is already kept, nothing is appended twice or said.
    status, out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)
    assert (status, err) == (0, "") and "differed" not in out
    assert json.loads(store.path.read_text(encoding="utf-8"))["bookmarks"][0]["note"] == notes["arxiv:2603.00101"]


def test_import_gives_an_empty_note_the_imported_one(isolated_data_dir: Path, capsys) -> None:
    store = BookmarkStore()
    store.load()
    theirs, _ = parse_export((FIXTURES / "export_two.json").read_bytes())
    store.import_bookmarks([Bookmark(key=theirs[0].key, title=theirs[0].title)])
    status, out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)
    assert (status, err) == (0, "")
    assert "added the note of 1 of them" in out
    assert store.path.read_text(encoding="utf-8").count('"note": "their note"') == 1


def test_import_reports_skipped_entries(isolated_data_dir: Path, capsys) -> None:
    status, out, _ = run(["--import", str(FIXTURES / "partial_entries.json")], capsys)
    assert status == 0 and "imported 1 new bookmark" in out and "skipped 4 unreadable entries" in out


def test_import_from_stdin(isolated_data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "bookmarks", "--import", "-"],
        input=(FIXTURES / "export_two.json").read_bytes(),
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0 and b"imported 2 new bookmarks from standard input" in result.stdout


# --------------------------------------------------------------------- errors


def one_line_error(status: int, err: str, expected_status: int = 1) -> str:
    assert status == expected_status
    assert err.count("\n") == 1 and err.startswith("digest-reader bookmarks: error: ")
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "status", "fragment"),
    [
        (["--format", "xml"], 2, "invalid choice"),
        (["--import", "x.json", "--format", "csv"], 2, "not allowed with"),
        (["--frobnicate"], 2, "unrecognized arguments"),
        (["--import", "/nonexistent/export.json"], 1, "No such file or directory"),
        (["--import", str(FIXTURES / "bad_json_truncated.json")], 1, "not valid JSON"),
        (["--import", str(FIXTURES / "top_array.json")], 1, "expected a JSON object"),
        (["--import", str(FIXTURES / "newer_version.json")], 1, "newer version"),
        (["--import", str(FIXTURES)], 1, "not a regular file"),
    ],
)
def test_errors_are_one_line_without_traceback(isolated_data_dir: Path, argv, status, fragment, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert fragment in one_line_error(code, err, status)
    assert out == ""


def test_import_into_a_newer_store_is_refused_and_leaves_it(isolated_data_dir: Path, capsys) -> None:
    path = isolated_data_dir / "bookmarks.json"
    original = (FIXTURES / "newer_version.json").read_bytes()
    path.write_bytes(original)
    code, _out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)
    assert code == 1 and "is read-only: it was written by a newer version" in err.splitlines()[-1]
    assert path.read_bytes() == original


def make_read_only(path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the store at *path* read-only the way *how* says."""
    if how == "newer version":
        path.write_bytes((FIXTURES / "newer_version.json").read_bytes())
        return
    path.write_bytes((FIXTURES / "golden_three.json").read_bytes())
    if how == "write-protected":
        path.chmod(0o444)
        return
    from tui.stores import files  # a read-only filesystem: what statvfs and access(2) say of it

    real_statvfs, real_access = os.statvfs, os.access
    monkeypatch.setattr(
        files.os, "statvfs", lambda p: type("Mount", (), {"f_flag": real_statvfs(p).f_flag | os.ST_RDONLY})()
    )
    monkeypatch.setattr(files.os, "access", lambda p, how, **kw: False if how & os.W_OK else real_access(p, how, **kw))


@pytest.mark.parametrize("how", ["newer version", "write-protected", "read-only filesystem"])
@pytest.mark.parametrize("argv", [["--import", str(FIXTURES / "export_two.json")], ["--restore", "1"]], ids=["import", "restore"])
def test_a_change_refused_by_a_read_only_store_is_said_once(
    isolated_data_dir: Path, how: str, argv: list[str], capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = isolated_data_dir / "bookmarks.json"
    make_read_only(path, how, monkeypatch)
    original = path.read_bytes()
    code, out, err = run(argv, capsys)
    # One line: the refusal carries the reason; a warning saying it first would print it twice.
    assert "is read-only: " in one_line_error(code, err) and out == ""
    assert err.startswith("digest-reader bookmarks: error: not saved: " if "--import" in argv else
                          "digest-reader bookmarks: error: not restored: ")
    assert path.read_bytes() == original
    code, _out, err = run([], capsys)  # listing them still warns, once
    assert code == 0 and err.count("\n") == 1 and err.startswith("digest-reader bookmarks: warning: ")


def test_a_full_disk_reads_like_the_apps_not_saved(isolated_data_dir: Path, capsys, monkeypatch) -> None:
    import errno

    make_versions(1)

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    code, out, err = run(["--import", str(FIXTURES / "export_two.json")], capsys)
    path = isolated_data_dir / "bookmarks.json"
    assert (code, out) == (1, "")
    assert err == (
        f"digest-reader bookmarks: error: not saved: could not write {path}: the disk is full (No space left on device)\n"
    )


def test_unreadable_store_is_an_error(isolated_data_dir: Path, capsys) -> None:
    (isolated_data_dir / "somewhere").mkdir()
    code, _, err = run(["--bookmarks", str(isolated_data_dir / "somewhere")], capsys)
    assert "not a regular file" in one_line_error(code, err)


def test_corrupt_store_warns_naming_the_moved_file_and_prints_empty(three: Path, capsys) -> None:
    three.write_bytes(b"{oops")
    code, out, err = run(["--format", "csv"], capsys)
    [moved] = three.parent.glob("bookmarks.json.corrupt-*")
    assert code == 0 and out == "key,title,authors,arxiv_id,paper_url,code_url,source,added,note,tags,date,digest_date\n"
    assert err.startswith("digest-reader bookmarks: warning: ") and str(moved) in err
    assert err.count("\n") == 1  # shown once


def test_hostile_path_is_sanitised_in_messages(isolated_data_dir: Path, capsys) -> None:
    code, _, err = run(["--import", str(isolated_data_dir / "\x1b]0;owned\x07.json")], capsys)
    assert code == 1 and "\x1b" not in err and "\x07" not in err


def test_env_variable_selects_the_file_and_output_is_utf8_in_a_c_locale(three: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.json"
    moved.write_bytes(three.read_bytes())
    three.unlink()
    env = {**os.environ, "DIGEST_READER_BOOKMARKS": str(moved), "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "bookmarks", "--format", "markdown"],
        capture_output=True, cwd=REPO, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == GOLDEN_MARKDOWN


def test_help_exits_zero(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "--import" in out


def test_stores_and_command_never_import_textual_or_rich() -> None:
    code = (
        "import importlib, pkgutil, sys, tui.stores, tui.cli_bookmarks;"
        "names = [info.name for info in pkgutil.iter_modules(tui.stores.__path__, 'tui.stores.')];"
        "[importlib.import_module(name) for name in names];"
        "print(len(names), sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    count, imported = result.stdout.strip().split(" ", 1)
    assert int(count) >= 7  # every module of tui/stores, new ones included
    assert imported == "[]"


# --------------------------------------------------------------------- backups


def make_versions(count: int) -> Path:
    """The default bookmarks file after *count* bookmarks were added one at a time."""
    from digest_parser.models import Paper

    store = BookmarkStore()
    store.load()
    for n in range(count):
        store.add(Paper(title=f"paper number {n}", abstract=""))
    return store.path


def test_restore_lists_the_backups_with_dates_and_counts(isolated_data_dir: Path, capsys) -> None:
    import re

    make_versions(4)
    code, out, err = run(["--restore"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"backups of {isolated_data_dir / 'bookmarks.json'}, newest first:"
    assert [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "DATE", line) for line in lines[1:]] == [
        "  1  DATE  3 bookmarks",
        "  2  DATE  2 bookmarks",
        "  3  DATE  1 bookmark",
        "restore one with: digest-reader bookmarks --restore N",
    ]


def test_restore_n_brings_it_back_and_keeps_the_current_file(isolated_data_dir: Path, capsys) -> None:
    path = make_versions(4)
    code, out, err = run(["--restore", "2"], capsys)
    assert (code, err) == (0, "")
    assert out == f"restored backup 2 (2 bookmarks) to {path}; the version it replaced is backup 1 now\n"
    assert len(json.loads(path.read_bytes())["bookmarks"]) == 2
    assert len(json.loads(path.with_name("bookmarks.json.bak-1").read_bytes())["bookmarks"]) == 4


def test_restore_after_a_quarantine_follows_the_warnings_advice(isolated_data_dir: Path, capsys) -> None:
    path = make_versions(3)
    path.write_bytes(b"\x00garbage")
    code, _out, err = run(["--format", "csv"], capsys)
    assert code == 0 and err.rstrip().endswith("restore it with digest-reader bookmarks --restore 1")
    command = err.rstrip().rsplit("restore it with digest-reader bookmarks ", 1)[1].split()
    assert run(command, capsys)[0] == 0
    assert len(json.loads(path.read_bytes())["bookmarks"]) == 2


@pytest.mark.parametrize(
    ("argv", "status", "fragment"),
    [
        (["--restore", "3"], 1, "there is no backup 3"),
        (["--restore", "0"], 2, "not a backup number"),
        (["--restore", "two"], 2, "not a backup number"),
        (["--restore", "1", "--format", "csv"], 2, "not allowed with"),
        (["--read-state"], 2, "--read-state goes with --restore"),
    ],
)
def test_restore_errors_are_one_line(isolated_data_dir: Path, argv, status, fragment, capsys) -> None:
    make_versions(2)
    code, out, err = run(argv, capsys)
    assert fragment in one_line_error(code, err, status) and out == ""


def test_restore_without_backups_says_so(isolated_data_dir: Path, capsys) -> None:
    code, out, _ = run(["--restore"], capsys)
    assert code == 0 and out.startswith("no backups of ")


def test_restore_of_the_read_state(isolated_data_dir: Path, capsys, tmp_path: Path) -> None:
    from tui.stores.readstate import ReadStateStore

    bookmarks = tmp_path / "elsewhere" / "bookmarks.json"
    reads = ReadStateStore(bookmarks.parent / "read.json")
    reads.load()
    reads.mark(["a"])
    reads.mark(["b"])
    code, out, _ = run(["--read-state", "--restore", "--bookmarks", str(bookmarks)], capsys)
    assert code == 0 and "  1  " in out and "1 paper read" in out
    assert f"--read-state --restore N --bookmarks {bookmarks}" in out
    code, out, _ = run(["--read-state", "--restore", "1", "--bookmarks", str(bookmarks)], capsys)
    assert code == 0 and out.startswith("restored backup 1 (1 paper read)")
    assert json.loads((bookmarks.parent / "read.json").read_bytes())["read"].keys() == {"a"}
