"""The search box's query language, the text folding both sides share, and
highlighting a query in a title.

The language is listed in two tables: :data:`QUERY_SYNTAX` (words, phrases,
exclusions, fields) here, beside the parser, and :data:`tui.core.filters.FILTERS`
(``has:code``, ``is:unread`` …). The help screen is built from both, and a test
checks that the README's "Searching" table shows each of them. Every part of a
query is optional; parts combine with AND.

Decisions: a plain word matches as part of a word (``transfor`` finds
"Transformers"), ignoring case, accents and punctuation; ranking also forgives typos.
A phrase, and anything excluded, is exact apart from case and punctuation (no typos);
an unclosed quote runs to the end. ``authors:``, ``au:``, ``ti:`` and ``abs:`` are accepted for the fields, and
``-`` negates a field term (``-title:survey``) or a filter (``-has:code``). An unknown
``foo:bar`` is plain text (the words ``foo`` and ``bar``), so a pasted URL or
``Re:Mix`` still searches. While a filter is being typed (``has:``, ``is:bookm``) it
is ignored instead of searching for the letters. A word with inner punctuation
(``vision-language``) is split into words; negated (``-vision-language``) it excludes
the phrase. :func:`parse_query` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from tui.core.filters import ARGUMENT_FILTERS, FILTERS, FILTERS_BY_NAME

FieldName = Literal["title", "author", "abstract"]


@dataclass(frozen=True, slots=True)
class SyntaxRow:
    """One form of the query language other than a filter, as the help screen shows it."""

    syntax: str
    """The form, as a pattern (``"quoted phrase"``)."""
    help: str
    """What it finds."""
    example: str
    """A query of this form that the README's table shows."""


QUERY_SYNTAX: tuple[SyntaxRow, ...] = (
    SyntaxRow("words", "every word must match, forgiving typos, order, case and punctuation",
              "vision transformer"),
    SyntaxRow('"quoted phrase"', "exact phrase (any case) in the title or abstract", '"attention is all"'),
    SyntaxRow('-word  -"phrase"', "leave out papers that contain it", '-"graph neural"'),
    SyntaxRow("title: author: abstract:", 'match a word (or "phrase") in one field only', "author:lovelace"),
)
"""The words, phrases, exclusions and fields; the filters are in :data:`tui.core.filters.FILTERS`."""

_FILTER_PREFIXES = frozenset(spec.prefix for spec in FILTERS)
_FIELD_ALIASES: dict[str, FieldName] = {
    "title": "title", "ti": "title", "author": "author", "authors": "author", "au": "author",
    "abstract": "abstract", "abs": "abstract",
}
_NON_ALNUM = re.compile(r"[\W_]+")
_NON_ALNUM_BUT_NEWLINE = re.compile(r"[^\w\n]+|_+")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9 ][^a-z0-9]*| [^a-z0-9]+")
"""In lower-cased ASCII text, every run of anything but letters and digits except a
lone space: those (most runs, between words) are left alone rather than replaced by
a space, so folding a title substitutes only around its punctuation."""
_JOINER = re.compile(r"[^\W_][-'\u2019./:+][^\W_]")
_JOINER_HINT = re.compile(r"[-'\u2019./:+][^\W_]")
"""The end of a _JOINER match: found quicker than a whole match (the scan looks for
the rare punctuation first), and a title without it, most of them, needs no closer look."""
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?("[^"]*"?|\S*)')


def fold(text: str, *, keep_newlines: bool = False) -> str:
    """Case-, accent- and punctuation-insensitive form of ``text``.

    Letters and digits are kept (lower-cased, accents removed); every run of anything
    else becomes one space; no leading or trailing space. ASCII text takes a fast path.

    Args:
        text: Any string.
        keep_newlines: Keep ``\n`` as a separator (to fold many names in one call).

    Returns:
        The folded string, e.g. ``"Tiny-ViT: Fast!"`` -> ``"tiny vit fast"``.
    """
    if text.isascii():
        if keep_newlines:
            return _NON_ALNUM_BUT_NEWLINE.sub(" ", text.lower()).strip()
        return _ASCII_SEPARATORS.sub(" ", text.lower()).strip()
    pattern = _NON_ALNUM_BUT_NEWLINE if keep_newlines else _NON_ALNUM
    # Compatibility forms first (math letters, ligatures), then case, then decompose
    # again: casefolding can produce new combining marks ("İ").
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return pattern.sub(" ", bare).strip()


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase of a query."""

    text: str
    """Folded text: one word, or words joined by single spaces for a phrase."""
    field: FieldName | None = None
    """The only field it may match in; ``None`` for any field."""
    phrase: bool = False
    """Exact phrase (no typo tolerance) rather than a fuzzy plain word."""
    negated: bool = False
    """Papers containing it are excluded."""
    raw: str = ""
    """The query text it came from (``-title:"foo bar"``), for messages."""


@dataclass(frozen=True, slots=True)
class Filter:
    """A filter of a query (``has:code``); what it does is in :data:`tui.core.filters.FILTERS`."""

    name: str
    """The name of its :class:`tui.core.filters.FilterSpec`."""
    negated: bool = False
    raw: str = ""
    """The query text it came from (``-has:code``), for messages."""
    argument: str = ""
    """The word after the prefix of a filter that takes one (``tag:reading`` ->
    ``reading``), in lower case."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query; build it with :func:`parse_query`."""

    text: str = ""
    terms: tuple[Term, ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def words(self) -> tuple[Term, ...]:
        """Positive plain words (fuzzy)."""
        return tuple(t for t in self.terms if not t.negated and not t.phrase)

    @property
    def phrases(self) -> tuple[Term, ...]:
        """Positive exact phrases."""
        return tuple(t for t in self.terms if not t.negated and t.phrase)

    @property
    def exclusions(self) -> tuple[Term, ...]:
        """Negated words and phrases."""
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_empty(self) -> bool:
        """True when the query constrains nothing (every paper matches)."""
        return not self.terms and not self.filters

    def without(self, part: Term | Filter) -> Query:
        """This query with one term or filter removed (used to explain empty results)."""
        return Query(self.text, tuple(t for t in self.terms if t is not part),
                     tuple(f for f in self.filters if f is not part))

    def refines(self, previous: Query) -> bool:
        """Whether every paper matching ``self`` (stage 1) also matches ``previous``.

        When true, :meth:`SearchIndex.narrow` may test only the previous survivors
        (``within=``); typing more letters of a word or adding terms usually refines,
        lengthening an exclusion (``-vi`` -> ``-vis``) does not.
        """
        return (all(any(_implies(t, p) for t in self.terms) for p in previous.terms)
                and all(f in self.filters for f in previous.filters))


def _implies(new: Term, old: Term) -> bool:
    if new.negated != old.negated:
        return False
    if new.field != old.field and not (old.field is None and new.field in ("title", "author")):
        return False
    if new.negated:
        # Excluding a shorter text excludes at least as many papers.
        return new.field == old.field and new.text in old.text and new.phrase == old.phrase
    if old.phrase and not new.phrase:
        return False
    return old.text in new.text


def parse_query(text: str) -> Query:
    """Parse the search box text; never raises (see the module docstring for the language).

    Args:
        text: What the user typed, any string.

    Returns:
        The parsed :class:`Query`.
    """
    try:
        return _parse(text)
    except Exception:  # a query must never break the search box
        words = tuple(Term(w, raw=w) for w in fold(str(text)).split())
        return Query(str(text), words)


def _parse(text: str) -> Query:
    terms: list[Term] = []
    filters: list[Filter] = []
    for match in _TOKEN.finditer(text.translate(_QUOTES)):
        minus, prefix, body = match.groups()
        raw = match.group(0)
        if not raw:
            continue
        negated = bool(minus)
        quoted = body.startswith('"')
        value = body.strip('"') if quoted else body
        if prefix is not None:
            key = prefix.lower()
            if key in ARGUMENT_FILTERS:
                if value.strip():
                    filters.append(Filter(ARGUMENT_FILTERS[key].name, negated, raw, value.strip().lower()))
                continue  # ("tag:" alone is still being typed: constrain nothing yet)
            if key in _FILTER_PREFIXES:
                name = f"{key}:{value.lower()}"
                if name in FILTERS_BY_NAME:
                    filters.append(Filter(name, negated, raw))
                    continue
                if not quoted and any(f.startswith(name) for f in FILTERS_BY_NAME):
                    continue  # still being typed: constrain nothing yet
            elif key in _FIELD_ALIASES:
                terms.extend(_terms(value, _FIELD_ALIASES[key], quoted, negated, raw))
                continue
            value = f"{prefix}:{value}"  # unknown field: plain text
        terms.extend(_terms(value, None, quoted, negated, raw))
    return Query(text, tuple(terms), tuple(filters))


def _terms(value: str, field: FieldName | None, quoted: bool, negated: bool, raw: str) -> list[Term]:
    words = fold(value).split()
    if not words:
        return []
    if quoted or (negated and len(words) > 1):
        return [Term(" ".join(words), field, True, negated, raw)]
    return [Term(word, field, False, negated, raw) for word in words]


def fuzzy_cutoff(word: str) -> float | None:
    """rapidfuzz partial_ratio score a near spelling of ``word`` needs; None: no typos.

    Words of 4-7 characters forgive one edit (a substitution or transposition is two
    Indel operations), longer words two.
    """
    if len(word) < 4:
        return None
    allowed = 2 if len(word) < 8 else 4
    return 100.0 * (1 - allowed / (2 * len(word))) - 0.01


# -- preparing paper text for the index -------------------------------------------------


ASCII_PUNCTUATION = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def title_text(title: str) -> str:
    """Folded title between spaces, plus joined forms of punctuated words
    (``Tiny-ViT`` also as ``tinyvit``) so the joined spelling is found exactly."""
    folded = fold(title)
    if not (_JOINER_HINT.search(title) and _JOINER.search(title)):
        return " " + folded + " "
    joined = [squashed for word in title.split() if not word.isalnum()
              for squashed in (fold(word).replace(" ", ""),) if squashed and squashed not in folded]
    return " " + " ".join([folded, *joined]) + " " if joined else " " + folded + " "


def abstract_text(abstract: str) -> str:
    # Lower-casing costs a small part of folding, and abstracts are most of a digest's
    # text; words are letters and digits, so a substring test for a query word still
    # works. Non-ASCII text gets the full fold.
    return " " + (abstract.lower() if abstract.isascii() else fold(abstract)) + " "


@lru_cache(maxsize=256)
def phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"[\W_]+".join(re.escape(w) for w in words))


# -- highlighting a query in a title ---------------------------------------------------


def title_highlights(query: Query, title: str) -> list[tuple[int, int]]:
    """Character spans of ``title`` that match the query's words and phrases.

    Exact matches are found in the folded title (so ``vision language`` highlights
    "Vision-Language"); a word without an exact match gets its best fuzzy alignment.

    Args:
        query: The parsed query.
        title: The title as displayed.

    Returns:
        Sorted, merged, non-overlapping ``(start, end)`` spans (end exclusive).
    """
    needles = tuple((t.text, not t.phrase) for t in query.terms
                    if not t.negated and t.field in (None, "title"))
    if not needles or not title:
        return []
    return list(_highlights(needles, title))


@lru_cache(maxsize=4096)
def _highlights(needles: tuple[tuple[str, bool], ...], title: str) -> tuple[tuple[int, int], ...]:
    folded, origin = _fold_with_origin(title)
    squashed = folded.replace(" ", "")
    squashed_origin = [o for c, o in zip(folded, origin, strict=True) if c != " "]
    spans: list[tuple[int, int]] = []
    for text, fuzzy in needles:
        found = _find_all(folded, origin, text, spans)
        if not found and " " not in text:
            found = _find_all(squashed, squashed_origin, text, spans)
        cutoff = fuzzy_cutoff(text)
        if not found and fuzzy and cutoff is not None and folded:
            from rapidfuzz import fuzz  # first used with a typo'd query: kept off start-up

            aligned = fuzz.partial_ratio_alignment(text, folded, score_cutoff=cutoff)
            if aligned is not None and aligned.dest_end > aligned.dest_start:
                # A typo'd word highlights the whole words it resembles.
                start = folded.rfind(" ", 0, aligned.dest_start) + 1
                end = folded.find(" ", aligned.dest_end - 1)
                end = len(folded) if end < 0 else end
                spans.append((origin[start], origin[end - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _find_all(hay: str, origin: list[int], needle: str, spans: list[tuple[int, int]]) -> bool:
    start = hay.find(needle)
    found = start >= 0
    while start >= 0:
        spans.append((origin[start], origin[start + len(needle) - 1] + 1))
        start = hay.find(needle, start + 1)
    return found


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _fold_with_origin(title: str) -> tuple[str, list[int]]:
    """``fold(title)`` and, for each of its characters, the index in ``title`` it came from."""
    if title.isascii():
        return _fold_ascii_with_origin(title)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(title):
        piece = fold(char) if not char.isspace() else ""
        if not piece:
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        for folded_char in piece.replace(" ", ""):
            chars.append(folded_char)
            origin.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def _fold_ascii_with_origin(title: str) -> tuple[str, list[int]]:
    # Word by word rather than fold() per character: the list draws every visible
    # title, highlighted, in the frame that answers a keystroke.
    words: list[str] = []
    origin: list[int] = []
    previous_end = 0
    for match in _ASCII_WORD.finditer(title):
        start, end = match.span()
        if words:
            origin.append(previous_end)  # the separator stands where the gap began
        words.append(match.group().lower())
        origin.extend(range(start, end))
        previous_end = end
    return " ".join(words), origin
