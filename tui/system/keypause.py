"""Background work steps aside for a moment after each key.

Search ranking, index warming and loading run in threads, and Python runs one
thread at a time (the GIL). A thread that wants the GIL back waits up to the
switch interval (``sys.getswitchinterval()``) for the running one to let go, and
a key passes through the event loop several times on its way to the screen: with
ranking running, each of those waits made the key reach the screen later. So the
input thread notes every key here (through
:func:`tui.system.textual_internals.install_key_hook`), and background work
calls :meth:`KeyPause.wait` between its chunks: for a short while after a key it
sleeps (holding no GIL) unless it is cancelled.

The input thread itself needs the GIL to read a key's bytes and note the key, and
with a worker running its turn sometimes came late. So background work also asks
the terminal whether bytes are waiting (``input_waiting``: one select() call, with
no GIL) and then notes the key itself.
bench/README.md ("The reader in a terminal") has what each step gained.
Pure (no Textual).
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable

PAUSE_SECONDS = 0.05
"""Long enough for a key to reach the screen with its search's rows, also the
slower keys at 100k papers (a shorter pause let their frames meet the resumed
worker); short enough that a key typed during ranking delays the ranked result
little (a new search's ranking is held back as long anyway: RANK_DELAY_STEPS)."""

_STEP_SECONDS = 0.002
_UNREAD_SECONDS = 0.2
_IDLE_STEP_SECONDS = 0.01


class KeyPause:
    """The time of the last key, written by the input thread, read by workers."""

    def __init__(self, seconds: float = PAUSE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last_key = float("-inf")
        self._unread_since: float | None = None
        self.input_waiting: Callable[[], bool] = _nothing_waiting
        """Whether a key's bytes wait to be read (the app sets it: input_waiting_on)."""

    def key_arrived(self) -> None:
        # One float assignment: atomic under the GIL, no lock needed.
        self._last_key = self._clock()

    def _input_noticed(self) -> None:
        # Note the key before the input thread can (see the module docstring); but
        # bytes left unread for long (an input thread stopped) stop pausing anyone.
        now = self._clock()
        unread_since = self._unread_since
        if unread_since is None:
            self._unread_since = unread_since = now
        if now - unread_since < _UNREAD_SECONDS:
            self._last_key = now

    @property
    def last_key(self) -> float:
        return self._last_key

    def wait(self, is_cancelled: Callable[[], bool] = lambda: False,
             sleep: Callable[[float], None] = time.sleep) -> None:
        """Sleep while a key arrived less than ``seconds`` ago, until it is that
        old or ``is_cancelled()`` says stop. Returns at once when no key is recent."""
        self._sleep_until_key_is(self.seconds, _STEP_SECONDS, is_cancelled, sleep)

    def wait_until_idle(self, seconds: float, is_cancelled: Callable[[], bool] = lambda: False,
                        sleep: Callable[[float], None] = time.sleep) -> bool:
        """Sleep until the last key is ``seconds`` old (the typist paused); False
        when ``is_cancelled()`` says stop first."""
        return self._sleep_until_key_is(seconds, _IDLE_STEP_SECONDS, is_cancelled, sleep)

    def _sleep_until_key_is(self, age: float, step: float, is_cancelled: Callable[[], bool],
                            sleep: Callable[[float], None]) -> bool:
        while not is_cancelled():
            if self.input_waiting():
                self._input_noticed()
            else:
                self._unread_since = None
            left = self._last_key + age - self._clock()
            if left <= 0:
                return True
            sleep(min(left, step))
        return False


def _nothing_waiting() -> bool:
    return False


def input_waiting_on(fd: int) -> Callable[[], bool]:
    """A check, for KeyPause.input_waiting, that bytes wait to be read on ``fd``
    (the terminal): safe from any thread, False once ``fd`` is closed."""

    def waiting() -> bool:
        try:
            return bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    return waiting
