"""TeX accents, special letters and dashes → Unicode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser.tex import tex_to_unicode


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        (r"Jos\'e", "José"),
        (r"{\"o}", "ö"),
        (r"\"{o}", "ö"),
        (r"{\"{o}}", "ö"),
        (r"Bj\"orn Ekstr\"om", "Björn Ekström"),
        (r"Nu\~nez", "Nuñez"),
        (r"Louren\c{c}o", "Lourenço"),
        (r"Louren\c co", "Lourenço"),
        (r"Me\v{z}nar", "Mežnar"),
        (r"Erd\H{o}s", "Erdős"),
        (r"\aa ngstr\"om", "ångström"),
        (r"{\AA}berg", "Åberg"),
        (r"S\o ren", "Søren"),
        (r"{\o}rsted", "ørsted"),
        (r"Gro\ss{}mann", "Großmann"),
        (r"J\'{\i}ri", "Jíri"),
        (r"\`a \^e \=a \.{z} \u{a} \k{a} \r{u}", "à ê ā ż ă ą ů"),
        (r"50\% \& a\_b \#1", "50% & a_b #1"),
        ("pages 1--9", "pages 1–9"),
        ("a---b", "a—b"),
    ],
)
def test_converts(tex: str, shown: str) -> None:
    assert tex_to_unicode(tex) == shown


@pytest.mark.parametrize(
    "kept",
    [
        r"$\mathcal{O}(\log n)$ with \omega and \alpha",  # math and unknown commands stay
        "https://example.org/a--b/c---d",  # dashes inside URLs stay
        r"\url{https://x.org/a--b}",
        "a separator ---- of four dashes",
        r"\cite{k} \underline{x} \bar{y} \dot{z} \lambda \infty",  # look-alikes of \c \u \b \d \l \i
        "plain text without any backslash",
    ],
)
def test_leaves_alone(kept: str) -> None:
    assert tex_to_unicode(kept) == kept


def test_dash_outside_url_converted_but_not_inside() -> None:
    text = "Results -- see https://x.org/run--2 -- now"
    assert tex_to_unicode(text) == "Results – see https://x.org/run--2 – now"


@given(st.text())
def test_never_raises_and_leaves_plain_text_alone(text: str) -> None:
    converted = tex_to_unicode(text)
    if "\\" not in text and "--" not in text:
        assert converted == text
