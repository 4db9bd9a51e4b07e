"""Copying links (docs/reliability.md, "Copying a link") with fake clipboard tools on PATH.

The fakes live in tests/fake_tools/ and are linked into a private bin
directory under the name of the real tool (xclip, wl-copy, …). ``PATH`` holds
only that directory, so no real clipboard is ever touched. ``copy_ok`` writes
what it read to ``$FAKE_CLIPBOARD_OUT``; every fake appends its argv to
``$FAKE_CLIPBOARD_OUT.argv``.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_urlpolicy import BAD_URLS
from tui.system.clipboard import (
    OVERRIDE_VARIABLE,
    CopyOutcome,
    LocalCopy,
    check_text,
    copy_locally,
    copy_text,
    copy_url,
    describe_copy,
    local_clipboard_commands,
)

FAKE_TOOLS = Path(__file__).resolve().parent / "fake_tools"
URL = "https://github.com/owner/repo"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fake tools are POSIX shell scripts")


class Recorder:
    """Records every call, standing in for the OSC 52 callback or pyperclip."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.error = error

    def __call__(self, text: str) -> None:
        self.calls.append(text)
        if self.error is not None:
            raise self.error


class Bench:
    """A private bin directory with fake tools, and the environment pointing at it."""

    def __init__(self, tmp_path: Path) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.out = tmp_path / "clipboard.out"
        self.env = {"PATH": str(self.bin), "FAKE_CLIPBOARD_OUT": str(self.out)}

    def install(self, fake: str, *names: str) -> None:
        for name in names:
            (self.bin / name).symlink_to(FAKE_TOOLS / fake)

    def session(self, **variables: str) -> dict[str, str]:
        return {**self.env, **variables}

    @property
    def argv(self) -> list[str]:
        path = Path(f"{self.out}.argv")
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    return Bench(tmp_path)


def copy(
    url: str, env: dict[str, str], osc52: Callable[[str], None] | None = None, **options: object
) -> CopyOutcome:
    options.setdefault("platform", "linux")
    options.setdefault("fallback", None)
    return copy_url(url, osc52=osc52 or Recorder(), env=env, **options)  # type: ignore[arg-type]


def test_successful_tool_receives_the_exact_url(bench: Bench) -> None:
    bench.install("copy_ok", "xclip")
    osc52 = Recorder()
    outcome = copy(URL, bench.session(DISPLAY=":0"), osc52)
    assert bench.out.read_bytes() == URL.encode()
    assert bench.argv == ["xclip -selection clipboard -in"]
    assert osc52.calls == [URL]
    assert outcome.copied_locally and outcome.sent_osc52 and outcome.method == "xclip"
    assert outcome.message == "Copied to the clipboard (xclip) and sent to the terminal (OSC 52)."
    assert outcome.url == URL and outcome.detail == ""


def test_osc52_and_tool_get_the_validated_url_not_the_raw_one(bench: Bench) -> None:
    bench.install("copy_ok", "xclip")
    osc52 = Recorder()
    copy("HTTPS://\u0430rxiv.org/abs/caf\u00e9", bench.session(DISPLAY=":0"), osc52)
    assert osc52.calls == ["https://xn--rxiv-43d.org/abs/caf%C3%A9"]
    assert bench.out.read_text() == "https://xn--rxiv-43d.org/abs/caf%C3%A9"


def test_failing_tool_is_not_reported_as_copied(bench: Bench) -> None:
    bench.install("copy_fail", "xclip")
    outcome = copy(URL, bench.session(DISPLAY=":99"))
    assert not outcome.copied_locally and outcome.sent_osc52
    assert outcome.method == "osc52"
    assert "copied" not in outcome.message.lower()
    assert outcome.message.startswith("Sent to the terminal clipboard (OSC 52)")
    assert "xclip exited with status 1" in outcome.message
    assert "Can't open display: :99" in outcome.message  # the tool's own words…
    assert "\x1b" not in outcome.message and "\x07" not in outcome.message  # …sanitised
    assert URL in outcome.message


def test_next_tool_is_tried_when_the_first_fails(bench: Bench) -> None:
    bench.install("copy_fail", "xclip")
    bench.install("copy_ok", "xsel")
    outcome = copy(URL, bench.session(DISPLAY=":0"))
    assert bench.argv == ["xclip -selection clipboard -in", "xsel --clipboard --input"]
    assert outcome.copied_locally and outcome.method == "xsel"
    assert bench.out.read_text() == URL


def test_wayland_uses_wl_copy_first(bench: Bench) -> None:
    bench.install("copy_ok", "wl-copy", "xclip")
    outcome = copy(URL, bench.session(WAYLAND_DISPLAY="wayland-0", DISPLAY=":0"))
    assert outcome.method == "wl-copy" and bench.argv == ["wl-copy "]


def test_macos_uses_pbcopy(bench: Bench) -> None:
    bench.install("copy_ok", "pbcopy")
    outcome = copy(URL, bench.env, platform="darwin")
    assert outcome.copied_locally and outcome.method == "pbcopy"
    assert bench.out.read_text() == URL


def _processes_with(marker: str) -> list[int]:
    """Live (non-zombie) processes whose environment contains *marker*."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # exited meanwhile, or not ours
    return found


def test_hanging_tool_is_bounded_killed_and_reported(bench: Bench) -> None:
    bench.install("copy_hang", "xclip")
    results: list[CopyOutcome] = []
    env = bench.session(DISPLAY=":0")
    worker = threading.Thread(target=lambda: results.append(copy(URL, env, timeout=0.5)))
    worker.start()
    worker.join(60)  # a liveness guard only: a hang must fail the test, not the suite
    assert not worker.is_alive(), "copy_url did not return"
    outcome = results[0]
    assert not outcome.copied_locally and outcome.sent_osc52
    assert "xclip did not finish within 0.5 s" in outcome.message and URL in outcome.message
    if sys.platform.startswith("linux"):
        # The tool and the child it hangs in were killed with their process group.
        assert _processes_with(f"FAKE_CLIPBOARD_OUT={bench.out}") == []


@pytest.mark.parametrize(("raw", "_word"), BAD_URLS)
def test_rejected_urls_are_neither_copied_nor_sent(bench: Bench, raw: str, _word: str) -> None:
    bench.install("copy_ok", "xclip", "wl-copy", "xsel")
    osc52, fallback = Recorder(), Recorder()
    outcome = copy(raw, bench.session(DISPLAY=":0"), osc52, fallback=fallback)
    assert osc52.calls == [] and fallback.calls == []
    assert not bench.out.exists() and bench.argv == []
    assert not outcome.copied_locally and not outcome.sent_osc52
    assert outcome.method == "none" and outcome.url is None
    assert outcome.message.startswith("Not copied: ")


def test_no_graphical_session_and_no_tools(bench: Bench) -> None:
    fallback = Recorder()
    outcome = copy(URL, bench.env, osc52=Recorder(RuntimeError("app is gone")), fallback=fallback)
    assert fallback.calls == []
    assert outcome.method == "none" and not outcome.copied_locally and not outcome.sent_osc52
    assert outcome.message == f"No clipboard available. Copy the link by hand: {URL}"


def test_display_without_tools_says_so(bench: Bench) -> None:
    outcome = copy(URL, bench.session(DISPLAY=":0"), osc52=Recorder(RuntimeError("gone")))
    assert outcome.method == "none"
    assert outcome.message == (
        f"No clipboard available. Local clipboard: no clipboard tool found (xclip, xsel). "
        f"Copy the link by hand: {URL}"
    )


def test_osc52_only_mentions_tmux_when_in_tmux(bench: Bench) -> None:
    outcome = copy(URL, bench.session(TMUX="/tmp/tmux-0/default,1,0"))
    assert outcome.method == "osc52" and not outcome.copied_locally
    assert outcome.message == (
        f"Sent to the terminal clipboard (OSC 52); in tmux this needs `set -g set-clipboard on`. Link: {URL}"
    )
    plain = copy(URL, bench.env)
    assert "not every terminal supports it" in plain.message
    apple = copy(URL, bench.session(TERM_PROGRAM="Apple_Terminal"), platform="linux")
    assert "Terminal.app ignores it" in apple.message


def test_local_copy_still_counts_when_osc52_fails(bench: Bench) -> None:
    bench.install("copy_ok", "xclip")
    outcome = copy(URL, bench.session(DISPLAY=":0"), osc52=Recorder(RuntimeError("app is gone")))
    assert outcome.copied_locally and not outcome.sent_osc52
    assert outcome.message == "Copied to the clipboard (xclip)."


def test_pyperclip_fallback_only_when_no_tool_exists(bench: Bench) -> None:
    fallback = Recorder()
    outcome = copy(URL, bench.session(DISPLAY=":0"), fallback=fallback)
    assert fallback.calls == [URL]
    assert outcome.copied_locally and outcome.method == "pyperclip"

    bench.install("copy_fail", "xclip")
    fallback = Recorder()
    copy(URL, bench.session(DISPLAY=":0"), fallback=fallback)
    assert fallback.calls == []  # it would call the failing xclip again, unchecked


def test_pyperclip_exception_is_reported(bench: Bench) -> None:
    import pyperclip

    fallback = Recorder(pyperclip.PyperclipException("could not find a copy/paste mechanism"))
    outcome = copy(URL, bench.session(DISPLAY=":0"), fallback=fallback)
    assert not outcome.copied_locally and outcome.method == "osc52"
    assert "pyperclip: could not find a copy/paste mechanism" in outcome.message


def test_hanging_pyperclip_is_abandoned(bench: Bench) -> None:
    release = threading.Event()
    try:
        outcome = copy(URL, bench.session(DISPLAY=":0"), fallback=lambda text: release.wait(), timeout=0.2)
    finally:
        release.set()  # let the abandoned daemon thread end
    assert not outcome.copied_locally
    assert "pyperclip did not finish within 0.2 s" in outcome.message


def test_tool_that_cannot_start_is_reported(bench: Bench) -> None:
    (bench.bin / "xclip").write_text("not a program")
    (bench.bin / "xclip").chmod(0o755)
    outcome = copy(URL, bench.session(DISPLAY=":0"))
    assert not outcome.copied_locally and "xclip could not be started" in outcome.message


SSH = {"SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22"}
X11 = ("xclip", "xsel")


@pytest.mark.parametrize(
    ("env", "platform", "tools", "reason"),
    [
        ({}, "linux", (), "there is no graphical session"),
        ({"DISPLAY": ":0"}, "linux", X11, ""),
        ({"WAYLAND_DISPLAY": "wayland-1"}, "linux", ("wl-copy",), ""),
        ({"WAYLAND_DISPLAY": "w", "DISPLAY": ":1"}, "linux", ("wl-copy", *X11), ""),
        ({"WSL_DISTRO_NAME": "Ubuntu"}, "linux", ("clip.exe",), ""),
        ({}, "darwin", ("pbcopy",), ""),
        ({}, "win32", ("clip.exe",), ""),
        # Over SSH only a forwarded X display reaches the user's screen.
        ({**SSH, "DISPLAY": ":0"}, "linux", (), "over SSH"),
        ({**SSH, "DISPLAY": "unix:0"}, "linux", (), "over SSH"),
        ({**SSH, "WAYLAND_DISPLAY": "wayland-0"}, "linux", (), "over SSH"),
        ({**SSH, "DISPLAY": "localhost:10.0"}, "linux", X11, ""),
        ({"SSH_TTY": "/dev/pts/0", "DISPLAY": "laptop:11"}, "linux", X11, ""),
        ({**SSH, "WAYLAND_DISPLAY": "w", "DISPLAY": "localhost:10.0"}, "linux", X11, ""),
        ({**SSH}, "darwin", (), "over SSH"),
        ({**SSH}, "win32", (), "over SSH"),
        # The override.
        ({**SSH, "DISPLAY": ":0", OVERRIDE_VARIABLE: "1"}, "linux", X11, ""),
        ({**SSH, OVERRIDE_VARIABLE: "always"}, "darwin", ("pbcopy",), ""),
        ({"DISPLAY": ":0", OVERRIDE_VARIABLE: "0"}, "linux", (), "turned off"),
        ({OVERRIDE_VARIABLE: "never"}, "darwin", (), "turned off"),
    ],
)
def test_which_local_clipboard_is_used(
    env: dict[str, str], platform: str, tools: tuple[str, ...], reason: str
) -> None:
    commands, why = local_clipboard_commands(env, platform)
    assert tuple(argv[0] for argv in commands) == tools
    assert reason in why and (why == "") == bool(tools)


def test_skipped_local_clipboard_runs_nothing(bench: Bench) -> None:
    bench.install("copy_ok", "xclip")
    result = copy_locally(URL, env=bench.session(DISPLAY=":0", **SSH), platform="linux", fallback=None)
    assert result.skipped and not result.ok and bench.argv == []


@given(st.text(max_size=80))
def test_copy_url_never_raises(raw: str) -> None:
    osc52 = Recorder()
    outcome = copy_url(raw, osc52=osc52, env={"PATH": os.devnull}, platform="linux", fallback=None)
    assert not outcome.copied_locally
    if outcome.url is None:
        assert osc52.calls == [] and outcome.message.startswith("Not copied")
    else:
        assert osc52.calls == [outcome.url] and outcome.url in outcome.message


def test_describe_copy_for_apps_that_send_osc52_themselves() -> None:
    failed = LocalCopy(False, "xclip", "xclip exited with status 1")
    outcome = describe_copy(URL, failed, sent_osc52=True, env={})
    assert not outcome.copied_locally and outcome.method == "osc52"
    assert outcome.message == (
        "Sent to the terminal clipboard (OSC 52); not every terminal supports it. "
        f"Local clipboard: xclip exited with status 1. Link: {URL}"
    )
    copied = describe_copy(URL, LocalCopy(True, "pbcopy", ""), sent_osc52=False, env={})
    assert copied.copied_locally and copied.message == "Copied to the clipboard (pbcopy)."


# --------------------------------------------------------------------- plain text (a BibTeX entry, Y)

ENTRY = "@misc{vale2026folding,\n  title = {{Folding $n^{2}$ Robots}},\n  year = {2026}\n}\n"


def copy_plain(text: str, env: dict[str, str], osc52: Callable[[str], None] | None = None,
               **options: object) -> CopyOutcome:
    options.setdefault("platform", "linux")
    options.setdefault("fallback", None)
    return copy_text(text, what="the BibTeX entry", osc52=osc52 or Recorder(), env=env, **options)  # type: ignore[arg-type]


def test_text_reaches_the_tool_and_osc52_byte_for_byte(bench: Bench) -> None:
    bench.install("copy_ok", "xclip")
    osc52 = Recorder()
    outcome = copy_plain(ENTRY, bench.session(DISPLAY=":0"), osc52)
    assert bench.out.read_bytes() == ENTRY.encode()
    assert osc52.calls == [ENTRY]
    assert outcome.copied_locally and outcome.sent_osc52 and outcome.url is None
    assert outcome.message == "Copied the BibTeX entry to the clipboard (xclip) and sent it to the terminal (OSC 52)."


def test_text_sent_only_by_osc52_says_nothing_confirmed_it(bench: Bench) -> None:
    bench.install("copy_fail", "xclip")
    outcome = copy_plain(ENTRY, bench.session(DISPLAY=":0", TMUX="/tmp/tmux-0/default,1,0"))
    assert not outcome.copied_locally and outcome.method == "osc52"
    assert outcome.message.startswith(
        "Sent the BibTeX entry to the terminal clipboard (OSC 52); in tmux this needs `set -g set-clipboard on`."
    )
    assert "xclip exited with status 1" in outcome.message and "\n" not in outcome.message


def test_text_with_no_clipboard_at_all_is_said_not_copied(bench: Bench) -> None:
    outcome = copy_plain(ENTRY, bench.env, osc52=Recorder(RuntimeError("app is gone")))
    assert outcome.method == "none" and not outcome.copied_locally
    assert outcome.message == "No clipboard available: the BibTeX entry was not copied."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "nothing to copy"),
        ("  \n ", "nothing to copy"),
        ("@misc{x,\n  title = {\x1b]52;c;aGk=\x07}\n}", "control or invisible"),
        ("@misc{x,\r\n}", "control or invisible"),
        ("@misc{x, title = {a\u202eb}}", "control or invisible"),
        ("@misc{x,\ttitle = {a}}", "control or invisible"),
        ("x" * 70_000, "longer than 65,536 characters"),
    ],
)
def test_unsafe_text_is_neither_copied_nor_sent(bench: Bench, text: str, reason: str) -> None:
    bench.install("copy_ok", "xclip")
    osc52, fallback = Recorder(), Recorder()
    outcome = copy_plain(text, bench.session(DISPLAY=":0"), osc52, fallback=fallback)
    assert osc52.calls == [] and fallback.calls == [] and bench.argv == []
    assert not outcome.copied_locally and not outcome.sent_osc52
    assert outcome.message.startswith("Not copied: the BibTeX entry was refused (") and reason in outcome.message


def test_check_text_allows_line_breaks_and_unicode() -> None:
    assert check_text(ENTRY) is None
    assert check_text("author = {Zoë Ångström}\n") is None


@given(st.text(max_size=80))
def test_copy_text_never_raises_and_sends_only_clean_text(raw: str) -> None:
    osc52 = Recorder()
    outcome = copy_text(raw, what="the text", osc52=osc52, env={"PATH": os.devnull}, platform="linux", fallback=None)
    assert not outcome.copied_locally
    assert osc52.calls == ([] if check_text(raw) else [raw])
