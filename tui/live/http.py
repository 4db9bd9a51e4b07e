"""HTTP GET for the live sources, with the limits of docs/live-sources.md.

- httpx (imported on first request, never at start-up) with proxy variables
  honoured; ``User-Agent: digest-reader/VERSION``.
- Time limits: connecting, and the whole response (status line to last byte).
  The whole-response limit is kept by the caller's thread, not by httpx (whose
  timeouts are per read): the transfer runs in a daemon thread and the caller
  waits for it in short slices, so it also stops at once when ``cancelled()``
  turns true, whatever the socket is doing. An abandoned transfer ends on its
  own at its next read or time-out; being a daemon, it never delays an exit.
- Redirects are followed only within the same host: a daily-papers URL that
  sends the reader elsewhere is refused rather than trusted.
- The body is streamed and counted; past the size cap it is cut off and refused.
- A 429 is waited out as ``Retry-After`` or ``RateLimit`` says, unless that is
  longer than the cap, then refused with a message saying how long.
- arXiv asks for at most one request every 3 seconds: :data:`ARXIV_LIMITER`,
  shared by every thread of the process.

Every failure is an :class:`HttpFailure` whose ``reason`` is one clean line.
"""

from __future__ import annotations

import errno
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from digest_parser.sanitize import clean_line

if TYPE_CHECKING:
    import httpx

CONNECT_TIMEOUT = 5.0
RESPONSE_TIMEOUT = 30.0
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_RETRY_WAIT = 60.0
"""A 429 asking to wait longer than this is given up on: the user would rather
see the cached copy, or a message, than a minute of "Fetching…"."""
MAX_RATE_LIMITED_TRIES = 3
MAX_REDIRECTS = 5
ARXIV_INTERVAL = 3.0
"""arXiv's terms of use: no more than one request every three seconds."""
POLL_SECONDS = 0.1
"""How often a waiting caller looks at ``cancelled`` and reports progress."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_REASON_CHARS = 200


class HttpFailure(Exception):
    """A request that gave nothing usable; ``reason`` is one line ("connection refused")."""

    def __init__(self, reason: str, *, bad_data: bool = False) -> None:
        self.reason = clean_line(reason)[:_REASON_CHARS]
        self.bad_data = bad_data
        """The server answered, but not with what was asked for (too large, …)."""
        super().__init__(self.reason)


class Cancelled(Exception):
    """``cancelled()`` turned true while waiting."""


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """The limits of one request; tests shrink them so a time-out takes a moment."""

    connect_timeout: float = CONNECT_TIMEOUT
    response_timeout: float = RESPONSE_TIMEOUT
    max_bytes: int = MAX_BODY_BYTES
    max_retry_wait: float = MAX_RETRY_WAIT
    sleep: Callable[[float], None] = time.sleep
    """Waits before a 429 retry and between arXiv requests, in slices of at most
    :data:`POLL_SECONDS` so a cancel is seen."""


@dataclass(frozen=True, slots=True)
class Response:
    """A complete response: 2xx with its whole body, or 304 with none."""

    url: str
    status: int
    headers: Mapping[str, str]
    """Lower-case names."""
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type alone, lower case (``application/json``)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class RateLimiter:
    """At most one request every ``interval`` seconds, for every thread of the process.

    A caller reserves the next free slot under a lock and then waits for it
    outside the lock, so concurrent fetches of several arXiv feeds queue up
    ``interval`` apart instead of all waking at once.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._next_free = -math.inf

    def reserve(self) -> float:
        """Take the next slot; returns how many seconds to wait for it."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_free)
            self._next_free = slot + self.interval
            return slot - now

    def reset(self) -> None:
        """Forget the last request (tests)."""
        with self._lock:
            self._next_free = -math.inf


ARXIV_LIMITER = RateLimiter(ARXIV_INTERVAL)


def user_agent() -> str:
    """``digest-reader/VERSION``, the version from the installed package's metadata."""
    from importlib import metadata

    try:
        version = metadata.version("digest-reader")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"digest-reader/{version}"


def wait(seconds: float, cancelled: Callable[[], bool], sleep: Callable[[float], None] = time.sleep) -> None:
    """Sleep *seconds* in short slices; raises :class:`Cancelled` as soon as ``cancelled()``."""
    remaining = seconds
    while remaining > 0:
        if cancelled():
            raise Cancelled
        step = min(remaining, POLL_SECONDS)
        sleep(step)
        remaining -= step
    if cancelled():
        raise Cancelled


class HttpSession:
    """One httpx client for the requests of one load (several pages, several days).

    Created on first request, so merely building a session imports nothing;
    :meth:`close` ends it, and with it any abandoned transfer still reading.
    """

    def __init__(self, limits: HttpLimits | None = None) -> None:
        self.limits = limits or HttpLimits()
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> HttpSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # closing under an abandoned transfer may complain; nothing is lost
                pass

    def _client_for_request(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx

                # httpx's own read limit is only the backstop that ends an abandoned
                # transfer: the waiting thread keeps the whole-response limit, a little sooner.
                timeout = httpx.Timeout(self.limits.response_timeout + 1.0, connect=self.limits.connect_timeout)
                self._client = httpx.Client(
                    timeout=timeout, follow_redirects=False, headers={"User-Agent": user_agent()}
                )
            return self._client

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        limiter: RateLimiter | None = None,
        progress: Callable[[int, float], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Response:
        """GET *url*: a 2xx response with its body, or a 304.

        Raises:
            HttpFailure: No usable response (network error, time-out, any other
                status, a redirect to another host, a body over the cap, a 429
                asking for too long a wait).
            Cancelled: ``cancelled()`` turned true.
        """
        origin = _host_of(url)
        rate_limited = 0
        redirects = 0
        while True:
            if limiter is not None:
                wait(limiter.reserve(), cancelled, self.limits.sleep)
            elif cancelled():
                raise Cancelled
            response = self._transfer(url, headers or {}, progress, cancelled)
            if response.status in _REDIRECTS:
                url = self._redirect_target(url, response, origin)
                redirects += 1
                if redirects > MAX_REDIRECTS:
                    raise HttpFailure(f"more than {MAX_REDIRECTS} redirects")
                continue
            if response.status == 429:
                rate_limited += 1
                delay = retry_delay(response.headers)
                if delay is None:
                    raise HttpFailure(f"rate limited by {origin} (HTTP 429), with no time to wait given; try again later")
                if delay > self.limits.max_retry_wait:
                    raise HttpFailure(f"rate limited by {origin}: asked to wait {_duration(delay)}; try again later")
                if rate_limited >= MAX_RATE_LIMITED_TRIES:
                    raise HttpFailure(f"still rate limited by {origin} after {rate_limited} tries; try again later")
                wait(delay, cancelled, self.limits.sleep)
                continue
            if 200 <= response.status < 300 or response.status == 304:
                return response
            raise HttpFailure(_status_reason(response))

    def _redirect_target(self, url: str, response: Response, origin: str) -> str:
        location = response.headers.get("location", "")
        if not location:
            raise HttpFailure(f"HTTP {response.status} redirect without a Location")
        target = urljoin(url, location)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            raise HttpFailure(f"redirected to a {parts.scheme or 'relative'} URL; not followed")
        if _host_of(target) != origin:
            raise HttpFailure(f"redirected to another host ({_host_of(target)}); not followed")
        return target

    def _transfer(
        self,
        url: str,
        headers: Mapping[str, str],
        progress: Callable[[int, float], None] | None,
        cancelled: Callable[[], bool],
    ) -> Response:
        """One request, run in a daemon thread that this thread watches."""
        transfer = _Transfer(url, dict(headers), self.limits)
        client = self._client_for_request()
        thread = threading.Thread(target=transfer.run, args=(client,), name="digest-reader-fetch", daemon=True)
        started = time.monotonic()
        thread.start()
        deadline = started + self.limits.response_timeout
        while not transfer.done.wait(POLL_SECONDS):
            now = time.monotonic()
            if cancelled():
                transfer.stop.set()
                raise Cancelled
            if now >= deadline:
                transfer.stop.set()
                raise HttpFailure(f"no complete response within {_duration(self.limits.response_timeout)}")
            if progress is not None:
                progress(transfer.received, now - started)
        if cancelled():
            raise Cancelled
        if transfer.failure is not None:
            raise transfer.failure
        assert transfer.response is not None
        if progress is not None:
            progress(transfer.received, time.monotonic() - started)
        return transfer.response


@dataclass
class _Transfer:
    """The state one transfer thread shares with the thread waiting for it."""

    url: str
    headers: dict[str, str]
    limits: HttpLimits
    received: int = 0
    response: Response | None = None
    failure: HttpFailure | None = None
    done: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, client: httpx.Client) -> None:
        try:
            self.response = self._fetch(client)
        except HttpFailure as failure:
            self.failure = failure
        except Exception as error:  # a daemon thread must not die loudly: the waiter reports it
            self.failure = HttpFailure(describe_error(error, self.limits))
        finally:
            self.done.set()

    def _fetch(self, client: httpx.Client) -> Response:
        with client.stream("GET", self.url, headers=self.headers) as response:
            headers = {name.lower(): value for name, value in response.headers.items()}
            status = response.status_code
            if not 200 <= status < 300:
                return Response(str(response.url), status, headers, b"")
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise HttpFailure(_too_large(self.limits.max_bytes), bad_data=True)
            chunks: list[bytes] = []
            for chunk in response.iter_bytes():
                if self.stop.is_set():
                    raise HttpFailure("abandoned")
                self.received += len(chunk)
                if self.received > self.limits.max_bytes:
                    raise HttpFailure(_too_large(self.limits.max_bytes), bad_data=True)
                chunks.append(chunk)
            return Response(str(response.url), status, headers, b"".join(chunks))


def _too_large(limit: int) -> str:
    return f"the response is larger than {limit / (1024 * 1024):g} MiB; refused"


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g} s"
    return f"{seconds / 60:.0f} min"


def _status_reason(response: Response) -> str:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {response.status} {phrase}".rstrip()


_RATELIMIT_PARAM = re.compile(r"(?:^|[;,\s])(?:t|reset)\s*=\s*(\d+(?:\.\d+)?)")


def retry_delay(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds a 429 asks to wait: ``Retry-After`` (seconds or an HTTP date), else
    the ``RateLimit`` field's ``t=`` (its current draft) or ``reset=`` (older
    drafts), else ``RateLimit-Reset``; None when none says."""
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - (time.time() if now is None else now))
    for name in ("ratelimit", "ratelimit-reset"):
        value = headers.get(name, "").strip()
        if name == "ratelimit-reset" and value.isdigit():
            return float(value)
        match = _RATELIMIT_PARAM.search(value)
        if match:
            return float(match[1])
    return None


def describe_error(error: BaseException, limits: HttpLimits | None = None) -> str:
    """One line for a failed request ("connection refused", "host not found")."""
    limits = limits or HttpLimits()
    cause = _os_error_in(error)
    name = type(error).__name__
    if name == "ConnectTimeout":
        return f"could not connect within {_duration(limits.connect_timeout)}"
    if name in ("ReadTimeout", "WriteTimeout", "PoolTimeout"):
        return f"no complete response within {_duration(limits.response_timeout)}"
    if name == "RemoteProtocolError":
        return "the connection closed before the response was complete"
    if isinstance(cause, socket.gaierror):
        return "host not found"
    if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "network unreachable"
    if name in ("UnsupportedProtocol", "InvalidURL", "LocalProtocolError"):
        return f"bad URL ({error})"
    if name == "ProxyError":
        return f"proxy error ({error})"
    text = str(error)
    match = re.match(r"\[Errno -?\d+\]\s*(.*)", text)
    if match:
        text = match[1]
    if not text:
        return name
    return text[:1].lower() + text[1:]


def _os_error_in(error: BaseException) -> OSError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        current = current.__cause__ or current.__context__
    # httpx keeps the socket error's text only: "[Errno 111] Connection refused".
    match = re.search(r"\[Errno (-?\d+)\]", str(error))
    if match:
        number = int(match[1])
        if number < 0:
            return socket.gaierror(number, str(error))
        return OSError(number, str(error))
    return None
