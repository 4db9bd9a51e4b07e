"""KeyPause: background work sleeps for a moment after each key (no real sleeping here:
the clock and sleep are fakes)."""

from __future__ import annotations

from tests.tui_helpers import READER_FIXTURES, app_for, ready
from tui.system.keypause import KeyPause


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_no_key_yet_means_no_wait() -> None:
    clock = FakeClock()
    KeyPause(0.03, clock).wait(sleep=clock.sleep)
    assert clock.slept == []


def test_waits_until_the_key_is_old_enough() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    pause.key_arrived()
    clock.now += 0.01
    pause.wait(sleep=clock.sleep)
    assert abs(sum(clock.slept) - 0.02) < 1e-9
    assert max(clock.slept) <= 0.002 + 1e-12  # short steps, so cancelling is noticed
    assert clock.now >= pause.last_key + 0.03


def test_an_old_key_means_no_wait() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    pause.key_arrived()
    clock.now += 0.5
    pause.wait(sleep=clock.sleep)
    assert clock.slept == []


def test_cancelling_ends_the_wait() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    pause.key_arrived()
    asked: list[bool] = []

    def is_cancelled() -> bool:
        asked.append(True)
        return len(asked) > 2

    pause.wait(is_cancelled, sleep=clock.sleep)
    assert len(clock.slept) == 2


async def test_keys_reaching_the_app_are_noted() -> None:
    app = app_for(READER_FIXTURES / "small.txt")
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        before = app.key_pause.last_key
        await pilot.press("j")
        assert app.key_pause.last_key > before


def test_waiting_for_a_typing_pause() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    assert pause.wait_until_idle(0.15, sleep=clock.sleep) and clock.slept == []  # no key yet
    pause.key_arrived()
    clock.now += 0.05
    assert pause.wait_until_idle(0.15, sleep=clock.sleep)
    assert abs(sum(clock.slept) - 0.10) < 1e-9
    assert clock.now >= pause.last_key + 0.15


def test_a_cancelled_wait_for_a_typing_pause_says_so() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    pause.key_arrived()
    assert not pause.wait_until_idle(0.15, lambda: len(clock.slept) >= 3, sleep=clock.sleep)
    assert len(clock.slept) == 3


def test_a_key_waiting_on_the_terminal_counts_as_arrived() -> None:
    """Bytes on the terminal that the input thread has not read yet (it waits for
    the GIL) make background work step aside as if the key had been noted."""
    import os

    from tui.system.keypause import input_waiting_on

    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    read_end, write_end = os.pipe()

    def input_thread_reads_then_sleep(seconds: float) -> None:
        if len(clock.slept) == 2:
            os.read(read_end, 1)  # the input thread got the GIL and took the key
        clock.sleep(seconds)

    try:
        pause.input_waiting = input_waiting_on(read_end)
        pause.wait(sleep=clock.sleep)
        assert clock.slept == []  # nothing typed
        os.write(write_end, b"x")
        pause.wait(sleep=input_thread_reads_then_sleep)
        # Noted at each look while unread (100.0, 100.002, 100.004), then 30 ms on.
        assert abs(pause.last_key - 100.004) < 1e-9
        assert abs(clock.now - 100.034) < 1e-9
    finally:
        os.close(read_end)
        os.close(write_end)
    assert input_waiting_on(read_end)() is False  # closed: no error, nothing waiting


def test_bytes_left_unread_stop_pausing_after_a_while() -> None:
    clock = FakeClock()
    pause = KeyPause(0.03, clock)
    pause.input_waiting = lambda: True  # an input thread that stopped reading
    pause.wait(sleep=clock.sleep)
    assert 100.2 <= clock.now <= 100.2 + 0.03 + 0.002 + 1e-9
