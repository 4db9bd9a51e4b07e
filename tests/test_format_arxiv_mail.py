"""arXiv subscription mailing: the traps listed in docs/formats.md, "arxiv-mail"."""

from __future__ import annotations

from pathlib import Path

from digest_parser.formats import arxiv_mail
from tests.format_helpers import FORMAT_FIXTURES, read_digest, unclean_fields

RULE = "-" * 78


def entry(arxiv_id: str, abstract: list[str], *, header: list[str] | None = None) -> str:
    lines = ["\\\\", f"arXiv:{arxiv_id}", "Date: Tue, 3 Feb 2026 10:00:00 GMT   (5kb)", ""]
    lines += header or ["Title: A Title", "Authors: A. Author", "Categories: cs.LG"]
    lines += ["\\\\", *abstract, f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  5kb)"]
    return "\n".join(lines)


def parse(text: str):
    return arxiv_mail.parse(text, "mail.txt")


def test_abstract_line_starting_with_arxiv_is_not_an_entry() -> None:
    text = entry("2602.00001", ["  We extend", "arXiv:2101.00001 to graphs.", "arXiv:2101.00002"])
    digest = parse(text)
    assert [p.arxiv_id for p in digest.papers] == ["2602.00001"]
    assert digest.papers[0].abstract == "We extend arXiv:2101.00001 to graphs. arXiv:2101.00002"


def test_abstract_lines_that_look_like_fields_stay_abstract() -> None:
    text = entry("2602.00001", ["  Background text.", "  Methods: we count.", "Results: it works."])
    paper = parse(text).papers[0]
    assert paper.abstract == "Background text.\n\nMethods: we count. Results: it works."
    assert paper.get_extra("methods") is None and paper.title == "A Title"


def test_wrapped_fields_are_joined_and_comment_urls_found() -> None:
    header = [
        "Title: A Long Title That",
        "  Wraps Once",
        "Authors: Ana One, Ben Two and",
        "  Cy Three",
        "Categories: cs.LG",
        "Comments: Code:",
        "  https://github.com/owner/wrapped-repo",
    ]
    paper = parse(entry("2602.00001", ["  Abstract."], header=header)).papers[0]
    assert paper.title == "A Long Title That Wraps Once"
    assert paper.authors == ("Ana One", "Ben Two", "Cy Three")
    assert paper.get_extra("comments") == "Code: https://github.com/owner/wrapped-repo"
    assert paper.code_url == "https://github.com/owner/wrapped-repo"


def test_abstract_link_and_paper_link() -> None:
    text = entry("2602.00001", ["  See \\href{https://github.com/o/r}{this https URL} for code."])
    paper = parse(text).papers[0]
    assert paper.code_url == "https://github.com/o/r"
    assert paper.paper_url == "https://arxiv.org/abs/2602.00001"
    assert paper.links[-1].url == "https://arxiv.org/abs/2602.00001"


def test_nbsp_copy_parses_like_the_plain_body() -> None:
    plain = entry("2602.00001", ["  First paragraph", "continues.", "  Second."])
    nbsp = plain.replace("\n  ", "\n\u00a0").replace("   (5kb)", " \u00a0\u00a0(5kb)")
    assert nbsp != plain
    assert [p.to_json() for p in parse(nbsp).papers] == [p.to_json() for p in parse(plain).papers]


def test_shared_nbsp_sample_equals_body(samples_dir: Path) -> None:
    body = parse(read_digest(samples_dir / "arxiv_mailing_body.txt"))
    apple = parse(read_digest(samples_dir / "arxiv_mailing_applemail_copy.txt"))
    eml = parse(read_digest(samples_dir / "arxiv_mailing.eml"))
    assert len(body.papers) == 5
    for other in (apple, eml):
        assert [(p.title, p.abstract, p.authors, p.links, p.extra) for p in other.papers] == [
            (p.title, p.abstract, p.authors, p.links, p.extra) for p in body.papers
        ]


def test_kinds_new_cross_replace_replace_cross(samples_dir: Path) -> None:
    digest = parse(read_digest(samples_dir / "arxiv_mailing_body.txt"))
    assert [p.get_extra("kind") for p in digest.papers] == ["new", "new", "cross", "replace", "replace-cross"]


def test_concatenated_mailings_all_parse() -> None:
    digest = parse(read_digest(FORMAT_FIXTURES / "mail_concatenated.txt"))
    assert len(digest.papers) == 5 and digest.problems == ()
    assert [p.get_extra("listing_date") for p in digest.papers] == ["2026-03-05"] * 2 + ["2026-03-06"] * 3


def test_mbox_with_quoted_printable_message_decodes() -> None:
    digest = parse(read_digest(FORMAT_FIXTURES / "mail_two_messages.mbox"))
    assert len(digest.papers) == 5
    assert "Quinn Soil=Sand" in digest.papers[2].authors  # "=3D" decoded


def test_entry_without_title_is_a_problem_and_the_rest_survive() -> None:
    text = entry("2602.00001", ["  A."], header=["Authors: X", "Categories: cs.LG"]) + "\n" + RULE + "\n"
    text += entry("2602.00002", ["  B."])
    digest = parse(text)
    assert [p.arxiv_id for p in digest.papers] == ["2602.00002"]
    assert digest.problems[0].line == 2 and "no Title" in digest.problems[0].reason


def test_text_without_entries_gives_one_problem() -> None:
    digest = parse("Send any comments regarding submissions directly to submitter.\n")
    assert digest.papers == () and len(digest.problems) == 1


def test_hostile_fields_are_sanitised() -> None:
    header = ["Title: Evil \x1b]52;c;aGk=\x07Title\u202e", "Authors: A\x00B", "Categories: cs.LG"]
    digest = parse(entry("2602.00001", ["  Abstract \x1b[2J here."], header=header))
    assert unclean_fields(digest) == []
    assert digest.papers[0].title == "Evil Title"
