"""Copy a checked link to the clipboard, and report honestly what happened.

docs/reliability.md, "Copying a link". Two routes, used together:

1. **OSC 52** through a callback (the app passes Textual's
   ``copy_to_clipboard``). It reaches the user's own clipboard even over SSH,
   but the terminal never confirms it: tmux drops it unless
   ``set -g set-clipboard on``, and Terminal.app ignores it.
2. **The local clipboard**, through the platform's own tool, run with an argv
   list (no shell), the text on stdin, a time limit and a checked exit status:
   ``wl-copy`` under ``WAYLAND_DISPLAY``; ``xclip -selection clipboard -in``
   or ``xsel --clipboard --input`` under ``DISPLAY``; ``pbcopy`` on macOS;
   ``clip.exe`` on Windows and in WSL. pyperclip is only a last resort when
   none of those tools exists, because it checks no exit status and has no
   timeout: it runs in a daemon thread that is abandoned after the timeout.

xclip, xsel and wl-copy fork a child that keeps serving the selection; the
parent exits 0 once the selection is taken (xclip calls
``XSetSelectionOwner`` before forking). Their output goes to ``DEVNULL`` and
a temporary file, never to a pipe the child would hold open, so waiting for
the parent does not hang. A tool that hangs is killed with its process group
when the time is up.

**Over SSH** (``SSH_CONNECTION``, ``SSH_CLIENT`` or ``SSH_TTY`` set) the local
clipboard belongs to the remote machine, so it is used only when ``DISPLAY``
names a forwarded X server (``localhost:10.0``, as ``ssh -X`` sets it); a
local-looking display (``:0``) or Wayland is then a stale leftover and is
skipped. ``local_clipboard = true`` in config.toml (docs/config.md) forces the
local clipboard on, ``false`` turns it off everywhere, ``"auto"`` decides as
above; the environment variable ``DIGEST_READER_LOCAL_CLIPBOARD`` (``1``/``0``),
when set, wins over the file.

Only links accepted by :func:`tui.system.urlpolicy.check_url` are copied, and
only in their normalised form: no newline or control character can ride along
into a paste.

Text that is not a link (a BibTeX entry, ``Y``) takes :func:`copy_text`: the
same two routes, after :func:`check_text`, which lets through line breaks but
no other control character, no bidi or zero-width character and nothing over
:data:`MAX_TEXT_CHARS` (docs/reliability.md, "Copying a link").
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from digest_parser.sanitize import clean_line, is_clean
from tui.system.browser import is_ssh_session
from tui.system.urlpolicy import check_url

__all__ = [
    "MAX_TEXT_CHARS",
    "OVERRIDE_VARIABLE",
    "CopyOutcome",
    "LocalCopy",
    "check_text",
    "copy_locally",
    "copy_text",
    "copy_url",
    "describe_copy",
    "describe_text_copy",
    "local_clipboard_commands",
    "pyperclip_copy",
    "set_local_clipboard",
]

OVERRIDE_VARIABLE = "DIGEST_READER_LOCAL_CLIPBOARD"
"""``1`` forces the local clipboard on (even over SSH), ``0`` turns it off; wins over the config file."""

_configured: bool | None = None
"""``local_clipboard`` from config.toml: True on, False off, None auto."""


def set_local_clipboard(mode: bool | None) -> None:
    """Apply the config file's ``local_clipboard`` (True, False, or None for
    ``auto``); the app calls it once at start. The environment variable still wins."""
    global _configured
    _configured = mode

_MAX_DETAIL = 160
_WAYLAND = (("wl-copy",),)
_X11 = (("xclip", "-selection", "clipboard", "-in"), ("xsel", "--clipboard", "--input"))
_MACOS = (("pbcopy",),)
_WINDOWS = (("clip.exe",),)


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """What :func:`copy_url` did."""

    copied_locally: bool
    """True only when a local clipboard tool confirmed the copy (exit status 0),
    or the pyperclip fallback returned without error."""
    sent_osc52: bool
    """True when the OSC 52 callback ran without raising (the terminal gives no receipt)."""
    method: str
    """The tool that copied (``xclip``, ``wl-copy``, ``xsel``, ``pbcopy``,
    ``clip.exe``, ``pyperclip``), else ``osc52`` when only OSC 52 was sent,
    else ``none``."""
    message: str
    """One line for the user; contains the URL whenever nothing confirmed the
    copy. Plain text: show it with ``markup=False``."""
    url: str | None = None
    """The checked URL that was copied or should be copied by hand; None when refused."""
    detail: str = ""
    """Why the local clipboard was skipped or failed (empty when it worked)."""


@dataclass(frozen=True, slots=True)
class LocalCopy:
    """What :func:`copy_locally` did."""

    ok: bool
    """True when a tool exited 0 (or the pyperclip fallback returned)."""
    method: str
    """The tool that succeeded, or the last one tried; empty when none was tried."""
    detail: str
    """Why the copy was skipped or failed, for the message; empty on success."""
    skipped: bool = False
    """True when no local clipboard was tried because this session has none
    (no graphical session, over SSH, or turned off)."""


def local_clipboard_commands(
    env: Mapping[str, str] | None = None, platform: str | None = None, configured: bool | None = None
) -> tuple[tuple[tuple[str, ...], ...], str]:
    """The local clipboard commands worth trying here, in order.

    Args:
        env: Environment to inspect (default ``os.environ``).
        platform: ``sys.platform`` value to assume (default the running one).
        configured: The config file's ``local_clipboard`` (default: what
            :func:`set_local_clipboard` set); the environment variable wins.

    Returns:
        ``(commands, reason)``: argv tuples to try (not yet looked up on
        ``PATH``), and, when there are none, why the local clipboard is skipped.
    """
    environ = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    override = environ.get(OVERRIDE_VARIABLE, "").strip().lower()
    if override in ("0", "no", "off", "never"):
        return (), f"the local clipboard is turned off ({OVERRIDE_VARIABLE}={override})"
    forced = override in ("1", "yes", "on", "always")
    if not forced:  # the variable unset (or "auto"): the config file decides
        setting = _configured if configured is None else configured
        if setting is False:
            return (), "the local clipboard is turned off (local_clipboard = false in config.toml)"
        forced = setting is True
    remote = is_ssh_session(environ) and not forced
    display = environ.get("DISPLAY", "")
    if platform == "darwin" or platform.startswith(("win32", "cygwin")):
        if remote:
            return (), "over SSH the local clipboard is the remote machine's"
        return (_MACOS if platform == "darwin" else _WINDOWS), ""
    if remote:
        if display and _is_forwarded_display(display):
            return _X11, ""
        return (), "over SSH the local clipboard is the remote machine's"
    commands: tuple[tuple[str, ...], ...] = ()
    if environ.get("WAYLAND_DISPLAY"):
        commands += _WAYLAND
    if display:
        commands += _X11  # also reached under Wayland through XWayland
    if not commands and environ.get("WSL_DISTRO_NAME"):
        commands = _WINDOWS
    return commands, "" if commands else "there is no graphical session"


def _is_forwarded_display(display: str) -> bool:
    """True for ``host:N`` displays (SSH X11 forwarding), False for local ones
    (``:0``, ``unix:0``, or a socket path such as XQuartz's)."""
    host = display.rpartition(":")[0]
    return bool(host) and host != "unix" and "/" not in host


def pyperclip_copy(text: str) -> None:
    """Copy with pyperclip (imported lazily: most runs never need it).

    Raises:
        pyperclip.PyperclipException: when pyperclip finds no mechanism.
    """
    import pyperclip

    pyperclip.copy(text)


def copy_locally(
    text: str,
    *,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    timeout: float = 2.0,
    fallback: Callable[[str], None] | None = pyperclip_copy,
) -> LocalCopy:
    """Put *text* on the local clipboard with the platform's tool, within *timeout*.

    The text is passed as is: check it first (:func:`copy_url` does).

    Args:
        text: What to copy.
        env: Environment for choosing and running the tools (default ``os.environ``);
            its ``PATH`` is where the tools are looked up.
        platform: ``sys.platform`` value to assume (default the running one).
        timeout: Seconds for all attempts together; a tool still running then is killed.
        fallback: Called when no tool is found on ``PATH`` (default pyperclip);
            None to skip. Runs in a daemon thread, abandoned after the time left.

    Returns:
        A :class:`LocalCopy`. Never raises.
    """
    try:
        commands, skipped = local_clipboard_commands(env, platform)
        if not commands:
            return LocalCopy(False, "", skipped, skipped=True)
        deadline = time.monotonic() + timeout
        search_path = (os.environ if env is None else env).get("PATH", os.defpath)
        failures: list[str] = []
        tried = ""
        for argv in commands:
            executable = shutil.which(argv[0], path=search_path)
            if executable is None:
                continue
            tried = argv[0]
            failure = _run_tool(executable, argv, text, env, deadline - time.monotonic())
            if failure is None:
                return LocalCopy(True, argv[0], "")
            failures.append(f"{argv[0]} {failure}")
        if failures:
            return LocalCopy(False, tried, "; ".join(failures))
        names = ", ".join(argv[0] for argv in commands)
        if fallback is None:
            return LocalCopy(False, "", f"no clipboard tool found ({names})")
        return _run_fallback(fallback, text, max(deadline - time.monotonic(), 0.0), names)
    except Exception as error:  # noqa: BLE001 - "never raises" is the contract
        return LocalCopy(False, "", f"the local clipboard failed ({_describe(error)})")


def _run_tool(
    executable: str, argv: Sequence[str], text: str, env: Mapping[str, str] | None, seconds: float
) -> str | None:
    """Run one clipboard tool; None on success, else what went wrong."""
    if seconds <= 0:
        return "was not tried: no time left"
    options: dict[str, object] = {}
    if os.name == "posix":
        # Its own process group, so a hung tool is killed with its children,
        # and a daemonised xclip does not get the terminal's signals.
        options["start_new_session"] = True
    else:
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [executable, *argv[1:]],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=None if env is None else dict(env),
                **options,  # type: ignore[arg-type]
            )
        except OSError as error:
            return f"could not be started ({_describe(error)})"
        try:
            process.communicate(text.encode("utf-8"), timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill(process)
            return f"did not finish within {seconds:.1f} s"
        if process.returncode == 0:
            return None
        errors.seek(0)
        said = clean_line(errors.read(4096).decode("utf-8", "replace")).strip()
        status = f"exited with status {process.returncode}"
        return f"{status} ({said[:_MAX_DETAIL]})" if said else status


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        process.kill()  # group already gone or not ours: kill at least the tool
    try:
        process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        pass  # unkillable (e.g. stuck in the kernel): give up rather than hang
    if process.stdin is not None:
        try:
            process.stdin.close()
        except OSError:
            pass


def _run_fallback(
    fallback: Callable[[str], None], text: str, seconds: float, names: str
) -> LocalCopy:
    result: list[BaseException | None] = []

    def copy() -> None:
        try:
            fallback(text)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            result.append(error)
        else:
            result.append(None)

    worker = threading.Thread(target=copy, name="clipboard-fallback", daemon=True)
    worker.start()
    worker.join(seconds)
    if not result:
        return LocalCopy(False, "pyperclip", f"pyperclip did not finish within {seconds:.1f} s")
    if result[0] is not None:
        detail = f"no clipboard tool found ({names}); pyperclip: {_describe(result[0])}"
        return LocalCopy(False, "pyperclip", detail)
    return LocalCopy(True, "pyperclip", "")


def _describe(error: BaseException) -> str:
    return clean_line(str(error) or type(error).__name__)[:_MAX_DETAIL]


def copy_url(
    url: str,
    *,
    osc52: Callable[[str], None],
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    timeout: float = 2.0,
    fallback: Callable[[str], None] | None = pyperclip_copy,
) -> CopyOutcome:
    """Check a link, then send it through OSC 52 and to the local clipboard.

    Blocks for up to about *timeout* seconds: run it in a thread worker, and
    give it an *osc52* callback that is safe from that thread, such as
    ``lambda text: app.call_from_thread(app.copy_to_clipboard, text)``.

    Args:
        url: The link as found (it is checked here; pass the raw value).
        osc52: Called once with the checked URL, unless the link is refused.
            If it raises, the OSC 52 route counts as not sent.
        env: Environment for the local clipboard (default ``os.environ``).
        platform: ``sys.platform`` value to assume (default the running one).
        timeout: Seconds allowed for the local clipboard.
        fallback: Passed to :func:`copy_locally` (default pyperclip; None to skip).

    Returns:
        A :class:`CopyOutcome` whose message says exactly what happened. Never raises.
    """
    checked = check_url(url)
    if not checked.ok or checked.url is None:
        message = f"Not copied: {checked.reason}."
        return CopyOutcome(False, False, "none", message, None, checked.reason)
    safe_url = checked.url
    sent, local = _send_both(safe_url, osc52, env=env, platform=platform, timeout=timeout, fallback=fallback)
    return describe_copy(safe_url, local, sent_osc52=sent, env=env)


def _send_both(
    text: str,
    osc52: Callable[[str], None],
    *,
    env: Mapping[str, str] | None,
    platform: str | None,
    timeout: float,
    fallback: Callable[[str], None] | None,
) -> tuple[bool, LocalCopy]:
    """Send checked *text* by both routes: whether OSC 52 went out, and the local result.

    Both are always tried: OSC 52 may be swallowed by a terminal that does not
    allow it, and the local clipboard may be another machine's over SSH.
    """
    try:
        osc52(text)
        sent = True
    except Exception:  # noqa: BLE001 - e.g. the app is shutting down
        sent = False
    return sent, copy_locally(text, env=env, platform=platform, timeout=timeout, fallback=fallback)


def describe_copy(
    url: str, local: LocalCopy, *, sent_osc52: bool, env: Mapping[str, str] | None = None
) -> CopyOutcome:
    """Build the honest outcome of a copy from its two routes.

    :func:`copy_url` uses it; an app that sends OSC 52 itself on the event
    loop and runs only :func:`copy_locally` in a worker can use it too.

    Args:
        url: The checked URL (``check_url(raw).url``) that was copied.
        local: What :func:`copy_locally` reported.
        sent_osc52: Whether the OSC 52 sequence was written.
        env: Environment used to word the OSC 52 caveat (``TMUX``, ``TERM_PROGRAM``).

    Returns:
        The :class:`CopyOutcome`, with "copied" only when ``local.ok``.
    """
    environ = os.environ if env is None else env
    if local.ok:
        also = " and sent to the terminal (OSC 52)" if sent_osc52 else ""
        message = f"Copied to the clipboard ({local.method}){also}."
        return CopyOutcome(True, sent_osc52, local.method, message, url, "")
    failed = "" if local.skipped or not local.detail else f" Local clipboard: {local.detail}."
    if sent_osc52:
        caveat = _osc52_caveat(environ)
        message = f"Sent to the terminal clipboard (OSC 52){caveat}.{failed} Link: {url}"
        return CopyOutcome(False, True, "osc52", message, url, local.detail)
    message = f"No clipboard available.{failed} Copy the link by hand: {url}"
    return CopyOutcome(False, False, "none", message, url, local.detail)


def _osc52_caveat(environ: Mapping[str, str]) -> str:
    """Where OSC 52 is known not to arrive, say so; it never confirms."""
    if environ.get("TERM_PROGRAM") == "Apple_Terminal":
        return "; Terminal.app ignores it"
    if environ.get("TMUX"):
        return "; in tmux this needs `set -g set-clipboard on`"
    return "; not every terminal supports it"


MAX_TEXT_CHARS = 65_536
"""The longest text :func:`copy_text` copies: a BibTeX entry is a few hundred characters,
and terminals cap what one OSC 52 sequence may carry."""


def check_text(text: str) -> str | None:
    """Why *text* may not be copied as plain text, or None when it may.

    Line breaks are allowed; every other control character (escape sequences,
    carriage returns, tabs), bidi overrides, zero-width characters and lone
    surrogates are not: what is pasted is exactly what was shown.
    """
    if not text.strip():
        return "there is nothing to copy"
    if len(text) > MAX_TEXT_CHARS:
        return f"it is longer than {MAX_TEXT_CHARS:,} characters"
    if not is_clean(text):
        return "it holds control or invisible characters"
    return None


def copy_text(
    text: str,
    *,
    what: str,
    osc52: Callable[[str], None],
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    timeout: float = 2.0,
    fallback: Callable[[str], None] | None = pyperclip_copy,
) -> CopyOutcome:
    """Check plain text, then send it through OSC 52 and to the local clipboard.

    The text twin of :func:`copy_url`, for what is not a link: blocks up to about
    *timeout* seconds, so run it in a thread worker.

    Args:
        text: What to copy (checked here by :func:`check_text`).
        what: How the message names it, e.g. ``"the BibTeX entry"``.
        osc52: Called once with *text*, unless it is refused.
        env: Environment for the local clipboard (default ``os.environ``).
        platform: ``sys.platform`` value to assume (default the running one).
        timeout: Seconds allowed for the local clipboard.
        fallback: Passed to :func:`copy_locally` (default pyperclip; None to skip).

    Returns:
        A :class:`CopyOutcome` (its ``url`` None) whose message says exactly
        what happened. Never raises.
    """
    refused = check_text(text)
    if refused is not None:
        return CopyOutcome(False, False, "none", f"Not copied: {what} was refused ({refused}).", None, refused)
    sent, local = _send_both(text, osc52, env=env, platform=platform, timeout=timeout, fallback=fallback)
    return describe_text_copy(what, local, sent_osc52=sent, env=env)


def describe_text_copy(
    what: str, local: LocalCopy, *, sent_osc52: bool, env: Mapping[str, str] | None = None
) -> CopyOutcome:
    """The honest outcome of a plain-text copy, as :func:`describe_copy` words a link's.

    The text itself is never in the message (it may span lines): where nothing
    confirmed the copy, the message says so instead.
    """
    environ = os.environ if env is None else env
    if local.ok:
        also = " and sent it to the terminal (OSC 52)" if sent_osc52 else ""
        return CopyOutcome(True, sent_osc52, local.method, f"Copied {what} to the clipboard ({local.method}){also}.")
    failed = "" if local.skipped or not local.detail else f" Local clipboard: {local.detail}."
    if sent_osc52:
        caveat = _osc52_caveat(environ)
        message = f"Sent {what} to the terminal clipboard (OSC 52){caveat}.{failed}"
        return CopyOutcome(False, True, "osc52", message, None, local.detail)
    message = f"No clipboard available: {what} was not copied.{failed}"
    return CopyOutcome(False, False, "none", message, None, local.detail)
