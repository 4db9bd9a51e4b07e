"""TeX accents and dashes → Unicode, for showing arXiv text (docs/formats.md, "Cleaning").

arXiv mailings and feeds are 7-bit ASCII: ``Jos\\'e Nu\\~nez`` stands for
"José Nuñez". :func:`tex_to_unicode` converts the accent commands, the special
letters (``\\aa``, ``\\o``, ``\\ss`` …), the escaped specials (``\\%``, ``\\&``,
``\\_``, ``\\#``) and ``--``/``---`` dashes, the way arXiv's ``tex2utf`` shows
them. URLs are left alone (``--`` and ``\\_`` occur in real ones), and so is
math: ``$\\mathcal{O}(n)$`` matches none of the rules.

:func:`tex_to_text` goes further, for showing and searching titles and
abstracts as text (docs/formats.md, "Cleaning"): inline math reads as Unicode
(``$\\Theta(\\mathcal{U})$`` → "Θ(𝒰)", ``NOEM$^{3}$A`` → "NOEM³A") and font
commands give their text (``\\textbf{x}`` → "x"). The records keep the raw text;
:attr:`digest_parser.models.Paper.plain_title` and ``plain_abstract`` hold this one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["tex_to_text", "tex_to_unicode"]

# Accent command → combining character.
_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}

_LETTERS = {
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}

# The letter an accent sits on: a plain letter, or dotless \i / \j (\'{\i} → í).
_BASE = r"(?:\\([ij])(?![A-Za-z])\s*|([A-Za-z]))"

# Symbol accents (\'e, \"{o}) and letter accents (\c{c}, \v z), each optionally
# wrapped in one pair of braces ({\"o}); the (?(1)…) closes only a brace we opened.
_ACCENT = re.compile(
    r"(\{)?"
    r"\\(?:(['`^\"~=.])|([uvHckrdb])(?=\s*\{|\s+[A-Za-z]))\s*"
    r"(?:\{\s*" + _BASE + r"\s*\}|" + _BASE + r")"
    r"(?(1)\})"
)
_LETTER = re.compile(r"(\{)?\\(aa|AA|ss|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s(?=[A-Za-z]))?(?(1)\})")
_SPECIAL = re.compile(r"\\([%&_#$])")
_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_EN_DASH = re.compile(r"(?<!-)--(?!-)")
# (?:https?|ftp)://\S+ or \url{…} / \href{…}, written to start with one character
# class, which the regex engine skips to quickly (three times faster on prose).
_URL = re.compile(r"[hf\\](?:(?<=h)ttps?://\S+|(?<=f)tp://\S+|(?<=\\)(?:url|href)\{[^}\s]*\})")


def _accent(match: re.Match[str]) -> str:
    command = match[2] or match[3]
    base = match[4] or match[5] or match[6] or match[7]
    # A dotless \i or \j under an accent is written as a plain i or j (\'{\i} → í).
    return unicodedata.normalize("NFC", base + _COMBINING[command])


def _letter(match: re.Match[str]) -> str:
    return _LETTERS[match[2]]


def _convert(segment: str) -> str:
    if "\\" in segment:
        segment = _ACCENT.sub(_accent, segment)
        segment = _LETTER.sub(_letter, segment)
        segment = _SPECIAL.sub(r"\1", segment)
    if "--" in segment:
        segment = _EM_DASH.sub("\u2014", segment)
        segment = _EN_DASH.sub("\u2013", segment)
    return segment


def tex_to_unicode(text: str) -> str:
    """Show TeX accents, special letters and dashes as Unicode, outside URLs.

    Args:
        text: Text from an arXiv mailing or feed.

    Returns:
        The text with ``Jos\\'e`` → ``José``, ``{\\"o}`` → ``ö``, ``\\c{c}`` → ``ç``,
        ``\\aa`` → ``å``, ``--`` → ``–`` and so on. Unknown commands stay as written.
    """
    if "\\" not in text and "--" not in text:
        return text
    pieces: list[str] = []
    start = 0
    for url in _URL.finditer(text):
        pieces.append(_convert(text[start : url.start()]))
        pieces.append(url[0])
        start = url.end()
    pieces.append(_convert(text[start:]))
    return "".join(pieces)


# --- tex_to_text: TeX in titles and abstracts read as text ------------------------------

# Inline math by pandoc's rule (as tui/core/bibtex.py finds it): the opening $ has
# a non-space after it, the closing one a non-space before it and no digit after
# it, so "from $5 to $10" is not math; an escaped \$ delimits nothing, and math
# never spans a line break (an abstract's paragraphs). $$…$$ is display math.
# (The pattern starts with the literal $, which the regex engine looks for fast.)
_MATH_SPAN = re.compile(
    r"\$(?<!\\\$)(?:"
    r"\$(?=[^\s$])([^$\n]*?[^\s$\\])\$\$"
    r"|(?![\s$])([^$\n]*?[^\s$\\])\$(?!\d))"
)
_MATH_TOKEN = re.compile(
    r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![A-Za-z])\s*\.?"  # sizing a delimiter: the delimiter stays
    r"|\\([A-Za-z]+)(\s*)|\\(.)|([{}^_~])",
    re.DOTALL,
)
_SQRT_INDEX = re.compile(r"\s*\[([^\[\]{}]{1,8})\]")
_TEXT_TOKEN = re.compile(r"\\([A-Za-z]+)(\s*)(\{)?|\\(.)|([{}])", re.DOTALL)


def _letters(capital: int, small: int | None, digit: int | None, holes: dict[str, str]) -> dict[str, str]:
    table = {chr(65 + i): chr(capital + i) for i in range(26)}
    if small is not None:
        table.update({chr(97 + i): chr(small + i) for i in range(26)})
    if digit is not None:
        table.update({chr(48 + i): chr(digit + i) for i in range(10)})
    table.update(holes)
    return table


# Unicode's Mathematical Alphanumeric Symbols; the letters that were already in
# Letterlike Symbols (ℬ, ℂ, ℜ…) are holes in the block, filled from there.
_SCRIPT = _letters(0x1D49C, 0x1D4B6, None, {
    "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ", "e": "ℯ", "g": "ℊ", "o": "ℴ",
})
_DOUBLE_STRUCK = _letters(0x1D538, 0x1D552, 0x1D7D8, {
    "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ",
})
_FRAKTUR = _letters(0x1D504, 0x1D51E, None, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"})
_BOLD = _letters(0x1D400, 0x1D41A, 0x1D7CE, {})
_BOLD_ITALIC = _letters(0x1D468, 0x1D482, 0x1D7CE, {})
_SANS = _letters(0x1D5A0, 0x1D5BA, 0x1D7E2, {})
_MONOSPACE = _letters(0x1D670, 0x1D68A, 0x1D7F6, {})

_STYLES: dict[str, dict[str, str]] = {
    "mathcal": _SCRIPT,
    "mathscr": _SCRIPT,
    "mathbb": _DOUBLE_STRUCK,
    "mathfrak": _FRAKTUR,
    "mathbf": _BOLD,
    "boldsymbol": _BOLD_ITALIC,
    "bm": _BOLD_ITALIC,
    "mathsf": _SANS,
    "mathtt": _MONOSPACE,
}
# Commands whose argument is shown as it is written.
_PLAIN = frozenset({
    "text", "textrm", "textnormal", "textup", "textbf", "textit", "textsl", "textsc", "textsf", "texttt", "textmd",
    "emph", "mathrm", "mathit", "mathnormal", "operatorname", "mbox", "hbox", "mathop", "underline", "uline",
})
_ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
    "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "acute": "\u0301",
    "grave": "\u0300", "check": "\u030c", "breve": "\u0306", "mathring": "\u030a",
}
_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
    "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_SYMBOLS = {
    **_GREEK,
    "times": "×", "cdot": "·", "cdotp": "·", "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "dagger": "†", "ddagger": "‡",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "prec": "≺", "succ": "≻",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "cup": "∪", "cap": "∩", "setminus": "∖", "emptyset": "∅", "varnothing": "∅", "forall": "∀",
    "exists": "∃", "neg": "¬", "lnot": "¬", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦", "uparrow": "↑",
    "downarrow": "↓", "longrightarrow": "⟶", "longleftarrow": "⟵", "longmapsto": "⟼",
    "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫",
    "iint": "∬", "oint": "∮", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "wp": "℘",
    "prime": "′", "ldots": "…", "cdots": "⋯", "dots": "…", "vdots": "⋮", "ddots": "⋱",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
    "mid": "|", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖",
    "top": "⊤", "bot": "⊥", "perp": "⊥", "parallel": "∥", "angle": "∠", "triangle": "△", "square": "□",
    "checkmark": "✓", "degree": "°", "surd": "√", "sharp": "♯", "flat": "♭", "imath": "ı", "jmath": "ȷ",
    "colon": ":", "lbrace": "{", "rbrace": "}", "backslash": "\\", "S": "§", "P": "¶",
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
    "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh",
    "cosh": "cosh", "tanh": "tanh", "arcsin": "arcsin", "arccos": "arccos", "arctan": "arctan",
    "max": "max", "min": "min", "sup": "sup", "inf": "inf", "lim": "lim", "limsup": "lim sup",
    "liminf": "lim inf", "arg": "arg", "argmax": "argmax", "argmin": "argmin", "det": "det", "dim": "dim",
    "ker": "ker", "deg": "deg", "gcd": "gcd", "Pr": "Pr", "mod": "mod", "bmod": "mod", "pmod": "mod",
    # Style switches and spacing that show nothing.
    "displaystyle": "", "textstyle": "", "scriptstyle": "", "scriptscriptstyle": "", "limits": "",
    "nolimits": "", "nonumber": "", "rm": "", "bf": "", "it": "", "cal": "", "sf": "", "tt": "",
    "mathstrut": "", "strut": "", "relax": "",
}
_MATH_SYMBOLS = {
    "{": "{", "}": "}", "|": "‖", "%": "%", "&": "&", "#": "#", "_": "_", "$": "$",
    ",": " ", ":": " ", ";": " ", " ": " ", "!": "", "\\": " ",
}
_TEXT_SYMBOLS = {"%": "%", "&": "&", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}", " ": " ", ",": " ", "-": ""}
_TEXT_WORDS = {"ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—", "textellipsis": "…"}

_SUPERSCRIPTS = dict(zip(
    "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ′∗*'∘",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ′∗*′°",
    strict=True,
))
_SUBSCRIPTS = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
    strict=True,
))
# A fraction's part or a root's radicand with one of these is put in parentheses.
_NEEDS_PARENTHESES = frozenset(" +-−±∓=/·×,<>≤≥")

_SPACED_SYMBOL = re.compile(r"\s*([^\w\s])\s*")

_Pending = tuple[str, str]  # (what is waiting for an argument, what it carries)


def _script(atom: str, table: dict[str, str], mark: str) -> str:
    compact = atom.replace(" ", "")
    if compact and all(char in table for char in compact):
        return "".join([table[char] for char in compact])
    if not compact:
        return ""
    if len(compact) == 1 or compact.isalnum():
        return mark + compact
    return mark + "(" + _SPACED_SYMBOL.sub(r"\1", atom.strip()) + ")"


def _grouped(text: str) -> str:
    text = text.strip()
    return f"({text})" if len(text) > 1 and any(char in _NEEDS_PARENTHESES for char in text) else text


def _apply(pending: _Pending, atom: str) -> str | _Pending:
    """What a command waiting for one argument makes of *atom*: text, or the next
    pending when it takes another argument (a fraction's denominator)."""
    kind, data = pending
    if kind == "^":
        return _script(atom, _SUPERSCRIPTS, "^")
    if kind == "_":
        return _script(atom, _SUBSCRIPTS, "_")
    if kind == "style":
        table = _STYLES[data]
        return "".join([table.get(char, char) for char in atom])
    if kind == "accent":
        return unicodedata.normalize("NFC", "".join([char + data if not char.isspace() else char for char in atom]))
    if kind == "sqrt":
        root = {"": "√", "3": "∛", "4": "∜"}.get(data) or _script(data, _SUPERSCRIPTS, "^") + "√"
        return root + _grouped(atom)
    if kind == "frac":
        return ("over", atom)
    if kind == "over":
        return f"{_grouped(data)}/{_grouped(atom)}"
    if kind == "keep":
        return "{" + atom + "}"
    return atom  # "plain"


def _abandoned(pending: _Pending) -> str:
    """What a command that never got its argument leaves: ^ and _ as written, a
    fraction its numerator, anything else nothing."""
    kind, data = pending
    if kind in ("^", "_"):
        return kind
    return data if kind == "over" else ""


_MAX_DEPTH = 32


def _math_to_text(math: str) -> str | None:
    """The text of the inside of one ``$…$``. One scan: a command that takes an
    argument waits for it (a pending), a ``{…}`` group is one argument, and the
    open groups are kept on a list, not in Python's call stack. None when the
    groups or the pending commands nest deeper than :data:`_MAX_DEPTH`."""
    top: list[str] = []
    # Each open group: the pending its content is the argument of (None for a bare
    # group), the output it was opened in, and the pendings outside it.
    frames: list[tuple[_Pending | None, list[str], list[_Pending]]] = []
    out = top
    pendings: list[_Pending] = []
    after_unknown = False  # a group right after an unknown command is its argument: its braces stay

    def deliver(atom: str) -> None:
        while pendings:
            result = _apply(pendings.pop(), atom)
            if isinstance(result, tuple):
                pendings.append(result)
                return
            atom = result
        out.append(atom)

    def close() -> bool:
        nonlocal out, pendings
        owner, parent, outer = frames.pop()
        out.extend([_abandoned(pending) for pending in reversed(pendings)])
        content = "".join(out)
        out, pendings = parent, outer
        if owner is not None:
            pendings.append(owner)
        deliver(content)
        return owner is not None and owner[0] == "keep"

    position = 0
    length = len(math)
    while True:
        match = _MATH_TOKEN.search(math, position)
        end = match.start() if match else length
        while pendings and position < end:  # each waiting command takes one character
            if not math[position].isspace():
                deliver(math[position])
            position += 1
        if end > position:
            out.append(math[position:end])
            after_unknown = False
        if match is None:
            break
        position = match.end()
        word, space, symbol, special = match[1], match[2], match[3], match[4]
        unknown = False
        if len(frames) > _MAX_DEPTH or len(pendings) > _MAX_DEPTH:
            return None  # (nested past any real formula: each level would copy the text inside it again)
        if word is not None:
            if word in _STYLES:
                pendings.append(("style", word))
            elif word in _PLAIN:
                pendings.append(("plain", ""))
            elif word in _ACCENTS:
                pendings.append(("accent", _ACCENTS[word]))
            elif word in ("frac", "dfrac", "tfrac", "cfrac"):
                pendings.append(("frac", ""))
            elif word == "sqrt":
                index = _SQRT_INDEX.match(math, position)
                if index is not None:
                    position = index.end()
                pendings.append(("sqrt", index[1].strip() if index is not None else ""))
            elif word in _SYMBOLS:
                shown = _SYMBOLS[word]
                deliver(shown)
                if space and not pendings:
                    out.append(" ")
            else:
                deliver("\\" + word)
                if space and not pendings:
                    out.append(" ")
                unknown = True
        elif symbol is not None:
            deliver(_MATH_SYMBOLS.get(symbol, "\\" + symbol))
        elif special in ("^", "_"):
            pendings.append((special, ""))
        elif special == "{":
            owner = pendings.pop() if pendings else (("keep", "") if after_unknown else None)
            frames.append((owner, out, pendings))
            out, pendings = [], []
        elif special == "}":
            if frames:
                unknown = close()
            else:
                deliver("}")
        elif special == "~" and not pendings:
            out.append(" ")
        # (a sizing command, \left or \big, shows nothing: its delimiter follows as text)
        after_unknown = unknown
    while frames:
        close()
    top.extend([_abandoned(pending) for pending in reversed(pendings)])
    return "".join(top)


def _text_to_text(text: str) -> str:
    """Text outside math: accents and special letters as :func:`tex_to_unicode`
    shows them, font commands give their argument (``\\textbf{x}`` → ``x``),
    escaped specials their character. Other commands (``\\cite{k}``) and braces
    stay as written."""
    if "\\" not in text:
        return text
    text = _ACCENT.sub(_accent, text)
    text = _LETTER.sub(_letter, text)
    if "\\" not in text:
        return text
    out: list[str] = []
    dropped: list[bool] = []  # for each open brace: is it a font command's (shown as nothing)?
    position = 0
    for match in _TEXT_TOKEN.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        word, space, brace, symbol, special = match[1], match[2], match[3], match[4], match[5]
        if word is not None:
            if brace is not None:
                font = word in _PLAIN
                dropped.append(font)
                out.append("" if font else match[0])
            elif word in _TEXT_WORDS:
                out.append(_TEXT_WORDS[word] + space)
            else:
                out.append(match[0])
        elif symbol is not None:
            out.append(_TEXT_SYMBOLS.get(symbol, match[0]))
        elif special == "{":
            dropped.append(False)
            out.append("{")
        else:
            out.append("" if dropped and dropped.pop() else "}")
    out.append(text[position:])
    return "".join(out)


def _segment_to_text(segment: str) -> str:
    if "$" not in segment:
        return _text_to_text(segment)
    pieces: list[str] = []
    start = 0
    for match in _MATH_SPAN.finditer(segment):
        pieces.append(_text_to_text(segment[start : match.start()]))
        shown = _math_to_text(match[1] if match[1] is not None else match[2])
        pieces.append(match[0] if shown is None else shown)
        start = match.end()
    pieces.append(_text_to_text(segment[start:]))
    return "".join(pieces)


def _to_text_once(text: str) -> str:
    if "://" not in text and "\\url" not in text and "\\href" not in text:
        return _segment_to_text(text)  # (no URL: skip the slower search for one)
    pieces: list[str] = []
    start = 0
    for url in _URL.finditer(text):
        if url.start() < start:
            continue  # (inside the text argument of an \href taken below)
        pieces.append(_segment_to_text(text[start : url.start()]))
        start = url.end()
        found = url[0]
        if found.startswith("\\url{"):
            found = found[5:-1]
        elif found.startswith("\\href{"):
            # \href{URL}{text} shows its text, and the URL after it when they differ.
            label = _HREF_TEXT.match(text, start)
            if label is not None:
                start = label.end()
                shown = label[1].strip()
                found = found[6:-1] if shown in ("", found[6:-1]) else f"{_segment_to_text(shown)} ({found[6:-1]})"
        pieces.append(found)
    pieces.append(_segment_to_text(text[start:]))
    return "".join(pieces)


_HREF_TEXT = re.compile(r"\{([^{}\n]{0,300})\}")
_MAX_ROUNDS = 3


def tex_to_text(text: str) -> str:
    """*text* (a title or an abstract) with its TeX read as text, for showing and
    searching. Pure, never raises, linear in the length of *text*.

    Inline math (``$…$`` by pandoc's rule, so ``$5 million`` stays) reads as
    Unicode: Greek letters and common symbols (``\\alpha`` → α, ``\\leq`` → ≤),
    super- and subscripts where Unicode has the characters (``$^{3}$`` → ³,
    ``$x_i$`` → xᵢ; else ``x^(a/b)``, ``d_model``), ``\\mathcal``, ``\\mathbb``,
    ``\\mathbf``… as mathematical letters (𝒰, ℝ, 𝐱), ``\\frac{a}{b}`` as a/b,
    ``\\sqrt{x}`` as √x, ``\\text{…}``, ``\\mathrm{…}``, ``\\operatorname{…}`` as
    their text. Outside math, accents become letters, font commands
    (``\\textbf``, ``\\emph``, ``\\texttt``…) give their text and ``\\%``, ``\\&``,
    ``\\_``, ``\\#``, ``\\$`` their character, ``\\url{…}`` its URL, ``\\href{URL}{text}`` its text (and the URL
    when it differs). Other URLs, unknown commands
    (``\\cite{k}``) and text without ``$`` or ``\\`` are left as they are (the same
    object is returned).

    The result is a fixed point: ``tex_to_text(tex_to_text(s)) == tex_to_text(s)``.
    Converting can make new TeX (``\\$x\\$`` gives ``$x$``), so the conversion is
    repeated until nothing changes, at most three times; text that still changes
    then (built to) is returned as it was given.
    """
    if "$" not in text and "\\" not in text:
        return text
    current = text
    for _ in range(_MAX_ROUNDS):
        converted = _to_text_once(current)
        if converted == current:
            return current
        if "$" not in converted and "\\" not in converted:
            return converted  # (nothing left to convert: a fixed point)
        current = converted
    return text
