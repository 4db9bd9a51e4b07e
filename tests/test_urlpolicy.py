"""The URL policy (docs/reliability.md, "Which links may leave the app"): which links may be copied or opened."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.system.urlpolicy import MAX_URL_LENGTH, check_url, display_url, is_allowed_url

# (raw link, the URL check_url must return)
GOOD_URLS: list[tuple[str, str]] = [
    ("https://arxiv.org/abs/2603.00101", "https://arxiv.org/abs/2603.00101"),
    ("http://example.org", "http://example.org"),
    ("https://github.com/owner/repo", "https://github.com/owner/repo"),
    ("HTTPS://GitHub.COM/Owner/Repo", "https://github.com/Owner/Repo"),
    ("https://example.org:8443/a?b=c&d=e#frag", "https://example.org:8443/a?b=c&d=e#frag"),
    ("https://example.org:/x", "https://example.org/x"),
    ("https://a-b_c.example.org./x", "https://a-b_c.example.org./x"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("https://[::1]/x", "https://[::1]/x"),
    ("https://[2001:DB8:0:0::1]:443/", "https://[2001:db8::1]:443/"),
    # Cyrillic "а" in place of the Latin "a": shown and used in punycode.
    ("https://\u0430rxiv.org/x", "https://xn--rxiv-43d.org/x"),
    ("https://\u0410RXIV.org/x", "https://xn--rxiv-43d.org/x"),
    ("https://b\u00fccher.example/", "https://xn--bcher-kva.example/"),
    ("https://fa\u00df.de/", "https://xn--fa-hia.de/"),
    ("https://xn--rxiv-43d.org/", "https://xn--rxiv-43d.org/"),
    # Non-ASCII after the host is percent-encoded; escapes get upper-case hex.
    ("https://example.org/caf\u00e9?q=\u00e9#\u00e9", "https://example.org/caf%C3%A9?q=%C3%A9#%C3%A9"),
    ("https://example.org/a%2fb%c3%a9", "https://example.org/a%2Fb%C3%A9"),
    ("https://example.org/%action", "https://example.org/%ACtion"),
    ("https://example.org/a%zz", "https://example.org/a%zz"),
]

# (raw link, a word the refusal reason must contain)
BAD_URLS: list[tuple[str, str]] = [
    ("", "empty"),
    ("file:///etc/passwd", "file:"),
    ("javascript:alert(1)", "javascript:"),
    ("JavaScript:alert(1)", "javascript:"),
    ("data:text/html,<script>alert(1)</script>", "data:"),
    ("vbscript:msgbox(1)", "vbscript:"),
    ("about:blank", "about:"),
    ("chrome://settings", "chrome:"),
    ("ssh://host/x", "ssh:"),
    ("ftp://example.org/x", "ftp:"),
    ("arxiv.org/abs/1706.03762", "scheme"),
    ("/relative/path", "scheme"),
    ("//example.org/x", "scheme"),
    ("app.quit", "scheme"),
    ("-oProxyCommand=x", "dash"),
    ("--renderer-cmd-prefix=x", "dash"),
    ("-https://example.org", "dash"),
    ("https:example.org", "host"),
    ("https:/example.org", "host"),
    ("https:///example.org", "host"),
    ("https://", "host"),
    ("https://:443/", "host"),
    ("https://user:pass@example.org/", "password"),
    ("https://user@example.org/", "password"),
    ("https://example.org%2f@evil.example/", "password"),
    ("https://exa mple.org/", "spaces"),
    ("https://example.org/a b", "spaces"),
    (" https://example.org/", "spaces"),
    ("https://example.org/\n", "control"),
    ("https://example.org/\r\nrm -rf ~", "control"),
    ("https://example.org/\tx", "control"),
    ("https://example.org/\x1b]52;c;aGk=\x07", "control"),
    ("https://example.org/\x00", "control"),
    ("https://example.org/\x7f", "control"),
    ("https://example.org/\x9b2J", "control"),
    ("https://example.org/\u00a0", "spaces"),
    ("https://example.org/\u2028", "spaces"),
    ("https://example.org/\u3000", "spaces"),
    ("https://example.org/\ud800", "control"),
    ("https://example.org/\u202egnp.exe", "bidi"),
    ("https://example.org/\u2066x\u2069", "bidi"),
    ("https://exam\u200bple.org/", "bidi"),
    ("https://example.org/\ufeff", "bidi"),
    ("https://example.org/" + "a" * MAX_URL_LENGTH, "longer"),
    ("https://example.org/" + "\u00e9" * 700, "encoded"),
    ("https://[::1", "parsed"),
    ("https://example.org:99999/", "parsed"),
    ("https://example.org:+80/", "parsed"),
    ("https://example.org:0/", "port"),
    ("https://example.org:80:81/", "host"),
    ("https://[fe80::1%25eth0]/", "host"),
    ("https://[not-ipv6]/", "parsed"),
    ("https://arxiv.org\\.evil.example/", "host"),
    ("https://ar%78iv.org/", "host"),
    ("https://a..b/", "host"),
    ("https://.example.org/", "host"),
    ("http://0x7f.1/", "host"),
    ("http://2130706433/", "host"),
    ("http://127.1/", "host"),
    ("http://127.000.0.1/", "host"),
    ("https://\uff41rxiv.org/", "host"),  # full-width "a": a browser would rewrite it
    ("https://arxiv\u3002org/", "host"),  # ideographic full stop splits labels in a browser
    ("https://e\u0301xample.org/", "host"),  # decomposed accent
    ("https://ex!ample.org/", "host"),
    ("https://" + "a" * 64 + ".org/", "host"),
    ("https://" + "\u0430" * 70 + ".org/", "host"),
    ("https://" + ("a" * 60 + ".") * 5 + "org/", "host"),
]


@pytest.mark.parametrize(("raw", "expected"), GOOD_URLS)
def test_good_urls_are_accepted_and_normalised(raw: str, expected: str) -> None:
    checked = check_url(raw)
    assert checked.ok, checked.reason
    assert checked.url == expected
    assert checked.reason == ""
    assert is_allowed_url(raw)


@pytest.mark.parametrize(("raw", "word"), BAD_URLS)
def test_bad_urls_are_refused_with_a_reason(raw: str, word: str) -> None:
    checked = check_url(raw)
    assert not checked.ok
    assert checked.url is None
    assert word in checked.reason
    assert not is_allowed_url(raw)


def test_punycode_host_is_reported() -> None:
    checked = check_url("https://\u0430rxiv.org/abs/1")
    assert checked.host == "xn--rxiv-43d.org"
    assert checked.host_was_converted
    assert not check_url("https://arxiv.org/abs/1").host_was_converted


@pytest.mark.parametrize("raw", [None, 42, b"https://example.org/", ["https://example.org/"]])
def test_non_text_is_refused(raw: object) -> None:
    assert check_url(raw).reason == "the link is not text"


def test_the_longest_allowed_url_is_accepted() -> None:
    prefix = "https://example.org/"
    raw = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert check_url(raw).url == raw
    assert not check_url(raw + "a").ok


def test_reason_never_echoes_the_link() -> None:
    # A refused link is hostile; its reason goes into a toast, so it must not
    # carry any of the link's text (only a validated scheme token).
    for raw, _word in BAD_URLS:
        reason = check_url(raw).reason
        assert "evil" not in reason and "\x1b" not in reason and "passwd" not in reason


def _is_safe_result(url: str) -> bool:
    return (
        url.startswith(("http://", "https://"))
        and url.isascii()
        and url.isprintable()
        and not any(char.isspace() for char in url)
        and len(url) <= MAX_URL_LENGTH
    )


_URL_ALPHABET = st.sampled_from(
    [
        *"aZ09-._~:/?#[]@!$&'()*+,;=%\\ ",
        "\u0430", "\u00e9", "\u00df", "\uff41", "\u3002", "\u202e", "\u200b", "\n", "\x1b", "\x00", "\ud800",
    ]
)


@st.composite
def url_like(draw: st.DrawFn) -> str:
    """Strings shaped like URLs, so that many are accepted and the rest fail late."""
    scheme = draw(st.sampled_from(["http", "https", "HTTPS", "javascript", "file", "", "-https"]))
    separator = draw(st.sampled_from(["://", ":", ":/", "//", "://user@"]))
    host = draw(st.text(_URL_ALPHABET, max_size=20))
    port = draw(st.sampled_from(["", ":", ":80", ":65536", ":x"]))
    tail = draw(st.text(max_size=30))
    return f"{scheme}{separator}{host}{port}/{tail}"


@given(st.text())
def test_check_url_never_raises_on_any_text(raw: str) -> None:
    checked = check_url(raw)
    if checked.ok:
        assert checked.url is not None and _is_safe_result(checked.url)


@given(url_like())
def test_accepted_urls_are_safe_and_stable(raw: str) -> None:
    checked = check_url(raw)
    if not checked.ok:
        assert checked.url is None and checked.reason
        return
    assert checked.url is not None and _is_safe_result(checked.url)
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in checked.url)
    # Normalising twice changes nothing: the URL shown is the URL used.
    assert check_url(checked.url).url == checked.url


# ---- how a link is written on screen ---------------------------------------------

DISPLAYED: list[tuple[str, str]] = [
    # Cyrillic "і" in place of the Latin "i": on screen in punycode, as copied.
    ("https://g\u0456thub.com/owner/repo", "https://xn--gthub-n2e.com/owner/repo"),
    ("https://\u0430rxiv.org/abs/1", "https://xn--rxiv-43d.org/abs/1"),
    ("HTTPS://GitHub.COM/Owner/Repo", "https://github.com/Owner/Repo"),
    ("https://arxiv.org/abs/caf\u00e9", "https://arxiv.org/abs/caf%C3%A9"),
    # Refused links are shown as found, with every non-ASCII character as its bytes.
    ("https://\uff41rxiv.org/x", "https://%EF%BD%81rxiv.org/x"),
    ("https://user@g\u0456thub.com/", "https://user@g%D1%96thub.com/"),
    ("https://x.org/\u202egnp.exe", "https://x.org/%E2%80%AEgnp.exe"),
    ("https://x.org/\ud800", "https://x.org/%ED%A0%80"),
    ("https://x.org/\x9b31m", "https://x.org/%C2%9B31m"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("https://x.org/\x1b[31mred", "https://x.org/red"),
]


@pytest.mark.parametrize(("raw", "shown"), DISPLAYED)
def test_display_url(raw: str, shown: str) -> None:
    assert display_url(raw) == shown


@given(st.text())
def test_a_displayed_url_is_one_line_of_printable_ascii(raw: str) -> None:
    shown = display_url(raw).replace("\ufffd", "")  # (the sanitiser's mark for a control character)
    assert shown.isascii() and shown.isprintable()
    checked = check_url(raw)
    if checked.ok:
        assert shown == checked.url  # what is shown is what is copied or opened
