"""Open digests in the reader headless and look for control sequences in what it would draw.

    python bench/torture/render.py FILE…

For each file: start the app with Textual's ``run_test``, wait until it has
loaded, then move through the papers (``j``), open the links picker (``u``)
and close it, and after each step take the bytes a full repaint would write to
the terminal (``tests/tui_helpers.py``: ``foreign_controls``). Prints one JSON
line per file: ``{"file", "frames", "leaks", "error"}``; ``leaks`` lists the
foreign sequences found, ``error`` an exception the app raised or its stopping.
A digest the reader refuses (binary) adds ``"refused": {"status", "message"}``:
the app ends at once with status 65 and one message, as ``digest-reader`` does.

A separate process so that Textual is imported once for all files and never by
the torture suite itself.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from tests.tui_helpers import app_for, foreign_controls, ready

MOVES = 3
"""Papers visited per file: the hostile digests hold one to three each."""


async def render(path: Path) -> dict[str, object]:
    app = app_for(path)
    frames = 0
    leaks: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        if not app.is_running:  # a digest the reader refuses: it ends with one message
            fatal = app.fatal_error or ""
            return {"file": path.name, "frames": 0, "leaks": [], "error": None,
                    "refused": {"status": app.return_code, "message": fatal}}
        for key in [None, *(["j"] * MOVES), "g", "u", "escape", "G"]:
            if key is not None:
                await pilot.press(key)
                await pilot.pause()
            frames += 1
            leaks += [f"{key or 'start'}: {sequence!r}" for sequence in foreign_controls(app)]
        running = app.is_running
    return {"file": path.name, "frames": frames, "leaks": leaks, "error": None if running else "the app stopped"}


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        try:
            outcome = asyncio.run(render(path))
        except Exception as error:  # reported, not raised: one file must not hide the others
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            outcome = {"file": path.name, "frames": 0, "leaks": [], "error": last}
        print(json.dumps(outcome), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
