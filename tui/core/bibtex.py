"""BibTeX entries for papers and bookmarks: one entry per paper, wherever it is written.

``digest-reader bookmarks --format bibtex``, ``--to-zotero``, the reader's ``Y``
(copy) and ``Z`` (send to Zotero) all write their entries here, so the same
paper gets the same entry and the same key everywhere (docs/citing.md).

Every entry is ``@misc``: a paper from a digest is usually a preprint, and
``@misc`` asks for no field a digest cannot give. What each field holds:

- ``title``: double-braced, so styles keep its capitals. Inline math
  (``NOEM$^{3}$A``) and a few text-font commands (``\\textbf{…}``) stay real
  TeX when they use only well-known commands; anything else is escaped to show
  as the characters it is. A title is text someone else wrote: it must never
  reach ``\\input``, ``\\write`` or a catcode change in the user's document.
- ``author``: the names joined with ``and`` (a name holding "and" is braced).
- ``year``: from the arXiv id (the paper's, else one in a paper link such as
  ``huggingface.co/papers/2511.19780``), else a year the paper's date or the
  digest's date names, else the year that puts a date without one (``Mar 14``)
  on or before the day the paper was bookmarked, else the year it was
  bookmarked (:func:`citation_year`).
- ``eprint`` and ``archivePrefix`` for arXiv papers.
- ``url``: the paper's own page, what ``y`` copies (the arXiv abstract page,
  else the Hugging Face paper page, else a paper link). Never a repository: the
  code link goes to ``note`` (``Code: …``), which every BibTeX style prints and
  Zotero keeps as a note.
- ``keywords``: the tags; ``annote``: the user's note on one line.

Keys are ``<first author's last name><year><first significant title word>``,
or with no author ``<first title word><year><second title word>``, ASCII,
taken from the text as it reads (TeX command names never make a key);
:func:`entries` gives colliding keys ``b``, ``c``… suffixes.

Pure: no I/O, no Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from digest_parser.arxiv_ids import find_arxiv_ids
from digest_parser.sanitize import clean_line, clean_text, is_clean
from digest_parser.tex import tex_to_unicode
from tui.core.paperview import paper_link

if TYPE_CHECKING:
    from digest_parser.models import Link, Paper
    from tui.stores.bookmarks import Bookmark

__all__ = [
    "Citation",
    "arxiv_year",
    "citation_for_bookmark",
    "citation_for_paper",
    "citation_key",
    "citation_year",
    "entries",
    "entries_for_bookmarks",
    "entry",
    "entry_for_bookmark",
    "entry_for_paper",
    "keyed_entries",
    "latex_text",
    "title_tex",
    "year_in",
]


@dataclass(frozen=True, slots=True)
class Citation:
    """What an entry says about one paper: what a bookmark keeps, and a year."""

    title: str
    authors: tuple[str, ...] = ()
    year: str | None = None
    """Four digits, or None when nothing names the year."""
    arxiv_id: str | None = None
    url: str | None = None
    """The paper's own page; never a code link."""
    code_url: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""


# --------------------------------------------------------------------------- building a citation


def citation_for_paper(
    paper: Paper,
    *,
    tags: Iterable[str] = (),
    note: str = "",
    digest_date: str | None = None,
    added: str | None = None,
) -> Citation:
    """The citation of a paper shown in the reader.

    Its fields are cleaned as :meth:`Bookmark.from_paper <tui.stores.bookmarks.Bookmark.from_paper>`
    cleans them, so a paper and its bookmark (given the same *digest_date* and
    *added*) give the same entry.

    Args:
        paper: The paper.
        tags: Its bookmark's tags, as the bookmark keeps them.
        note: Its bookmark's note.
        digest_date: The date of the digest it came from (``Digest.date``), for
            the year when neither the arXiv id nor the paper's date gives one.
        added: When it was bookmarked (``Bookmark.added``, ISO 8601), the last
            source of a year (:func:`citation_year`).
    """
    arxiv_id = _optional(paper.arxiv_id)
    return Citation(
        title=clean_line(paper.title),
        authors=tuple(clean_line(author) for author in paper.authors),
        year=citation_year(arxiv_id, paper.links, paper.date, digest_date, added),
        arxiv_id=arxiv_id,
        url=_optional(paper_link(paper)),
        code_url=_optional(paper.code_url),
        tags=tuple(tags),
        note=clean_text(note),
    )


def citation_for_bookmark(bookmark: Bookmark) -> Citation:
    """The citation of a bookmark: its year from what it kept (docs/stores.md), see :func:`citation_year`."""
    return Citation(
        title=bookmark.title,
        authors=bookmark.authors,
        year=citation_year(bookmark.arxiv_id, bookmark.links, bookmark.date, bookmark.digest_date, bookmark.added),
        arxiv_id=bookmark.arxiv_id,
        url=bookmark.paper_url,
        code_url=bookmark.code_url,
        tags=bookmark.tags,
        note=bookmark.note,
    )


def _optional(value: str | None) -> str | None:
    cleaned = clean_line(value) if value else ""
    return cleaned or None


_NEW_ARXIV = re.compile(r"(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?")
_OLD_ARXIV = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?/(\d{2})(\d{2})\d{3}(?:v\d+)?")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def arxiv_year(arxiv_id: str | None) -> str | None:
    """The year an arXiv id was issued (``2603.00101`` → ``2026``), if it says."""
    if not arxiv_id:
        return None
    if match := _NEW_ARXIV.fullmatch(arxiv_id):
        return f"20{match.group(1)}"
    if match := _OLD_ARXIV.fullmatch(arxiv_id):
        year = int(match.group(1))
        return f"{1900 + year if year >= 91 else 2000 + year}"
    return None


def year_in(date: str | None, *, before: str | None = None) -> str | None:
    """The year a date names (``2026-03-12``, ``Mar 12, 2026``), or None (``Mar 12``).

    Given *before* (an ISO 8601 time, as ``Bookmark.added``), a date naming a
    month and a day but no year (``Mar 12``, ``12 March``) takes the year that
    puts it on or before that day: the date of a digest read then. A day of
    slack allows for the digest's time zone.
    """
    if not date:
        return None
    if match := _YEAR.search(date):
        return match.group(1)
    month_day = _month_day(date) if before else None
    if month_day is None or before is None:
        return None
    try:
        limit = datetime.fromisoformat(before) + timedelta(days=1)
    except ValueError:
        return None
    return str(limit.year if month_day <= (limit.month, limit.day) else limit.year - 1)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?!\d)|(?<!\d)(\d{{1,2}})\s+{_MONTH}\b", re.IGNORECASE)


def _month_day(date: str) -> tuple[int, int] | None:
    match = _MONTH_DAY.search(date)
    if match is None:
        return None
    month, day = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    number = int(day)
    return (_MONTHS.index(month[:3].lower()) + 1, number) if 1 <= number <= 31 else None


def citation_year(
    arxiv_id: str | None,
    links: Iterable[Link],
    date: str | None,
    digest_date: str | None,
    added: str | None,
) -> str | None:
    """The year of a citation, from the first that gives one (docs/citing.md):

    1. the arXiv id, else an arXiv id in a paper link (a Hugging Face paper page);
    2. a year the paper's own date names, else one the digest's date names;
    3. the year that puts the paper's date, else the digest's, on or before
       the day it was bookmarked (*added*), when that date has no year;
    4. the year it was bookmarked.
    """
    from_link = (ids[0] for link in links if link.kind == "paper" and (ids := find_arxiv_ids(link.url)))
    return (
        arxiv_year(arxiv_id or next(from_link, None))
        or year_in(date)
        or year_in(digest_date)
        or year_in(date, before=added)
        or year_in(digest_date, before=added)
        or year_in(added)
    )


# --------------------------------------------------------------------------- keys

_KEY_STOP_WORDS = frozenset("a an the on of for in to and with towards via from is are".split())
_COMMAND_NAME = re.compile(r"\\[A-Za-z]+")
_MATH_MARKS = re.compile(r"\\.|[{}^_]")


def _plain(text: str) -> str:
    """*text* as it reads: accents as letters, math as its letters and digits, no command names.

    ``$\\text{R}^2\\text{R}$`` reads ``R2R``, ``NOEM$^{3}$A`` reads ``NOEM3A``.
    """
    text = tex_to_unicode(text)
    if "$" in text:
        text = _MATH.sub(lambda match: _MATH_MARKS.sub("", _COMMAND_NAME.sub("", match.group(1))), text)
    if "\\" in text:
        text = _COMMAND_NAME.sub("", text)
    return text.replace("{", "").replace("}", "")


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def citation_key(citation: Citation) -> str:
    """``<first author's last name><year><first significant title word>``, ASCII.

    With no author (a paper copied from a Hugging Face page), the first title
    word takes the author's place and the second follows the year
    (``kestrel2025unified``); with no title word either, ``arxiv<the id>``, else
    ``untitled<year>``. A missing year is left out. Depends only on the
    citation, so it is stable across exports.
    """
    names = _plain(citation.authors[0]).split() if citation.authors else []
    last_name = _ascii_word(names[-1]) if names else ""
    words = [_ascii_word(word) for word in re.split(r"[\W_]+", _plain(citation.title))]
    title_words = [word for word in words if word and word not in _KEY_STOP_WORDS]
    year = citation.year or ""
    if last_name:
        return last_name + year + (title_words[0] if title_words else "")
    if title_words:
        return title_words[0] + year + (title_words[1] if len(title_words) > 1 else "")
    if citation.arxiv_id and (digits := _ascii_word(citation.arxiv_id)):
        return "arxiv" + digits
    return "untitled" + year


def _suffix(count: int) -> str:
    """``b`` for the second entry with one key, ``c`` for the third… then ``aa``, ``ab``…"""
    letters = ""
    number = count + 1
    while number:
        number, digit = divmod(number - 1, 26)
        letters = chr(ord("a") + digit) + letters
    return letters


# --------------------------------------------------------------------------- TeX

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # BibTeX counts braces even after a backslash, so \{ would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex_text(text: str) -> str:
    """*text* escaped to print as the characters it is, with balanced braces."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


# Inline math, by pandoc's rule: the opening $ has a non-space after it, the closing $ a
# non-space before it and no digit after it, so "from $5 to $10" is not math.
_MATH = re.compile(r"\$(?![\s$])([^$]*?[^\s$\\])\$(?!\d)")
_TEXT_COMMAND = re.compile(r"\\(textbf|textit|textsl|textup|textsc|textrm|textsf|texttt|emph)\{([^{}$\\]*)\}")
_MATH_TOKEN = re.compile(r"\\([A-Za-z]+|.?)", re.DOTALL)
_MATH_SPECIAL = re.compile(r"(?<!\\)([%#&])")

# Commands that only typeset: Greek letters, fonts, operators, relations, arrows, delimiters,
# accents. A command outside this list (\input, \write, \def, \catcode, \csname, \url…)
# makes the math segment plain text, escaped.
_MATH_COMMANDS = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
    pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
    Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    mathcal mathbf mathrm mathit mathsf mathtt mathbb mathfrak mathscr boldsymbol bm
    text textrm textbf textit textsf texttt textsc mbox operatorname emph
    frac dfrac tfrac sqrt binom left right big Big bigg Bigg bigl bigr Bigl Bigr middle
    hat tilde bar vec dot ddot check breve acute grave widehat widetilde overline underline
    overrightarrow overleftarrow overbrace underbrace
    times cdot cdots ldots dots vdots ddots pm mp div ast star circ bullet oplus otimes odot
    leq geq le ge neq ne approx sim simeq cong equiv propto ll gg leqslant geqslant lesssim gtrsim
    prec succ preceq succeq
    to rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow mapsto
    longrightarrow longleftarrow Longrightarrow uparrow downarrow
    in notin ni subset subseteq supset supseteq cup cap setminus emptyset varnothing
    forall exists nexists neg lnot land lor wedge vee top bot
    partial nabla infty ell hbar prime aleph Re Im dagger checkmark
    mid parallel perp angle vert Vert lvert rvert lVert rVert langle rangle lceil rceil lfloor rfloor
    log ln exp sin cos tan sinh cosh tanh max min arg sup inf lim limsup liminf det dim ker Pr
    sum prod int iint oint coprod bigcup bigcap bigoplus bigotimes limits nolimits
    quad qquad displaystyle textstyle scriptstyle
    """.split()
)
_MATH_SYMBOLS = frozenset("{},;:!|%#&_ ")


def title_tex(title: str) -> str:
    """The value of a ``title`` field (inside its braces): TeX kept where it is safe, the rest escaped.

    Inline math whose commands all only typeset (Greek letters, fonts,
    operators… never ``\\input``, ``\\def`` or ``^^`` character codes) and whose
    braces balance is kept as written, with a bare ``%``, ``#`` or ``&`` escaped;
    so are ``\\textbf{…}``, ``\\emph{…}`` and the other font commands around plain
    text. Everything else is escaped by :func:`latex_text`.
    """
    if "$" not in title and "\\" not in title:
        return latex_text(title)
    pieces: list[str] = []
    start = 0
    for match in _MATH.finditer(title):
        inner = match.group(1)
        if not _safe_math(inner):
            continue
        pieces.append(_text_tex(title[start : match.start()]))
        pieces.append("$" + _MATH_SPECIAL.sub(r"\\\1", inner) + "$")
        start = match.end()
    pieces.append(_text_tex(title[start:]))
    return "".join(pieces)


def _text_tex(text: str) -> str:
    """Text outside math: font commands around plain text kept, everything else escaped."""
    pieces: list[str] = []
    start = 0
    for match in _TEXT_COMMAND.finditer(text):
        pieces.append(latex_text(text[start : match.start()]))
        pieces.append(f"\\{match.group(1)}{{{latex_text(match.group(2))}}}")
        start = match.end()
    pieces.append(latex_text(text[start:]))
    return "".join(pieces)


def _safe_math(inner: str) -> bool:
    """True when the math *inner* only typesets and keeps the field's braces balanced."""
    if "^^" in inner or not is_clean(inner, one_line=True):
        return False
    for token in _MATH_TOKEN.finditer(inner):
        name = token.group(1)  # empty for a backslash ending the math: never allowed
        if name not in (_MATH_COMMANDS if name[:1].isalpha() else _MATH_SYMBOLS):
            return False
    # Balanced twice: as BibTeX counts (every brace) and as TeX does (\{ and \} are not groups).
    return _balanced(inner) and _balanced(inner.replace("\\{", "").replace("\\}", ""))


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _bib_url(url: str) -> str:
    # url fields are taken verbatim; only braces and backslashes could break the entry.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --------------------------------------------------------------------------- entries


def entry(citation: Citation, key: str | None = None) -> str:
    """One ``@misc`` entry, ending in a newline.

    Args:
        citation: What to write.
        key: The citation key (default :func:`citation_key`; :func:`entries`
            passes de-duplicated ones).
    """
    authors = [latex_text(name) for name in citation.authors]
    # A name holding " and " would be split into two authors: brace it.
    authors = [f"{{{name}}}" if re.search(r"\sand\s", name, re.IGNORECASE) else name for name in authors]
    fields = [("title", f"{{{title_tex(citation.title)}}}")]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if citation.year:
        fields.append(("year", citation.year))
    if citation.arxiv_id:
        fields += [("eprint", latex_text(citation.arxiv_id)), ("archivePrefix", "arXiv")]
    if citation.url:
        fields.append(("url", _bib_url(citation.url)))
    if citation.code_url and citation.code_url != citation.url:
        fields.append(("note", "Code: " + latex_text(citation.code_url)))
    if citation.tags:
        fields.append(("keywords", ", ".join(latex_text(tag) for tag in citation.tags)))
    if annote := " ".join(citation.note.split()):  # a note of only blank lines writes no empty field
        fields.append(("annote", latex_text(annote)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key or citation_key(citation)},\n{body}\n}}\n"


def keyed_entries(citations: Iterable[Citation]) -> list[str]:
    """One entry per citation, in order, with keys unique across the list.

    The first of a key keeps it; the next get ``b``, ``c``… (and a key some
    suffix already took is suffixed too), so each entry can be sent apart.
    """
    used: set[str] = set()
    counts: dict[str, int] = {}
    written = []
    for citation in citations:
        base = citation_key(citation)
        count = counts.get(base, 0)
        key = base + _suffix(count) if count else base
        while key in used:
            count += 1
            key = base + _suffix(count)
        counts[base] = count + 1
        used.add(key)
        written.append(entry(citation, key))
    return written


def entries(citations: Iterable[Citation]) -> str:
    """The entries of :func:`keyed_entries`, a blank line apart."""
    return "\n".join(keyed_entries(citations))


def entries_for_bookmarks(bookmarks: Iterable[Bookmark]) -> str:
    """What ``digest-reader bookmarks --format bibtex`` prints."""
    return entries(citation_for_bookmark(bookmark) for bookmark in bookmarks)


def entry_for_paper(
    paper: Paper,
    *,
    tags: Sequence[str] = (),
    note: str = "",
    digest_date: str | None = None,
    added: str | None = None,
) -> str:
    """The entry of one paper, as ``Y`` copies it and ``Z`` sends it (see :func:`citation_for_paper`)."""
    return entry(citation_for_paper(paper, tags=tags, note=note, digest_date=digest_date, added=added))


def entry_for_bookmark(bookmark: Bookmark) -> str:
    """The entry of one bookmark, as ``bookmarks --format bibtex`` writes it when its key is unique."""
    return entry(citation_for_bookmark(bookmark))
