"""The summary table of a torture run (Markdown, so bench/README.md can quote it as printed)."""

from __future__ import annotations

from collections.abc import Sequence

from bench.torture.common import CaseResult

HEADERS = ("case", "runs", "broken files", "lost changes", "temp files (kill / start)", "messages OK", "tracebacks", "notes")


def _temp(result: CaseResult) -> str:
    if result.group == "kills":
        return f"{result.temp_after_kill} / {result.temp_after_start}"
    if result.group == "concurrency":
        return f"- / {result.temp_after_start}"
    return "-"


def _notes(result: CaseResult) -> str:
    if result.skipped:
        return f"skipped: {result.skipped}"
    notes = [f"{name}: {value}" for name, value in result.figures.items()]
    if result.group == "corrupt":
        notes.append(f"original kept {result.runs - result.originals_lost}/{result.runs}")
    if result.exits_checked:
        notes.append(f"exits as documented {result.exits_ok}/{result.exits_checked}")
    if result.originals_lost:
        notes.append(f"original bytes lost {result.originals_lost}")
    if result.touched:
        notes.append(f"left-alone file touched {result.touched}")
    if result.problems:
        more = f" (+{len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        notes.append(f"first problem: {result.problems[0]}{more}")
    return "; ".join(notes)


def table(results: Sequence[CaseResult]) -> str:
    """One row per case, in the order run."""
    rows = [HEADERS, tuple("---" for _ in HEADERS)]
    for result in results:
        messages = f"{result.messages_ok}/{result.messages_checked}" if result.messages_checked else "-"
        rows.append((
            f"{result.group}: {result.case}",
            str(result.runs),
            str(result.broken_files),
            str(result.lost_changes),
            _temp(result),
            messages,
            str(result.tracebacks),
            _notes(result),
        ))
    # A "|" inside a cell (a message, a case name) would add a column.
    return "\n".join("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows)


def details(results: Sequence[CaseResult]) -> str:
    """Every problem and every message shown to the user, case by case (``--verbose``)."""
    lines: list[str] = []
    for result in results:
        if not (result.problems or result.messages):
            continue
        lines.append(f"{result.group}: {result.case}")
        lines += [f"  problem: {problem}" for problem in result.problems]
        lines += [f"  said:    {message}" for message in result.messages]
    return "\n".join(lines)
