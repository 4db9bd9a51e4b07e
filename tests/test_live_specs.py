"""Source specs (docs/live-sources.md): what each form means, what is refused, and
that a spec is never looked for on disk."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tui.core.sources import expand
from tui.live import LiveSpec, SpecError, parse_spec
from tui.live.specs import SPEC_FORMS

TODAY = date(2026, 12, 5)  # a Saturday


def spec(text: str) -> LiveSpec:
    parsed = parse_spec(text, today=TODAY)
    assert parsed is not None
    return parsed


def test_hf_is_today_in_utc() -> None:
    today = spec("hf")
    assert (today.kind, today.period, today.day) == ("hf", "day", TODAY)
    assert today.text == "hf"
    assert today.label == "hf 2026-12-05"
    assert today.canonical == "hf:2026-12-05"


def test_one_day() -> None:
    day = spec("hf:2024-10-22")
    assert day.day == date(2024, 10, 22)
    assert day.value == "2024-10-22"
    assert day.label == "hf 2024-10-22"


def test_this_week_and_a_named_week() -> None:
    week = spec("hf:week")
    assert (week.period, week.start, week.end) == ("week", date(2026, 11, 30), date(2026, 12, 6))
    assert week.label == "hf 2026-W49"
    named = spec("hf:2024-W43")
    assert (named.start, named.end, named.value) == (date(2024, 10, 21), date(2024, 10, 27), "2024-W43")
    assert spec("hf:2020-w53").value == "2020-W53"  # 2020 has 53 ISO weeks
    assert named.day is None


def test_a_month() -> None:
    month = spec("hf:2024-02")
    assert (month.period, month.start, month.end, month.label) == ("month", date(2024, 2, 1), date(2024, 2, 29), "hf 2024-02")
    assert spec("hf:2024-12").end == date(2024, 12, 31)


def test_arxiv_categories() -> None:
    feed = spec("arxiv:cs.CV+cs.LG")
    assert (feed.kind, feed.categories, feed.start) == ("arxiv", ("cs.CV", "cs.LG"), None)
    assert feed.label == "arxiv cs.CV+cs.LG"
    assert feed.canonical == "arxiv:cs.CV+cs.LG"
    for text in ("arxiv:hep-th", "arxiv:astro-ph.GA", "arxiv:q-bio.NC+stat.ML", "arxiv:math"):
        assert spec(text).kind == "arxiv"


def test_paths_are_not_specs() -> None:
    for text in ("notes.txt", "./hf", "hf.txt", "hfx", "HF", "dir/hf:2024-10-22", "-", "", "arxiv.txt", "/tmp/arxiv:cs.CL"):
        assert parse_spec(text, today=TODAY) is None, text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hf:2026-12-06", ["in the future", "2026-12-05 UTC"]),
        ("hf:2027-01", ["in the future"]),
        ("hf:2026-W50", ["in the future"]),
        ("hf:2024-02-30", ["not a real date"]),
        ("hf:2024-13", ["not a real date"]),
        ("hf:2021-W53", ["no week 53"]),
        ("hf:", ["not a source spec", "hf:YYYY-MM-DD"]),
        ("hf:today", ["not a source spec"]),
        ("hf:2024-10-22.txt", ["not a source spec"]),
        ("arxiv", ["no arXiv category"]),
        ("arxiv:", ["no arXiv category"]),
        ("arxiv:CS.cv", ["not an arXiv category"]),
        ("arxiv:cs.CV+", ["not an arXiv category"]),
        ("arxiv:cs.CV+cs.CV", ["twice"]),
    ],
)
def test_malformed_or_future_specs_are_refused_in_one_line(text: str, words: list[str]) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, today=TODAY)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_a_hostile_spec_is_shown_escaped() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec("hf:\x1b]52;c;aGk=\x07", today=TODAY)
    assert "\x1b" not in str(caught.value)


def test_step_moves_a_day_and_stops_at_today() -> None:
    friday = spec("hf:2026-12-04")
    assert friday.step(-1, today=TODAY) == LiveSpec("hf:2026-12-03", "hf", "day", date(2026, 12, 3))
    saturday = friday.step(1, today=TODAY)
    assert saturday is not None and saturday.label == "hf 2026-12-05"
    assert saturday.step(1, today=TODAY) is None
    assert spec("hf:week").step(-1, today=TODAY) is None
    assert spec("arxiv:cs.CL").step(-1, today=TODAY) is None
    assert spec("hf:2024-03-01").step(-1, today=TODAY) == spec("hf:2024-02-29")  # a leap day


def test_every_form_is_listed_for_help() -> None:
    forms = [form for form, _ in SPEC_FORMS]
    assert forms == ["hf", "hf:YYYY-MM-DD", "hf:week", "hf:YYYY-Www", "hf:YYYY-MM", "arxiv:CAT[+CAT…]"]


def test_expand_makes_live_sources_and_never_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "hf").write_text("a file named like a spec\n")
    (tmp_path / "notes.txt").write_text("Title\n\nAbstract.\n")
    monkeypatch.chdir(tmp_path)
    sources = expand(["hf", "arxiv:cs.CL", "notes.txt", "./hf"], live_mode="offline", replacements=True)
    live, feed, notes, file = sources
    assert live.live is not None and live.live.kind == "hf" and live.text is None
    assert (live.path, live.live_mode, live.replacements) == ("hf", "offline", True)
    assert feed.live is not None and feed.live.categories == ("cs.CL",)
    assert notes.live is None and notes.text == "Title\n\nAbstract.\n"
    assert file.live is None and file.text == "a file named like a spec\n"


def test_expand_refuses_a_bad_spec_before_looking_at_files(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    with pytest.raises(SpecError):
        expand(["hf:2999-01-01", missing])
    assert not os.path.exists(missing)
