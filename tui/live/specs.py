"""Source specs: the short names that stand for a fetched digest (docs/live-sources.md).

``hf``, ``hf:YYYY-MM-DD``, ``hf:week``, ``hf:YYYY-Www``, ``hf:YYYY-MM`` and
``arxiv:CAT[+CAT…]`` can be given wherever a path can. Parsing is pure (no
network, no disk) and resolves relative specs ("today", "this week") against
the UTC date, the date the Hugging Face daily papers are filed under, so the
same spec means the same day wherever the reader runs.

A text that starts with ``hf:`` or ``arxiv:``, or is exactly ``hf`` or
``arxiv``, is a spec and never a path: a malformed one is refused with
:class:`SpecError` rather than looked for on disk. A file with such a name is
opened as ``./hf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

HF = "hf"
ARXIV = "arxiv"

DAY = "day"
WEEK = "week"
MONTH = "month"
LATEST = "latest"
"""The period of an arXiv spec: the feed's latest announcement."""

SPEC_FORMS = (
    ("hf", "the Hugging Face daily papers of today (UTC)"),
    ("hf:YYYY-MM-DD", "one day"),
    ("hf:week", "this week"),
    ("hf:YYYY-Www", "one ISO week (hf:2024-W43)"),
    ("hf:YYYY-MM", "one month"),
    ("arxiv:CAT[+CAT…]", "arXiv's latest announcement for those categories (arxiv:cs.CV+cs.LG)"),
)
"""Every form of spec with one line on it, for ``--help`` and error messages."""

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-[Ww](\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# arXiv category codes: an archive (cs, math, hep-th, astro-ph, q-bio, …) and an
# optional subject class (CV, AG, GA, stat's ML, physics' optics, …).
_CATEGORY = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class SpecError(ValueError):
    """A malformed or future spec; ``str(error)`` is one line for the user."""


def utc_today() -> date:
    """Today's date in UTC: the day the Hugging Face daily papers are filed under."""
    return datetime.now(UTC).date()


def weekday_and_date(day: date) -> str:
    """``Sat 2026-12-05``: the weekday helps explain an empty day."""
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


@dataclass(frozen=True, slots=True)
class LiveSpec:
    """One fetched source, resolved: which site, which period, which categories."""

    text: str
    """As typed (``hf``, ``hf:2024-10-22``, ``arxiv:cs.CV+cs.LG``), or the
    canonical text of a spec made by :meth:`step`."""
    kind: str
    """:data:`HF` or :data:`ARXIV`."""
    period: str
    """:data:`DAY`, :data:`WEEK` or :data:`MONTH` for ``hf``; :data:`LATEST` for ``arxiv``."""
    start: date | None = None
    """First day of the period (the day itself, the Monday of the week, the 1st of
    the month); None for arXiv."""
    categories: tuple[str, ...] = ()
    """arXiv category codes, as typed (``("cs.CV", "cs.LG")``)."""

    @property
    def day(self) -> date | None:
        """The day of a day spec, else None."""
        return self.start if self.period == DAY else None

    @property
    def end(self) -> date | None:
        """Last day of an hf period; None for arXiv."""
        if self.start is None:
            return None
        if self.period == WEEK:
            return self.start + timedelta(days=6)
        if self.period == MONTH:
            following = date(self.start.year + self.start.month // 12, self.start.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return self.start

    @property
    def value(self) -> str:
        """The period as the Hugging Face API takes it (``2024-10-22``, ``2024-W43``,
        ``2024-10``), or the categories joined with ``+`` as arXiv's feed takes them."""
        if self.start is None:
            return "+".join(self.categories)
        if self.period == WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.period == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    @property
    def canonical(self) -> str:
        """The spec that opens exactly this source again (``hf:2026-12-04``): the
        ``source`` of its papers, and the cache's name for it."""
        return f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        """For the header: ``hf 2026-12-04``, ``hf 2026-W49``, ``arxiv cs.CV+cs.LG``."""
        return f"{self.kind} {self.value}"

    def step(self, days: int, *, today: date | None = None) -> LiveSpec | None:
        """The day *days* later (earlier when negative) of an hf day spec; None for
        any other spec, or when that day is after *today* (default: :func:`utc_today`)."""
        if self.period != DAY or self.start is None:
            return None
        day = self.start + timedelta(days=days)
        if day > (today or utc_today()):
            return None
        return LiveSpec(f"{HF}:{day.isoformat()}", HF, DAY, day)


def parse_spec(text: str, *, today: date | None = None) -> LiveSpec | None:
    """The spec *text* stands for; None when it is not a spec (a path).

    Args:
        text: A command-line argument.
        today: The UTC date to resolve ``hf`` and ``hf:week`` against, and to
            refuse future periods by (default: :func:`utc_today`).

    Raises:
        SpecError: *text* is a spec, but malformed or in the future.
    """
    prefix, colon, rest = text.partition(":")
    if prefix == ARXIV:
        return _arxiv(text, rest)
    if prefix != HF:
        return None
    today = today or utc_today()
    if not colon:
        return LiveSpec(text, HF, DAY, today)
    return _hf(text, rest, today)


def _forms() -> str:
    return "use one of: " + ", ".join(form for form, _ in SPEC_FORMS)


def _arxiv(text: str, rest: str) -> LiveSpec:
    if not rest:
        raise SpecError(f"{text!r} names no arXiv category; for example arxiv:cs.CL or arxiv:cs.CV+cs.LG")
    categories = tuple(rest.split("+"))
    for category in categories:
        if not _CATEGORY.fullmatch(category):
            raise SpecError(f"{text!r}: {category!r} is not an arXiv category code (such as cs.CV, math.AG, hep-th)")
    if len(set(categories)) != len(categories):
        raise SpecError(f"{text!r} names a category twice")
    return LiveSpec(text, ARXIV, LATEST, None, categories)


def _hf(text: str, rest: str, today: date) -> LiveSpec:
    if rest == "week":
        monday = today - timedelta(days=today.weekday())
        return LiveSpec(text, HF, WEEK, monday)
    if match := _DAY.fullmatch(rest):
        day = _date(text, int(match[1]), int(match[2]), int(match[3]))
        if day > today:
            raise SpecError(f"{text!r} is in the future (today is {today.isoformat()} UTC)")
        return LiveSpec(text, HF, DAY, day)
    if match := _WEEK.fullmatch(rest):
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise SpecError(f"{text!r}: {match[1]} has no week {match[2]}") from None
        if monday > today:
            raise SpecError(f"{text!r} is in the future (today is {today.isoformat()} UTC)")
        return LiveSpec(text, HF, WEEK, monday)
    if match := _MONTH.fullmatch(rest):
        first = _date(text, int(match[1]), int(match[2]), 1)
        if first > today:
            raise SpecError(f"{text!r} is in the future (today is {today.isoformat()} UTC)")
        return LiveSpec(text, HF, MONTH, first)
    raise SpecError(f"{text!r} is not a source spec; {_forms()}")


def _date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise SpecError(f"{text!r} is not a real date") from None
