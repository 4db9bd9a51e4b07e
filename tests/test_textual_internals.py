"""The reader's uses of Textual's private API (tui.system.textual_internals).

A Textual upgrade may rename or change any of them without notice. The first
tests here fail with a message naming what changed; the Pilot tests check that
each use still does what the reader relies on; the last test keeps every use in
the one adapter module.
"""

from __future__ import annotations

import inspect
import os
import re
import signal
import sys
import threading
from pathlib import Path

import pytest
from textual import events, messages
from textual.app import App, ComposeResult
from textual.driver import Driver
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.system.textual_internals import (
    install_key_hook,
    repaint_in_this_frame,
    set_virtual_size_without_layout,
    terminal_input_fd,
    watch_terminal,
)

REPO = Path(__file__).resolve().parent.parent
ADAPTER = REPO / "tui" / "system" / "textual_internals.py"

UPGRADE_HINT = (
    "Textual changed a private API that tui/system/textual_internals.py relies on; "
    "adapt that module (its docstring says what each use is for)"
)


# ---- the private names and signatures ------------------------------------------


def _parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_app_keeps_its_driver_in_underscore_driver() -> None:
    assert "_driver" in vars(App()), f"{UPGRADE_HINT}: App no longer sets self._driver"


def test_a_driver_sends_each_message_through_its_send_message() -> None:
    assert callable(getattr(Driver, "send_message", None)), f"{UPGRADE_HINT}: Driver.send_message is gone"
    assert _parameters(Driver.send_message) == ["self", "message"], (
        f"{UPGRADE_HINT}: Driver.send_message{inspect.signature(Driver.send_message)} is not (self, message)"
    )
    # A terminal driver's input thread hands each key to process_message, which
    # must end in self.send_message for the wrapped one to see the key.
    assert "self.send_message(message)" in inspect.getsource(Driver.process_message), (
        f"{UPGRADE_HINT}: Driver.process_message no longer calls self.send_message"
    )


def test_the_linux_terminal_driver_has_an_integer_fileno() -> None:
    from textual.drivers import linux_driver

    # (Not constructed here: its __init__ installs signal handlers.)
    source = inspect.getsource(linux_driver.LinuxDriver.__init__)
    assert re.search(r"self\.fileno\s*=", source), f"{UPGRADE_HINT}: LinuxDriver no longer sets self.fileno"


def test_the_linux_driver_reads_keys_from_its_fileno() -> None:
    """watch_terminal watches driver.fileno: it must be what the input thread reads."""
    from textual.drivers import linux_driver

    source = inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    assert re.search(r"fileno\s*=\s*self\.fileno\b", source) and "read(fileno" in source, (
        f"{UPGRADE_HINT}: LinuxDriver.run_input_thread no longer reads self.fileno; "
        "watch_terminal may be watching the wrong descriptor"
    )


ORPHAN_SPIN_HINT = (
    "Textual changed how its input thread ends on end of input (docs/textual-upstream-orphan-spin.md). "
    "If a closed terminal now ends the app, watch_terminal in tui/system/textual_internals.py may go; "
    "tests/test_terminal_gone.py says whether the reader still exits in order"
)


def test_the_linux_driver_still_spins_on_end_of_input() -> None:
    """The bug watch_terminal works around: on end of input, ``break`` leaves the
    loop over the ready descriptors only, and the outer loop selects again at once."""
    from textual.drivers import linux_driver

    source = inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    assert re.search(r"if not unicode_data:\s*(#[^\n]*\s*)*break\b", source), ORPHAN_SPIN_HINT
    assert "while not self.exit_event.is_set():" in source, ORPHAN_SPIN_HINT


def test_the_linux_driver_restarts_on_sigcont_from_its_init() -> None:
    """watch_terminal wraps whatever SIGCONT handler is installed when the app is
    mounted: the driver's, set in its __init__, which starts application mode again."""
    from textual.drivers import linux_driver

    init = inspect.getsource(linux_driver.LinuxDriver.__init__)
    assert "signal.signal(signal.SIGCONT" in init, (
        f"{UPGRADE_HINT}: LinuxDriver no longer sets its SIGCONT handler in __init__"
    )
    handler = getattr(linux_driver.LinuxDriver, "_sigcont_application", None)
    assert callable(handler) and "resume_application_mode" in inspect.getsource(handler), (
        f"{UPGRADE_HINT}: the driver's SIGCONT handler changed; check whether a hang-up still restarts it"
    )


def test_widget_has_scroll_update_taking_the_virtual_size() -> None:
    scroll_update = getattr(ScrollView, "_scroll_update", None)
    assert callable(scroll_update), f"{UPGRADE_HINT}: Widget._scroll_update is gone"
    assert _parameters(scroll_update) == ["self", "virtual_size"], (
        f"{UPGRADE_HINT}: Widget._scroll_update{inspect.signature(scroll_update)} is not (self, virtual_size)"
    )
    assert isinstance(vars(Widget).get("virtual_size"), Reactive), (
        f"{UPGRADE_HINT}: Widget.virtual_size is no longer a reactive (set_reactive needs one)"
    )


def test_update_message_exists_takes_a_widget_and_the_screen_handles_it() -> None:
    update = getattr(messages, "Update", None)
    assert isinstance(update, type) and issubclass(update, Message), f"{UPGRADE_HINT}: textual.messages.Update is gone"
    assert _parameters(update.__init__) == ["self", "widget"], (
        f"{UPGRADE_HINT}: messages.Update{inspect.signature(update.__init__)} no longer takes (widget)"
    )
    widget = Widget()
    assert messages.Update(widget).widget is widget
    assert callable(vars(Screen).get("_on_update")), f"{UPGRADE_HINT}: Screen no longer handles messages.Update"


# ---- what each use does --------------------------------------------------------


class _UpdateSpyScreen(Screen[None]):
    """Records the Update messages it gets (Screen's own handler still runs after)."""

    def __init__(self) -> None:
        super().__init__()
        self.updated: list[Widget] = []

    def compose(self) -> ComposeResult:
        yield _Lines(id="lines")
        yield _Rows(id="rows")

    def on_update(self, message: messages.Update) -> None:
        self.updated.append(message.widget)


class _Lines(Widget):
    DEFAULT_CSS = "_Lines { height: 3; }"
    rendered = 0

    def render_line(self, y: int) -> Strip:
        type(self).rendered += 1
        return Strip.blank(self.size.width)


class _Rows(ScrollView):
    DEFAULT_CSS = "_Rows { height: 10; overflow-y: scroll; overflow-x: hidden; }"

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width)


class _HookedApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.noted: list[int] = []
        self.keys_seen: list[str] = []
        self.hook_installed: bool | None = None

    def get_default_screen(self) -> Screen[None]:
        return _UpdateSpyScreen()

    def on_mount(self) -> None:
        self.hook_installed = install_key_hook(self, lambda: self.noted.append(threading.get_ident()))

    def on_key(self, event: events.Key) -> None:
        self.keys_seen.append(event.key)


async def test_the_key_hook_notes_each_key_and_passes_it_on() -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        assert app.hook_installed is True
        await pilot.press("a", "b")  # Pilot sends keys through the driver's send_message
        assert len(app.noted) == 2
        assert app.keys_seen == ["a", "b"]
        app.post_message(events.Blur())  # not from the driver: not a key noted
        await pilot.pause()
        assert len(app.noted) == 2


async def test_the_key_hook_runs_on_the_thread_that_reads_the_key() -> None:
    """A terminal driver's input thread calls process_message; the hook must run
    there, before the key waits to enter the event loop."""
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        driver = app._driver
        assert driver is not None
        event = events.Key("x", "x")
        reader = threading.Thread(target=driver.process_message, args=(event,))
        reader.start()
        reader.join()
        await pilot.pause()
        assert app.noted == [reader.ident]
        assert app.keys_seen == ["x"]


class _FakeDriver:
    def __init__(self, fileno: object = None) -> None:
        self.sent: list[Message] = []
        if fileno is not None:
            self.fileno = fileno

    def send_message(self, message: Message) -> None:
        self.sent.append(message)


class _FakeApp:
    def __init__(self, driver: object) -> None:
        self._driver = driver


def test_the_key_hook_notes_keys_only_and_forwards_everything() -> None:
    driver = _FakeDriver()
    noted: list[str] = []
    assert install_key_hook(_FakeApp(driver), lambda: noted.append("key"))  # type: ignore[arg-type]
    key, resize = events.Key("a", "a"), events.Resize(Size(10, 10), Size(10, 10))
    driver.send_message(key)
    driver.send_message(resize)
    assert noted == ["key"]
    assert driver.sent == [key, resize]


def test_without_a_driver_no_hook_and_no_terminal() -> None:
    assert install_key_hook(_FakeApp(None), lambda: None) is False  # type: ignore[arg-type]
    assert terminal_input_fd(_FakeApp(None)) is None  # type: ignore[arg-type]
    assert terminal_input_fd(_FakeApp(_FakeDriver(fileno=7))) == 7  # type: ignore[arg-type]
    assert terminal_input_fd(_FakeApp(_FakeDriver(fileno="7"))) is None  # type: ignore[arg-type]


async def test_a_headless_run_has_no_terminal_to_watch() -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)):
        assert terminal_input_fd(app) is None


@pytest.mark.skipif(sys.platform == "win32", reason="needs ptys and SIGCONT")
def test_watch_terminal_calls_on_gone_and_guards_sigcont(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never point the test run's own output at /dev/null (it is a terminal under -s).
    monkeypatch.setattr("tui.system.terminal.STANDARD_OUTPUTS", ())
    master, slave = os.openpty()
    continued: list[int] = []
    gone = threading.Event()
    previous = signal.signal(signal.SIGCONT, lambda signum, frame: continued.append(signum))
    try:
        stop = watch_terminal(_FakeApp(_FakeDriver(fileno=slave)), gone.set)  # type: ignore[arg-type]
        assert stop is not None
        os.kill(os.getpid(), signal.SIGCONT)  # fg after ctrl+z: the driver resumes
        assert continued == [signal.SIGCONT]
        os.close(master)
        assert gone.wait(5)
        os.kill(os.getpid(), signal.SIGCONT)  # the one a hang-up sends: nothing to resume on
        assert continued == [signal.SIGCONT]
        installed = signal.getsignal(signal.SIGCONT)
        stop()
        assert signal.getsignal(signal.SIGCONT) is not installed  # the driver's handler is back
        os.kill(os.getpid(), signal.SIGCONT)
        assert continued == [signal.SIGCONT, signal.SIGCONT]
    finally:
        signal.signal(signal.SIGCONT, previous)
        os.close(slave)


def test_no_terminal_no_watch() -> None:
    assert watch_terminal(_FakeApp(None), lambda: None) is None  # type: ignore[arg-type]


async def test_virtual_size_is_set_and_the_scrollbar_follows_without_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.screen.query_one(_Rows)
        layouts: list[bool] = []
        original_refresh = rows.refresh

        def spy_refresh(*regions: object, layout: bool = False, **kwargs: object) -> Widget:
            layouts.append(layout)
            return original_refresh(*regions, layout=layout, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(rows, "refresh", spy_refresh)
        width = rows.scrollable_content_region.width
        set_virtual_size_without_layout(rows, Size(width, 100))
        assert rows.virtual_size == Size(width, 100)
        assert rows.vertical_scrollbar.window_virtual_size == 100
        assert rows.max_scroll_y == 100 - rows.scrollable_content_region.height
        rows.scroll_to(y=rows.max_scroll_y, animate=False, immediate=True)
        set_virtual_size_without_layout(rows, Size(width, 12))  # fewer rows: the offset is clamped
        assert rows.scroll_y == 12 - rows.scrollable_content_region.height
        assert rows.vertical_scrollbar.window_virtual_size == 12
        assert True not in layouts
        await pilot.pause()


async def test_virtual_size_falls_back_to_the_public_setter(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.screen.query_one(_Rows)
        monkeypatch.setattr(rows, "_scroll_update", None)  # as if a Textual upgrade removed it
        set_virtual_size_without_layout(rows, Size(10, 50))
        assert rows.virtual_size == Size(10, 50)
        monkeypatch.undo()
        await pilot.pause()
        assert rows.max_scroll_y == 50 - rows.scrollable_content_region.height


async def test_repaint_in_this_frame_hands_the_widgets_to_the_screen() -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        screen = app.screen
        assert isinstance(screen, _UpdateSpyScreen)
        lines, rows = screen.query_one(_Lines), screen.query_one(_Rows)
        await pilot.pause()
        screen.updated.clear()
        repaint_in_this_frame(lines, rows)  # (refresh() would post its own on the widget's idle)
        await pilot.pause()
        assert screen.updated == [lines, rows]


async def test_repaint_falls_back_to_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _HookedApp()
    async with app.run_test(size=(40, 20)) as pilot:
        lines = app.screen.query_one(_Lines)
        await pilot.pause()
        monkeypatch.delattr(messages, "Update")  # as if a Textual upgrade removed it
        rendered = _Lines.rendered
        repaint_in_this_frame(lines)
        monkeypatch.undo()
        await pilot.pause()
        assert _Lines.rendered > rendered


# ---- only the adapter touches them ---------------------------------------------

PRIVATE_USES = {
    "App._driver": re.compile(r"\._driver\b"),
    "Widget._scroll_update": re.compile(r"\b_scroll_update\b"),
    "messages.Update": re.compile(r"\bmessages\.Update\b"),
    "textual.messages": re.compile(r"\btextual\.messages\b|from\s+textual\s+import\s+[^\n]*\bmessages\b"),
}
SOURCE_TREES = ("tui", "digest_parser", "bench")


def test_only_the_adapter_uses_textual_private_api() -> None:
    offenders: list[str] = []
    checked = 0
    for tree in SOURCE_TREES:
        for path in sorted((REPO / tree).rglob("*.py")):
            if path == ADAPTER:
                continue
            checked += 1
            text = path.read_text(encoding="utf-8")
            for name, pattern in PRIVATE_USES.items():
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    offenders.append(f"{path.relative_to(REPO)}:{line} uses {name}")
    assert checked > 10  # the trees were found
    assert not offenders, (
        "Textual's private API belongs in tui/system/textual_internals.py only:\n" + "\n".join(offenders)
    )
