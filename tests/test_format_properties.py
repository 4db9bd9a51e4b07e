"""Property tests: no text makes a format parser raise, and every field comes out clean.

Each parser is wrapped by a last-resort guard that turns a crash into an
"internal error" Problem, so the properties also assert that the guard never fires.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.formats import arxiv_feed, arxiv_listing, arxiv_mail, get_spec, hf_json, hf_markdown
from digest_parser.models import Digest
from tests.format_helpers import unclean_fields

FORMATS = ("hf-json", "arxiv-feed", "arxiv-mail", "arxiv-listing", "hf-markdown")

# Characters that matter to the parsers and the sanitiser, mixed with anything.
NASTY = st.sampled_from(
    ["\\\\", "\n", "  ", "\u00a0", "\u202f", "\u200b", "\x1b[31m", "\x1b]52;c;x\x07", "\x9b", "\u202e", "\r",
     "\u2028", "\x00", "\ud800", "$", "{", "}", "\\'", '\\"{o}', "--", "https://github.com/o/r", "this https URL",
     "[", "]", "(", ")", "<", "&", "·"]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=12)), max_size=12).map("".join)

MAIL_LINES = st.sampled_from(
    ["\\\\", "arXiv:2603.00101", "arXiv:2603.00102 (*cross-listing*)", "Paper: hep-th/9901001",
     "Date: Thu, 12 Mar 2026 14:02:11 GMT   (512kb)", "replaced with revised version Thu, 12 Mar 2026 (1kb)",
     "", "Title: A title", "Authors: A, B and C ((1) X)", "Categories: cs.AI", "Comments: code at",
     "  https://github.com/o/r", "  Methods: x", "arXiv:2401.01234 in abstract",
     "\\\\ ( https://arxiv.org/abs/2603.00101 ,  5kb)",
     "-" * 78, "%-" * 39, "%%--" * 19 + "%%", "%%%---" * 13, " received from  Wed 11 Mar 26 to  Thu 12 Mar 26 18:00:00 GMT",
     "From: send mail ONLY to cs <no-reply@arxiv.org>", "Content-Transfer-Encoding: base64", "From x"]
)
LISTING_LINES = st.sampled_from(
    ["Showing new listings for Thursday, 12 March 2026", "New submissions (showing 1 of 1 entries)",
     "Cross submissions (x)", "Replacement submissions (y)", "[1] arXiv:2603.00101 [pdf]",
     "[2] arXiv:2603.00102 (cross-list from cs.AI) [pdf]", "[3] arXiv:2603.00103 (replaced)", "Title: T",
     "A. Author, B. Author", "Comments: this https URL", "Subjects: Artificial Intelligence (cs.AI)", "Abstract line."]
)
MARKDOWN_LINES = st.sampled_from(
    ["### [Title](https://huggingface.co/papers/2603.00101)", "### [T\\  x](https://huggingface.co/papers/x)",
     "[42](https://huggingface.co/login?next=%2Fpapers%2F2603.00101)", "[-](https://huggingface.co/login)",
     "[Abstract line\\\\", "more](https://huggingface.co/papers/2603.00101)", "[![o](i)Org](https://huggingface.co/o)",
     "·", "Mar 12[3](https://huggingface.co/papers/2603.00101#community)", "Nov 1, 2023", "", "Mar 14", "Upvote"]
)


def lines_of(fragments: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(fragments, TEXT), max_size=30).map("\n".join)


def assert_safe(digest: Digest, name: str) -> None:
    assert isinstance(digest, Digest) and digest.format == name
    assert unclean_fields(digest) == []
    assert not [p for p in digest.problems if "internal error" in p.reason]
    for paper in digest.papers:
        assert paper.line >= 1 and paper.source == "fuzz"


@pytest.mark.parametrize("name", FORMATS)
@given(text=TEXT)
def test_any_text(name: str, text: str) -> None:
    assert_safe(get_spec(name).parse(text, "fuzz"), name)


@pytest.mark.parametrize("text", ["From ", "\n\nFrom ", "From \n\nFrom x"])
def test_a_bare_mbox_envelope_is_not_an_internal_error(text: str) -> None:
    # Found by the fuzzer in CI: "From " with no sender split into zero messages.
    assert_safe(arxiv_mail.parse(text, "fuzz"), "arxiv-mail")


@given(text=lines_of(MAIL_LINES))
def test_mail_like_text(text: str) -> None:
    assert_safe(arxiv_mail.parse(text, "fuzz"), "arxiv-mail")


@given(text=lines_of(LISTING_LINES))
def test_listing_like_text(text: str) -> None:
    assert_safe(arxiv_listing.parse(text, "fuzz"), "arxiv-listing")


@given(text=lines_of(MARKDOWN_LINES))
def test_markdown_like_text(text: str) -> None:
    assert_safe(hf_markdown.parse(text, "fuzz"), "hf-markdown")


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=10
)
PAPER_KEYS = st.sampled_from(["id", "title", "summary", "authors", "upvotes", "githubRepo", "projectPage",
                              "ai_summary", "publishedAt", "organization", "ai_keywords", "numComments", "hidden", "name"])
PAPER = st.dictionaries(
    PAPER_KEYS, st.one_of(JSON_VALUES, st.lists(st.dictionaries(PAPER_KEYS, JSON_VALUES, max_size=3), max_size=3)), max_size=8
)
ITEM = st.one_of(PAPER, st.builds(lambda paper, rest: {"paper": paper, **rest}, PAPER, PAPER), JSON_VALUES)


@given(items=st.lists(ITEM, max_size=4), indent=st.sampled_from([None, 1]))
def test_json_shaped_like_daily_papers(items: list[object], indent: int | None) -> None:
    assert_safe(hf_json.parse(json.dumps(items, indent=indent), "fuzz"), "hf-json")


@given(item=PAPER)
def test_json_single_paper_object(item: dict[str, object]) -> None:
    assert_safe(hf_json.parse(json.dumps(item), "fuzz"), "hf-json")


FEED_TAGS = st.sampled_from(["title", "description", "link", "guid", "pubDate", "dc:creator", "category",
                             "arxiv:announce_type", "arxiv:DOI", "summary", "id", "published", "arxiv:comment"])


@given(
    fields=st.lists(st.tuples(FEED_TAGS, TEXT), max_size=8),
    root=st.sampled_from(["rss", "atom"]),
    raw=st.booleans(),
)
def test_feed_shaped_xml(fields: list[tuple[str, str]], root: str, raw: bool) -> None:
    body = "".join(f"<{tag}>{text if raw else escape(text)}</{tag}>" for tag, text in fields)
    if root == "rss":
        text = ('<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<channel><item>{body}</item></channel></rss>")
    else:
        text = ('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
                f'xmlns:dc="http://purl.org/dc/elements/1.1/"><entry>{body}</entry></feed>')
    assert_safe(arxiv_feed.parse(text, "fuzz"), "arxiv-feed")
