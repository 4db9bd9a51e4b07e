"""`digest-reader parse` run as a real process: output, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digest_parser import api
from digest_parser.reading import DigestReadError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf_page"
EX_USAGE, EX_DATAERR, EX_NOINPUT = 2, 65, 66


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "parse", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or REPO,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], status: int, *needles: str) -> str:
    assert result.returncode == status, result.stderr
    assert result.stdout == b""
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and message.endswith("\n"), message
    assert "Traceback" not in message
    for needle in needles:
        assert needle in message, message
    return message


def test_success_prints_one_json_object() -> None:
    result = run(str(FIXTURES / "plain_copy.txt"))
    assert result.returncode == 0 and result.stderr == b""
    data = json.loads(result.stdout.decode("utf-8"))
    assert set(data) == {"format", "source", "date", "papers", "problems"}
    assert data["format"] == "hf-page" and data["date"] == "Mar 14"
    assert [paper["title"][:6] for paper in data["papers"]] == ["Heron:", "Marsh:", "Quorum"]
    assert data["papers"][0]["code_url"] == "https://github.com/heron-lab/heron"


def test_several_paths_give_one_merged_object() -> None:
    result = run(str(FIXTURES / "plain_copy.txt"), str(FIXTURES / "problems.txt"))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert len(data["papers"]) == 5
    assert len(data["problems"]) == 4
    assert data["source"] == f"{FIXTURES / 'plain_copy.txt'}, {FIXTURES / 'problems.txt'}"
    assert [paper["source"] for paper in data["papers"]].count(str(FIXTURES / "problems.txt")) == 2


def test_stdin_dash() -> None:
    result = run("-", stdin=(FIXTURES / "crlf.txt").read_bytes())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == "-" and data["papers"][0]["title"] == "Heron: Speculative Draft Scheduling"


def test_forced_format() -> None:
    result = run("--format", "hf-page", str(FIXTURES / "markup.txt"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["papers"][0]["title"] == "[CLS] Pooling Is All You Need [/]"


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert b"digest-reader parse" in result.stdout and b"hf-page" in result.stdout


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "gone.txt")), EX_NOINPUT, "gone.txt: no such file")


def test_missing_file_among_good_ones_prints_nothing(tmp_path: Path) -> None:
    result = run(str(FIXTURES / "plain_copy.txt"), str(tmp_path / "gone.txt"))
    assert_one_line_error(result, EX_NOINPUT, "gone.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_line_error(run(str(fifo)), EX_NOINPUT, "is a FIFO")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device() -> None:
    assert_one_line_error(run("/dev/zero"), EX_NOINPUT, "/dev/zero: is a device")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_stdin_is_refused_at_once() -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "parse", "-"], stdin=zero, capture_output=True, cwd=REPO, timeout=60
        )
    assert_one_line_error(result, EX_DATAERR, "standard input: looks like a binary file")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run(str(path)), EX_DATAERR, "image.png: looks like a binary file")


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("new\n\nTitle\n\nCaf\u00e9 abstract.\n".encode("latin-1"))
    assert_one_line_error(
        run(str(path)), EX_DATAERR, "latin1.txt: line 5: not valid UTF-8 (byte 0xe9 at offset 15)", "re-save"
    )


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n\n" + b"word " * 100)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "parse", str(path)],
        capture_output=True,
        cwd=REPO,
        timeout=60,
        env={**os.environ, "DIGEST_READER_MAX_BYTES": "100"},
    )
    assert_one_line_error(result, EX_DATAERR, "big.txt: is larger than the 100 byte limit", "DIGEST_READER_MAX_BYTES")


def test_file_name_with_escape_sequence(tmp_path: Path) -> None:
    name = "x\x1b]0;PWNED\x07\x1b[2J.txt"
    message = assert_one_line_error(run(str(tmp_path / name)), EX_NOINPUT, "no such file")
    assert "\x1b" not in message and "\x07" not in message
    assert "x\\x1b]0;PWNED\\x07\\x1b[2J.txt" in message


def test_file_name_with_escape_sequence_in_json(tmp_path: Path) -> None:
    path = tmp_path / "ok\x1b[31m.txt"
    path.write_bytes((FIXTURES / "plain_copy.txt").read_bytes())
    result = run(str(path))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and b"\\u001b" not in result.stdout


def test_unknown_format() -> None:
    result = run("--format", "nope", str(FIXTURES / "plain_copy.txt"))
    assert result.returncode == EX_USAGE and result.stdout == b""
    assert b"invalid choice: 'nope'" in result.stderr and b"Traceback" not in result.stderr


def test_no_path_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == EX_USAGE and result.stdout == b"" and b"PATH" in result.stderr


def test_main_returns_status_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli_parse import main

    assert main(["--format", "nope", "x"]) == EX_USAGE
    assert main(["-", "-"]) == EX_USAGE
    assert "only once" in capsys.readouterr().err


# Streamed output ------------------------------------------------------------------

ALL_FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVERY_DIGEST = sorted(
    path
    for folder in ("hf_page", "formats", "hostile")
    for path in (ALL_FIXTURES / folder).iterdir()
    if path.is_file() and not path.name.endswith((".expected.json", ".py", ".md")) and path.name != "binary_nul.txt"
)


def run_main(capfdbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, bytes]:
    from tui.cli_parse import main

    status = main(list(args))
    out, err = capfdbinary.readouterr()
    return status, out, err


def dumped(*paths: Path) -> bytes:
    """What `parse` printed when it built the whole object and dumped it at once."""
    from digest_parser import api

    digest = api.merge([api.load(str(path)) for path in paths])
    return (json.dumps(digest.to_json(), ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("path", EVERY_DIGEST, ids=[path.name for path in EVERY_DIGEST])
def test_streamed_json_is_byte_for_byte_the_dumped_object(capfdbinary, path: Path) -> None:
    status, out, _ = run_main(capfdbinary, str(path))
    assert status == 0
    assert out == dumped(path)


def test_a_streamed_merge_is_byte_for_byte_the_dumped_object(capfdbinary) -> None:
    paths = [ALL_FIXTURES / "hf_page" / "problems.txt", ALL_FIXTURES / "formats" / "feed_legacy_rss1.xml",
             ALL_FIXTURES / "hf_page" / "full_page.txt", ALL_FIXTURES / "hostile" / "cjk_emoji.txt"]
    status, out, _ = run_main(capfdbinary, *map(str, paths))
    assert status == 0 and out == dumped(*paths)


def test_a_large_page_is_byte_for_byte_the_dumped_object(capfdbinary, tmp_path: Path) -> None:
    path = tmp_path / "large.txt"
    abstract = "Caf\u00e9 \u2013 word " * 200 + "end."  # non-ASCII: the JSON string is not Latin-1
    path.write_text("new\n\nSubscribe\n\nMar 14\n\n" + "".join(f"T{n}\n\n{abstract}\n\n" for n in range(1500)) + "Lonely\n")
    status, out, _ = run_main(capfdbinary, str(path))
    assert status == 0 and out == dumped(path)


def test_parse_holds_neither_the_digest_nor_its_json(capfdbinary, tmp_path: Path) -> None:
    import tracemalloc

    from tui.cli_parse import main

    path = tmp_path / "large.txt"
    abstract = " ".join(["word"] * 300) + "."
    path.write_text("new\n\nSubscribe\n\n" + "".join(f"Paper {n}\n\n{abstract}\n\n" for n in range(12000)))
    size = path.stat().st_size  # about 18 MB
    tracemalloc.start()
    try:
        status = main([str(path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    out, _ = capfdbinary.readouterr()
    assert status == 0 and out.count(b'"title": ') == 12000
    # It used to build the digest, a dict of it and one string of the whole
    # JSON (and its bytes): several times the file.
    assert peak < size / 3, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_jsonl_prints_one_paper_per_line_and_problems_on_stderr(capfdbinary) -> None:
    from digest_parser import api

    path = FIXTURES / "problems.txt"
    status, out, err = run_main(capfdbinary, "--jsonl", str(path))
    digest = api.load(str(path))
    assert status == 0
    assert out.decode("utf-8").splitlines() == [json.dumps(paper.to_json(), ensure_ascii=False) for paper in digest.papers]
    assert err.decode("utf-8").splitlines() == [f"{path}:{p.line}: {p.reason}" for p in digest.problems]
    assert len(digest.problems) == 4


def test_jsonl_of_several_files_and_stdin(tmp_path: Path) -> None:
    result = run("--jsonl", str(FIXTURES / "plain_copy.txt"), "-", stdin=(FIXTURES / "bom.txt").read_bytes())
    assert result.returncode == 0 and result.stderr == b""
    lines = result.stdout.decode("utf-8").splitlines()
    assert [json.loads(line)["title"][:6] for line in lines] == ["Heron:", "Marsh:", "Quorum", "Marsh:"]
    assert json.loads(lines[-1])["source"] == "-"


def test_help_names_jsonl_and_where_problems_go() -> None:
    out = run("--help").stdout.decode("utf-8")
    assert "--jsonl" in out and "SOURCE:LINE: REASON" in out


def test_a_bad_byte_far_into_a_large_file_stops_the_output_there(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    abstract = " ".join(["word"] * 300) + "."
    body = "new\n\nSubscribe\n\nMar 14\n\n" + "".join(f"Paper {n}\n\n{abstract}\n\n" for n in range(1500))
    path.write_bytes(body.encode() + b"Late\n\nbad \xff byte.\n")  # past the first 1 MiB read
    result = run(str(path))
    assert result.returncode == EX_DATAERR
    message = result.stderr.decode("utf-8")
    assert message.count("\n") == 1 and "not valid UTF-8" in message and "Traceback" not in message
    assert result.stdout.startswith(b'{"format": "hf-page", "source": ') and b'"title": "Paper 0"' in result.stdout
    with pytest.raises(json.JSONDecodeError):  # incomplete, so no reader mistakes it for the whole digest
        json.loads(result.stdout)


def test_a_bad_byte_far_into_a_file_of_a_folder_skips_that_file(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    late = folder / "late.txt"
    abstract = " ".join(["word"] * 300) + "."
    body = "new\n\nSubscribe\n\nMar 14\n\n" + "".join(f"Paper {n}\n\n{abstract}\n\n" for n in range(1500))
    late.write_bytes(body.encode() + b"Late\n\nbad \xff byte.\n")  # past the first 1 MiB read
    os.utime(late, (1_600_000_000, 1_600_000_000))  # the oldest: read last
    for args in ((str(folder),), ("--jsonl", str(folder))):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.decode("utf-8").splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"digest-reader parse: skipped {late}") \
            and "not valid UTF-8" in lines[0], lines
        papers = ([json.loads(line) for line in result.stdout.splitlines()] if args[0] == "--jsonl"
                  else json.loads(result.stdout)["papers"])
        assert [paper["arxiv_id"] for paper in papers] == [
            "2501.00003", "2501.00004", "2501.00005", "2501.00001", "2501.00002"]


def test_a_reader_that_leaves_early_stops_the_parse_quietly(tmp_path: Path) -> None:
    path = tmp_path / "large.txt"
    abstract = " ".join(["word"] * 300) + "."
    path.write_text("new\n\nSubscribe\n\n" + "".join(f"Paper {n}\n\n{abstract}\n\n" for n in range(3000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "parse", "--jsonl", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()  # like `| head -c 100`
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert b"Traceback" not in error and error == b""


# A file in no known format ----------------------------------------------------------


def test_auto_on_a_file_in_no_known_format_is_bad_data(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just a line of notes, no digest here\n")
    message = assert_one_line_error(run(str(path)), EX_DATAERR, "notes.txt: not a digest format I know (tried: ")
    from digest_parser import formats

    assert all(name in message for name in formats.format_names())
    assert "--format" in message


def test_a_file_in_no_known_format_among_good_ones_prints_nothing(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just a line of notes, no digest here\n")
    assert_one_line_error(run(str(FIXTURES / "plain_copy.txt"), str(path)), EX_DATAERR, "notes.txt: not a digest format")
    assert_one_line_error(run("--jsonl", str(path)), EX_DATAERR, "notes.txt: not a digest format")


def test_a_blank_file_is_not_refused(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("\n\n")
    empty = run(str(blank))
    assert empty.returncode == 0 and json.loads(empty.stdout)["papers"] == []


# A forced format that finds nothing -------------------------------------------------


def test_a_forced_format_that_finds_no_paper_in_a_file_is_bad_data(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just a line of notes, no digest here\n")
    message = assert_one_line_error(run("--format", "hf-json", str(notes)), EX_DATAERR)
    assert message == f"digest-reader parse: {notes}: no papers found as hf-json; try --format auto\n"
    assert_one_line_error(run("--jsonl", "--format", "hf-page", str(notes)), EX_DATAERR, "no papers found as hf-page")
    # Among good files nothing is written either; standard input is checked the same way.
    good = FIXTURES / "plain_copy.txt"
    assert_one_line_error(run("--format", "hf-page", str(good), str(notes)), EX_DATAERR, "notes.txt: no papers found")
    assert_one_line_error(run("--format", "hf-json", "-", stdin=notes.read_bytes()), EX_DATAERR,
                          "standard input: no papers found as hf-json")


def test_a_forced_format_may_find_no_paper_in_a_blank_file_or_an_empty_digest_of_its_own(tmp_path: Path) -> None:
    blank, empty_day = tmp_path / "blank.txt", tmp_path / "weekend.json"
    blank.write_text("\n \n")
    empty_day.write_text("[]\n")  # /api/daily_papers on a weekend: a digest with no papers
    for path, name in ((blank, "hf-json"), (empty_day, "hf-json"), (blank, "hf-page")):
        result = run("--format", name, str(path))
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["papers"] == []


# A folder ---------------------------------------------------------------------------

SEARCH_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli-search"


def week_folder(tmp_path: Path) -> Path:
    """mon.json (older) and tue.json (newer), which both hold arXiv 2501.00003."""
    folder = tmp_path / "week"
    folder.mkdir()
    for age, name in ((200, "mon.json"), (100, "tue.json")):
        target = folder / name
        target.write_bytes((SEARCH_FIXTURES / "week" / name).read_bytes())
        os.utime(target, (1_700_000_000 - age, 1_700_000_000 - age))
    (folder / ".hidden.json").write_text("not read: hidden files are skipped, as the reader does")
    return folder


def test_a_folder_is_every_digest_in_it_newest_first_each_paper_once(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    result = run(str(folder))
    assert result.returncode == 0 and result.stderr == b"", result.stderr
    data = json.loads(result.stdout)
    assert [paper["arxiv_id"] for paper in data["papers"]] == [
        "2501.00003", "2501.00004", "2501.00005", "2501.00001", "2501.00002"]
    assert data["source"] == f"{folder / 'tue.json'}, {folder / 'mon.json'}"
    jsonl = run("--jsonl", str(folder))
    assert [json.loads(line)["arxiv_id"] for line in jsonl.stdout.splitlines()] == [
        "2501.00003", "2501.00004", "2501.00005", "2501.00001", "2501.00002"]


def test_a_folders_copies_of_one_paper_are_merged_as_the_reader_merges_them(tmp_path: Path) -> None:
    """Tuesday's mailing lists 2603.20001 as replaced (no abstract), Monday's as new
    (with it): the folder's record is the reader's, abstract and all."""
    from tui.core.library import build_library

    three_days = Path(__file__).resolve().parent / "fixtures" / "records" / "mail_three_days_newest_first.txt"
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "days.txt").write_bytes(three_days.read_bytes())
    result = run(str(folder))
    assert result.returncode == 0, result.stderr
    papers = json.loads(result.stdout)["papers"]
    reader = build_library([api.load(str(folder / "days.txt"))]).papers
    assert [paper["arxiv_id"] for paper in papers] == [paper.arxiv_id for paper in reader] == [
        "2603.20001", "2509.30003", "2603.20002"]
    assert papers == [paper.to_json() for paper in reader]
    assert papers[0]["abstract"].startswith("We map the dust lanes")
    assert papers[2]["authors"] == ["Ada Brook"]
    jsonl = [json.loads(line) for line in run("--jsonl", str(folder)).stdout.splitlines()]
    assert jsonl == papers
    # A file named as a PATH is still printed as parsed: every copy.
    assert len(json.loads(run(str(folder / "days.txt")).stdout)["papers"]) == 6


def test_a_folder_beside_files_keeps_the_files_as_given(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    result = run(str(SEARCH_FIXTURES / "week" / "mon.json"), str(folder))
    assert result.returncode == 0, result.stderr
    ids = [paper["arxiv_id"] for paper in json.loads(result.stdout)["papers"]]
    # The file is merged as before (no de-duplication across PATHs); the folder's papers are each once.
    assert ids == ["2501.00001", "2501.00002", "2501.00003", "2501.00003", "2501.00004", "2501.00005",
                   "2501.00001", "2501.00002"]


def test_a_file_in_a_folder_that_is_no_digest_is_skipped_with_one_line(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    (folder / "notes.txt").write_text("just a line of notes, no digest here\n")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = run(str(folder))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["papers"]) == 5
    lines = sorted(result.stderr.decode().splitlines())
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"digest-reader parse: skipped {folder / 'image.png'}: ") and "binary" in lines[0]
    assert lines[1].startswith(f"digest-reader parse: skipped {folder / 'notes.txt'}: not a digest format I know")


def test_a_folder_with_no_digest_gives_the_readers_message(tmp_path: Path) -> None:
    from tui.core.sources import expand

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DigestReadError) as reader_error:
        expand([str(empty)])
    assert_one_line_error(run(str(empty)), reader_error.value.exit_code, str(reader_error.value))
    assert reader_error.value.exit_code == EX_NOINPUT and "holds no digest files" in str(reader_error.value)
    notes_only = tmp_path / "notes_only"
    notes_only.mkdir()
    (notes_only / "notes.txt").write_text("just a line of notes, no digest here\n")
    result = run(str(notes_only))
    assert result.returncode == EX_NOINPUT and result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        f"digest-reader parse: skipped {notes_only / 'notes.txt'}: {api.unknown_format_reason()}",
        f"digest-reader parse: {notes_only}: the directory holds no digest files",
    ]


def test_a_forced_format_skips_the_folders_files_it_finds_nothing_in(tmp_path: Path) -> None:
    folder = week_folder(tmp_path)
    (folder / "notes.txt").write_text("just a line of notes, no digest here\n")
    result = run("--format", "hf-json", str(folder))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["papers"]) == 5
    assert result.stderr.decode().splitlines() == [
        f"digest-reader parse: skipped {folder / 'notes.txt'}: no papers found as hf-json; try --format auto"]
