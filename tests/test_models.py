"""new_paper and new_link, the parsers' fast way to build records, give exactly
what Paper(...) and Link(...) give."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import models
from digest_parser.models import Link, Paper, new_link, new_paper

_TEXT = st.text(max_size=20)
_OPTIONAL_TEXT = st.none() | _TEXT
_LINKS = st.lists(st.builds(Link, _TEXT, st.sampled_from(models.LINK_KINDS)), max_size=3).map(tuple)
_EXTRA = st.lists(st.tuples(_TEXT, _TEXT), max_size=3).map(tuple)
_FIELDS = st.fixed_dictionaries(
    {"title": _TEXT, "abstract": _TEXT},
    optional={
        "authors": st.lists(_TEXT, max_size=3).map(tuple),
        "date": _OPTIONAL_TEXT,
        "arxiv_id": _OPTIONAL_TEXT,
        "links": _LINKS,
        "code_url": _OPTIONAL_TEXT,
        "source": _TEXT,
        "line": st.integers(min_value=0, max_value=10**6),
        "extra": _EXTRA,
    },
)


def test_new_paper_takes_the_arguments_paper_takes() -> None:
    # A field added to Paper must be added to new_paper too: this says so.
    assert inspect.signature(new_paper).parameters == inspect.signature(Paper).parameters
    assert inspect.signature(new_link).parameters == inspect.signature(Link).parameters
    assert models._PaperFields.__slots__ == Paper.__slots__
    assert models._LinkFields.__slots__ == Link.__slots__


@given(_FIELDS)
def test_new_paper_equals_paper(values: dict[str, object]) -> None:
    fast, slow = new_paper(**values), Paper(**values)  # type: ignore[arg-type]
    assert type(fast) is Paper
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert dataclasses.astuple(fast) == dataclasses.astuple(slow)
    assert fast.key == slow.key and fast.to_json() == slow.to_json()
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert copy.copy(fast) == slow and dataclasses.replace(fast, title="x") == dataclasses.replace(slow, title="x")


def test_new_paper_is_frozen() -> None:
    paper = new_paper("Title", "Abstract.", line=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        paper.title = "Other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del paper.abstract  # type: ignore[misc]
    assert paper.key == "title:title"  # the cached key is still stored (past the guard)


@given(_TEXT, st.sampled_from(models.LINK_KINDS))
def test_new_link_equals_link(url: str, kind: models.LinkKind) -> None:
    fast, slow = new_link(url, kind), Link(url, kind)
    assert type(fast) is Link
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow and fast.to_json() == slow.to_json()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.url = "x"  # type: ignore[misc]
