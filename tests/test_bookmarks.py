"""Bookmark records and the bookmark store's operations (the format in docs/stores.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.models import Link, Paper
from digest_parser.sanitize import is_clean
from tui.stores.bookmarks import Bookmark, BookmarkStore, encode_bookmarks, parse_export
from tui.stores.jsonstore import ShapeError, encode_document

FIXTURES = Path(__file__).parent / "fixtures" / "bookmarks"
NOON = datetime(2026, 3, 14, 12, 0, 0, tzinfo=UTC)

ORIGAMI = Paper(
    title="Folding Origami Robots with Sparse Rewards",
    abstract="We fold.",
    authors=("Imogen Vale", "Tariq Osei"),
    arxiv_id="2603.00101",
    links=(Link("https://github.com/example/origami", "code"), Link("https://arxiv.org/abs/2603.00101", "paper")),
    code_url="https://github.com/example/origami",
    source="march.txt",
)


@pytest.fixture
def store(isolated_data_dir: Path) -> BookmarkStore:
    store = BookmarkStore()
    store.load()
    return store


def file_entries(store: BookmarkStore) -> list[dict]:
    return json.loads(store.path.read_text(encoding="utf-8"))["bookmarks"]


# --------------------------------------------------------------------- the record


def test_from_paper_keeps_everything_needed_to_stand_alone() -> None:
    bookmark = Bookmark.from_paper(ORIGAMI, note="try it", now=NOON)
    assert bookmark.to_json() == {
        "key": "arxiv:2603.00101",
        "title": "Folding Origami Robots with Sparse Rewards",
        "authors": ["Imogen Vale", "Tariq Osei"],
        "arxiv_id": "2603.00101",
        "code_url": "https://github.com/example/origami",
        "links": [
            {"url": "https://github.com/example/origami", "kind": "code"},
            {"url": "https://arxiv.org/abs/2603.00101", "kind": "paper"},
        ],
        "source": "march.txt",
        "added": "2026-03-14T12:00:00Z",
        "note": "try it",
        "tags": [],
    }
    assert Bookmark.from_json(bookmark.to_json()) == bookmark


def test_added_time_is_utc_whatever_the_zone_given() -> None:
    from datetime import timedelta

    tokyo = datetime(2026, 3, 14, 21, 0, 0, tzinfo=timezone(timedelta(hours=9)))
    assert Bookmark.from_paper(ORIGAMI, now=tokyo).added == "2026-03-14T12:00:00Z"


def test_from_paper_sanitises_what_the_caller_passes() -> None:
    hostile = Paper(title="Caf\udce9 \x1b]0;x\x07bar", abstract="", source="a\x1b[2Jb")
    bookmark = Bookmark.from_paper(hostile, note="n\x1b]52;c;AA==\x07ote\nline 2")
    assert bookmark.title == "Caf\ufffd bar" and bookmark.source == "ab"
    assert bookmark.note == "note\nline 2"
    encode_document(encode_bookmarks([bookmark]), what="bookmarks")  # must not raise


@pytest.mark.parametrize(
    "broken",
    [
        {"title": 7},
        {"title": None},
        {"key": ["arxiv:1"]},
        {"authors": "Solo Author"},
        {"authors": ["ok", 3]},
        {"arxiv_id": True},
        {"links": [{"href": "https://x.example"}]},
        {"links": [{"url": "https://x.example", "kind": "weird"}]},
        {"links": [{"url": "https://x.example", "kind": "code", "extra": 1}]},
        {"links": "https://x.example"},
        {"added": "last tuesday"},
        {"note": {"text": "hi"}},
    ],
)
def test_wrong_shaped_entries_are_refused(broken: dict) -> None:
    entry = Bookmark.from_paper(ORIGAMI, now=NOON).to_json() | broken
    with pytest.raises(ShapeError):
        Bookmark.from_json(entry)


def test_hostile_file_is_loaded_sanitised_and_can_be_saved_again(isolated_data_dir: Path) -> None:
    path = isolated_data_dir / "bookmarks.json"
    path.write_bytes((FIXTURES / "hostile_strings.json").read_bytes())
    store = BookmarkStore(path)
    assert store.load().warnings == ()

    bookmarks = store.bookmarks()
    for bookmark in bookmarks.values():
        data = bookmark.to_json()
        strings = [data["key"], data["title"], data["source"], data["added"], *data["authors"]]
        strings += [link["url"] for link in data["links"]]
        assert all(is_clean(text, one_line=True) for text in strings), strings
        assert is_clean(bookmark.note)
    assert bookmarks["arxiv:2603.00101"].title == "Clipboard Thief evil"
    assert "title:caf\ufffd" in bookmarks

    store.add(Paper(title="another", abstract=""))
    assert len(file_entries(store)) == 3


@given(
    title=st.text(),
    author=st.text(),
    note=st.text(),
    url=st.text(min_size=1),
    kind=st.sampled_from(["code", "paper", "other"]),
)
def test_any_paper_text_can_be_saved_and_read_back_unchanged(
    title: str, author: str, note: str, url: str, kind: str
) -> None:
    paper = Paper(title=title, abstract="", authors=(author,), links=(Link(url, kind),), source=title)
    bookmark = Bookmark.from_paper(paper, note=note, now=NOON)
    raw = encode_document(encode_bookmarks([bookmark]), what="bookmarks")
    assert Bookmark.from_json(json.loads(raw)["bookmarks"][0]) == bookmark


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(["key", "title", "authors", "arxiv_id", "code_url", "links", "source", "added", "note"])


@given(st.dictionaries(FIELD_NAMES, JSON_VALUES))
def test_any_entry_is_either_refused_or_read_clean(entry: dict) -> None:
    try:
        bookmark = Bookmark.from_json(entry)
    except ShapeError:
        return
    assert is_clean(bookmark.title, one_line=True) and is_clean(bookmark.note)
    encode_document(encode_bookmarks([bookmark]), what="bookmarks")


# --------------------------------------------------------------------- store operations


def test_bookmark_is_recognised_across_digests_and_formats(store: BookmarkStore) -> None:
    store.add(ORIGAMI)
    other_format = Paper(title="folding origami robots", abstract="", arxiv_id="2603.00101v3", source="feed.xml")
    assert store.is_bookmarked(other_format.key)

    store.add(Paper(title="Attention: Is All You Need!", abstract="", source="a.txt"))
    assert store.is_bookmarked(Paper(title="attention is  all you need", abstract="", source="b.md").key)


def test_toggle_adds_then_removes_and_reports_the_new_state(store: BookmarkStore) -> None:
    assert store.toggle(ORIGAMI) is True
    assert store.is_bookmarked(ORIGAMI.key) and len(file_entries(store)) == 1
    assert store.toggle(ORIGAMI) is False
    assert not store.is_bookmarked(ORIGAMI.key) and file_entries(store) == []


def test_toggle_follows_the_file_not_a_stale_memory(store: BookmarkStore) -> None:
    other = BookmarkStore(store.path)
    other.load()
    other.add(ORIGAMI)  # this store has not refreshed
    assert store.toggle(ORIGAMI) is False  # so toggling removes it, as the user sees after refresh
    assert file_entries(store) == []


def test_add_keeps_an_existing_bookmark_and_its_note(store: BookmarkStore) -> None:
    store.add(ORIGAMI, note="first")
    assert store.add(ORIGAMI, note="second") is False
    assert store.bookmarks()[ORIGAMI.key].note == "first"


def test_remove_and_set_note(store: BookmarkStore) -> None:
    store.add(ORIGAMI)
    assert store.set_note(ORIGAMI.key, "line one\nline \x1b[31mtwo") is True
    assert store.get(ORIGAMI.key).note == "line one\nline two"
    assert file_entries(store)[0]["note"] == "line one\nline two"
    assert store.set_note("arxiv:9999.99999", "x") is False
    assert store.remove(ORIGAMI.key) is True
    assert store.remove(ORIGAMI.key) is False
    assert file_entries(store) == []


def test_bookmarks_returns_a_copy(store: BookmarkStore) -> None:
    store.add(ORIGAMI)
    snapshot = store.bookmarks()
    snapshot.clear()
    assert store.is_bookmarked(ORIGAMI.key)


def test_import_keeps_existing_notes_and_adds_new_keys(store: BookmarkStore) -> None:
    store.add(ORIGAMI, note="my own note")
    incoming, skipped = parse_export((FIXTURES / "export_two.json").read_bytes())
    assert skipped == 0 and [b.note for b in incoming] == ["their note", ""]

    assert store.import_bookmarks(incoming) == (1, 1)

    entries = {entry["key"]: entry for entry in file_entries(store)}
    assert entries["arxiv:2603.00101"]["note"] == "my own note\n\n--- imported note ---\ntheir note"  # both kept
    assert entries["title:a survey of tiny gardens"]["source"] == "feed.xml"
    assert store.import_bookmarks(incoming) == (0, 2)


def test_parse_export_refuses_newer_and_counts_unreadable_entries() -> None:
    with pytest.raises(ShapeError, match="newer version"):
        parse_export((FIXTURES / "newer_version.json").read_bytes())
    bookmarks, skipped = parse_export((FIXTURES / "partial_entries.json").read_bytes())
    assert [b.key for b in bookmarks] == ["arxiv:2603.00101"] and skipped == 4
    with pytest.raises(ShapeError):
        parse_export(b"[]")


# --------------------------------------------------------------------- tags


def test_tags_are_normalised_whoever_builds_the_record() -> None:
    bookmark = Bookmark(key="k", title="t", tags=["  robots", "RL", "rl", "to-read, later"])  # type: ignore[arg-type]
    assert bookmark.tags == ("later", "RL", "robots", "to-read")
    assert Bookmark.from_paper(ORIGAMI, tags=("b", "A")).tags == ("A", "b")
    assert Bookmark(key="k", title="t", tags=[]).tags == ()  # type: ignore[arg-type]


def test_tags_are_read_from_the_file_and_written_back() -> None:
    entry = {"key": "k", "title": "t", "tags": ["zeta", "\x1b[31malpha", "Zeta", ""]}
    bookmark = Bookmark.from_json(entry)
    assert bookmark.tags == ("alpha", "zeta")
    assert bookmark.to_json()["tags"] == ["alpha", "zeta"]
    assert Bookmark.from_json({"key": "k", "title": "t"}).tags == ()  # a version-1 entry
    assert Bookmark.from_json({"key": "k", "title": "t", "tags": None}).tags == ()


@pytest.mark.parametrize("tags", ["rl", [1], {"rl": 1}, [["rl"]]])
def test_tags_of_the_wrong_type_make_the_entry_unreadable(tags: object) -> None:
    with pytest.raises(ShapeError, match="tags"):
        Bookmark.from_json({"key": "k", "title": "t", "tags": tags})


def test_add_set_tags_and_tag_paper(store: BookmarkStore) -> None:
    assert store.add(ORIGAMI, tags=["robots"]) is True
    assert file_entries(store)[0]["tags"] == ["robots"]
    assert store.set_tags(ORIGAMI.key, ["RL", "robots", "rl"]) is True
    assert store.get(ORIGAMI.key).tags == ("RL", "robots")
    assert file_entries(store)[0]["tags"] == ["RL", "robots"]
    assert store.set_tags("arxiv:9999.99999", ["x"]) is False
    assert store.bookmarks().keys() == {ORIGAMI.key}

    other = Paper(title="A Survey of Tiny Gardens", abstract="", source="feed.xml")
    assert store.tag_paper(other, ["gardens"]) is True  # bookmarks it, with its tags, in one write
    assert store.tag_paper(other, []) is False  # already there: only the tags change
    assert store.get(other.key).tags == () and store.get(ORIGAMI.key).tags == ("RL", "robots")


def test_import_adds_the_tags_it_brings_and_keeps_the_rest(store: BookmarkStore) -> None:
    store.add(ORIGAMI, note="mine", tags=["robots"])
    incoming = [
        Bookmark(key=ORIGAMI.key, title="their title", note="theirs", tags=("ROBOTS", "rl")),
        Bookmark(key="title:new", title="New", tags=("fresh",)),
    ]
    assert store.merge_bookmarks(incoming)[:3] == (1, 1, 1)
    mine = store.get(ORIGAMI.key)
    assert (mine.title, mine.note, mine.tags) == (ORIGAMI.title, "mine\n\n--- imported note ---\ntheirs", ("rl", "robots"))
    assert store.get("title:new").tags == ("fresh",)
    assert store.merge_bookmarks(incoming)[:3] == (0, 2, 0)  # nothing new: nothing retagged
    assert store.import_bookmarks(incoming) == (0, 2)  # the two-number form still answers


def test_a_tag_change_encodes_only_that_bookmark(store: BookmarkStore) -> None:
    for n in range(5):
        store.add(Paper(title=f"paper {n}", abstract=""))
    before = store.path.read_bytes().splitlines()
    store.set_tags("title:paper 2", ["x"])
    after = store.path.read_bytes().splitlines()
    assert [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [3]


# --------------------------------------------------------------------- notes on import, dates (docs/stores.md)


def test_an_imported_note_that_differs_is_kept_after_the_existing_one(store: BookmarkStore) -> None:
    store.add(ORIGAMI, note="mine")
    store.add(Paper(title="Empty", abstract=""))
    store.add(Paper(title="Same", abstract=""), note="same words")
    incoming = [
        Bookmark(key=ORIGAMI.key, title="x", note="theirs\nover two lines"),
        Bookmark(key="title:empty", title="Empty", note="fills the gap"),
        Bookmark(key="title:same", title="Same", note="same words"),
        Bookmark(key="title:new", title="New", note="brand new"),
    ]
    counts = store.merge_bookmarks(incoming)
    assert counts == (1, 3, 0, 1, (ORIGAMI.key,))
    assert (counts.notes_added, counts.notes_merged) == (1, (ORIGAMI.key,))
    notes = {key: bookmark.note for key, bookmark in store.bookmarks().items()}
    assert notes == {
        ORIGAMI.key: "mine\n\n--- imported note ---\ntheirs\nover two lines",
        "title:empty": "fills the gap",
        "title:same": "same words",
        "title:new": "brand new",
    }
    again = store.merge_bookmarks(incoming)  # nothing left to add: nothing changes, nothing to report
    assert again == (0, 4, 0, 0, ())
    assert {key: bookmark.note for key, bookmark in store.bookmarks().items()} == notes


def test_a_bookmark_keeps_the_papers_date_and_its_digests_date() -> None:
    paper = Paper(title="Kestrel", abstract="", date="Published on\x1b[2J Nov 25, 2025")
    bookmark = Bookmark.from_paper(paper, digest_date="Nov 26", now=NOON)
    assert (bookmark.date, bookmark.digest_date) == ("Published on Nov 25, 2025", "Nov 26")
    data = bookmark.to_json()
    assert (data["date"], data["digest_date"]) == ("Published on Nov 25, 2025", "Nov 26")
    assert Bookmark.from_json(data) == bookmark
    undated = Bookmark.from_paper(Paper(title="Kestrel", abstract=""), now=NOON).to_json()
    assert "date" not in undated and "digest_date" not in undated  # files without dates keep their bytes
    with pytest.raises(ShapeError):
        Bookmark.from_json({"title": "Kestrel", "digest_date": 20251126})


def test_files_without_dates_still_load_and_toggle_stores_the_digest_date(store: BookmarkStore) -> None:
    old, skipped = parse_export((FIXTURES / "golden_three.json").read_bytes())
    assert skipped == 0 and all((b.date, b.digest_date) == ("", "") for b in old)
    paper = Paper(title="Kestrel", abstract="", date="2025-11-25")
    assert store.toggle(paper, digest_date="Nov 26", now=NOON)
    assert store.add(Paper(title="Plover", abstract=""), digest_date="Dec 30", now=NOON)
    store.tag_paper(Paper(title="Wren", abstract=""), ["x"], digest_date="Jan 2", now=NOON)
    dates = [(entry["title"], entry.get("date"), entry["digest_date"]) for entry in file_entries(store)]
    assert dates == [("Kestrel", "2025-11-25", "Nov 26"), ("Plover", None, "Dec 30"), ("Wren", None, "Jan 2")]


def test_the_paper_url_prefers_the_hugging_face_page_as_y_does() -> None:
    from tui.core.paperview import paper_link

    links = (Link("https://openreview.net/forum?id=w", "paper"), Link("https://huggingface.co/papers/2604.00042", "paper"))
    paper = Paper(title="Wren", abstract="", links=links)
    assert Bookmark.from_paper(paper).paper_url == paper_link(paper) == "https://huggingface.co/papers/2604.00042"
