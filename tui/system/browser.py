"""Open a checked link in the user's web browser, or say honestly why not.

docs/reliability.md, "Opening a link". :func:`open_url` is synchronous and may block
(``webbrowser`` waits for some browsers to exit), so the app runs it in a
thread worker; it touches no shared state of ours and is safe there.

- Only links accepted by :func:`tui.system.urlpolicy.check_url` are opened, and
  the browser receives the normalised URL (punycode host), never the raw one.
- No browser is started without a graphical session (Linux/BSD without
  ``DISPLAY`` or ``WAYLAND_DISPLAY``) or over SSH: ``webbrowser`` would fall
  back to a console browser (``www-browser``, ``lynx``, ``w3m``) that fights
  the app for the terminal, or open a window on the remote machine.
- The default opener also refuses a console browser when ``webbrowser``
  found nothing better, for the same reason.
- A browser opened by a command (``xdg-open``, ``gio open``, ``$BROWSER``: the
  ``webbrowser`` controllers that run one program) is run here, not by
  ``webbrowser``, whose ``BackgroundBrowser`` reports success as soon as the
  program has started, before ``xdg-open`` finds no handler and exits 3. The
  command is waited for up to :data:`BROWSER_WAIT_SECONDS`: a non-zero exit
  status is a failure, with the command's own reason (its last line on
  stderr); exit 0, or still running (a browser started directly, whose window
  lives on), means the link was handed over. Its output never reaches the
  terminal the app draws on.
- Even then nothing tells whether a page appeared, so the success message says
  "sent to the browser", not "opened".
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from digest_parser.sanitize import clean_line
from tui.system.urlpolicy import check_url

__all__ = [
    "BrowserLaunch",
    "OpenOutcome",
    "OpenStatus",
    "has_gui_session",
    "is_ssh_session",
    "open_url",
    "run_browser_command",
    "safe_default_opener",
]

OpenStatus = Literal["opened", "rejected", "no-gui", "failed"]

_SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
_MAX_DETAIL = 160
# Text-mode browsers that would take over the terminal the app is drawing on.
_CONSOLE_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m", "browsh"})

BROWSER_WAIT_SECONDS = 3.0
"""How long a browser command is given to report failure. ``xdg-open`` and
``gio open`` hand the link to a running browser and exit within a second; a
browser started directly keeps running, and counts as having the link."""

_STDERR_LIMIT = 4096
"""How much of the command's stderr is read for its reason (the end of it)."""


@dataclass(frozen=True, slots=True)
class OpenOutcome:
    """What :func:`open_url` did."""

    opened: bool
    """True when a browser accepted the link (it cannot tell whether a page appeared)."""
    status: OpenStatus
    """``opened``; ``rejected`` (the link failed the URL policy); ``no-gui`` (no
    graphical session or over SSH, nothing started); ``failed`` (no browser, or
    the browser reported an error)."""
    url: str | None
    """The checked URL to show and offer for copying; None when rejected."""
    message: str
    """One line for the user; contains the URL whenever the link was not opened
    but may be copied. Plain text: show it with ``markup=False``."""


def is_ssh_session(env: Mapping[str, str] | None = None) -> bool:
    """True when the process runs in an SSH login (``SSH_CONNECTION``, ``SSH_CLIENT``
    or ``SSH_TTY`` set and non-empty).

    Inside tmux these variables describe the session tmux was started from,
    which is the best information a program has.
    """
    environ = os.environ if env is None else env
    return any(environ.get(name) for name in _SSH_VARIABLES)


def has_gui_session(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a browser window can appear in front of the user.

    Args:
        env: Environment to inspect (default ``os.environ``).
        platform: ``sys.platform`` value to assume (default the running one).

    Returns:
        False over SSH; on macOS and Windows True; elsewhere (Linux, BSD) True
        only when ``DISPLAY`` or ``WAYLAND_DISPLAY`` is set.
    """
    environ = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if is_ssh_session(environ):
        return False
    if platform == "darwin" or platform.startswith(("win32", "cygwin")):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _is_console_browser(controller: webbrowser.BaseBrowser) -> bool:
    """True for the text-mode browsers ``webbrowser`` registers when ``TERM`` is set.

    They are ``Elinks`` or a ``GenericBrowser`` named after a console browser
    (lynx, w3m, links, www-browser). Other ``GenericBrowser`` entries come from
    ``$BROWSER`` and may well be graphical, so they are allowed.
    """
    if isinstance(controller, webbrowser.Elinks):
        return True
    if type(controller) is not webbrowser.GenericBrowser:
        return False
    name = os.path.basename(str(getattr(controller, "name", ""))).lower()
    return name in _CONSOLE_BROWSERS


@dataclass(frozen=True, slots=True)
class BrowserLaunch:
    """What :func:`run_browser_command` saw."""

    argv: tuple[str, ...]
    returncode: int | None
    """The exit status; None while the command still runs after the wait."""
    reason: str
    """The command's last line on stderr, cleaned (empty when it said nothing)."""
    process: subprocess.Popen[bytes] | None = None
    """The process, still running when ``returncode`` is None (never killed here)."""


def run_browser_command(argv: Sequence[str], *, wait: float = BROWSER_WAIT_SECONDS) -> BrowserLaunch:
    """Run a browser command detached from the terminal and wait up to *wait* seconds.

    No shell; stdin and stdout are ``/dev/null`` and stderr a temporary file
    (never a pipe: a browser that the command leaves running would hold it
    open), in a session of its own so the terminal's signals do not reach it.

    Raises:
        OSError: the command could not be started (not found, not executable).
    """
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - an argv list from webbrowser's registry, no shell
            list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
            close_fds=True, start_new_session=True,
        )
        try:
            returncode: int | None = process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            returncode = None
        size = errors.seek(0, os.SEEK_END)
        errors.seek(max(0, size - _STDERR_LIMIT))
        tail = errors.read().decode("utf-8", "replace")
    lines = [clean_line(line).strip() for line in tail.splitlines()]
    reason = next((line for line in reversed(lines) if line), "")
    return BrowserLaunch(tuple(argv), returncode, reason[:_MAX_DETAIL], process)


def _command_of(controller: webbrowser.BaseBrowser, url: str) -> list[str] | None:
    """The argv a command-running controller would run for *url*; None for the
    others (macOS, Windows, and the remote-control browsers: firefox, chrome…)."""
    if type(controller) not in (webbrowser.GenericBrowser, webbrowser.BackgroundBrowser):
        return None
    name = str(getattr(controller, "name", ""))
    args = [str(arg) for arg in getattr(controller, "args", ["%s"])]
    return [name, *(arg.replace("%s", url) for arg in args)] if name else None


def safe_default_opener(url: str, *, wait: float = BROWSER_WAIT_SECONDS) -> bool:
    """Open *url* with ``webbrowser``'s preferred browser unless it is a console one.

    A browser that is one command (``xdg-open``, ``$BROWSER``) runs through
    :func:`run_browser_command`, so its exit status counts.

    Returns:
        True when the browser took the link; False when no browser is found.

    Raises:
        RuntimeError: the only browser available runs in the terminal, or the
            browser command failed (the message names it and its exit status).
        OSError: the browser command could not be started.
    """
    try:
        controller = webbrowser.get()
    except webbrowser.Error:
        return False
    if _is_console_browser(controller):
        raise RuntimeError("the only browser found runs in the terminal")
    argv = _command_of(controller, url)
    if argv is None:
        return bool(controller.open(url))
    name = os.path.basename(argv[0])
    try:
        launch = run_browser_command(argv, wait=wait)
    except OSError as error:
        raise OSError(f"{name}: {error.strerror or error}") from error
    if launch.returncode not in (None, 0):
        raise RuntimeError(f"{name} exited {launch.returncode}" + (f": {launch.reason}" if launch.reason else ""))
    return True


def open_url(
    url: str,
    *,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    opener: Callable[[str], bool] | None = None,
) -> OpenOutcome:
    """Open a link in the browser if the URL policy and the session allow it.

    Args:
        url: The link as found (it is checked here; pass the raw value).
        env: Environment to inspect (default ``os.environ``).
        platform: ``sys.platform`` value to assume (default the running one).
        opener: Called with the checked URL; returns False when no browser
            could be started. Default :func:`safe_default_opener`.

    Returns:
        An :class:`OpenOutcome`. Never raises; an opener that raises is
        reported as ``failed``.
    """
    checked = check_url(url)
    if not checked.ok or checked.url is None:
        return OpenOutcome(False, "rejected", None, f"Not opened: {checked.reason}.")
    safe_url = checked.url
    if not has_gui_session(env, platform):
        ssh = is_ssh_session(os.environ if env is None else env)
        where = "over SSH" if ssh else "without a graphical session"
        message = f"No browser started {where}; copy the link: {safe_url}"
        return OpenOutcome(False, "no-gui", safe_url, message)
    use = safe_default_opener if opener is None else opener
    try:
        accepted = use(safe_url)
    except Exception as error:  # noqa: BLE001 - a browser failure must not reach the UI
        detail = clean_line(str(error) or type(error).__name__)[:_MAX_DETAIL]
        message = f"Could not open a browser ({detail}); copy the link: {safe_url}"
        return OpenOutcome(False, "failed", safe_url, message)
    if not accepted:
        message = f"No browser could be started; copy the link: {safe_url}"
        return OpenOutcome(False, "failed", safe_url, message)
    return OpenOutcome(True, "opened", safe_url, f"Sent to the browser: {safe_url}")
