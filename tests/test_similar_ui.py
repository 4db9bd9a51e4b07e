"""`m` lists the papers most like the selected one; the "for you" order ranks the
list by likeness to the bookmarks. On the invented four-topic corpus of
tests/fixtures/similar/corpus.json."""

from __future__ import annotations

import json
from pathlib import Path

from digest_parser.models import Paper
from tests.tui_helpers import app_for_papers, frame_text, ready, stores_settled
from tui.widgets.paper_detail import PaperDetail

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "similar" / "corpus.json"
DATA = json.loads(FIXTURE.read_text(encoding="utf-8"))
PAPERS = [Paper(title=item["title"], abstract=item["abstract"], arxiv_id=f"2612.{i:05d}")
          for i, item in enumerate(DATA["papers"])]
TOPICS = [item["topic"] for item in DATA["papers"]]
TOPIC_OF = {paper.key: topic for paper, topic in zip(PAPERS, TOPICS, strict=True)}


async def until(pilot, condition, tries: int = 300) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


async def test_m_lists_the_papers_like_this_one_with_scores_and_esc_goes_back() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j")
        source = screen.current_paper
        await pilot.press("m")
        await until(pilot, lambda: screen.state.similar is not None)
        similar = screen.state.similar
        assert similar.source is source
        top = similar.papers[:5]
        assert source not in similar.papers
        assert sum(TOPIC_OF[paper.key] == TOPIC_OF[source.key] for paper in top) >= 4
        assert list(similar.scores) == sorted(similar.scores, reverse=True)
        header = frame_text(app).splitlines()[0]
        assert "like: " + source.title[:20] in header
        row = screen.paper_list._row_content(similar.papers[0]).plain
        assert f"{similar.scores[0]:.2f} " in row  # the score before the title
        await pilot.press("escape")
        await until(pilot, lambda: screen.state.similar is None)
        assert screen.current_paper is source  # back where it was
        assert len(screen.state.view_papers) == len(PAPERS)


async def test_for_you_ranks_the_topic_of_the_bookmarks_first_and_names_the_closest() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        topic = TOPICS[0]
        liked = [paper for paper in PAPERS if TOPIC_OF[paper.key] == topic][:3]
        for paper in liked:
            screen.persistence.toggle_bookmark(paper)
        await stores_settled(pilot)
        screen.sort_for_you()
        await until(pilot, lambda: screen.state.for_you is not None and not screen.state.needs_sorting)
        shown = [screen.state.view_papers[row] for row in screen.state.rows]
        size = TOPICS.count(topic)
        assert sum(TOPIC_OF[paper.key] == topic for paper in shown[:size]) >= 0.8 * size
        assert "for you" in frame_text(app).splitlines()[0]
        await pilot.press("g")
        await pilot.pause()
        detail = screen.query_one(PaperDetail).plain_text()
        assert "most like your bookmark:" in detail
        closest_title = detail.split("most like your bookmark:", 1)[1].strip().splitlines()[0]
        assert closest_title in {paper.title for paper in liked}


async def test_for_you_without_bookmarks_says_so_and_keeps_the_digest_order() -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await ready(pilot)
        await stores_settled(pilot)
        screen.sort_for_you()
        await until(pilot, lambda: screen.state.for_you is not None)
        assert list(screen.state.rows) == list(range(len(PAPERS)))
        assert "no bookmarks yet" in frame_text(app).splitlines()[0]
