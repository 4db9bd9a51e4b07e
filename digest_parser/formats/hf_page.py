"""Hugging Face papers page, copied or saved as plain text (docs/formats.md, "hf-page").

The known input is header lines (``new``, ``Get trending papers…``,
``Subscribe``, ``byAK and the research community``), an optional date line
(``Mar 14``), then one block per paper: title lines, a blank line, abstract
lines, a blank line. A copy of the whole page adds lines that are not papers
(``Submitted by`` + user, upvote counts, ``-``, ``GitHub 1.2k``, ``arXiv Page``,
``5 authors``, ``·``, ``Org · Published on Mar 12, 2026``, ``Mar 11, 2026`` +
comment count, site navigation): they never become titles, and the upvotes,
comment count and date they carry go to the paper they sit under.

The parser works on *runs* (non-blank lines between blank lines). A run is a
title until the next run shows whether it has an abstract: abstracts are long
(150+ characters) or end like a sentence. A title with no abstract is a
Problem; a prose run right after an abstract is that abstract's next paragraph.

Titles may end like sentences too ("… Revisited."), so a short run that ends
like one is only taken for the abstract of the title before it once the run
after it is known: if that run is a long abstract, the short run is its title
(a title is followed by its abstract) and the title before it had none.

Speed: a 100k-paper digest is about 190 MB, so the per-byte work is kept to
C-level scans. A field that is ASCII without control characters is already clean: the
streamed line batches say whether their bytes may hold a control character at
all (one bytes.translate per 1 MiB read), and only fields of batches that may
are checked one by one (isprintable for a title, bytes.translate for an
abstract); only the rest pays for :mod:`digest_parser.sanitize`. Links are
looked for in every abstract, so :mod:`digest_parser.links` keeps its scans to
memchr speed. Records are built with :func:`digest_parser.models.new_paper`.
:func:`parse_lines` accepts the streamed line batches of
:func:`digest_parser.reading.iter_line_batches` (and :func:`parse_chunks` the
chunks of ``iter_chunks``), so the text of a file need never be held whole.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from digest_parser.gc_pause import gc_paused
from digest_parser.links import extract_links, extract_links_and_code_url, first_code_url, has_elided_url
from digest_parser.models import Digest, Paper, Problem, new_paper
from digest_parser.reading import LineBatch
from digest_parser.sanitize import clean_line

NAME = "hf-page"

_PIECE_CHARS = 1 << 20  # text handed to the run splitter at a time by parse()
_ABSTRACT_MIN_CHARS = 150
_SENTENCE_ENDS = (".", '."', ".'", ".)", ".\u201d", "\u3002")
_NOISE_MAX_CHARS = 160  # no noise line is longer; titles and abstracts skip the checks
_EXCERPT_CHARS = 60

_WORDS = frozenset(
    {
        # page header
        "new", "Subscribe", "Daily Papers", "Trending Papers", "Daily", "Weekly", "Monthly",
        # per-paper widgets
        "Upvote", "\u00b7", "arXiv Page", "GitHub", "View all authors",
        # site navigation and footer when the whole page was selected
        "Hugging Face", "Models", "Datasets", "Spaces", "Docs", "Posts", "Enterprise", "Pricing",
        "Log In", "Sign Up", "Search", "Papers", "Collections", "Community", "Solutions",
        "Website", "Company", "About", "Jobs", "Careers", "Blog", "Learn", "Social", "Resources",
        "TOS", "Privacy", "Status", "Changelog", "System theme", "Tasks", "Forum", "Discord",
        "Twitter", "LinkedIn", "Inference Endpoints", "HuggingChat", "Search papers",
    }
)
_MONTH = (
    r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<{0}>3[01]|[12]\d|0?[1-9])"
_NOISE = re.compile(
    rf"""
      (?P<count>\d{{1,7}}|-)                                    # upvotes ("-" is zero) or comments
    | (?:Get\ trending\ papers\ in\ your\ email\ inbox.*
        | by[\s\u00a0]*AK\ and\ the\ research\ community
        | GitHub\s*\d[\d.,]*\s*[kKmM]?                          # star count
        | \d[\d,]*\s+authors?
        | \u00b7\s*\d[\d,]*\s+authors?)
    | (?P<submitted>Submitted\s+by)(?:\s+(?P<user>\S.*))?
    | (?:\u00b7\s*)?Published\s+on\s+{_MONTH.format("pmonth")}\s+{_DAY.format("pday")}
        (?:,\s*(?P<pyear>\d{{4}}))?
    | {_MONTH.format("month")}\s+{_DAY.format("day")}(?:,\s*(?P<year>\d{{4}}))?\s*(?P<comments>\d{{1,6}})?
    """,
    re.VERBOSE | re.ASCII,
)
# "Quillworks Lab · Published on Mar 12, 2026": the organisation is dropped and
# the rest matched by _NOISE (kept apart so titles do not pay for the scan).
_ORGANISATION = re.compile(r"[^\u00b7]{1,100}\u00b7\s*(?P<rest>Published\s+on\s.*)", re.ASCII)
# How a _NOISE match can start (a test checks no match starts otherwise): a
# title such as "Sparse…" skips the regex with one startswith, not only "Tiny…".
_NOISE_STARTS = (
    *"0123456789-\u00b7", "Get", "Git", "by", "Sub", "Pub",
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
_MONTH_NUMBERS = {name: n for n, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_NBSP = re.compile("[\u00a0\u202f\u2007]")
_NBSP_TO_SPACE = str.maketrans("\u00a0\u202f\u2007", "   ")
# Every byte but the ASCII controls (what bytes.translate keeps in _is_plain).
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if 0x20 <= b != 0x7F)


def parse(text: str, source: str) -> Digest:
    """Parse a plain-text copy of the papers page.

    Written not to raise on any text; called through the registry, a bug still
    becomes a Problem (:mod:`digest_parser.formats.spec`).

    Args:
        text: Decoded digest text (``\\r\\n``/``\\r`` are normalised here too).
        source: The file it came from (``-`` for standard input).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_lines((LineBatch(piece.split("\n"), controls=True) for piece in _pieces(text)), source)


def parse_chunks(chunks: Iterable[str], source: str) -> Digest:
    """Parse text given as pieces of whole lines, as
    :func:`digest_parser.reading.iter_chunks` yields them: the lines are those of
    ``"\\n".join(chunks)``, already decoded and newline-normalised."""
    return parse_lines((LineBatch(chunk.split("\n"), controls=True) for chunk in chunks), source)


def parse_lines(batches: Iterable[LineBatch], source: str) -> Digest:
    """Parse text given as batches of its lines, as
    :func:`digest_parser.reading.iter_line_batches` yields them (already decoded
    and newline-normalised); what ``api.load`` does."""
    with gc_paused():
        parser = _Parser(source)
        for batch in batches:
            parser.feed_lines(batch)
        return parser.finish()


def parse_progressively(batches: Iterable[LineBatch], source: str, every_chars: int = 32 << 20) -> Iterator[Digest]:
    """Like :func:`parse_lines`, but also yield partial Digests on the way: one
    after the first batch, then about every *every_chars* of text. A partial
    Digest holds only papers that are complete (a later line cannot change
    them); the last Digest yielded is the same as :func:`parse_lines` returns.
    A reader shows the first titles of a 190 MB digest while the rest loads.

    The cyclic GC is paused while each batch is parsed, never across a yield:
    the caller's code runs there, and a generator it drops may only be closed
    by a collection."""
    parser = _Parser(source)
    since = 0
    first = True
    for batch in batches:
        with gc_paused():
            parser.feed_lines(batch)
        since += sum(map(len, batch.lines))
        if first or since >= every_chars:
            first = False
            since = 0
            yield Digest(format=NAME, source=parser.source, date=parser.date, papers=tuple(parser.papers),
                         problems=tuple(parser.problems))
    with gc_paused():
        digest = parser.finish()
    yield digest


def parse_in_parts(batches: Iterable[LineBatch], source: str) -> Iterator[Digest]:
    """Like :func:`parse_lines`, but yield the digest in parts and keep none of
    it: each Digest yielded holds the papers and problems found since the
    previous one (one part per batch that completed any, one after the first
    batch, and a last one), so memory stays flat however long the file is.
    ``digest-reader parse`` writes each part as it comes.

    Every part carries the format and the source; its date is the digest's
    date from the first part holding a paper on (the date line is only read
    before the first paper), and in the last part. The GC is paused as in
    :func:`parse_progressively`."""
    parser = _Parser(source)
    first = True
    for batch in batches:
        with gc_paused():
            parser.feed_lines(batch)
        if first or parser.papers or parser.problems:
            first = False
            yield parser.take_part()
    with gc_paused():
        digest = parser.finish()
    yield digest


def _pieces(text: str) -> Iterator[str]:
    """*text* in pieces of about 1 MB cut at line ends (``"\\n".join`` gives it back)."""
    start = 0
    while True:
        cut = text.find("\n", start + _PIECE_CHARS)
        if cut < 0:
            yield text[start:] if start else text
            return
        yield text[start:cut]
        start = cut + 1


class _Draft:
    """A paper whose trailing metadata (date, upvotes) may still come."""

    __slots__ = ("line", "meta", "paragraphs", "title")

    def __init__(self, title: list[str], line: int, abstract: list[str], meta: dict[str, str]) -> None:
        self.title = title
        self.line = line
        self.paragraphs = [abstract]
        self.meta = meta


class _Parser:
    """The run state machine; see the module docstring."""

    def __init__(self, source: str) -> None:
        self.source = _clean(source)
        self.papers: list[Paper] = []
        self.problems: list[Problem] = []
        self.date: str | None = None
        self.line = 0  # lines seen so far
        self.run: list[str] = []
        self.run_start = 0
        self.in_header = True
        self.title: tuple[list[str], int] | None = None  # candidate title run
        # A short run ending like a sentence after the candidate title: its
        # abstract, unless the next run is a long abstract (see _content).
        self.pending: tuple[list[str], int] | None = None
        self.draft: _Draft | None = None  # last paper, open for metadata
        self.paragraph_ok = False  # the next prose run may continue draft's abstract
        self.next_meta: dict[str, str] = {}
        self.submitted = False  # "Submitted by" seen: metadata now belongs to the next paper
        self.expect_user = False
        self.last_kind = ""
        self.check_controls = False  # see feed_lines

    # Lines and runs ------------------------------------------------------------

    def feed_lines(self, batch: LineBatch) -> None:
        # From the first batch that may hold a control character on, every title
        # and abstract is checked (also those whose lines came before it).
        self.check_controls = self.check_controls or batch.controls
        lines = batch.lines
        run = self.run
        line_number = self.line
        for line in lines:
            line_number += 1
            if line and not line.isspace():
                if not run:
                    self.run_start = line_number
                run.append(line)
            elif run:
                self._take_run(run, self.run_start)
                run = self.run = []
        self.line = line_number

    def take_part(self) -> Digest:
        """The papers and problems found since the last part, which the parser
        then forgets (see :func:`parse_in_parts`)."""
        part = Digest(format=NAME, source=self.source, date=self.date, papers=tuple(self.papers),
                      problems=tuple(self.problems))
        self.papers = []
        self.problems = []
        return part

    def finish(self) -> Digest:
        if self.run:
            self._take_run(self.run, self.run_start)
            self.run = []
        self._settle_pending()
        if self.title is not None:
            self._orphan_title()
        self._flush_draft()
        return Digest(
            format=NAME, source=self.source, date=self.date, papers=tuple(self.papers), problems=tuple(self.problems)
        )

    def _take_run(self, lines: list[str], start: int) -> None:
        if len(lines) == 1 and not self.expect_user and (len(lines[0]) > _NOISE_MAX_CHARS or _noise(lines[0]) is None):
            self.in_header = False
            self._content(lines, start)  # fast path: a one-line title or abstract
            return
        self.last_kind = ""
        first = 0
        if self.expect_user:  # "Submitted by" ended the previous run: this is the user name
            self.expect_user = False
            first = 1
        while first < len(lines) and (match := _noise(lines[first])) is not None:
            first = self._note(match, lines, first)
        # Trailing noise; lines[first] is known not to be noise.
        end = len(lines)
        while end > first + 1:
            if _noise(lines[end - 1]) is not None:
                end -= 1
            elif end - 2 > first and _is_submitted(lines[end - 2]):
                end -= 2  # "Submitted by" + user name: they belong to the next paper
            else:
                break
        if end > first:
            self.in_header = False
            self._content(lines[first:end], start + first)
        index = end
        self.last_kind = ""
        while index < len(lines):
            match = _noise(lines[index])
            index = self._note(match, lines, index) if match is not None else index + 1

    def _content(self, lines: list[str], start: int) -> None:
        # (Most abstracts are one long line: no call needed to tell.)
        long = (len(lines) == 1 and len(lines[0]) >= _ABSTRACT_MIN_CHARS) or _is_long(lines)
        if self.pending is not None:
            if long:
                # No title is that long: this is an abstract, so the run right
                # before it is its title, even though it ends like a sentence,
                # and the candidate before that had no abstract.
                self._orphan_title()
                self.title, self.pending = self.pending, None
            else:
                self._settle_pending()
        if self.title is None:
            self.title = (lines, start)
            return
        if long:
            self._start_paper(lines)
        elif _looks_like_abstract(lines):
            if _ends_like_sentence(lines) and not _holds_url(lines):
                self.pending = (lines, start)  # a title too, if a long abstract follows
            else:
                self._start_paper(lines)
        else:
            self._orphan_title()
            self.title = (lines, start)

    def _settle_pending(self) -> None:
        """The pending run is the abstract of the candidate title: no long
        abstract came right after it (another run, metadata or the end did)."""
        if self.pending is not None:
            lines = self.pending[0]
            self.pending = None
            self._start_paper(lines)

    def _start_paper(self, abstract: list[str]) -> None:
        """The candidate title and *abstract* make the next paper, open for metadata."""
        assert self.title is not None
        title_lines, title_start = self.title
        self.title = None
        self._flush_draft()
        self.draft = _Draft(title_lines, title_start, abstract, self.next_meta)
        self.next_meta = {}
        self.submitted = False
        self.paragraph_ok = True

    def _orphan_title(self) -> None:
        """The candidate title has no abstract: a next paragraph, or a Problem."""
        assert self.title is not None
        lines, start = self.title
        self.title = None
        if self.paragraph_ok and self.draft is not None and _looks_like_abstract(lines):
            self.draft.paragraphs.append(lines)
            return
        excerpt = _excerpt(" ".join(line.strip() for line in lines[:3]))
        if _looks_like_abstract(lines):
            reason = f"text with no title before it, skipped: {excerpt}"
        else:
            reason = f"title with no abstract after it, skipped: {excerpt}"
        self.problems.append(Problem(self.source, start, reason))

    # Metadata lines ------------------------------------------------------------

    def _note(self, match: re.Match[str], lines: list[str], index: int) -> int:
        """Record what noise line *index* says; return the index of the next line."""
        self._settle_pending()  # metadata closes a paper: what was pending is its abstract
        kind = self.last_kind
        self.last_kind = "other"
        if match["submitted"] is not None:
            self.submitted = True
            self.in_header = False
            self.paragraph_ok = False
            if match["user"] is None:
                if index + 1 < len(lines):
                    return index + 2
                self.expect_user = True
            return index + 1
        meta = self._meta_target()
        if match["count"] is not None:
            value = "0" if match["count"] == "-" else str(int(match["count"]))
            meta.setdefault("comments" if kind == "date" else "upvotes", value)
        elif match["pmonth"] is not None:
            meta.setdefault("date", _date(match["pmonth"], match["pday"], match["pyear"]))
        elif match["month"] is not None:
            date = _date(match["month"], match["day"], match["year"])
            if self.in_header:
                if self.date is None:
                    self.date = date
            else:
                meta.setdefault("date", date)
                if match["comments"] is not None:
                    meta.setdefault("comments", str(int(match["comments"])))
                self.last_kind = "date"
        return index + 1

    def _meta_target(self) -> dict[str, str]:
        if self.draft is not None and self.title is None and not self.submitted:
            self.paragraph_ok = False
            return self.draft.meta
        return self.next_meta

    # Building papers -------------------------------------------------------------

    def _flush_draft(self) -> None:
        draft = self.draft
        if draft is None:
            return
        self.draft = None
        # An ASCII field from batches without control characters is clean as it is.
        trust_ascii = not self.check_controls
        title_lines = draft.title
        title = title_lines[0] if len(title_lines) == 1 else " ".join(title_lines)
        if not (title.isascii() and (trust_ascii or title.isprintable())):  # (short: cheaper than _is_plain)
            # Line by line: an escape at the end of a line must not eat the next one.
            title = " ".join(" ".join(_clean(line) for line in title_lines).split())
        elif "  " in title or title[0] == " " or title[-1] == " ":  # (a run's line is never empty)
            title = " ".join(title.split())  # (plain text has no whitespace but " ")
        if not title:
            self.problems.append(Problem(self.source, draft.line, "title is empty once control characters are removed"))
            return
        paragraphs = draft.paragraphs
        first = paragraphs[0]
        if len(paragraphs) == 1 and len(first) == 1 and first[0].isascii() and (trust_ascii or _is_plain(first[0])):
            abstract = first[0].strip()  # the usual abstract: one plain line
        elif len(paragraphs) == 1:
            abstract = _paragraph(first)
        else:
            abstract = "\n\n".join([text for text in map(_paragraph, paragraphs) if text])
        links, code_url = extract_links_and_code_url(abstract)
        if "://" in title:  # rare: a link in the title comes first
            links = tuple(dict.fromkeys(extract_links(title) + links))
            code_url = first_code_url(links)
        meta = draft.meta
        extra: tuple[tuple[str, str], ...] = (
            tuple((key, meta[key]) for key in ("upvotes", "comments") if key in meta) if meta else ()
        )
        if has_elided_url(abstract):
            extra += (("url_elided", "true"),)
        self.papers.append(
            new_paper(
                title=title,
                abstract=abstract,
                date=meta.get("date"),
                links=links,
                code_url=code_url,
                source=self.source,
                line=draft.line,
                extra=extra,
            )
        )


def _paragraph(lines: list[str]) -> str:
    """One abstract paragraph on one line, clean."""
    if len(lines) == 1 and _is_plain(lines[0]):
        return lines[0].strip()
    # Each line checked or cleaned before strip(): strip() would drop controls
    # such as U+001C at the ends, which the sanitiser makes visible.
    if all(map(_is_plain, lines)):
        return " ".join(line.strip() for line in lines)
    return " ".join(part for part in (_clean(line).strip() for line in lines) if part)


def _is_plain(text: str) -> bool:
    """True when *text* is ASCII without control characters, so :func:`_clean`
    would return it unchanged: one C-level pass (bytes.translate), cheaper on
    long lines than str.isprintable(), which looks up every character's category."""
    return text.isascii() and not text.encode("ascii").translate(None, _NOT_CONTROL_BYTES)


def _noise(line: str) -> re.Match[str] | None:
    """The match of a line that is not paper text (header, widget, metadata), else None."""
    if len(line) > _NOISE_MAX_CHARS:
        return None
    text = line.strip()
    if text in _WORDS:
        return _WORD_MATCH
    if text.startswith(_NOISE_STARTS) and (match := _NOISE.fullmatch(text)) is not None:
        return match
    if "\u00b7" in text and (organisation := _ORGANISATION.fullmatch(text)) is not None:
        return _NOISE.fullmatch(organisation["rest"])
    return None


# A match with no named group set, which _Parser._note reads as "skip this line".
_WORD_MATCH = _NOISE.fullmatch("GitHub 1k")
assert _WORD_MATCH is not None


def _is_submitted(line: str) -> bool:
    return line.strip() == "Submitted by"


def _looks_like_abstract(lines: list[str]) -> bool:
    if _is_long(lines) or _ends_like_sentence(lines):
        return True
    # A short abstract that ends in its code link ("… loss. https://github.com/o/r"):
    # titles seldom hold a URL.
    return _holds_url(lines)


def _is_long(lines: list[str]) -> bool:
    """Long enough that it can only be an abstract: no title is."""
    size = len(lines[0]) if len(lines) == 1 else sum(len(line) for line in lines)
    return size >= _ABSTRACT_MIN_CHARS


def _ends_like_sentence(lines: list[str]) -> bool:
    return lines[-1].rstrip().endswith(_SENTENCE_ENDS)


def _holds_url(lines: list[str]) -> bool:
    return any("://" in line for line in lines)


def _date(month: str, day: str, year: str | None) -> str:
    """ISO ``YYYY-MM-DD`` when the year is known and the date exists, else ``Mon D``."""
    number = _MONTH_NUMBERS[month[:3]]
    if year is not None:
        try:
            return datetime.date(int(year), number, int(day)).isoformat()
        except ValueError:
            return f"{month[:3]} {int(day)}, {year}"
    return f"{month[:3]} {int(day)}"


def _clean(text: str) -> str:
    """One-line field text made safe: NBSP-like spaces to spaces, then the sanitiser."""
    if text.isprintable():
        return text
    if _NBSP.search(text):
        text = text.translate(_NBSP_TO_SPACE)
    return clean_line(text)


def _excerpt(text: str) -> str:
    text = " ".join(_clean(text[: _EXCERPT_CHARS * 4]).split())
    if len(text) > _EXCERPT_CHARS:
        text = text[: _EXCERPT_CHARS - 1].rstrip() + "\u2026"
    return f'"{text}"'
