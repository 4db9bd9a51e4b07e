"""Snapshot tests of the main screens (pytest-textual-snapshot).

Update after an intended visual change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, app_for_text, ready
from tui.core.sources import demo_path

DEMO_TEXT = Path(demo_path()).read_text(encoding="utf-8")

MANY_LINKS = Paper(
    title="Cedar-3B: A Small Model Trained on Curated Code, With Every Kind of Link",
    abstract=(
        "We train a 3B model on filtered code and release everything.\n\n"
        "A second paragraph explains the evaluation on four invented suites."
    ),
    authors=("Ada Quill", "Bo Fern", "Cy Moss"),
    date="2026-03-12",
    arxiv_id="2603.00101",
    links=(
        Link("https://github.com/cedar/cedar-train/tree/main/recipes", "code"),
        Link("https://cedar-ml.github.io/", "project"),
        Link("https://huggingface.co/cedar/cedar-3b", "model"),
        Link("https://huggingface.co/datasets/cedar/curated-code", "dataset"),
        Link("https://huggingface.co/spaces/cedar/playground", "space"),
        Link("https://arxiv.org/abs/2603.00101", "paper"),
        Link("https://example.org/cedar-notes", "other"),
    ),
    code_url="https://github.com/cedar/cedar-train",
    source="digest.txt",
    line=42,
    extra=(("upvotes", "17"),),
)


async def settle(pilot) -> None:
    await ready(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(snap_compare) -> None:
    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(120, 35), run_before=settle)


def test_paper_with_many_links(snap_compare) -> None:
    assert snap_compare(app_for_papers([MANY_LINKS]), terminal_size=(120, 30), run_before=settle)


def test_help_screen(snap_compare) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(120, 40), run_before=open_help)


def test_narrow_terminal(snap_compare) -> None:
    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(70, 24), run_before=settle)


def test_narrow_terminal_detail(snap_compare) -> None:
    async def open_detail(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()

    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(70, 24), run_before=open_detail)


def test_empty_state(snap_compare) -> None:
    assert snap_compare(app_for_text("new\n\nSubscribe\n\n", name="empty.txt"), terminal_size=(100, 20), run_before=settle)


def test_search_active(snap_compare) -> None:
    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"tiny")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(120, 30), run_before=search)


def test_tags_and_a_sort_order(snap_compare) -> None:
    """Tagged bookmarks (# in the list, Tags in the detail pane) and the list sorted
    by upvotes, named in the header."""
    from datetime import UTC, datetime

    from tui.stores.bookmarks import BookmarkStore

    papers = [
        Paper(title=f"{name}: A Paper About {topic}", abstract=f"An abstract about {topic.lower()}.",
              arxiv_id=f"2612.0000{i}", extra=(("upvotes", votes),), source="daily.json", line=1)
        for i, (name, topic, votes) in enumerate([("Alder", "Routing", "3"), ("Birch", "Retrieval", "41"),
                                                  ("Cedar", "Robots", "12"), ("Dogwood", "Speech", "7")])
    ]
    store = BookmarkStore()
    store.load()
    moment = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    store.tag_paper(papers[1], ["retrieval", "to-read"], now=moment)
    store.add(papers[2], now=moment)

    async def sorted_by_upvotes(pilot) -> None:
        await settle(pilot)
        from tests.tui_helpers import stores_settled

        await stores_settled(pilot)
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("g")  # the most upvoted: a tagged bookmark
        await pilot.pause()
        for _ in range(50):  # the notification of the sort fades; the toast must not be in the frame
            if not pilot.app._notifications:
                break
            pilot.app.clear_notifications()
            await pilot.pause()

    assert snap_compare(app_for_papers(papers), terminal_size=(120, 20), run_before=sorted_by_upvotes)


def test_light_theme_after_moving(snap_compare) -> None:
    """A light theme picked while the reader runs: the detail pane takes its colours
    too, and after moving the title and labels stay readable."""

    async def light_and_move(pilot) -> None:
        await settle(pilot)
        pilot.app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app_for_text(DEMO_TEXT, name="demo_digest.txt"), terminal_size=(120, 30), run_before=light_and_move)
