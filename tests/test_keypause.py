"""KeyPause: background work sleeps for a moment after each key (no real sleeping here:
the clock and sleep are fakes)."""

from __future__ import annotations

from tests.tui_helpers import READER_FIXTURES, app_for, ready
from tui.data.keypause import KeyPause


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
