"""`digest-reader search QUERY SOURCE…`: the reader's search from the command line.

Run as a real process where the exit status, the streams or a terminal matter,
and through ``main`` where the reader's own code is compared with it. The order
must be the reader's: each test query is also answered by the search index
directly (``SearchIndex.rank`` over ``build_library``, the pass whose result the
reader's list shows) and the two must agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digest_parser import api, formats
from tests.live_server import LiveServer, Reply, fixture
from tui.cli_search import cells, fit, main, table
from tui.core.filters import context_for
from tui.core.library import build_library
from tui.core.query import parse_query
from tui.core.search import SearchIndex

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli-search"
WEEK = FIXTURES / "week"
MARKS = FIXTURES / "marks"
EX_NO_MATCH, EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE = 1, 2, 65, 66, 69


def run(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    # No COLUMNS unless a test sets one: the output is a pipe, whose lines are not cut.
    environment = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    environment.update({"PYTHONPATH": str(REPO), **(env or {})})
    return subprocess.run([sys.executable, "-m", "tui", "search", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=60, env=environment)


def lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stdout.decode("utf-8").splitlines()


def one_line_error(result: subprocess.CompletedProcess[bytes], status: int, *needles: str) -> str:
    assert result.returncode == status, result.stderr
    assert result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and message.startswith("digest-reader search: "), message
    assert "Traceback" not in message
    for needle in needles:
        assert needle in message, message
    return message


def week_folder(tmp_path: Path) -> Path:
    """mon.json (older) and tue.json (newer) in a folder: both hold arXiv 2501.00003."""
    folder = tmp_path / "week"
    folder.mkdir()
    for age, name in ((200, "mon.json"), (100, "tue.json")):
        shutil.copy(WEEK / name, folder / name)
        os.utime(folder / name, (1_700_000_000 - age, 1_700_000_000 - age))
    return folder


def rank_keys(paths: list[Path], text: str, **marks: frozenset[str]) -> list[str]:
    """The pure ranking: the pass whose result the reader's list shows for *text*."""
    library = build_library([api.load(str(path)) for path in paths])
    query = parse_query(text)
    index = SearchIndex(library.papers)
    context = context_for(query, bookmarked=marks.get("bookmarked", frozenset()), read=marks.get("read", frozenset()))
    ranked = index.rank(query, abstracts=True, context=context)
    assert ranked is not None
    return [library.papers[row].arxiv_id or library.papers[row].key for row in ranked]


# ---- help -------------------------------------------------------------------------------


def test_help_says_the_formats_the_default_and_the_exit_statuses() -> None:
    result = run("--help")
    assert result.returncode == 0 and result.stderr == b""
    text = " ".join(result.stdout.decode().split())
    assert text.startswith("usage: digest-reader search")
    for words in ("QUERY", "SOURCE", "--format {table,ids,json}", "--limit N", "--digest-format", "--bookmarks",
                  "--offline", "--refresh", "table (the default, on a terminal or not)", "not cut in a pipe",
                  "0 a paper matched, 1 none did", "65 bad data", "66 missing or unreadable", "69 a live source",
                  "after '--'", "hf:2024-10-22"):
        assert words in text, words


# ---- ordering: the reader's ------------------------------------------------------------


@pytest.mark.parametrize("text", ["attention", "atention", "retrieval agents", "author:park", '"sparse attention"',
                                  "attention -sinks", "has:code", "cat:cs.CV", "models"])
def test_the_order_is_the_rankings(tmp_path: Path, text: str) -> None:
    folder = week_folder(tmp_path)
    expected = rank_keys([folder / "tue.json", folder / "mon.json", FIXTURES / "page.txt"], text)
    result = run("--format", "ids", "--", text, str(folder), str(FIXTURES / "page.txt"))
    assert result.returncode == (0 if expected else EX_NO_MATCH), result.stderr
    assert lines(result) == expected


def test_the_example_queries_find_what_they_should(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    ranked = lines(run("--format", "ids", "attention", str(folder)))
    # Title matches first (a whole title word before one inside Lantern's), then the abstract match.
    assert ranked == ["2501.00004", "2501.00001", "2501.00003"]
    assert lines(run("--format", "ids", "atention", str(folder))) == ranked  # a typo is forgiven, as in the reader
    assert lines(run("--format", "ids", "has:code", str(folder))) == ["2501.00001"]


def test_the_last_ranked_pass_counts_as_on_a_large_library(capfdbinary: pytest.CaptureFixture[bytes],
                                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Above QUICK_ABSTRACTS papers the reader ranks titles and authors first, then
    everything; the list ends on the second result, and so does the command."""
    from tui.core import scheduling

    folder = week_folder(tmp_path)
    monkeypatch.setattr(scheduling, "QUICK_ABSTRACTS", 1)
    assert main(["--format", "ids", "attention", str(folder)]) == 0
    assert capfdbinary.readouterr().out.decode().splitlines() == rank_keys([folder / "tue.json", folder / "mon.json"],
                                                                          "attention")


def test_rank_scores_follow_its_order() -> None:
    library = build_library([api.load(str(WEEK / "mon.json")), api.load(str(WEEK / "tue.json"))])
    index = SearchIndex(library.papers)
    for text in ("attention", "retrieval agents", "atention"):
        scores: dict[int, float] = {}
        ranked = index.rank(parse_query(text), scores=scores)
        assert ranked == SearchIndex(library.papers).rank(parse_query(text))
        assert ranked and sorted(scores) == sorted(ranked)
        assert [scores[row] for row in ranked] == sorted(scores.values(), reverse=True)
    filters_only: dict[int, float] = {}
    assert index.rank(parse_query("has:code"), scores=filters_only) == [0] and filters_only == {}


# ---- formats ----------------------------------------------------------------------------


def test_ids_are_arxiv_ids_else_the_bookmark_key() -> None:
    result = run("--format", "ids", "titles", str(FIXTURES / "page.txt"))
    assert result.returncode == 0
    assert lines(result) == ["title:escape red sequences in titles", "title:宽字 attention wide glyphs in paper titles"]
    assert lines(result) == [paper.key for paper in sorted(api.load(str(FIXTURES / "page.txt")).papers,
                                                           key=lambda paper: len(paper.title))]


def test_json_is_one_object_a_line_with_key_title_and_score(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    result = run("--format", "json", "attention", str(folder))
    assert result.returncode == 0 and result.stderr == b""
    objects = [json.loads(line) for line in lines(result)]
    assert [set(item) for item in objects] == [{"key", "title", "score"}] * 3
    assert [item["key"] for item in objects] == ["2501.00004", "2501.00001", "2501.00003"]
    assert objects[0]["title"] == "Attention Sinks in Small Transformers"
    scores = [item["score"] for item in objects]
    assert all(isinstance(score, float) for score in scores) and scores == sorted(scores, reverse=True)
    # Nothing ranked (filters only): no score.
    unranked = run("--format", "json", "has:code", str(folder))
    assert [json.loads(line) for line in lines(unranked)] == [
        {"key": "2501.00001", "title": "Lantern: Sparse Attention for Long Video Streams", "score": None}]


def test_json_keeps_non_ascii_text_as_it_is() -> None:
    result = run("--format", "json", "wide", str(FIXTURES / "page.txt"))
    assert "宽字 Attention".encode() in result.stdout


def test_table_columns_are_aligned_and_not_cut_in_a_pipe(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    result = run("attention", str(folder), str(FIXTURES / "page.txt"))
    assert result.returncode == 0 and result.stderr == b""
    rows = lines(result)
    assert [row.split("  ")[0] for row in rows][:1] == ["2501.00004"]
    assert "Lantern: Sparse Attention for Long Video Streams  Ada Quill" in rows[2]
    # Every title starts, and every author starts, at the same cell: wide glyphs count twice.
    title_starts = {cells(row[:row.index(title)]) for row, title in zip(rows, (
        "Attention Sinks", "宽字 Attention", "Lantern", "Compass"), strict=True)}
    assert len(title_starts) == 1
    author_starts = {cells(row[:row.index(author)]) for row, author in zip(
        [rows[0], rows[2], rows[3]], ("Fay Lin", "Ada Quill", "Dee Park"), strict=True)}
    assert len(author_starts) == 1
    assert "…" not in "".join(rows[:1] + rows[2:])  # nothing cut (the long title key is, to its column)


def test_table_is_cut_to_the_terminal_width(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    for width in (40, 60, 80):
        result = run("attention", str(folder), str(FIXTURES / "page.txt"), env={"COLUMNS": str(width)})
        rows = lines(result)
        assert len(rows) == 4
        assert all(cells(row) <= width for row in rows), rows
        assert any("…" in row for row in rows)
    narrow = lines(run("attention", str(folder), env={"COLUMNS": "40"}))
    assert not any("Fay Lin" in row for row in narrow)  # too narrow for authors: the titles get the room


def test_table_cleans_hostile_titles() -> None:
    from digest_parser.models import Paper

    # Made here, not parsed: the parser would have cleaned it already.
    paper = Paper(title="Red \x1b[31mAlert\x1b[0m \u202eevil", abstract="", authors=("A\x07B",), arxiv_id="2501.00009")
    text = table([paper], None)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert text.startswith("2501.00009  Red")
    result = run("titles", str(FIXTURES / "page.txt"))
    assert b"\x1b" not in result.stdout and "Escape Red Sequences in Titles" in result.stdout.decode()


def test_fit_cuts_by_cells() -> None:
    assert fit("宽字宽字", 5) == "宽字…" and cells(fit("宽字宽字", 5)) == 5
    assert fit("abc", 3) == "abc" and fit("abcd", 3) == "ab…"


# ---- --limit and exit statuses -------------------------------------------------------------


def test_limit_keeps_the_best(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    full = lines(run("--format", "ids", "attention", str(folder)))
    assert lines(run("--format", "ids", "--limit", "2", "attention", str(folder))) == full[:2]
    assert lines(run("--format", "ids", "--limit", "9", "attention", str(folder))) == full
    for bad in ("0", "-1", "two"):
        result = run("--limit", bad, "attention", str(folder))
        assert result.returncode == EX_USAGE and result.stdout == b"" and b"--limit" in result.stderr


def test_no_match_is_status_1_and_silent_in_a_pipe(tmp_path: Path) -> None:
    result = run("zebra", str(week_folder(tmp_path)))
    assert result.returncode == EX_NO_MATCH and result.stdout == b"" and result.stderr == b""


def test_no_match_says_the_readers_reason_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("tui.cli_search._is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["attention has:code -lantern", str(week_folder(tmp_path))]) == EX_NO_MATCH
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "digest-reader search: No paper matches. Remove has:code to see 2 papers.\n"


def test_an_empty_query_lists_every_paper_in_the_readers_order(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    result = run("--format", "ids", "", str(folder))
    # The folder newest first (tue.json, then mon.json), each paper once.
    assert lines(result) == ["2501.00003", "2501.00004", "2501.00005", "2501.00001", "2501.00002"]


# ---- sources, as the reader reads them -------------------------------------------------------


def test_standard_input() -> None:
    result = run("--format", "ids", "retrieval", "-", stdin=(WEEK / "mon.json").read_bytes())
    assert result.returncode == 0 and lines(result) == ["2501.00003"]
    twice = run("x", "-", "-")
    assert twice.returncode == EX_USAGE and b"only once" in twice.stderr


def test_a_folder_skips_what_is_no_digest_in_one_line_each(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    (folder / "notes.txt").write_bytes((FIXTURES / "notes.txt").read_bytes())
    (folder / ".hidden.json").write_text("hidden: never read")
    result = run("--format", "ids", "compass", str(folder))
    assert result.returncode == 0 and lines(result) == ["2501.00003"]
    assert result.stderr.decode().splitlines() == [
        f"digest-reader search: skipped {folder / 'notes.txt'}: not a digest format I know (tried: "
        + ", ".join(formats.format_names())
        + "); use --digest-format to force one"]


def test_a_folder_with_no_digest_is_the_readers_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(run("x", str(empty)), EX_NOINPUT, f"{empty}: the directory holds no digest files")
    (empty / "notes.txt").write_bytes((FIXTURES / "notes.txt").read_bytes())
    result = run("x", str(empty))
    assert result.returncode == EX_NOINPUT and result.stdout == b""
    assert result.stderr.decode().splitlines()[-1] == f"digest-reader search: {empty}: the directory holds no digest files"


def test_file_errors_are_parses(tmp_path: Path) -> None:
    one_line_error(run("x", str(tmp_path / "gone.txt")), EX_NOINPUT, "gone.txt: no such file; check the path")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    one_line_error(run("x", str(binary)), EX_DATAERR, "image.png: ")
    one_line_error(run("x", str(FIXTURES / "notes.txt"), str(WEEK / "mon.json")), EX_DATAERR,
                   "notes.txt: not a digest format I know", "--digest-format")
    one_line_error(run("--digest-format", "hf-json", "x", str(FIXTURES / "page.txt")), EX_DATAERR,
                   "page.txt: no papers found as hf-json; try --digest-format auto")
    one_line_error(run("x", "hf:yesterday"), EX_USAGE, "not a source spec")


# ---- live sources -------------------------------------------------------------------------

DAY = "/api/daily_papers?date=2024-10-22&limit=100&p=0"


def test_a_live_source_is_fetched_then_read_from_the_cache(server: LiveServer) -> None:
    server.route(DAY, Reply(body=fixture("hf_daily_2024-10-22.json")))
    fetched = run("--format", "ids", "keyframes", "hf:2024-10-22")
    assert fetched.returncode == 0, fetched.stderr
    assert lines(fetched) == ["2410.16256"]
    assert fetched.stderr.decode().splitlines() == ["digest-reader search: hf 2024-10-22: 3 papers fetched"]
    cached = run("--offline", "--format", "ids", "keyframes", "hf:2024-10-22")
    assert cached.returncode == 0 and lines(cached) == ["2410.16256"]
    assert "3 papers from the cache" in cached.stderr.decode() and len(server.requests) == 1


def test_a_live_source_that_cannot_be_fetched_is_69() -> None:
    one_line_error(run("x", "hf:2024-10-22"), EX_UNAVAILABLE, "hf 2024-10-22: fetch failed")


# ---- bookmarks and read state ------------------------------------------------------------------


def marks_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "marks"
    folder.mkdir()
    shutil.copy(MARKS / "bookmarks.json", folder / "bookmarks.json")
    shutil.copy(MARKS / "read.json", folder / "read.json")
    return folder


def test_is_and_tag_filters_see_the_users_marks(tmp_path: Path) -> None:
    folder, marks = week_folder(tmp_path), marks_dir(tmp_path)
    bookmarks = str(marks / "bookmarks.json")

    def ids(text: str) -> list[str]:
        result = run("--format", "ids", "--bookmarks", bookmarks, text, str(folder))
        assert result.stderr == b"", result.stderr
        return lines(result)

    assert ids("is:bookmarked") == ["2501.00004", "2501.00002"]
    assert ids("tag:sinks") == ["2501.00004"] == ids("is:tagged")
    assert ids("is:read") == ["2501.00001"]
    assert ids("attention is:unread") == [key for key in rank_keys(
        [folder / "tue.json", folder / "mon.json"], "attention is:unread", read=frozenset({"arxiv:2501.00001"}))]
    assert ids("attention is:unread") == ["2501.00004", "2501.00003"]
    # The default files are the reader's (DIGEST_READER_BOOKMARKS, then the data directory).
    by_env = run("--format", "ids", "is:bookmarked", str(folder), env={"DIGEST_READER_BOOKMARKS": bookmarks})
    assert lines(by_env) == ["2501.00004", "2501.00002"]
    assert lines(run("is:bookmarked", str(folder))) == []  # (the test's own, empty, data directory)


def test_marks_are_read_and_never_changed(tmp_path: Path) -> None:
    folder, marks = week_folder(tmp_path), marks_dir(tmp_path)
    (marks / "read.json").write_text('{"version": 1, "read": {"arxiv:2501.00001": ')  # cut off mid-write
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in marks.iterdir()}
    result = run("--format", "ids", "--bookmarks", str(marks / "bookmarks.json"), "attention is:unread", str(folder))
    assert result.returncode == 0
    assert lines(result) == ["2501.00004", "2501.00001", "2501.00003"]  # no paper counts as read
    [warning] = result.stderr.decode().splitlines()
    assert warning.startswith(f"digest-reader search: {marks / 'read.json'} could not be read (not valid JSON")
    assert warning.endswith("; is:read and is:unread see no paper read")
    # The reader would move the file aside; a search leaves everything as it was.
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in marks.iterdir()} == before


def test_a_query_without_marks_filters_reads_no_marks(tmp_path: Path) -> None:
    folder, marks = week_folder(tmp_path), marks_dir(tmp_path)
    (marks / "bookmarks.json").write_text("not json")
    result = run("--format", "ids", "--bookmarks", str(marks / "bookmarks.json"), "attention", str(folder))
    assert result.returncode == 0 and result.stderr == b""


# ---- the process ---------------------------------------------------------------------------


def test_search_imports_nothing_of_the_ui() -> None:
    code = (
        "import sys; from tui.cli import main;"
        f"status = main(['search', '--format', 'ids', 'attention', {str(WEEK / 'mon.json')!r}]);"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in ('textual', 'rich') or"
        " name.startswith(('tui.app', 'tui.screens', 'tui.widgets')));"
        "print(status, loaded, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stderr.decode().strip() == "0 []"
    assert result.stdout.decode().splitlines() == ["2501.00001", "2501.00003"]


def test_a_reader_that_leaves_early_ends_the_search_quietly(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("new\n\nSubscribe\n\n" + "".join(f"Paper number {n} of many\n\nAn abstract.\n\n" for n in range(4000)))
    process = subprocess.Popen([sys.executable, "-m", "tui", "search", "paper", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()  # like `| head -c 100`
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert error == b""
