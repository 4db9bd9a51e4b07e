"""The README and the help screen show every form of the query language, read from
the tables the parser uses (tui/core/query.py QUERY_SYNTAX, tui/core/filters.py FILTERS)."""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.filters import FILTERS
from tui.core.query import QUERY_SYNTAX, parse_query
from tui.screens.help import help_content

README = Path(__file__).resolve().parent.parent / "README.md"


def searching_section() -> str:
    """The README's "### Searching" section, up to the next heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^### Searching\n(.*?)(?=^#)", text, re.M | re.S)
    assert match is not None, "README.md has no '### Searching' section"
    return match.group(1)


def table_code(section: str) -> set[str]:
    """Every `code` span in the section's table rows."""
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return {code for row in rows for code in re.findall(r"`([^`]+)`", row)}


def test_the_readme_table_lists_every_filter() -> None:
    shown = table_code(searching_section())
    missing = [spec.name for spec in FILTERS if spec.name not in shown]
    assert not missing, f"add these filters to README.md's Searching table: {missing}"


def test_the_readme_table_shows_every_other_form() -> None:
    shown = table_code(searching_section())
    missing = [row.example for row in QUERY_SYNTAX if row.example not in shown]
    assert not missing, f"README.md's Searching table should show: {missing}"


def test_each_readme_example_parses_as_its_form() -> None:
    words, phrase, exclusion, field, arxiv_id = (parse_query(row.example) for row in QUERY_SYNTAX)
    assert len(words.words) == 2 and not words.filters
    assert len(phrase.phrases) == 1
    assert len(exclusion.exclusions) == 1
    assert all(term.field is not None for term in field.terms) and field.terms
    assert [(term.text, term.arxiv_id) for term in arxiv_id.terms] == [("2511.19780", True)]


def test_help_shows_every_form_and_filter() -> None:
    def spaced(text: str) -> str:
        return " ".join(text.split())  # (a long help line wraps)

    help_text = spaced(help_content().plain)
    for row in QUERY_SYNTAX:
        assert spaced(f"{row.syntax} {row.help}") in help_text, row.syntax
    for spec in FILTERS:
        assert spaced(f"{spec.name} {spec.help}") in help_text, spec.name
