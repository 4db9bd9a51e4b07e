"""The README's screenshots are what bench/screenshots.py makes from the demo digest."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_committed_screenshots_are_what_the_script_makes(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import screenshots
    finally:
        sys.path.remove(str(REPO / "bench"))
    made = screenshots.make(tmp_path)
    assert [path.name for path in made] == ["main.svg", "search.svg"]
    for path in made:
        committed = REPO / "docs" / "screenshots" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/screenshots/{path.name} is stale: run python bench/screenshots.py and commit the result"
        )
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("docs/screenshots/main.svg") < readme.index("## Install, run, test")
    assert "docs/screenshots/search.svg" in readme
