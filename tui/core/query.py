"""The search box's query language, the text folding both sides share, and
highlighting a query in a title.

The language is listed in two tables: :data:`QUERY_SYNTAX` (words, phrases,
exclusions, fields) here, beside the parser, and :data:`tui.core.filters.FILTERS`
(``has:code``, ``is:unread`` …). The help screen is built from both, and a test
checks that the README's "Searching" table shows each of them. Every part of a
query is optional; parts combine with AND.

Decisions: a plain word matches as part of a word (``transfor`` finds
"Transformers"), ignoring case, accents and punctuation; ranking also forgives typos
(:func:`max_edits` says how many edits a word may hold; the search index maps a typo to
its nearest words). A phrase, and anything excluded, is exact apart from case and
punctuation (no typos); an unclosed quote runs to the end. ``authors:``, ``au:``,
``ti:`` and ``abs:`` are accepted for the fields, and ``-`` negates a field term
(``-title:survey``) or a filter (``-has:code``). An arXiv id (``2511.19780``,
``2511.19780v2``, ``arXiv:2511.19780``, ``hep-th/9901001``, an arxiv.org or Hugging
Face paper URL) is an id term: it finds that paper (``arxiv:2511`` every id starting
so). An unknown ``foo:bar`` is plain text (the words ``foo`` and ``bar``), so a pasted
URL or ``Re:Mix`` still searches. While a filter is being typed (``has:``,
``is:bookm``) it is ignored instead of searching for the letters. A word with inner
punctuation (``vision-language``) is split into words; negated (``-vision-language``)
it excludes the phrase. :func:`parse_query` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from digest_parser.arxiv_ids import find_arxiv_ids
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
    SyntaxRow("arXiv id", "that paper first (also 2511.19780v2, arXiv:2511.19780, a paper URL; "
              "arxiv:2511 every id starting so)", "2511.19780"),
)
"""The words, phrases, exclusions and fields; the filters are in :data:`tui.core.filters.FILTERS`."""

_FILTER_PREFIXES = frozenset(spec.prefix for spec in FILTERS)
_FIELD_ALIASES: dict[str, FieldName] = {
    "title": "title", "ti": "title", "author": "author", "authors": "author", "au": "author",
    "abstract": "abstract", "abs": "abstract",
}
_ID_PREFIX = "arxiv"
KNOWN_PREFIXES: tuple[str, ...] = (
    "title", "author", "abstract", _ID_PREFIX, *dict.fromkeys(spec.prefix for spec in FILTERS))
"""The prefixes the parser knows (field aliases aside), as an unknown one's message lists them."""
_NEW_ID = re.compile(r"([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?\Z")
_OLD_ID = re.compile(r"([a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?/([0-9]{7})(?:v[0-9]+)?\Z")
_ID_TYPED = re.compile(r"[a-z0-9.\-/]+\Z")
_VERSION = re.compile(r"(?<=[0-9])v[0-9]*\Z")
_ID_PLACE = re.compile(r"(?:arxiv\.org|alphaxiv\.org|ar5iv\.org|huggingface\.co|hf\.co)/", re.IGNORECASE)
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
    arxiv_id: bool = False
    """An arXiv id (``text`` is the id without version, lower case): it finds the
    paper with that id (or an id starting so) first, then papers whose text or
    links mention it. ``field`` is ``None`` and ``phrase`` False."""


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
        return tuple(t for t in self.terms if not t.negated and not t.phrase and not t.arxiv_id)

    @property
    def phrases(self) -> tuple[Term, ...]:
        """Positive exact phrases."""
        return tuple(t for t in self.terms if not t.negated and t.phrase)

    @property
    def ids(self) -> tuple[Term, ...]:
        """Positive arXiv ids."""
        return tuple(t for t in self.terms if not t.negated and t.arxiv_id)

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
    if new.negated != old.negated or new.arxiv_id != old.arxiv_id:
        return False
    if new.arxiv_id:
        # (A complete id also finds the papers mentioning it, a partial one only ids.)
        return new.text == old.text
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
        arxiv_id = _arxiv_id(prefix, value, raw) if not quoted else None
        if arxiv_id is not None:
            if arxiv_id:
                terms.append(Term(arxiv_id, None, False, negated, raw, arxiv_id=True))
            continue  # ("arxiv:" alone is still being typed: constrain nothing yet)
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


def _arxiv_id(prefix: str | None, value: str, raw: str) -> str | None:
    """The arXiv id a token names, without version and in lower case (``""`` for
    ``arxiv:`` alone, being typed), or None when it is no id.

    After ``arxiv:`` any id-like text counts (an id's start finds every id starting
    so); alone, a complete, valid id (``2511.19780v2``, ``hep-th/9901001``) or an
    arXiv, alphaXiv or Hugging Face paper URL.
    """
    if prefix is not None and prefix.lower() == _ID_PREFIX:
        typed = value.strip().lower()
        if not typed:
            return ""
        if not _ID_TYPED.match(typed):
            return None
        found = find_arxiv_ids(typed)  # a whole id: as the parser keeps it ("math.GT/…" -> "math/…")
        return found[0] if len(found) == 1 else _VERSION.sub("", typed)
    if prefix is None:
        lowered = value.lower().rstrip(".,;:)]")
        match = _NEW_ID.match(lowered) or _OLD_ID.match(lowered)
        if match is None:
            return None
        found = find_arxiv_ids(lowered)  # (also checks the date and the digit count)
        return found[0] if len(found) == 1 else None
    if prefix.lower() in ("http", "https") and _ID_PLACE.search(raw):
        found = find_arxiv_ids(raw)
        return found[0].lower() if len(found) == 1 else None
    return None


def tokens_removed(query: Query) -> list[tuple[str, Query]]:
    """Each part the user typed (a word, ``"phrase"``, ``foo:bar``, filter) that
    constrains something, with the query its removal from the search box leaves.

    Args:
        query: A parsed query.

    Returns:
        ``(raw text of the part, the query without it)``, in the order typed.
    """
    text = query.text
    out: list[tuple[str, Query]] = []
    for match in _TOKEN.finditer(text.translate(_QUOTES)):
        raw = match.group(0)
        if not raw or parse_query(raw).is_empty:
            continue
        out.append((raw, parse_query(text[:match.start()] + " " + text[match.end():])))
    return out


def unknown_prefix(raw: str) -> str | None:
    """The prefix of a query part that looks like a filter or field but is none
    (``foo`` of ``foo:bar``); None for a known one, a URL or plain text."""
    match = _TOKEN.match(raw.translate(_QUOTES))
    if match is None or match.group(2) is None or not match.group(3) or match.group(3).startswith("/"):
        return None
    key = match.group(2).lower()
    if key in _FIELD_ALIASES or key in _FILTER_PREFIXES or key == _ID_PREFIX:
        return None
    return match.group(2)


def _terms(value: str, field: FieldName | None, quoted: bool, negated: bool, raw: str) -> list[Term]:
    words = fold(value).split()
    if not words:
        return []
    if quoted or (negated and len(words) > 1):
        return [Term(" ".join(words), field, True, negated, raw)]
    return [Term(word, field, False, negated, raw) for word in words]


def max_edits(word: str) -> int:
    """How many edits (a letter deleted, inserted, replaced, or two neighbours
    swapped) a typed word may be from the word meant: none below 4 letters (too many
    words are that close), 1 at 4 letters, 2 from 5."""
    if len(word) < 4:
        return 0
    return 1 if len(word) == 4 else 2


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


def searched_title(title: str, shown: str) -> str:
    """What a title search reads: :func:`title_text` of the title as shown (its TeX
    read as text: ``NOEM$^{3}$A`` is found as ``noem3a``, ``$\\text{R}^2\\text{R}$``
    as ``r2r``), and where the TeX changed it, of the title as written too
    (``alpha`` still finds ``$\\alpha$``). *shown* is ``Paper.plain_title``."""
    as_shown = title_text(shown)
    if shown is title:
        return as_shown
    as_written = title_text(title)
    # (A line apart, as authors are: no phrase runs from the end of one into the other.)
    return as_shown if as_written == as_shown else as_shown + "\n" + as_written


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
                    if not t.negated and not t.arxiv_id and t.field in (None, "title"))
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
        edits = max_edits(text)
        if not found and fuzzy and edits and folded:
            # A typo'd word highlights the title's words within its edits (the words
            # the search took it for), else the whole words its best alignment touches.
            from rapidfuzz import fuzz  # first used with a typo'd query: kept off start-up
            from rapidfuzz.distance import OSA

            at = 0
            for word in folded.split(" "):
                if OSA.distance(text, word, score_cutoff=edits) <= edits:
                    found = True
                    spans.append((origin[at], origin[at + len(word) - 1] + 1))
                at += len(word) + 1
            cutoff = 100.0 * (1 - min(edits, 1 if len(text) < 8 else 2) / len(text)) - 0.01
            aligned = None if found else fuzz.partial_ratio_alignment(text, folded, score_cutoff=cutoff)
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
