"""The terminal the reader reads its keys from, and what happens when it goes away.

A terminal can go away under a running reader: its window is closed, the SSH
connection drops, the multiplexer pane is killed. The kernel then hangs the
terminal up: reads return end of input or fail with EIO, writes fail with EIO,
and the session leader gets SIGHUP. A reader started with SIGHUP ignored
(``nohup``, ``trap '' HUP``, some multiplexers and IDE terminals) is not ended
by the signal, and Textual's input thread does not notice the end of input
(see docs/textual-upstream-orphan-spin.md): the orphan would run forever on a
whole core. :class:`TerminalWatch` notices instead, and
:func:`on_hangup_signal` turns SIGHUP into the same orderly exit, so that what
is pending is saved either way (docs/reliability.md, "The terminal going
away").
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable, Sequence

from digest_parser import DigestReadError

__all__ = [
    "TerminalWatch",
    "exit_if_still_running_after",
    "on_hangup_signal",
    "reattach_keyboard",
    "terminal_has_gone",
]


def reattach_keyboard() -> None:
    """After reading a digest from a pipe, make the terminal the app's stdin.

    Textual reads keys from file descriptor 0; with ``cat x | digest-reader -``
    that is the exhausted pipe and the app would be deaf
    (https://github.com/Textualize/textual/issues/153).
    Raises DigestReadError when there is no terminal to read keys from.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError as error:
        raise DigestReadError("-", f"no terminal to read keys from ({error.strerror}); run it in a terminal") from None
    os.dup2(tty, 0)
    os.close(tty)


STANDARD_OUTPUTS = (1, 2)
"""Standard output and error: where Textual draws and where messages go at exit."""

_GONE = getattr(select, "POLLHUP", 0) | getattr(select, "POLLERR", 0)


def terminal_has_gone(fd: int) -> bool:
    """True when the terminal (or pipe) on *fd* has hung up, without waiting and
    without reading from it. False where ``poll`` is not available."""
    if not hasattr(select, "poll"):
        return False
    poller = select.poll()
    poller.register(fd, 0)  # event mask 0: hang-up and error only, never input
    try:
        return any(events & _GONE for _, events in poller.poll(0))
    except OSError:
        return False


class TerminalWatch:
    """Calls *on_gone* once when the terminal on *fd* goes away.

    A thread of its own sleeps in ``poll`` on *fd*, asking for no event: the
    kernel still reports a hang-up or an error (a closed terminal window, a
    dropped SSH connection, the writing end of a pipe closed), and it never
    reports input, so the watch takes no key from the app and costs nothing
    while it waits. A closed pipe or terminal is seen at once, whatever happens
    to SIGHUP.

    Before *on_gone* runs, standard output and error that are that same
    terminal are pointed at ``/dev/null``: the app's last frame, the terminal
    resets and any message at exit would otherwise fail with EIO (and a failed
    write can stop Textual's writer thread, whose queue then blocks the exit).

    Where ``poll`` cannot watch the descriptor (no ``select.poll``, or a
    platform whose ``poll`` refuses terminals), :meth:`start` returns False or
    the thread ends quietly: the reader then behaves as it did without the
    watch.
    """

    def __init__(self, fd: int, on_gone: Callable[[], None], outputs: Sequence[int] | None = None) -> None:
        """*outputs*: the descriptors to point at ``/dev/null`` once the terminal
        has gone, those of them that are a terminal too (default:
        :data:`STANDARD_OUTPUTS`)."""
        self.fd = fd
        self._on_gone = on_gone
        self._gone = threading.Event()
        self._thread: threading.Thread | None = None
        self._wake: tuple[int, int] | None = None
        """The pipe that wakes the thread when the watch is stopped."""
        self._lock = threading.Lock()
        if outputs is None:
            outputs = STANDARD_OUTPUTS
        self._outputs_to_silence = tuple(out for out in outputs if _same_terminal(out, fd))

    @property
    def gone(self) -> bool:
        """True once the terminal has gone away (and *on_gone* has been called)."""
        return self._gone.is_set()

    def start(self) -> bool:
        """Start watching; False when this platform cannot watch *fd*."""
        if not hasattr(select, "poll") or self._thread is not None:
            return False
        with self._lock:
            self._wake = os.pipe()
            self._thread = threading.Thread(target=self._watch, args=(self._wake[0],), name="terminal-watch", daemon=True)
            self._thread.start()
        return True

    def stop(self, timeout: float | None = None) -> None:
        """Stop watching (the app is ending on its own). Safe to call twice."""
        with self._lock:
            wake, self._wake = self._wake, None
            thread = self._thread
        if wake is None:
            return
        wake_read, wake_write = wake
        os.write(wake_write, b"x")
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                return  # (the pipe stays open for it; the process is ending anyway)
        os.close(wake_read)
        os.close(wake_write)

    def _watch(self, wake_read: int) -> None:
        poller = select.poll()
        # Event mask 0: only a hang-up, an error or an invalid descriptor are
        # reported, never input, which stays for the app's own reader.
        poller.register(self.fd, 0)
        poller.register(wake_read, select.POLLIN)
        while True:
            for fd, events in poller.poll():
                if fd == wake_read:
                    return
                if events & select.POLLNVAL:
                    return  # not a descriptor poll can watch here: give up quietly
                if events & _GONE:
                    self._terminal_gone()
                    return

    def _terminal_gone(self) -> None:
        if self._gone.is_set():
            return
        self._gone.set()
        _point_at_dev_null(self._outputs_to_silence)
        self._on_gone()


def _same_terminal(output: int, terminal: int) -> bool:
    """True when *output* writes to the terminal *terminal* reads from. Any two
    terminals count as one: after ``digest-reader -`` the keys come from
    ``/dev/tty``, another name for the terminal that standard error is."""
    try:
        return os.isatty(output) and os.isatty(terminal)
    except OSError:
        return False


def _point_at_dev_null(fds: tuple[int, ...]) -> None:
    if not fds:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        for fd in fds:
            os.dup2(null, fd)
    finally:
        os.close(null)


def on_hangup_signal(callback: Callable[[], None]) -> Callable[[], None] | None:
    """Run *callback* on the running event loop when SIGHUP arrives.

    By default SIGHUP ends the process at once, losing what is not yet saved;
    this turns it into the app's own orderly exit. When SIGHUP is ignored (the
    reader was started under ``nohup``), it stays ignored: the user asked for
    that, and :class:`TerminalWatch` still ends the reader once the terminal
    has gone. Returns a function that puts the default back, or None when
    nothing was installed (SIGHUP ignored, or no SIGHUP on this platform).
    Call it from the thread that runs the event loop.
    """
    # Imported here: the launcher imports this module while it checks its inputs,
    # before Textual (which imports asyncio anyway), so that an error is told fast.
    import asyncio

    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or signal.getsignal(hangup) == signal.SIG_IGN:
        return None
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(hangup, callback)

    def restore() -> None:
        if not loop.is_closed():
            loop.remove_signal_handler(hangup)

    return restore


def exit_if_still_running_after(seconds: float, status: int) -> threading.Timer:
    """End the process with *status* if it is still running *seconds* from now.

    The last resort once the terminal is gone: the orderly exit saves what is
    pending and normally ends the process long before, but nobody is left to
    end an orphan whose exit hangs. The stores write each file whole to a
    temporary file and rename it, so even this exit leaves no broken file.
    """
    timer = threading.Timer(seconds, os._exit, args=(status,))
    timer.daemon = True
    timer.name = "exit-deadline"
    timer.start()
    return timer
