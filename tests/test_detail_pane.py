"""The detail pane's rows: each fact under its own label, empty ones left out."""

from __future__ import annotations

from digest_parser.models import Paper
from tests.tui_helpers import app_for_papers, ready
from tui.widgets.paper_detail import PaperDetail, short_source

FULL = Paper(title="Rich Paper", abstract="Text.", authors=("Ada Quill",), date="2026-12-01", arxiv_id="2612.00001",
             source="/home/me/digests/daily.json", line=1,
             extra=(("upvotes", "42"), ("num_comments", "3"), ("github_stars", "1.2k"),
                    ("categories", "cs.AI cs.HC"), ("ai_summary", "A [bold]summary[/] written by a model.")))
BARE = Paper(title="Bare Paper", abstract="Text.", source="/tmp/copy.txt", line=12)


def test_short_source_is_the_file_name_and_a_useful_line() -> None:
    assert short_source(FULL) == "daily.json"
    assert short_source(BARE) == "copy.txt:12"


async def test_each_fact_has_its_own_labelled_row() -> None:
    app = app_for_papers([FULL, BARE])
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        text = app.screen.query_one(PaperDetail).plain_text()
        lines = text.splitlines()
        for label, value in [("Authors", "Ada Quill"), ("Date", "2026-12-01"), ("arXiv", "2612.00001"),
                             ("Status", "read"), ("Source", "daily.json"), ("Upvotes", "42"), ("Comments", "3"),
                             ("GitHub ★", "1.2k"), ("Categories", "cs.AI cs.HC"),
                             ("AI summary", "A [bold]summary[/] written by a model.")]:
            assert any(line.startswith(label + " ") and line.endswith(value) for line in lines), (label, lines)
        await pilot.press("j")
        lines = app.screen.query_one(PaperDetail).plain_text().splitlines()
        assert not any(line.startswith(("Date", "arXiv", "Authors", "Upvotes")) for line in lines)  # empty: left out
        assert any(line.startswith("Source ") and line.endswith("copy.txt:12") for line in lines)


async def test_tex_in_a_title_and_abstract_reads_as_text_in_both_panes() -> None:
    from tests.tui_helpers import frame_text

    tex = Paper(title=r"NOEM$^{3}$A: $\alpha$-Nets", abstract=r"We bound $\Theta(n)$ comparisons.", source="x.txt", line=1)
    app = app_for_papers([tex])
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        detail = app.screen.query_one(PaperDetail).plain_text()
        assert "NOEM³A: α-Nets" in detail and "We bound Θ(n) comparisons." in detail
        list_row, _, detail_row = next(line for line in frame_text(app).splitlines() if "NOEM" in line).partition("▕")
        assert "NOEM³A: α-Nets" in list_row and "NOEM³A: α-Nets" in detail_row
