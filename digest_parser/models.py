"""Records produced by the parsers: Link, Paper, Problem, Digest.

All records are frozen, slotted dataclasses. Every string in them has passed
through :mod:`digest_parser.sanitize` at the parse boundary, so the UI receives
clean text (it still guards again at render time).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Literal, cast

LinkKind = Literal["code", "model", "dataset", "space", "paper", "project", "other"]
"""What a link points at. `code` is a source repository (GitHub, GitLab, …)."""

LINK_KINDS: tuple[LinkKind, ...] = ("code", "model", "dataset", "space", "paper", "project", "other")


@dataclass(frozen=True, slots=True)
class Link:
    """One URL found in a paper, with what it points at."""

    url: str
    """The URL as found (sentence punctuation and LaTeX/Markdown remnants removed)."""
    kind: LinkKind
    """Its kind, see :data:`LinkKind`."""

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "kind": self.kind}


REPLACEMENT_KINDS = frozenset({"replace", "replace-cross"})
"""``extra["kind"]`` of an arXiv entry that announces a new version of an older
paper (docs/formats.md: arxiv-mail, arxiv-listing, arxiv-feed)."""


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper of a digest."""

    title: str
    """Title on one line (wraps joined, whitespace collapsed)."""
    abstract: str
    """Abstract; paragraphs separated by a blank line (``\\n\\n``). May be empty."""
    authors: tuple[str, ...] = ()
    """Author names in digest order."""
    date: str | None = None
    """Publication date as ISO ``YYYY-MM-DD`` when known, else the digest's own text."""
    arxiv_id: str | None = None
    """arXiv identifier without version (``2603.00101``, ``hep-th/9901001``)."""
    links: tuple[Link, ...] = ()
    """Every link, duplicates removed, order kept; code links keep their place."""
    code_url: str | None = None
    """Canonical repository URL of the first code link (``https://github.com/o/r``)."""
    source: str = ""
    """Digest file the paper came from (``-`` for standard input)."""
    line: int = 0
    """1-based line of the paper's first line in that file."""
    extra: tuple[tuple[str, str], ...] = ()
    """Format-specific fields, as ordered (name, value) pairs: ``upvotes``,
    ``categories``, ``comments``, ``kind``, ``ai_summary``, ``url_elided``…
    (docs/formats.md lists each format's keys)."""

    _key: str | None = field(default=None, init=False, repr=False, compare=False)
    _plain_title: str | None = field(default=None, init=False, repr=False, compare=False)
    _plain_abstract: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """Identity used for bookmarks, read state and de-duplication
        (computed once: the reader asks for it on every row it draws)."""
        key = self._key
        if key is None:
            key = paper_key(self.arxiv_id, self.title)
            object.__setattr__(self, "_key", key)
        return key

    @property
    def plain_title(self) -> str:
        """The title with its TeX read as text (``NOEM$^{3}$A`` → ``NOEM³A``, see
        :func:`digest_parser.tex.tex_to_text`): for showing and searching. The
        very ``title`` string when it holds no ``$`` or ``\\``; computed on first
        use and kept, like :attr:`key`."""
        plain = self._plain_title
        if plain is None:
            plain = _plain_text(self.title)
            object.__setattr__(self, "_plain_title", plain)
        return plain

    @property
    def plain_abstract(self) -> str:
        """The abstract with its TeX read as text, as :attr:`plain_title`."""
        plain = self._plain_abstract
        if plain is None:
            plain = _plain_text(self.abstract)
            object.__setattr__(self, "_plain_abstract", plain)
        return plain

    def get_extra(self, name: str) -> str | None:
        for key, value in self.extra:
            if key == name:
                return value
        return None

    @property
    def is_replacement(self) -> bool:
        """Listed as a new version of an older paper (an arXiv "replace" entry)."""
        return self.get_extra("kind") in REPLACEMENT_KINDS

    @property
    def paper_url(self) -> str | None:
        """The paper's own page: arXiv abstract page when the id is known, else the
        first paper link (arXiv, Hugging Face paper page, DOI, OpenReview)."""
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        for link in self.links:
            if link.kind == "paper":
                return link.url
        return None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "date": self.date,
            "arxiv_id": self.arxiv_id,
            "links": [link.to_json() for link in self.links],
            "code_url": self.code_url,
            "source": self.source,
            "line": self.line,
        }
        # The text as read, only where the TeX changes it (docs/formats.md, "Records").
        plain_title, plain_abstract = self.plain_title, self.plain_abstract
        if plain_title != self.title:
            data["plain_title"] = plain_title
        if plain_abstract != self.abstract:
            data["plain_abstract"] = plain_abstract
        if self.extra:
            data["extra"] = dict(self.extra)
        return data


def _plain_text(text: str) -> str:
    if "$" not in text and "\\" not in text:
        return text
    # Imported here: compiling its patterns costs milliseconds that the way to the
    # reader's first frame should not pay (tests/test_import_boundary.py).
    from digest_parser.tex import tex_to_text

    return tex_to_text(text)


# The records are frozen, so a dataclass __init__ stores each field with
# object.__setattr__, and a class called with keywords also packs them in a
# dict, a cost paid 100k times in a large digest. A twin
# class with the same fields and slots, not frozen, stores them plainly; the
# filled instance then becomes the record by __class__ assignment, which Python
# allows because the two slot layouts are the same. new_paper and new_link do
# that for the parsers (tests/test_models.py checks both ways agree).
def _unfrozen_twin(record: type) -> type:
    return make_dataclass(
        f"_{record.__name__}Fields",
        [
            (f.name, f.type, field(default=f.default, default_factory=f.default_factory, init=f.init))
            for f in fields(record)
        ],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )


_PaperFields = _unfrozen_twin(Paper)
_LinkFields = _unfrozen_twin(Link)


def new_link(url: str, kind: LinkKind) -> Link:
    """``Link(url, kind)``, built without the frozen ``__init__`` (see above)."""
    link = _LinkFields(url, kind)
    link.__class__ = Link
    return cast(Link, link)


def new_paper(
    title: str,
    abstract: str,
    authors: tuple[str, ...] = (),
    date: str | None = None,
    arxiv_id: str | None = None,
    links: tuple[Link, ...] = (),
    code_url: str | None = None,
    source: str = "",
    line: int = 0,
    extra: tuple[tuple[str, str], ...] = (),
) -> Paper:
    """``Paper(...)`` with the same arguments, built without the frozen
    ``__init__`` (see above), for the parsers that build 100k of them. The result is an ordinary, frozen Paper."""
    paper = _PaperFields(title, abstract, authors, date, arxiv_id, links, code_url, source, line, extra)
    paper.__class__ = Paper
    return cast(Paper, paper)


@dataclass(frozen=True, slots=True)
class Problem:
    """A block of the digest that could not be used, and why."""

    source: str
    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Digest:
    """The result of parsing one or more digest files."""

    format: str
    """Format name (``hf-page``, ``arxiv-mail``, …; ``mixed`` for several)."""
    source: str
    """File the digest came from; several are joined with ``, ``."""
    date: str | None = None
    """The digest's own date, if any: a page's date line as written (``Mar 14``),
    a mailing's or feed's date as ISO ``YYYY-MM-DD``."""
    papers: tuple[Paper, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "source": self.source,
            "date": self.date,
            "papers": [paper.to_json() for paper in self.papers],
            "problems": [problem.to_json() for problem in self.problems],
        }


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARXIV_VERSION = re.compile(r"v\d+$")


def normalise_title(title: str) -> str:
    """Casefolded, accent-free title with punctuation and spacing removed.

    ``"Attention Is All You Need!"`` and ``"attention is  all you need"`` give the
    same result, so one paper copied into two digests is recognised.
    """
    if title.isascii():
        return _NON_WORD.sub(" ", title.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", title)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.casefold()).strip()


def paper_key(arxiv_id: str | None, title: str) -> str:
    """``arxiv:<id without version>`` when the id is known, else ``title:<normalised title>``."""
    if arxiv_id:
        return "arxiv:" + _ARXIV_VERSION.sub("", arxiv_id.strip().lower())
    return "title:" + normalise_title(title)
