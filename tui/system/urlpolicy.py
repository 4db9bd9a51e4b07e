"""Which links may leave the app: the one gate before a clipboard or a browser.

Every URL in a digest is hostile until :func:`check_url` has accepted it
(docs/reliability.md, "Which links may leave the app"). Accepted links are:

- ``http`` or ``https`` with a host, and no user name or password;
- free of whitespace, control characters, lone surrogates and format
  characters (bidi overrides, zero-width characters), so nothing can be hidden
  in them and pasting one can never run a second shell line;
- not starting with ``-`` (CVE-2026-4519: ``webbrowser.open`` handed such a
  string to the browser as an option);
- at most :data:`MAX_URL_LENGTH` characters, before and after normalising;
- parseable: ``urlsplit(url).port`` and ``.hostname`` do not raise.

The URL handed back is normalised so that what the user is shown is exactly
what is copied or opened, and it is printable ASCII:

- scheme and host are lower-case; a non-ASCII host label is written in
  punycode (``https://аrxiv.org/x`` → ``https://xn--rxiv-43d.org/x``), so a
  Cyrillic look-alike cannot pass for ``arxiv.org``;
- non-ASCII characters in the path, query and fragment are percent-encoded
  (UTF-8), as a browser would do;
- percent escapes get upper-case hex digits (RFC 3986 §6.2.2.1). Besides being
  canonical, this defuses gh-148169, where ``webbrowser`` replaced a literal
  ``%action`` inside the URL.

Hosts are checked strictly, because a browser reads a sloppy host differently
from ``urlsplit`` (``https://arxiv.org\\.evil.example`` goes to arxiv.org in a
browser; ``https://0x7f.1`` goes to 127.0.0.1). Only letters, digits, ``-``,
``_`` and dots are accepted, a dotted-quad IPv4 address, or a bracketed IPv6
address. A non-ASCII label must already be in the form a browser would map it
to (NFKC, lower case, letters/marks/digits only), otherwise it is refused
rather than guessed at: then the punycode shown is the host actually visited.

:func:`display_url` is how a link is written on screen (the detail pane, the
link picker): the same normalised text that would be copied or opened, so a
look-alike host shows in punycode there too, never in the script it imitates.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from digest_parser.sanitize import clean_line

__all__ = ["MAX_URL_LENGTH", "CheckedUrl", "check_url", "display_url", "is_allowed_url"]

MAX_URL_LENGTH = 2048
"""Longest URL accepted, in characters (before and after normalising)."""

_ALLOWED_SCHEMES = ("http", "https")
_MAX_HOST_LENGTH = 253
_MAX_LABEL_LENGTH = 63

# A scheme as RFC 3986 spells it; only such a token is quoted back in a reason,
# so a reason never carries hostile text.
_SCHEME_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,15}")
_ASCII_LABEL = re.compile(r"[a-z0-9_-]{1,63}")
# WHATWG URL: a host whose last label is a number is parsed as IPv4, so
# ``0x7f.1`` or ``2130706433`` would be 127.0.0.1 in the browser.
_NUMERIC_LABEL = re.compile(r"0[xX][0-9A-Fa-f]*|[0-9]+")
_PORT = re.compile(r"[0-9]{1,5}")
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# Unicode categories never accepted anywhere in a URL: controls, format
# characters (bidi, zero-width), lone surrogates and every kind of space.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """The verdict of :func:`check_url` on one link."""

    ok: bool
    """True when the link may be copied or opened."""
    url: str | None
    """The normalised link (punycode host, printable ASCII) when ``ok``, else None."""
    reason: str
    """Why the link was refused, as a sentence fragment ("the link has no host");
    empty when ``ok``. Never contains text taken from the link except its scheme."""
    host: str | None = None
    """The host as it will be contacted (punycode, IPv6 without brackets) when ``ok``."""

    @property
    def host_was_converted(self) -> bool:
        """True when the host had non-ASCII letters and is now shown in punycode."""
        return self.ok and self.host is not None and "xn--" in self.host


def _refuse(reason: str) -> CheckedUrl:
    return CheckedUrl(ok=False, url=None, reason=reason)


def check_url(raw: object) -> CheckedUrl:
    """Decide whether a link may leave the app, and normalise it if so.

    Args:
        raw: The link as found in a digest or a bookmark. Anything that is not
            a ``str`` is refused.

    Returns:
        A :class:`CheckedUrl`. When ``ok`` is true, ``url`` is what to show,
        copy and open; otherwise ``reason`` says why the link was refused.
        This function never raises.
    """
    try:
        return _check(raw)
    except Exception:  # the promise is "never raises"
        # Every expected failure is handled in _check; this is the backstop for
        # a parser surprise, and refusing is the safe answer to a surprise.
        return _refuse("the link could not be parsed")


def is_allowed_url(raw: object) -> bool:
    """True when :func:`check_url` accepts *raw*."""
    return check_url(raw).ok


def display_url(raw: str) -> str:
    """*raw* as the reader writes it on screen: one line of printable ASCII (an
    ASCII control character shows as the sanitiser's U+FFFD).

    An accepted link is shown normalised, exactly as it would be copied or
    opened: a host with non-ASCII letters in punycode (``https://gіthub.com``,
    with a Cyrillic ``і``, shows as ``https://xn--gthub-n2e.com``), so a
    look-alike never passes for the host it imitates. A refused link is shown as found, except that every non-ASCII
    character is percent-encoded (a look-alike host, a bidi control or a C1
    control shows as its bytes) and escape sequences are removed.
    """
    checked = check_url(raw)
    if checked.ok and checked.url is not None:
        return checked.url
    if not raw.isascii():
        raw = "".join(char if char.isascii() else _percent_encoded(char) for char in raw)
    return clean_line(raw)


def _percent_encoded(char: str) -> str:
    # surrogatepass: a lone surrogate shows as its bytes instead of raising.
    return quote(char.encode("utf-8", "surrogatepass"), safe="")


def _check(raw: object) -> CheckedUrl:
    if not isinstance(raw, str):
        return _refuse("the link is not text")
    if not raw:
        return _refuse("the link is empty")
    if len(raw) > MAX_URL_LENGTH:
        return _refuse(f"the link is longer than {MAX_URL_LENGTH} characters")
    if raw.startswith("-"):
        return _refuse("the link starts with a dash, which a browser could read as an option")
    bad_character = _first_forbidden_character(raw)
    if bad_character is not None:
        return _refuse(bad_character)

    scheme_end = raw.find(":")
    scheme = raw[:scheme_end] if scheme_end > 0 else ""
    if not _SCHEME_TOKEN.fullmatch(scheme):
        return _refuse("the link has no scheme (only http and https links are allowed)")
    if scheme.lower() not in _ALLOWED_SCHEMES:
        return _refuse(f"only http and https links are allowed, not {scheme.lower()}:")
    if raw[scheme_end : scheme_end + 3] != "://":
        return _refuse("the link has no host")

    try:
        parts = urlsplit(raw)
        # Both properties raise ValueError on a bad port or a broken IPv6 host;
        # a link Python cannot parse is one we cannot vouch for.
        parts.port  # noqa: B018
        parts.hostname  # noqa: B018
    except ValueError:
        return _refuse("the link could not be parsed (bad host or port)")

    netloc = parts.netloc
    authority_start = scheme_end + 3
    if raw[authority_start : authority_start + len(netloc)] != netloc:
        return _refuse("the link could not be parsed")
    if not netloc:
        return _refuse("the link has no host")
    if "@" in netloc:
        return _refuse("the link contains a user name or password")

    host_and_port = _split_host_port(netloc)
    if isinstance(host_and_port, str):
        return _refuse(host_and_port)
    raw_host, port, is_ipv6 = host_and_port
    host = _normalise_host(raw_host, is_ipv6)
    if host is None:
        return _refuse("the link's host is not a valid host name or address")

    tail = _normalise_tail(raw[authority_start + len(netloc) :])
    authority = (f"[{host}]" if is_ipv6 else host) + (f":{port}" if port is not None else "")
    url = f"{scheme.lower()}://{authority}{tail}"
    if len(url) > MAX_URL_LENGTH:
        return _refuse(f"the link is longer than {MAX_URL_LENGTH} characters once encoded")
    return CheckedUrl(ok=True, url=url, reason="", host=host)


def _first_forbidden_character(raw: str) -> str | None:
    """Reason for the first character no URL may hold, or None."""
    for char in raw:
        if char.isascii() and char.isprintable() and char != " ":
            continue
        category = unicodedata.category(char)
        if category in ("Cf",):
            return "the link contains invisible formatting characters (such as bidi controls)"
        if category in _FORBIDDEN_CATEGORIES or char.isspace():
            return "the link contains spaces or control characters"
    return None


def _split_host_port(netloc: str) -> tuple[str, int | None, bool] | str:
    """Split ``host[:port]`` strictly; a ``str`` result is the refusal reason."""
    if netloc.startswith("["):
        close = netloc.find("]")
        if close < 0:
            return "the link's host is not a valid address"
        host, rest, is_ipv6 = netloc[1:close], netloc[close + 1 :], True
        if rest and not rest.startswith(":"):
            return "the link's host is not a valid address"
        port_text = rest[1:] if rest else None
    else:
        if "[" in netloc or "]" in netloc or netloc.count(":") > 1:
            return "the link's host is not a valid host name"
        host, sep, port_text_or_empty = netloc.partition(":")
        port_text, is_ipv6 = (port_text_or_empty if sep else None), False
    if not host:
        return "the link has no host"
    if port_text is None or port_text == "":
        # "https://host:/" means the default port; browsers accept it.
        return host, None, is_ipv6
    if not _PORT.fullmatch(port_text) or not 0 < int(port_text) <= 65535:
        return "the link's port is not valid"
    return host, int(port_text), is_ipv6


def _normalise_host(host: str, is_ipv6: bool) -> str | None:
    """The host as it will be contacted (lower case, punycode), or None if invalid."""
    if is_ipv6:
        if "%" in host:  # zone ids ("fe80::1%eth0") only make sense on one machine
            return None
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            return None
    host = host.lower()
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:  # one trailing dot is a valid FQDN
        labels = labels[:-1]
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        return _ipv4_host(labels)
    encoded = [_encode_label(label) for label in labels]
    if any(label is None for label in encoded):
        return None
    ascii_host = ".".join(label for label in encoded if label is not None)
    if host.endswith("."):
        ascii_host += "."
    if len(ascii_host.rstrip(".")) > _MAX_HOST_LENGTH:
        return None
    return ascii_host


def _ipv4_host(labels: list[str]) -> str | None:
    # Only the plain dotted quad is accepted: the browser would turn other
    # numeric spellings (hex, octal, fewer parts) into an address the user
    # cannot read off the screen.
    try:
        return str(ipaddress.IPv4Address(".".join(labels)))
    except ValueError:
        return None


def _encode_label(label: str) -> str | None:
    """One host label in ASCII (punycode for non-ASCII), or None if invalid."""
    if label.isascii():
        return label if _ASCII_LABEL.fullmatch(label) else None
    # Refuse labels a browser would rewrite (full-width letters, compatibility
    # forms, decomposed accents): the punycode shown must be the host visited.
    if unicodedata.normalize("NFKC", label) != label:
        return None
    for char in label:
        if char != "-" and unicodedata.category(char)[0] not in "LMN":
            return None  # punctuation such as "。" would split labels in a browser
    try:
        encoded = "xn--" + label.encode("punycode").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    return encoded if len(encoded) <= _MAX_LABEL_LENGTH else None


def _normalise_tail(tail: str) -> str:
    """Path, query and fragment: percent escapes in upper case, non-ASCII encoded."""
    tail = _PERCENT_ESCAPE.sub(lambda match: match.group(0).upper(), tail)
    if tail.isascii():
        return tail
    return "".join(char if char.isascii() else quote(char, safe="") for char in tail)
