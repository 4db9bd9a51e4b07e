"""Make the README's screenshots from the bundled demo digest.

Run: ``python bench/screenshots.py`` (writes ``docs/screenshots/main.svg`` and
``docs/screenshots/search.svg``). The app runs headless through Textual's test
driver at 120x35, with an empty data directory (no bookmarks or read marks of
whoever runs it), and each screen is saved with Textual's own SVG export, so
the pictures are what the app draws. tests/test_screenshots.py checks that the
committed files are what this script makes.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OUT = REPO / "docs" / "screenshots"
SIZE = (120, 35)


async def _shoot(out: Path) -> list[Path]:
    from tui.app import DigestApp
    from tui.core.sources import demo_path, expand, parse_small

    sources = parse_small(expand([demo_path()]), "auto")
    app = DigestApp(sources, demo=True)
    written: list[Path] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(100):  # until the stores answered and the demo is shown
            if screen.state.stores_ready and screen.state.rows:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.02)
        await pilot.press("j", "j")  # a paper with a code link, its abstract read
        await pilot.pause()
        written.append(_save(app, out, "main.svg", "digest-reader: the demo digest"))
        await pilot.press("slash", *"tinyvti")  # a typo: TinyViT and its near spellings
        for _ in range(100):
            if screen.state.search.last_result is not None and screen.state.search.last_result.ranked:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.02)
        await pilot.pause()
        written.append(_save(app, out, "search.svg", "digest-reader: searching with a typo"))
    return written


def _save(app: object, out: Path, name: str, title: str) -> Path:
    svg = app.export_screenshot(title=title)  # type: ignore[attr-defined]
    path = out / name
    path.write_text(svg, encoding="utf-8")
    return path


def make(out: Path = OUT) -> list[Path]:
    """Write the screenshots into *out*; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        os.environ["DIGEST_READER_DATA_DIR"] = data
        os.environ.pop("DIGEST_READER_BOOKMARKS", None)
        return asyncio.run(_shoot(out))


if __name__ == "__main__":
    for path in make():
        print(path.relative_to(REPO))
