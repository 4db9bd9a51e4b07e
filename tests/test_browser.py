"""Opening links in a browser (docs/reliability.md, "Opening a link"): policy first, no console browser."""

from __future__ import annotations

import subprocess
import sys
import webbrowser

import pytest

from tests.test_urlpolicy import BAD_URLS
from tui.system import browser
from tui.system.browser import has_gui_session, is_ssh_session, open_url

DESKTOP = {"DISPLAY": ":0"}
SSH = {"SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22"}


class RecordingOpener:
    """Stands in for webbrowser.open: records each URL and returns a fixed answer."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.calls: list[str] = []

    def __call__(self, url: str) -> bool:
        self.calls.append(url)
        return self.answer


def test_checked_url_is_handed_to_the_opener() -> None:
    opener = RecordingOpener()
    outcome = open_url("https://\u0430rxiv.org/abs/1", env=DESKTOP, platform="linux", opener=opener)
    assert opener.calls == ["https://xn--rxiv-43d.org/abs/1"]
    assert outcome.opened and outcome.status == "opened"
    assert outcome.url == "https://xn--rxiv-43d.org/abs/1"
    assert "xn--rxiv-43d.org" in outcome.message


@pytest.mark.parametrize(("raw", "_word"), BAD_URLS)
def test_rejected_urls_never_reach_the_opener(raw: str, _word: str) -> None:
    opener = RecordingOpener()
    outcome = open_url(raw, env=DESKTOP, platform="linux", opener=opener)
    assert opener.calls == []
    assert outcome.status == "rejected" and not outcome.opened and outcome.url is None
    assert outcome.message.startswith("Not opened: ")


@pytest.mark.parametrize(
    ("env", "platform", "where"),
    [
        ({}, "linux", "without a graphical session"),
        ({"TERM": "xterm"}, "freebsd14", "without a graphical session"),
        ({**DESKTOP, **SSH}, "linux", "over SSH"),
        ({"WAYLAND_DISPLAY": "wayland-0", "SSH_TTY": "/dev/pts/3"}, "linux", "over SSH"),
        ({"DISPLAY": "localhost:10.0", "SSH_CLIENT": "192.0.2.1 50000 22"}, "linux", "over SSH"),
        (SSH, "darwin", "over SSH"),
        (SSH, "win32", "over SSH"),
    ],
)
def test_no_browser_without_a_graphical_session(env: dict[str, str], platform: str, where: str) -> None:
    opener = RecordingOpener()
    outcome = open_url("https://example.org/p", env=env, platform=platform, opener=opener)
    assert opener.calls == []
    assert outcome.status == "no-gui" and not outcome.opened
    assert outcome.url == "https://example.org/p"
    assert where in outcome.message and "https://example.org/p" in outcome.message


def test_opener_returning_false_is_reported() -> None:
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux", opener=RecordingOpener(False))
    assert outcome.status == "failed" and not outcome.opened
    assert "No browser could be started" in outcome.message
    assert "https://example.org/p" in outcome.message


def test_opener_that_raises_is_reported_not_raised() -> None:
    def broken(url: str) -> bool:
        raise OSError("\x1b]0;pwned\x07exec format error")

    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux", opener=broken)
    assert outcome.status == "failed" and not outcome.opened
    assert "exec format error" in outcome.message
    assert "\x1b" not in outcome.message and "\x07" not in outcome.message


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ""}, "linux", False),
        (DESKTOP, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        (DESKTOP, "openbsd7", True),
        ({}, "darwin", True),
        ({}, "win32", True),
        ({}, "cygwin", True),
        ({**DESKTOP, **SSH}, "linux", False),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", False),
        ({"SSH_CONNECTION": ""}, "darwin", True),
    ],
)
def test_has_gui_session(env: dict[str, str], platform: str, expected: bool) -> None:
    assert has_gui_session(env, platform) is expected


def test_is_ssh_session_reads_the_given_environment() -> None:
    assert is_ssh_session(SSH)
    assert not is_ssh_session({})


@pytest.mark.parametrize(
    ("controller", "console"),
    [
        (webbrowser.GenericBrowser("lynx"), True),
        (webbrowser.GenericBrowser("/usr/bin/w3m"), True),
        (webbrowser.GenericBrowser("www-browser"), True),
        (webbrowser.Elinks("elinks"), True),
        (webbrowser.GenericBrowser("my-gui-browser"), False),
        (webbrowser.BackgroundBrowser("xdg-open"), False),
        (webbrowser.Mozilla("firefox"), False),
        (webbrowser.Chrome("google-chrome"), False),
    ],
)
def test_console_browsers_are_recognised(controller: webbrowser.BaseBrowser, console: bool) -> None:
    assert browser._is_console_browser(controller) is console


class FakeController(webbrowser.BackgroundBrowser):
    def __init__(self) -> None:
        super().__init__("fake-gui-browser")
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


def test_default_opener_uses_the_preferred_gui_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    controller = FakeController()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: controller)
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.opened
    assert controller.opened == ["https://example.org/p"]


def test_default_opener_refuses_a_console_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    lynx = webbrowser.GenericBrowser("lynx")
    monkeypatch.setattr(lynx, "open", pytest.fail)  # must never run: it would take the terminal
    monkeypatch.setattr(webbrowser, "get", lambda using=None: lynx)
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.status == "failed"
    assert "runs in the terminal" in outcome.message and "https://example.org/p" in outcome.message


def test_default_opener_without_any_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.status == "failed" and "No browser could be started" in outcome.message


def test_link_modules_import_no_ui_library() -> None:
    # tui/system keeps Textual out: the app passes callbacks (OSC 52, opener) in.
    # pyperclip is imported lazily, only when it is the last resort.
    code = (
        "import sys, tui.system.urlpolicy, tui.system.clipboard, tui.system.browser\n"
        "print(sorted(m for m in ('textual', 'rich', 'pyperclip') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


# ---- the browser command's real outcome (xdg-open, gio, $BROWSER) ---------------------------

FAKE_TOOLS = __import__("pathlib").Path(__file__).resolve().parent / "fake_tools"


@pytest.fixture
def browser_log(tmp_path, monkeypatch: pytest.MonkeyPatch):
    log = tmp_path / "browser.argv"
    monkeypatch.setenv("FAKE_BROWSER_OUT", str(log))
    return log


@pytest.mark.parametrize("kind", [webbrowser.BackgroundBrowser, webbrowser.GenericBrowser])
def test_a_browser_command_that_exits_non_zero_is_a_failure(
    kind: type[webbrowser.GenericBrowser], browser_log, monkeypatch: pytest.MonkeyPatch
) -> None:
    # xdg-open is a BackgroundBrowser: webbrowser reports True as soon as it has
    # started, before it failed to find a handler.
    monkeypatch.setattr(webbrowser, "get", lambda using=None: kind(str(FAKE_TOOLS / "browser_fail")))
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.status == "failed" and not outcome.opened
    assert "browser_fail exited 3" in outcome.message
    assert "no method available" in outcome.message  # its own reason, from stderr
    assert "\x1b" not in outcome.message and "\x07" not in outcome.message
    assert outcome.url == "https://example.org/p"
    assert browser_log.read_text() == "https://example.org/p\n"


def test_a_browser_command_that_exits_zero_sent_the_link(browser_log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(str(FAKE_TOOLS / "browser_ok")))
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.status == "opened" and outcome.opened
    assert outcome.message == "Sent to the browser: https://example.org/p"
    assert browser_log.read_text() == "https://example.org/p\n"


def test_a_browser_command_that_cannot_start_says_why(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    missing = str(tmp_path / "no-such-browser")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(missing))
    outcome = open_url("https://example.org/p", env=DESKTOP, platform="linux")
    assert outcome.status == "failed"
    assert "no-such-browser" in outcome.message and "No such file" in outcome.message


def test_a_browser_that_stays_running_counts_as_sent(browser_log) -> None:
    # A browser started directly lives on with its window: after the wait, it
    # has the link; nothing is killed.
    launch = browser.run_browser_command([str(FAKE_TOOLS / "browser_stays"), "https://example.org/p"], wait=0.2)
    try:
        assert launch.returncode is None
        assert launch.process is not None and launch.process.poll() is None
    finally:
        assert launch.process is not None
        launch.process.kill()
        launch.process.wait()


def test_the_browser_command_never_writes_on_the_terminal(browser_log, capfd: pytest.CaptureFixture[str]) -> None:
    launch = browser.run_browser_command([str(FAKE_TOOLS / "browser_fail"), "https://example.org/p"])
    assert launch.returncode == 3
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""  # (its stderr is read into the message instead)
    assert "no method available" in launch.reason
