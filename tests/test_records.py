"""One paper seen several times becomes one record holding what each occurrence
knew (tui/core/library.py), and hidden Hugging Face authors stay authors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import api
from digest_parser.formats import hf_json
from digest_parser.models import Digest, Link, Paper
from tui.core.library import Library, build_library, merge_occurrences

RECORDS = Path(__file__).resolve().parent / "fixtures" / "records"
THREE_DAYS = RECORDS / "mail_three_days_newest_first.txt"


def _library(path: Path) -> Library:
    return build_library([api.load(str(path))])


def _by_id(library: Library) -> dict[str | None, Paper]:
    return {paper.arxiv_id: paper for paper in library.papers}


# --- one arXiv mailing file, three days, newest first --------------------------


def test_the_three_day_mailing_holds_each_paper_more_than_once() -> None:
    digest = api.load(str(THREE_DAYS))
    ids = [paper.arxiv_id for paper in digest.papers]
    assert ids == ["2603.20001", "2509.30003", "2603.20002", "2509.30003", "2603.20001", "2603.20002"]
    assert [paper.abstract == "" for paper in digest.papers] == [True, True, True, True, False, False]


def test_a_replacement_seen_first_does_not_hide_the_abstract_of_the_new_entry() -> None:
    library = _library(THREE_DAYS)
    assert [paper.arxiv_id for paper in library.papers] == ["2603.20001", "2509.30003", "2603.20002"]
    glass = _by_id(library)["2603.20001"]
    assert glass.abstract.startswith("We map the dust lanes of forty invented galaxies")
    assert glass.get_extra("kind") == "new"  # one occurrence was new: not a replacement
    # The new entry is the one shown: its date, categories and comments.
    assert glass.date == "2026-03-12"
    assert glass.get_extra("categories") == "astro-ph.GA astro-ph.CO"
    assert glass.get_extra("comments") == "12 pages"
    assert (glass.source, glass.line) == (str(THREE_DAYS), 81)
    # Links of both occurrences, each once, the shown entry's first.
    assert [link.url for link in glass.links] == [
        "https://github.com/glasshouse-astro/lanes",
        "https://arxiv.org/abs/2603.20001",
        "https://zenodo.org/records/777",
    ]
    assert glass.code_url == "https://github.com/glasshouse-astro/lanes"
    # Where else it was seen: the replacement's place.
    assert library.also_in[glass.key] == (f"{THREE_DAYS}:15",)


def test_authors_come_from_the_occurrence_that_has_them() -> None:
    kite = _by_id(_library(THREE_DAYS))["2603.20002"]
    assert kite.authors == ("Ada Brook",)
    assert kite.abstract.startswith("Paper moons settle")
    assert kite.get_extra("kind") == "cross"


def test_a_paper_only_ever_replaced_stays_a_replacement() -> None:
    library = _library(THREE_DAYS)
    loom = _by_id(library)["2509.30003"]
    assert loom.get_extra("kind") == "replace"
    assert loom.abstract == ""
    assert (loom.source, loom.line) == (str(THREE_DAYS), 25)  # the first seen, when none is richer
    assert library.also_in[loom.key] == (f"{THREE_DAYS}:57",)


def test_the_same_paper_across_two_files_is_merged_the_same_way(tmp_path: Path) -> None:
    text = THREE_DAYS.read_text(encoding="utf-8")
    start = text.index("------------------------------------------------------------------------------\n"
                       "------------------------------------------------------------------------------\n"
                       "Send any comments", 10)
    day3 = tmp_path / "day3.txt"
    day3.write_text(text[:start], encoding="utf-8")
    older = tmp_path / "older.txt"
    older.write_text(text[start:], encoding="utf-8")
    library = build_library([api.load(str(day3)), api.load(str(older))])
    glass = _by_id(library)["2603.20001"]
    assert glass.abstract.startswith("We map the dust lanes")
    assert glass.get_extra("kind") == "new"
    assert library.also_in[glass.key] == (f"{day3}:15",)


# --- merge_occurrences on its own ----------------------------------------------


def _paper(**fields: object) -> Paper:
    values: dict[str, object] = {"title": "Quiet Lattices", "abstract": "", "arxiv_id": "2603.00077", "source": "a.txt"}
    values.update(fields)
    return Paper(**values)  # type: ignore[arg-type]


def test_a_single_occurrence_is_returned_as_it_is() -> None:
    paper = _paper(abstract="Text.")
    merged, places = merge_occurrences([paper])
    assert merged is paper and places == ()


def test_identical_occurrences_reuse_the_first_record() -> None:
    first = _paper(abstract="Text.", line=3, links=(Link("https://x.org/a", "other"),), extra=(("kind", "new"),))
    second = _paper(abstract="Text.", line=9, links=(Link("https://x.org/a", "other"),), extra=(("kind", "new"),))
    merged, places = merge_occurrences([first, second])
    assert merged is first
    assert places == ("a.txt:9",)


def test_an_hf_occurrence_is_not_a_replacement_so_the_merge_is_not_one() -> None:
    replaced = _paper(line=2, extra=(("kind", "replace"), ("categories", "cs.LG")))
    hf = _paper(source="hf.json", line=5, abstract="Summary.", extra=(("upvotes", "7"),))
    merged, places = merge_occurrences([replaced, hf])
    assert merged.get_extra("kind") is None
    assert merged.abstract == "Summary."
    assert dict(merged.extra) == {"upvotes": "7", "categories": "cs.LG"}
    assert places == ("a.txt:2",)


def test_scalar_fields_are_filled_from_later_occurrences() -> None:
    bare = _paper(line=1)
    rich = _paper(line=2, authors=("Ana Vale",), date="2026-03-01", code_url="https://github.com/o/r")
    merged, _ = merge_occurrences([bare, rich])
    assert merged.authors == ("Ana Vale",)
    assert merged.date == "2026-03-01"
    assert merged.code_url == "https://github.com/o/r"
    assert merged.line == 1  # neither is a replacement: the first seen is shown


_KINDS = st.sampled_from([None, "new", "cross", "replace", "replace-cross"])
_OCCURRENCE = st.builds(
    lambda kind, abstract, line: _paper(abstract=abstract, line=line, extra=(("kind", kind),) if kind else ()),
    _KINDS,
    st.sampled_from(["", "An abstract.", "Another abstract."]),
    st.integers(min_value=1, max_value=99),
)


@given(st.lists(_OCCURRENCE, min_size=1, max_size=6))
def test_merge_properties(occurrences: list[Paper]) -> None:
    merged, places = merge_occurrences(occurrences)
    replacement = [paper.get_extra("kind") in ("replace", "replace-cross") for paper in occurrences]
    assert (merged.get_extra("kind") in ("replace", "replace-cross")) == all(replacement)
    assert bool(merged.abstract) == any(paper.abstract for paper in occurrences)
    assert len(places) == len(occurrences) - 1
    assert merged.key == occurrences[0].key


def test_build_library_without_duplicates_keeps_the_very_records() -> None:
    papers = tuple(_paper(arxiv_id=f"2603.0000{i}", abstract="A.") for i in range(3))
    library = build_library([Digest(format="hf-page", source="a.txt", papers=papers)])
    assert all(kept is paper for kept, paper in zip(library.papers, papers, strict=True))
    assert library.also_in == {}


# --- hidden Hugging Face authors ------------------------------------------------


def test_hidden_hf_authors_are_still_authors_in_order() -> None:
    text = (RECORDS / "hf_hidden_authors.json").read_text(encoding="utf-8")
    digest = hf_json.parse(text, "hf_hidden_authors.json")
    assert not digest.problems
    assert [paper.authors for paper in digest.papers] == [
        ("Noor Halden", "Basil Crane", "Ottilie Marsh", "Ivo Penrose"),
        ("Greta Lune",),
    ]
    # The item is a list of four in the JSON, as the paper lists them.
    assert len(json.loads(text)[0]["paper"]["authors"]) == 4


# --- plain_title / plain_abstract -------------------------------------------------


TEX_TITLES = RECORDS / "mail_tex_titles.txt"


def test_paper_plain_text_reads_the_tex() -> None:
    tex, plain = api.load(str(TEX_TITLES)).papers
    assert tex.title == r"NOEM$^{3}$A: Lower Bounds of $\Theta(\mathcal{U})$ for \textbf{Tiny} Sorting Networks"
    assert tex.plain_title == "NOEM³A: Lower Bounds of Θ(𝒰) for Tiny Sorting Networks"
    assert tex.plain_abstract == (
        "We show Θ(𝒰) comparisons are needed on n ≤ 2ᵏ keys and that R²R networks cost 5% more. "
        "It costs $5 million."
    )
    assert tex.authors == ("Wren Calloway", "José Ibáñez")
    assert plain.plain_title is plain.title and plain.plain_abstract is plain.abstract


def test_plain_text_is_computed_once_and_kept() -> None:
    paper = Paper(title=r"$\alpha$-Nets", abstract="")
    assert paper._plain_title is None  # nothing computed while parsing
    first = paper.plain_title
    assert first == "α-Nets" and paper.plain_title is first
    assert paper == Paper(title=r"$\alpha$-Nets", abstract="")  # the cache is not part of equality


def test_json_adds_plain_fields_only_where_the_tex_changes_the_text() -> None:
    tex, plain = api.load(str(TEX_TITLES)).papers
    data = tex.to_json()
    assert data["title"] == tex.title and data["abstract"] == tex.abstract  # the raw text stays
    assert data["plain_title"] == tex.plain_title and data["plain_abstract"] == tex.plain_abstract
    assert "plain_title" not in plain.to_json() and "plain_abstract" not in plain.to_json()


def test_parse_command_prints_the_plain_fields(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli_parse import main

    assert main(["--jsonl", str(TEX_TITLES)]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["plain_title"] == "NOEM³A: Lower Bounds of Θ(𝒰) for Tiny Sorting Networks"
    assert "plain_title" not in second


def test_the_tex_reader_is_not_imported_before_the_first_frame() -> None:
    """Paper imports digest_parser.tex on the first plain text holding TeX: its
    patterns take milliseconds to compile."""
    import subprocess
    import sys

    script = "import json, sys\nimport tui.launch, tui.app\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout)
    assert "digest_parser.models" in modules and "digest_parser.tex" not in modules
