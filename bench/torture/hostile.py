"""The hostile digests of ``tests/fixtures/hostile/``: through ``parse`` and through the reader.

- ``digest-reader parse FILE``: stdout is UTF-8 JSON in which no control
  character appears raw (JSON escapes C0 as ``\\u001b``; C1 and DEL would pass
  through unescaped, so they must not be there at all), stderr holds no raw
  control either, there is no traceback, and the exit status is the documented
  one: 0, or 65 with one line for a binary file.
- The reader, headless (``render.py``): no foreign control sequence in any
  frame while moving through the papers and the links picker; a binary file
  ends the app at once with status 65 and one clean message.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.torture.common import CHILD_TIMEOUT, REPO, TRACEBACK, CaseResult, child_env, run_cli

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
RENDER = Path(__file__).resolve().parent / "render.py"
QUICK_FILES = ("esc_c1_8bit.txt", "markup_click_action.txt", "binary_nul.txt")
"""One file of each kind for ``--quick``: 8-bit escapes, click markup, a binary file."""
EX_DATAERR = 65


def hostile_files(quick: bool) -> list[Path]:
    """The fixtures to run: all of them, or :data:`QUICK_FILES`."""
    files = sorted(HOSTILE.glob("*.txt"))
    return [path for path in files if path.name in QUICK_FILES] if quick else files


def is_binary(path: Path) -> bool:
    """What the reader refuses as binary: a NUL byte in the first 8 KB."""
    return b"\0" in path.read_bytes()[:8192]


def raw_controls(text: str, *, allow_newline: bool) -> list[str]:
    """C0 (but the final newline), DEL and C1 characters, as ``repr``s."""
    return [
        repr(ch)
        for ch in text
        if (ord(ch) < 0x20 and not (allow_newline and ch == "\n")) or 0x7F <= ord(ch) <= 0x9F
    ]


def check_parse(path: Path, data_dir: Path, result: CaseResult) -> None:
    """Run ``parse`` on one file and check its output, stderr and status."""
    finished = run_cli(["parse", str(path)], data_dir)
    result.runs += 1
    if finished.traceback:
        result.tracebacks += 1
        result.note(f"parse {path.name}: traceback")
    binary = is_binary(path)
    result.check_exit(finished.status, (EX_DATAERR,) if binary else (0,), f"parse {path.name}")
    try:
        stdout = finished.stdout.decode("utf-8")
        stderr = finished.stderr.decode("utf-8")
    except UnicodeDecodeError:
        result.check_messages(False, f"parse {path.name}: output is not UTF-8")
        return
    leaks = raw_controls(stdout, allow_newline=True) + raw_controls(stderr, allow_newline=True)
    lines = finished.stderr_lines()
    if binary:
        ok = not stdout and len(lines) == 1 and not leaks
        why = f"parse {path.name}: stdout {len(stdout)} chars, {len(lines)} stderr line(s), leaks {leaks[:3]}"
        result.check_messages(ok, why)
        return
    try:
        json.loads(stdout)
        parsed = True
    except ValueError:
        parsed = False
    ok = parsed and not leaks and stdout.count("\n") == 1 and not lines
    result.check_messages(ok, f"parse {path.name}: JSON {'ok' if parsed else 'invalid'}, raw controls {leaks[:3]}")
    if leaks:
        result.figures["leaks"] = str(int(result.figures.get("leaks", "0")) + len(leaks))


def check_render(files: list[Path], data_dir: Path, result: CaseResult) -> None:
    """Open every file in the reader headless (one process) and check each frame."""
    completed = subprocess.run(
        [sys.executable, str(RENDER), *map(str, files)],
        cwd=REPO,
        env=child_env(data_dir),
        capture_output=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    stderr = completed.stderr.decode("utf-8", "replace")
    if TRACEBACK in stderr or completed.returncode != 0:
        result.tracebacks += 1
        result.note(f"render: status {completed.returncode}: {stderr.strip().splitlines()[-1:] or ''}")
    outcomes = [json.loads(line) for line in completed.stdout.decode().splitlines() if line.startswith("{")]
    frames = 0
    for outcome in outcomes:
        result.runs += 1
        name = outcome["file"]
        frames += outcome["frames"]
        if outcome["error"]:
            result.tracebacks += 1
            result.note(f"render {name}: {outcome['error'][:100]}")
        refused = outcome.get("refused")
        if is_binary(HOSTILE / name):
            ok = bool(refused) and refused["status"] == EX_DATAERR and not raw_controls(refused["message"], allow_newline=False)
            result.check_messages(ok and "\n" not in refused["message"], f"render {name}: not refused with one clean message")
        else:
            result.check_messages(not refused and not outcome["leaks"], f"render {name}: {outcome['leaks'][:3] or refused}")
    if len(outcomes) != len(files):
        result.note(f"render: {len(files) - len(outcomes)} file(s) gave no result")
    result.figures["frames checked"] = str(frames)


def run_hostile(work: Path, *, quick: bool) -> list[CaseResult]:
    """The parse check and the render check of the hostile digests."""
    files = hostile_files(quick)
    data_dir = work / "hostile"
    data_dir.mkdir(parents=True)
    parse = CaseResult("hostile", f"parse {len(files)} hostile digests")
    for path in files:
        check_parse(path, data_dir, parse)
    render = CaseResult("hostile", f"render {len(files)} hostile digests headless")
    check_render(files, data_dir, render)
    return [parse, render]
