"""The cyclic GC pause around parsing: nested, overlapping in threads, and
always undone, also when the body raises."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest_parser import api
from digest_parser.formats import hf_page
from digest_parser.gc_pause import gc_paused
from digest_parser.reading import DigestReadError, LineBatch

DIGEST = "new\n\nSubscribe\n\nA Title\n\nAn abstract that ends like a sentence.\n\nB Title\n\nAnother one.\n"


@pytest.fixture(autouse=True)
def gc_enabled_around_test() -> Iterator[None]:
    gc.enable()
    yield
    was_enabled = gc.isenabled()
    gc.enable()
    assert was_enabled, "a test left the GC disabled"


def test_pause_turns_the_gc_off_and_back_on() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_gc_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_exception_in_the_body_restores_the_gc() -> None:
    with pytest.raises(ValueError), gc_paused():
        with gc_paused():
            raise ValueError("boom")
    assert gc.isenabled()
    # The count went back to zero: a new pause works as the first one did.
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_pauses_in_two_threads() -> None:
    """A's pause begins, B's begins, A's ends (still off: B parses), B's ends (on)."""
    a_paused, b_paused, a_done = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def thread_a() -> None:
        with gc_paused():
            a_paused.set()
            b_paused.wait(5)
        seen["after A ended"] = gc.isenabled()
        a_done.set()

    def thread_b() -> None:
        a_paused.wait(5)
        with gc_paused():
            b_paused.set()
            a_done.wait(5)
            seen["B inside, A ended"] = gc.isenabled()
        seen["after B ended"] = gc.isenabled()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after A ended": False, "B inside, A ended": False, "after B ended": True}


def test_many_threads_pausing_at_once_leave_the_gc_on() -> None:
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait(5)
        for _ in range(200):
            with gc_paused():
                with gc_paused():
                    pass

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert gc.isenabled()


def test_parsing_runs_with_the_gc_paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    states: list[bool] = []
    feed_lines = hf_page._Parser.feed_lines

    def recording_feed_lines(self: hf_page._Parser, batch: LineBatch) -> None:
        states.append(gc.isenabled())
        feed_lines(self, batch)

    monkeypatch.setattr(hf_page._Parser, "feed_lines", recording_feed_lines)
    path = tmp_path / "d.txt"
    path.write_text(DIGEST)
    assert len(api.load(str(path)).papers) == 2
    assert len(api.parse_text(DIGEST).papers) == 2
    assert len(hf_page.parse_chunks([DIGEST], "x").papers) == 2
    assert states and not any(states)
    assert gc.isenabled()


def test_progressive_parsing_never_yields_with_the_gc_paused(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text(DIGEST)
    digests = []
    for digest in api.load_progressively(str(path)):
        assert gc.isenabled()  # the caller's code runs here
        digests.append(digest)
    assert digests[-1] == api.load(str(path))
    # A caller that stops early (a cancelled load) leaves the GC on too.
    batches = [LineBatch(DIGEST.split("\n"), controls=False)] * 2
    for _ in hf_page.parse_progressively(batches, "x", every_chars=1):
        break
    assert gc.isenabled()


def test_a_failing_read_restores_the_gc(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"new\n\nSubscribe\n\n\xff\n")
    with pytest.raises(DigestReadError):
        api.load(str(path))
    assert gc.isenabled()
