"""Process tuning (tui.system.tuning): glibc's mmap threshold, checked in a fresh
interpreter so no other test's allocations blur it; and the pure layer does none
of it."""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

_MMAP_PROBE = """
import ctypes, sys
from tui.system.tuning import keep_read_buffers_out_of_the_heap

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "fixed":
    assert keep_read_buffers_out_of_the_heap()
buffer = bytearray(1 << 20)  # mapped: above the initial threshold
del buffer                   # without the fix, glibc now raises its threshold
before = libc.mallinfo2().hblks
buffer = bytearray(1 << 20)
print(libc.mallinfo2().hblks - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
@pytest.mark.parametrize(("mode", "mapped"), [("fixed", "1"), ("default", "0")])
def test_fixing_the_mmap_threshold_keeps_one_mib_buffers_mapped(mode: str, mapped: str) -> None:
    result = subprocess.run([sys.executable, "-c", _MMAP_PROBE, mode], capture_output=True, text=True,
                            check=True, cwd=REPO, timeout=60)
    assert result.stdout.strip() == mapped


def test_without_mallopt_the_fix_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    from tui.system.tuning import keep_read_buffers_out_of_the_heap

    def no_libc(name: object) -> object:
        raise OSError("no C library here")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert keep_read_buffers_out_of_the_heap() is False


_PROCESS_TUNING = re.compile(r"\bctypes\b|\bmallopt\b|\bdup2\b|/dev/tty|\btermios\b")


def test_the_pure_layer_tunes_no_process_and_touches_no_terminal() -> None:
    offenders = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in sorted((REPO / "tui" / "core").rglob("*.py"))
        for match in _PROCESS_TUNING.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "process tuning belongs in tui/system (tuning.py, terminal.py):\n" + "\n".join(offenders)
