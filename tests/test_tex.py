"""TeX accents, special letters and dashes → Unicode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest_parser import tex
from digest_parser.sanitize import is_clean
from digest_parser.tex import tex_to_text, tex_to_unicode


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


# --- tex_to_text: TeX in titles and abstracts read as text ------------------------------


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        ("NOEM$^{3}$A", "NOEM³A"),
        (r"$\Theta(\mathcal{U})$", "Θ(𝒰)"),
        (r"\textbf{x}", "x"),
        (r"$\text{R}^2\text{R}$", "R²R"),
        (r"Bounds for $n < 2^{k}$", "Bounds for n < 2ᵏ"),
        (r"$\mathcal{O}(\log n)$ memory", "𝒪(log n) memory"),
        (r"$\mathbb{R}^{d}$, $\mathbb{E}[x]$, $\mathbf{W}_1$", "ℝᵈ, 𝔼[x], 𝐖₁"),
        (r"$\alpha$-tests and $\epsilon$-greedy", "α-tests and ε-greedy"),
        (r"$10^{-3}$ and $x_{i+1}$", "10⁻³ and xᵢ₊₁"),
        (r"$x^T$ and $W^{\top}$", "xᵀ and W^⊤"),
        (r"$\ell_2$ loss", "ℓ₂ loss"),
        (r"$d_{model}$ and $O(n^{1/2})$", "d_model and O(n^(1/2))"),
        (r"$\mathbb{R}^{d\times d}$", "ℝ^(d×d)"),
        (r"$\frac{1}{2}$, $\frac{a+b}{c}$, $\sqrt{n}$, $\sqrt[3]{x}$", "1/2, (a+b)/c, √n, ∛x"),
        (r"$\hat{y}$ and $\bar{x}$", "ŷ and x̄"),
        (r"$k$-NN with $k \leq 10$", "k-NN with k ≤ 10"),
        (r"$\left(\frac{n}{2}\right)$", "(n/2)"),
        (r"$\{0,1\}^n$", "{0,1}ⁿ"),
        (r"$f^{\prime}$ at $90^\circ$", "f′ at 90°"),
        (r"$$E = mc^2$$", "E = mc²"),
        (r"\emph{Really} \textit{fast} \texttt{code}", "Really fast code"),
        (r"50\% \& a\_b \#1", "50% & a_b #1"),
        (r"Jos\'e and {\"o}", "José and ö"),  # accents, as tex_to_unicode shows them
        (r"an \textbf{\emph{inner}} one", "an inner one"),
        (r"$\mathcal{ABC}$ $\mathfrak{g}$ $\mathbb{1}$", "𝒜ℬ𝒞 𝔤 𝟙"),
        (r"code: \url{https://x.org/a_b--c}", "code: https://x.org/a_b--c"),
        (r"at \href{https://x.org/r}{https://x.org/r} now", "at https://x.org/r now"),
        (r"see \href{https://x.org/r}{our \emph{repo}}", "see our repo (https://x.org/r)"),
    ],
)
def test_tex_to_text(tex: str, shown: str) -> None:
    assert tex_to_text(tex) == shown


@pytest.mark.parametrize(
    "kept",
    [
        "It costs $5 million, not $10 million.",  # dollars that are not math
        "From $5 to $10",
        r"costs \$5 in 2024",  # (an escaped dollar is shown as one, and opens no math)
        r"as shown in \cite{smith2020} and \ref{fig:a}",  # references stay as written
        "https://example.org/$x$/a_b",  # URLs are left alone
        "plain text with -- dashes and ^carets_ and ~tildes",
        "{BERT} keeps its braces",
        "price: $ 5 $",  # a $ followed by a space opens no math
    ],
)
def test_tex_to_text_leaves_alone(kept: str) -> None:
    expected = kept.replace(r"\$", "$")
    assert tex_to_text(kept) == expected


def test_tex_to_text_returns_the_same_object_without_tex() -> None:
    text = "A title without any TeX, -- not even dashes"
    assert tex_to_text(text) is text


def test_tex_to_text_unknown_math_commands_stay_readable() -> None:
    assert tex_to_text(r"$\binom{n}{k}$ ways") == r"\binom{n}{k} ways"


def test_tex_to_text_math_does_not_cross_paragraphs() -> None:
    assert tex_to_text("Costs $5 in A.\n\nCosts $6 in B.") == "Costs $5 in A.\n\nCosts $6 in B."


@pytest.mark.parametrize(
    "hostile",
    [
        "$" + "^" * 5000 + "x$",
        "$" + "{a" * 5000 + "}" * 5000 + "$",
        "$" * 10000,
        "\\" * 10000,
        "$a " * 3000 + "$x$" + " a$" * 3000,
        "\\textbf{" * 5000,
        "$x_" + "{" * 5000 + "$",
        r"$\frac" * 3000 + "$",
    ],
)
def test_tex_to_text_on_hostile_input_ends_and_is_a_fixed_point(hostile: str) -> None:
    shown = tex_to_text(hostile)
    assert tex_to_text(shown) == shown


_TEXISH = st.lists(
    st.sampled_from([*"$\\{}^_~ ab1x-\n", "\\frac", "\\mathcal", "\\alpha", "\\textbf", "\\'", "\\%", "\\$", "\\href{", "\\url{", "http://a/"]),
    max_size=40,
).map("".join)


@given(st.text() | _TEXISH | st.lists(_TEXISH, max_size=5).map("".join))
def test_tex_to_text_properties(text: str) -> None:
    shown = tex_to_text(text)  # never raises
    assert tex_to_text(shown) == shown  # idempotent
    if is_clean(text):
        assert is_clean(shown)  # no control character appears
    if "$" not in text and "\\" not in text:
        assert shown is text


@given(_TEXISH)
def test_one_round_never_raises(text: str) -> None:
    tex._to_text_once(text)
