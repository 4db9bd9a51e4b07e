"""Fetch a live source, with the cache policy, and parse it through the format registry.

The policy (docs/live-sources.md, "The cache"):

- ``auto``: an entry checked by the server less than :data:`FRESH_FOR` ago (or
  the ``fresh_for`` the caller passes: config.toml's ``[cache] fresh_minutes``), or
  an hf period that ended more than :data:`SETTLED_AFTER` ago (the papers of a
  past day no longer change), is used without a request; otherwise the request
  is conditional (``If-None-Match`` / ``If-Modified-Since``) and a 304 keeps the
  cached body. ``refresh`` always fetches; ``offline`` never touches the network.
- A response that is not what was asked for (an HTML page, cut-off JSON, a
  wrong shape, an empty body) never replaces a cached copy, and neither does an
  error. With a cached copy the load goes on with it and says why it is stale;
  without one it raises :class:`FetchError`.
- An hf day with no papers (a weekend; the API answers ``[]``) steps to the
  nearest earlier day with papers, at most :data:`MAX_EMPTY_STEPS` days, and
  says so in ``note``.

:func:`load_live` blocks (call it from a worker thread), checks ``cancelled``
between requests and while a body streams in, and raises nothing but
:class:`FetchError`.
"""

from __future__ import annotations

import json
import os
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time

from digest_parser import formats
from digest_parser.models import Digest, Paper, Problem
from tui.live import cache
from tui.live.http import ARXIV_LIMITER, Cancelled, HttpFailure, HttpLimits, HttpSession, RateLimiter
from tui.live.options import AUTO, OFFLINE, REFRESH
from tui.live.result import EX_DATAERR, EX_UNAVAILABLE, FetchCancelled, FetchError, LiveResult
from tui.live.specs import ARXIV, DAY, HF, LiveSpec, weekday_and_date

HF_ENDPOINT_ENV = "HF_ENDPOINT"
"""The variable huggingface_hub itself reads for the Hub's address."""
DEFAULT_HF_ENDPOINT = "https://huggingface.co"
ARXIV_RSS_ENV = "DIGEST_READER_ARXIV_RSS"
DEFAULT_ARXIV_RSS = "https://rss.arxiv.org"

MODES = (AUTO, REFRESH, OFFLINE)

PAGE_SIZE = 100
"""The API's largest page; a shorter page is the last."""
MAX_PAGES = 50
"""A bound on paging, against a server that never sends a short page."""
MAX_EMPTY_STEPS = 7
FRESH_FOR = timedelta(minutes=15)
SETTLED_AFTER = timedelta(days=2)
PRUNE_EVERY = timedelta(days=1)

_HF_FORMAT = "hf-json"
_ARXIV_FORMAT = "arxiv-feed"


def hf_endpoint() -> str:
    return (os.environ.get(HF_ENDPOINT_ENV) or DEFAULT_HF_ENDPOINT).rstrip("/")


def arxiv_rss() -> str:
    return (os.environ.get(ARXIV_RSS_ENV) or DEFAULT_ARXIV_RSS).rstrip("/")


def page_url(spec: LiveSpec, page: int = 0) -> str:
    """The URL of one page of *spec*: ``…/api/daily_papers?date=…&limit=100&p=N``,
    or the arXiv feed ``…/rss/cs.CV+cs.LG`` (one page only)."""
    if spec.kind == ARXIV:
        return f"{arxiv_rss()}/rss/{spec.value}"
    parameter = "date" if spec.period == DAY else spec.period
    return f"{hf_endpoint()}/api/daily_papers?{parameter}={spec.value}&limit={PAGE_SIZE}&p={page}"


# --- what a good response looks like ------------------------------------------------


class _BadData(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def check_body(kind: str, body: bytes, content_type: str = "") -> int:
    """How many items *body* holds, if it is what a source of *kind* sends.

    Raises:
        _BadData: an empty body, an HTML page, text that is not UTF-8, invalid or
            cut-off JSON or XML, or the wrong shape.
    """
    if not body.strip():
        raise _BadData("an empty response")
    head = body[:4096].lstrip().lower()
    if content_type == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise _BadData("an HTML page" + (", not JSON" if kind == HF else ", not a feed"))
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _BadData(f"not UTF-8 (byte {error.start})") from None
    return _check_json(text) if kind == HF else _check_feed(body, text)


def _check_json(text: str) -> int:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # Unterminated strings are reported where they start; anything else cut
        # short fails at the very end.
        cut_short = error.msg.startswith("Unterminated") or error.pos >= len(text.rstrip())
        cut = " (cut off?)" if cut_short else ""
        raise _BadData(f"invalid JSON{cut}: {error.msg}, line {error.lineno} column {error.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        raise _BadData(f"the server said: {data['error']}")
    if not isinstance(data, list):
        raise _BadData(f"a JSON {type(data).__name__}, not a list of papers")
    # One odd item is the parser's to report; a list with no paper at all is not the API's answer.
    if data and not any(isinstance(item, dict) and isinstance(item.get("paper", item.get("title")), dict | str) for item in data):
        raise _BadData("a JSON list whose items are not papers")
    return len(data)


def _check_feed(body: bytes, text: str) -> int:
    head = text[:4096]
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise _BadData("a feed holding a DOCTYPE or entities, refused")
    if "<rss" not in head and "<feed" not in head and "<rdf:RDF" not in head:
        raise _BadData("not an RSS or Atom feed")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise _BadData(f"malformed XML (cut off?): {error}") from None
    if root.tag == "rss":
        return len(root.findall("./channel/item"))
    return len(root.findall("{http://www.w3.org/2005/Atom}entry")) + len(root.findall("{http://purl.org/rss/1.0/}item"))


# --- one URL, with the cache ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    body: bytes
    items: int
    checked_at: datetime
    from_cache: bool
    stale_reason: str | None


class _NotCached(Exception):
    """Offline, and no usable entry."""


@dataclass
class _Loader:
    """The requests of one :func:`load_live` call."""

    session: HttpSession
    mode: str
    clock: Callable[[], datetime]
    progress: Callable[[int, float], None] | None
    cancelled: Callable[[], bool]
    started: float
    fresh_for: timedelta = FRESH_FOR
    received_before: int = 0

    def page(self, spec: LiveSpec, url: str) -> _Page:
        entry = cache.read(url)
        cached = self._usable(spec, entry)
        if self.mode == OFFLINE:
            if cached is None:
                raise _NotCached
            return replace(cached, stale_reason=OFFLINE)
        if self.cancelled():
            raise FetchCancelled(spec.label)
        now = self.clock()
        if self.mode == AUTO and cached is not None and entry is not None and _fresh(spec, entry, now, self.fresh_for):
            return cached
        headers: dict[str, str] = {}
        if self.mode == AUTO and entry is not None and cached is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        limiter: RateLimiter | None = ARXIV_LIMITER if spec.kind == ARXIV else None
        try:
            response = self.session.get(
                url, headers=headers, limiter=limiter, progress=self._progress, cancelled=self.cancelled
            )
        except Cancelled:
            raise FetchCancelled(spec.label) from None
        except HttpFailure as failure:
            if cached is not None:
                return replace(cached, stale_reason=f"fetch failed: {failure.reason}")
            raise FetchError(
                f"{spec.label}: fetch failed: {failure.reason}", EX_DATAERR if failure.bad_data else EX_UNAVAILABLE
            ) from None
        self.received_before += len(response.body)
        now = self.clock()
        if response.status == 304:
            if entry is None or cached is None:
                raise FetchError(f"{spec.label}: bad response: 304 Not Modified to an unconditional request", EX_DATAERR)
            cache.write(replace(entry, checked_at=now))
            return replace(cached, checked_at=now)
        try:
            items = check_body(spec.kind, response.body, response.content_type)
        except _BadData as bad:
            if cached is not None:
                return replace(cached, stale_reason=f"bad response: {bad.reason}")
            raise FetchError(f"{spec.label}: bad response: {bad.reason}", EX_DATAERR) from None
        if items == 0 and spec.kind == HF and cached is not None and cached.items > 0:
            # A list of papers does not empty itself: keep what the server listed before.
            return replace(cached, stale_reason="bad response: no papers, where the cached copy has some")
        cache.write(
            cache.CacheEntry(
                url=url,
                body=response.body,
                fetched_at=now,
                checked_at=now,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
        )
        return _Page(response.body, items, now, False, None)

    def _usable(self, spec: LiveSpec, entry: cache.CacheEntry | None) -> _Page | None:
        """The cached body as a page, if it still looks right (else it is set aside)."""
        if entry is None:
            return None
        try:
            items = check_body(spec.kind, entry.body)
        except _BadData:
            cache.set_aside(cache.entry_path(entry.url))
            return None
        return _Page(entry.body, items, entry.checked_at, True, None)

    def _progress(self, received: int, _elapsed: float) -> None:
        if self.progress is not None:
            self.progress(self.received_before + received, time.monotonic() - self.started)

    def source(self, spec: LiveSpec) -> tuple[list[_Page], str | None]:
        """Every page of *spec*, and a note when not all of them could be had."""
        if spec.kind == ARXIV:
            return [self._first_page(spec, page_url(spec))], None
        pages = [self._first_page(spec, page_url(spec, 0))]
        number = 1
        while pages[-1].items >= PAGE_SIZE:
            if number >= MAX_PAGES:
                return pages, f"stopped after {MAX_PAGES} pages of {PAGE_SIZE} papers"
            try:
                pages.append(self.page(spec, page_url(spec, number)))
            except _NotCached:
                return pages, f"offline: only the first {number * PAGE_SIZE} papers are cached"
            number += 1
        return pages, None

    def _first_page(self, spec: LiveSpec, url: str) -> _Page:
        try:
            return self.page(spec, url)
        except _NotCached:
            raise FetchError(f"{spec.label}: not in the cache, and --offline forbids fetching it") from None


def _fresh(spec: LiveSpec, entry: cache.CacheEntry, now: datetime, fresh_for: timedelta = FRESH_FOR) -> bool:
    """True when the cached entry may be used without asking the server."""
    if timedelta(0) <= now - entry.checked_at < fresh_for:
        return True
    if spec.kind == HF and spec.end is not None:
        ended = datetime.combine(spec.end + timedelta(days=1), day_time(0), tzinfo=UTC)
        # Settled only when the server confirmed the copy after the period was over:
        # a copy made during the day may lack its later papers.
        return now - ended > SETTLED_AFTER and entry.checked_at >= ended
    return False


# --- parsing -----------------------------------------------------------------------------


def _digest(spec: LiveSpec, pages: list[_Page], replacements: bool) -> tuple[Digest, str | None]:
    source = spec.canonical
    if spec.kind == ARXIV:
        digest = formats.get_spec(_ARXIV_FORMAT).parse(pages[0].body.decode("utf-8-sig"), source)
        if replacements:
            return digest, None
        kept = tuple(paper for paper in digest.papers if not paper.is_replacement)
        left_out = len(digest.papers) - len(kept)
        note = f"{left_out} replacement{'s' if left_out != 1 else ''} left out (--replacements shows them)" if left_out else None
        return replace(digest, papers=kept), note
    parser = formats.get_spec(_HF_FORMAT)
    papers: list[Paper] = []
    problems: list[Problem] = []
    for page in pages:
        parsed = parser.parse(page.body.decode("utf-8-sig"), source)
        papers.extend(parsed.papers)
        problems.extend(parsed.problems)
    day = spec.day.isoformat() if spec.day is not None else None
    return Digest(format=_HF_FORMAT, source=source, date=day, papers=tuple(papers), problems=tuple(problems)), None


# --- the entry point ---------------------------------------------------------------------

_prune_lock = threading.Lock()
_pruned_at: datetime | None = None


def _prune_now_and_then(now: datetime) -> None:
    """Prune the cache once a day per process: it is a directory listing, cheap but not free."""
    global _pruned_at
    with _prune_lock:
        if _pruned_at is not None and now - _pruned_at < PRUNE_EVERY:
            return
        _pruned_at = now
    cache.prune(now)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def load_live(
    spec: LiveSpec,
    *,
    mode: str = AUTO,
    replacements: bool = False,
    progress: Callable[[int, float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    empty_step: int = -1,
    limits: HttpLimits | None = None,
    now: Callable[[], datetime] | None = None,
    fresh_for: timedelta | None = None,
) -> LiveResult:
    """Load *spec* from the network or the cache (see the module docstring).

    Args:
        spec: What to load.
        mode: ``auto``, ``refresh`` (always fetch) or ``offline`` (never fetch).
        replacements: Keep arXiv's replaced papers (left out by default).
        progress: Called with (bytes received so far, seconds elapsed) while a
            body streams in, from this thread, at most ~10 times a second.
        cancelled: Asked between requests and while waiting; when it turns true
            the load stops with :class:`FetchCancelled`.
        empty_step: For an hf day with no papers, the direction to look for a
            day with some: -1 earlier (``[``, and the default), +1 later (``]``,
            stopping at today), 0 not at all.
        limits: The HTTP limits (tests shrink them).
        now: The clock, UTC (tests move it).
        fresh_for: How recently the server must have confirmed a cached copy
            for ``auto`` to use it without a request (default :data:`FRESH_FOR`;
            the reader passes config.toml's ``[cache] fresh_minutes``).

    Raises:
        FetchError: nothing usable (``exit_code`` 69, or 65 for bad data).
    """
    if mode not in MODES:
        raise FetchError(f"unknown fetch mode {mode!r}; use one of {', '.join(MODES)}")
    clock = now or _utc_now
    try:
        _prune_now_and_then(clock())
        with HttpSession(limits) as session:
            loader = _Loader(session, mode, clock, progress, cancelled, time.monotonic(),
                             FRESH_FOR if fresh_for is None else fresh_for)
            return _load(loader, spec, replacements, empty_step)
    except FetchError:
        raise
    except Exception as error:  # never a traceback: a bug here is still one line for the user
        raise FetchError(f"{spec.label}: internal error ({type(error).__name__}: {error})") from error


def _load(loader: _Loader, spec: LiveSpec, replacements: bool, empty_step: int) -> LiveResult:
    result, items = _load_one(loader, spec, replacements)
    if items or spec.day is None or not empty_step:
        return result
    empty = [spec.day]
    candidate = spec
    for _ in range(MAX_EMPTY_STEPS):
        following = candidate.step(empty_step, today=loader.clock().date())
        if following is None or following.day is None:
            break
        candidate, day = following, following.day
        try:
            stepped, stepped_items = _load_one(loader, candidate, replacements)
        except FetchCancelled:
            raise
        except FetchError:
            break  # no copy of that day to be had: show the empty day asked for
        if stepped_items:
            return replace(stepped, note=_join(_skipped_note(empty, day), stepped.note))
        empty.append(day)
    others = len(empty) - 1
    direction = "after" if empty_step > 0 else "before"
    nor = f" nor the {others} day{'s' if others > 1 else ''} {direction}" if others else ""
    return replace(result, note=_join(f"no papers on {weekday_and_date(spec.day)}{nor}", result.note))


def _skipped_note(empty: list[date], shown: date) -> str:
    """``no papers on Sat 2026-12-05; showing Fri 2026-12-04`` (``from … to …`` for several days)."""
    days = sorted(empty)
    if len(days) == 1:
        return f"no papers on {weekday_and_date(days[0])}; showing {weekday_and_date(shown)}"
    return f"no papers from {weekday_and_date(days[0])} to {weekday_and_date(days[-1])}; showing {weekday_and_date(shown)}"


def _join(*notes: str | None) -> str | None:
    present = [note for note in notes if note]
    return "; ".join(present) if present else None


def _load_one(loader: _Loader, spec: LiveSpec, replacements: bool) -> tuple[LiveResult, int]:
    pages, page_note = loader.source(spec)
    digest, filter_note = _digest(spec, pages, replacements)
    stale = next((page.stale_reason for page in pages if page.stale_reason), None)
    result = LiveResult(
        digest=digest,
        spec=spec,
        fetched_at=min(page.checked_at for page in pages),
        from_cache=all(page.from_cache for page in pages),
        stale_reason=stale,
        note=_join(page_note, filter_note),
    )
    return result, sum(page.items for page in pages)
