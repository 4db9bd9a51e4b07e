"""The one place the reader uses Textual's private API.

Four uses. Three are kept because they shorten the time from a key to its frame,
which is what bench/README.md ("The reader in a terminal") measures; the fourth
works around a bug in Textual's terminal driver.

- **The driver's input hook** (``App._driver``, ``Driver.send_message``):
  :func:`install_key_hook` notes each key on the driver's input thread, before the
  key waits for the GIL to enter the event loop, so background work
  (:mod:`tui.system.keypause`) steps aside while the key crosses to the screen.
  Textual has no public hook that early: ``App.on_key`` runs only once the key is
  in the event loop, which is what the background work delays. The same driver
  gives the terminal's file descriptor (:func:`terminal_input_fd`), which lets
  background work see a key's bytes waiting before the input thread has read
  them. bench/README.md: "A waiting key pauses background work" and "Background
  work steps aside ... after a key".
- **A scroll view's size without a layout** (``Widget._scroll_update``):
  :func:`set_virtual_size_without_layout`. Assigning ``virtual_size`` asks for a
  layout of the whole screen; the list and the detail pane have fixed scrollbars,
  so their width never changes and updating the scrollbars is enough. The list
  gets new rows on every search key and the detail pane a new paper on every
  cursor move. bench/README.md: the "move p50 / p90" column and the search-key
  tables.
- **A repaint in this frame** (``textual.messages.Update``):
  :func:`repaint_in_this_frame`. ``refresh()`` repaints on the widget's next idle,
  after the screen's update timer may already have drawn the frame that echoes
  the key; posting Textual's own ``Update`` message puts the widget in that frame.
  bench/README.md: the last paragraph, on the rows asked into the frame that
  echoes the key.

- **The terminal going away** (``App._driver``, its ``fileno``):
  :func:`watch_terminal`. When the terminal is closed under a reader that
  ignores SIGHUP, the Linux driver's input thread reads end of input, and its
  ``break`` leaves only the loop over the ready descriptors, not the loop that
  waits for them: the thread spins on a whole core and the app never hears of
  it (docs/textual-upstream-orphan-spin.md). The reader watches the same
  descriptor for a hang-up (:class:`tui.system.terminal.TerminalWatch`) and
  exits in order instead (docs/reliability.md, "The terminal going away").
  The driver's SIGCONT handler, which the hang-up would trigger, is wrapped
  for the same reason (no private name: it is read with ``signal.getsignal``).

Each function falls back to Textual's public API when the private name is gone,
so a Textual release that removes one makes the reader slower, not broken (and
without a driver's ``fileno`` there is no terminal watch: Textual's own
behaviour).
tests/test_textual_internals.py checks every private name and signature and fails
with a message naming the one that changed; only this module may use them
(the same test file greps the source tree).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from textual import events, messages
from textual.app import App
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.widget import Widget

from tui.system.terminal import TerminalWatch, terminal_has_gone

KeyHook = Callable[[], None]
"""Called on the driver's input thread for each key: it must be quick and thread-safe."""


def install_key_hook(app: App[Any], on_key: KeyHook) -> bool:
    """Call *on_key* for every key the running *app*'s driver reads, on the
    driver's own thread, before the key is queued for the event loop.

    Call it once the driver exists (from ``on_mount``). Returns False, and changes
    nothing, when there is no driver or it has no ``send_message`` to wrap.
    """
    driver = getattr(app, "_driver", None)
    send = getattr(driver, "send_message", None)
    if not callable(send):
        return False

    def note_keys(message: Message) -> None:
        if isinstance(message, events.Key):
            on_key()
        send(message)

    driver.send_message = note_keys  # type: ignore[union-attr]
    return True


def terminal_input_fd(app: App[Any]) -> int | None:
    """The file descriptor the running *app* reads keys from, or None when its
    driver reads no terminal (headless, web)."""
    fd = getattr(getattr(app, "_driver", None), "fileno", None)
    return fd if isinstance(fd, int) else None


def watch_terminal(app: App[Any], on_gone: Callable[[], None]) -> Callable[[], None] | None:
    """Call *on_gone*, on a watcher thread, once the terminal the running *app*
    reads its keys from goes away (closed, hung up, end of input).

    Textual's Linux driver does not notice: its input thread spins on the ended
    input until the process is killed. Nor should it come back to life: the
    kernel sends SIGCONT along with the hang-up to a session leader, and the
    driver answers every SIGCONT by starting application mode again (a second
    writer thread and input thread, on a terminal that is gone). While the
    watch runs, SIGCONT reaches the driver only while the terminal is there.

    *on_gone* must be thread-safe (``App.post_message`` is). Call this from the
    app's thread (it sets a signal handler). Returns a function that stops the
    watch and puts the driver's SIGCONT handler back, or None when there is no
    terminal (headless) or this platform cannot watch it.
    """
    fd = terminal_input_fd(app)
    if fd is None:
        return None
    watch = TerminalWatch(fd, on_gone)
    if not watch.start():
        return None
    restore_continue = _resume_only_with_a_terminal(fd)

    def stop() -> None:
        watch.stop(timeout=1.0)
        restore_continue()

    return stop


def _resume_only_with_a_terminal(fd: int) -> Callable[[], None]:
    """Wrap the SIGCONT handler the driver installed so that it runs only while
    the terminal on *fd* is there; returns a function that unwraps it."""
    sigcont = getattr(signal, "SIGCONT", None)
    if sigcont is None:
        return lambda: None
    driver_handler = signal.getsignal(sigcont)
    if not callable(driver_handler):
        return lambda: None

    def on_continue(signum: int, frame: FrameType | None) -> None:
        # A hang-up swaps the terminal's file operations before it sends the
        # signals, so here it already reads as gone.
        if not terminal_has_gone(fd):
            driver_handler(signum, frame)

    signal.signal(sigcont, on_continue)

    def restore() -> None:
        if signal.getsignal(sigcont) is on_continue:
            signal.signal(sigcont, driver_handler)

    return restore


def set_virtual_size_without_layout(view: ScrollView, size: Size) -> None:
    """Set *view*'s ``virtual_size`` and update its scrollbars, without the layout
    of the whole screen that assigning ``virtual_size`` asks for.

    Only right for a view whose scrollbars are always or never shown
    (``overflow: scroll`` / ``hidden``): a scrollbar that appears or goes away
    changes the view's width, and only a layout would give the width back.
    """
    scroll_update = getattr(view, "_scroll_update", None)
    if not callable(scroll_update):
        view.virtual_size = size
        return
    view.set_reactive(ScrollView.virtual_size, size)
    scroll_update(size)


def repaint_in_this_frame(*widgets: Widget) -> None:
    """Ask for *widgets* to be repainted in the frame being prepared now.

    A widget that calls ``refresh()`` is repainted on its next idle; by then the
    screen's update timer may have drawn the frame that echoes a key without the
    widget's new content, and the next frame is one or two timer ticks later.
    Posting Textual's own ``Update`` message puts it in this frame.
    """
    update = getattr(messages, "Update", None)
    for widget in widgets:
        if update is None:
            widget.refresh()
        else:
            widget.screen.post_message(update(widget))
