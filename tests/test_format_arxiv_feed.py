"""arXiv RSS 2.0, rss.arxiv.org Atom, arXiv API Atom and legacy RSS 1.0."""

from __future__ import annotations

from pathlib import Path

from digest_parser.formats import arxiv_feed
from tests.format_helpers import FORMAT_FIXTURES, read_digest

RSS_HEAD = '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'


def rss(item: str) -> str:
    return f"{RSS_HEAD}\n<item>{item}</item>\n</channel></rss>"


def test_rss_sample(samples_dir: Path) -> None:
    digest = arxiv_feed.parse(read_digest(samples_dir / "arxiv_rss.xml"), "rss.xml")
    assert [p.get_extra("kind") for p in digest.papers] == ["new", "cross", "replace-cross"]
    first = digest.papers[0]
    assert first.authors[2] == "José Nuñez"
    assert "Accuracy stays within $<0.5$ points" in first.abstract  # single-escaped in XML
    assert first.date == "2026-03-13" and first.arxiv_id == "2603.00101"
    assert digest.papers[1].get_extra("doi") == "10.0000/jir.2026.0001"


def test_atom_and_api_samples(samples_dir: Path) -> None:
    atom = arxiv_feed.parse(read_digest(samples_dir / "arxiv_rss_atom.xml"), "a.xml")
    assert [p.arxiv_id for p in atom.papers] == ["2603.00101", "2509.05555"]
    api = arxiv_feed.parse(read_digest(samples_dir / "arxiv_api_query.atom.xml"), "q.xml")
    first = api.papers[0]
    assert first.title.endswith("Speech Agents with $\\mathcal{O}(\\log n)$ Memory")  # wrap joined
    assert first.get_extra("comments").startswith("9 pages")
    assert api.papers[1].get_extra("categories") == "cs.LG I.2.6"


def test_doctype_and_entities_are_refused_not_expanded() -> None:
    text = read_digest(FORMAT_FIXTURES / "feed_doctype_refused.xml")
    digest = arxiv_feed.parse(text, "lol.xml")
    assert digest.papers == () and "DOCTYPE" in digest.problems[0].reason
    assert arxiv_feed.parse(rss("<title>x</title>").replace("<rss", '<!ENTITY a "b"><rss'), "x").problems


def test_malformed_xml_is_a_problem_with_its_line() -> None:
    digest = arxiv_feed.parse(f"{RSS_HEAD}\n<item>\n<title>a & b</title></item></channel></rss>", "bad.xml")
    assert digest.papers == () and digest.problems[0].line == 3


def test_api_wrapped_title_paragraphs_and_error_entry() -> None:
    digest = arxiv_feed.parse(read_digest(FORMAT_FIXTURES / "feed_api_wrapped.atom.xml"), "api.xml")
    paper = digest.papers[0]
    assert paper.title == "A Title That arXiv Wrapped Over Two Lines – With a Dash"
    assert paper.abstract.count("\n\n") == 1
    assert paper.get_extra("categories") == "cs.CL cs.LG"  # primary category first
    assert paper.code_url == "https://gitlab.com/wraplab/unwrap"
    assert "arXiv API error" in digest.problems[0].reason


def test_legacy_titles_carry_id_and_kind() -> None:
    digest = arxiv_feed.parse(read_digest(FORMAT_FIXTURES / "feed_legacy_rss1.xml"), "old.xml")
    assert [(p.title, p.arxiv_id, p.get_extra("kind")) for p in digest.papers] == [
        ("Old Feeds Put the Id in the Title", "2306.01001", "new"),
        ("An Updated One", "2205.01845", "replace"),
        ("A Cross-Listed One", "2205.01846", "cross"),
    ]
    assert digest.papers[0].authors == ("Ada Stone", "Bo Flint")


def test_math_with_less_than_is_not_mistaken_for_html() -> None:
    item = "<title>T</title><description>arXiv:2602.00001v1 Announce Type: new \nAbstract: $a &lt;b$ and $c&gt; d$</description>"
    assert arxiv_feed.parse(rss(item), "x").papers[0].abstract == "$a <b$ and $c> d$"


def test_empty_weekend_feed_has_no_papers_and_no_problems() -> None:
    digest = arxiv_feed.parse(f"{RSS_HEAD}<title>cs.CL</title></channel></rss>", "x")
    assert digest.papers == () and digest.problems == ()
