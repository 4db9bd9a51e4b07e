"""Send BibTeX to a running Zotero desktop, and say exactly what Zotero answered.

docs/citing.md, "Sending to Zotero". Zotero's connector server (the one its
browser connector talks to) listens on the loopback, port 23119. Its
``POST /connector/import`` takes BibTeX (or RIS) as the request body, imports it
into the collection selected in Zotero, and answers ``201`` with the imported
items as a JSON array; ``400`` when it found nothing to import, ``403`` when the
request lacks the connector's header, ``500`` when the selected library is
read-only. Only a ``201`` with at least one item counts as saved.

The address is, first match wins: ``$DIGEST_READER_ZOTERO_URL``; the
``base_url`` the caller passes (the config file's ``zotero_url``); the default
``http://127.0.0.1:23119``. It must be a plain ``http``/``https`` address with
no credentials, path or query. The request ignores proxy variables (a proxy
cannot reach the user's own loopback) and follows no redirect. httpx is
imported on first use.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from digest_parser.sanitize import clean_line, is_clean

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_URL",
    "IMPORT_PATH",
    "URL_VARIABLE",
    "ZoteroOutcome",
    "check_zotero_url",
    "send_to_zotero",
    "zotero_url",
]

DEFAULT_URL = "http://127.0.0.1:23119"
URL_VARIABLE = "DIGEST_READER_ZOTERO_URL"
IMPORT_PATH = "/connector/import"
MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""Zotero answers with every imported item as JSON: about a kilobyte each."""
_DETAIL_CHARS = 120


@dataclass(frozen=True, slots=True)
class ZoteroOutcome:
    """What :func:`send_to_zotero` did."""

    saved: bool
    """True only when Zotero answered 201 with at least one imported item."""
    message: str
    """One plain line for the user ("Saved to Zotero (1 item).", "Zotero is not running …")."""
    not_running: bool
    """True when nothing answered at the address (refused, or no connection in time):
    the caller may offer the entry another way (the reader copies it)."""
    items: int = 0
    """How many items Zotero says it imported."""


def zotero_url(base_url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The address to send to: ``$DIGEST_READER_ZOTERO_URL``, else *base_url*, else the default."""
    environ = os.environ if env is None else env
    return (environ.get(URL_VARIABLE) or "").strip() or (base_url or "").strip() or DEFAULT_URL


def check_zotero_url(url: str) -> tuple[str | None, str]:
    """``(normalised address, "")`` when *url* is fit to send to, else ``(None, why not)``.

    Fit means ``http`` or ``https``, a host, maybe a port, and nothing else:
    no user name or password, path, query or fragment, no space or control character.
    """
    if not is_clean(url, one_line=True) or any(char.isspace() for char in url):
        return None, "it holds spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return None, f"it cannot be read ({clean_line(str(error))})"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None, "it is not an http:// or https:// address"
    if parts.username is not None or parts.password is not None:
        return None, "it holds a user name or password"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None, "it has a path or query (give only scheme, host and port)"
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}", ""


def send_to_zotero(
    bibtex: str, *, base_url: str | None = None, timeout: float = 5.0, env: Mapping[str, str] | None = None
) -> ZoteroOutcome:
    """POST *bibtex* to Zotero's connector import endpoint.

    Blocks for up to *timeout* seconds per step (connect, send, each read):
    run it in a thread worker.

    Args:
        bibtex: One or more BibTeX entries.
        base_url: The configured address (config file's ``zotero_url``);
            ``$DIGEST_READER_ZOTERO_URL`` wins over it.
        timeout: Seconds allowed to connect, to send, and for each read of the answer.
        env: Environment for the address (default ``os.environ``).

    Returns:
        A :class:`ZoteroOutcome`. Never raises.
    """
    address, why = check_zotero_url(zotero_url(base_url, env))
    if address is None:
        return ZoteroOutcome(False, f"Not sent to Zotero: the Zotero address is unusable: {why}.", False)
    if not bibtex.strip():
        return ZoteroOutcome(False, "Not sent to Zotero: there is nothing to send.", False)
    try:
        import httpx  # on first use: most runs never talk to Zotero
    except ImportError as error:  # a broken install is reported, not raised
        return ZoteroOutcome(False, f"Not sent to Zotero: httpx cannot be imported ({error}).", False)
    headers = {
        "Content-Type": "application/x-bibtex",
        # Zotero refuses a plain POST without one of these (a web page cannot send them).
        "X-Zotero-Connector-API-Version": "2",
        "Zotero-Allowed-Request": "1",
        "User-Agent": _user_agent(),
    }
    try:
        with (
            httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False, follow_redirects=False) as client,
            client.stream("POST", address + IMPORT_PATH, content=bibtex.encode("utf-8"), headers=headers) as response,
        ):
            body = _read_capped(response)
            status, phrase = response.status_code, response.reason_phrase
    except httpx.ConnectTimeout:
        return ZoteroOutcome(False, f"Zotero is not running (no connection to {address} within {timeout:g} s).", True)
    except httpx.ConnectError as error:
        if _refused(error):
            return ZoteroOutcome(False, f"Zotero is not running (nothing answers at {address}).", True)
        return ZoteroOutcome(False, f"Zotero is not running at {address} ({_describe(error)}).", True)
    except httpx.TimeoutException:
        message = f"Zotero did not answer within {timeout:g} s; it may still import what was sent."
        return ZoteroOutcome(False, message, False)
    except _TooLarge:
        return ZoteroOutcome(False, f"Not saved to Zotero: its answer is over {MAX_ANSWER_BYTES:,} bytes.", False)
    except httpx.HTTPError as error:
        return ZoteroOutcome(False, f"Not saved to Zotero: no complete answer from {address} ({_describe(error)}).", False)
    return _outcome(status, phrase, body)


class _TooLarge(Exception):
    pass


def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _outcome(status: int, phrase: str, body: bytes) -> ZoteroOutcome:
    """What Zotero's answer means, as one line."""
    answer = _json(body)
    if status == 201:
        if isinstance(answer, list) and answer:
            count = len(answer)
            return ZoteroOutcome(True, f"Saved to Zotero ({count} item{'s' * (count != 1)}).", False, count)
        if isinstance(answer, list):
            return ZoteroOutcome(False, "Not saved to Zotero: it imported nothing from the BibTeX (HTTP 201, no items).", False)
        return ZoteroOutcome(False, "Not saved to Zotero: it answered 201 without the list of imported items.", False)
    reasons = {
        400: "it found nothing it could import",
        403: "it refused the request",
        404: "no connector import here: is this address Zotero?",
        409: "another save is in progress; try again",
    }
    reason = reasons.get(status, "")
    if isinstance(answer, Mapping):
        if answer.get("libraryEditable") is False:
            reason = "the library selected in Zotero is read-only; select another one"
        elif isinstance(answer.get("error"), str):
            reason = reason or clean_line(answer["error"])[:_DETAIL_CHARS]
    if not reason and answer is None:
        said = clean_line(body[:1000].decode("utf-8", "replace")).strip()
        reason = said[:_DETAIL_CHARS]
    status_text = f"HTTP {status} {clean_line(phrase)}".rstrip()
    return ZoteroOutcome(False, f"Not saved to Zotero: {status_text}" + (f" ({reason})." if reason else "."), False)


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _refused(error: BaseException) -> bool:
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, OSError) and current.errno == errno.ECONNREFUSED:
            return True
        current = current.__cause__ or current.__context__
    # httpx keeps only the socket error's text: "[Errno 111] Connection refused".
    return f"[Errno {errno.ECONNREFUSED}]" in str(error) or "refused" in str(error).lower()


def _describe(error: BaseException) -> str:
    text = clean_line(str(error)).strip() or type(error).__name__
    return text[:_DETAIL_CHARS]


def _user_agent() -> str:
    from importlib import metadata

    try:
        version = metadata.version("digest-reader")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"digest-reader/{version}"
