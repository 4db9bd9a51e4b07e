"""digest_parser stays pure: loading a digest imports no UI library, and neither
does `digest-reader parse`. Checked in a fresh interpreter, where sys.modules
shows everything that was imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hf_page" / "full_page.txt"
FORBIDDEN = ("textual", "rich", "rapidfuzz", "pyperclip", "tui")

_PARSER_ONLY = f"""
import json, sys
import digest_parser
from digest_parser import formats
digest = digest_parser.load({str(FIXTURE)!r})
for name in formats.format_names():  # every format module, not only the one detected
    formats.get_format(name).parse("Title\\n\\nAbstract.\\n", "x")
assert len(digest.papers) == 4
print(json.dumps(sorted(sys.modules)))
"""

_PARSE_COMMAND = f"""
import io, json, sys
sys.stdout = io.TextIOWrapper(io.BytesIO())  # the command writes its JSON here
from tui.cli import main
status = main(["parse", {str(FIXTURE)!r}])
sys.stderr.write(json.dumps([status, sorted(sys.modules)]))
"""


def _root_modules(names: list[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _modules_imported_by(script: str) -> list[str]:
    """sys.modules after *script* ran in a fresh interpreter (it prints them as JSON)."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_loading_a_digest_imports_no_ui_library() -> None:
    loaded = _root_modules(_modules_imported_by(_PARSER_ONLY))
    assert "digest_parser" in loaded  # the probe works
    assert loaded.isdisjoint(FORBIDDEN), loaded & set(FORBIDDEN)


def test_parse_command_does_not_import_textual() -> None:
    result = subprocess.run([sys.executable, "-c", _PARSE_COMMAND], capture_output=True, text=True, cwd=REPO, timeout=60)
    status, modules = json.loads(result.stderr)
    assert status == 0
    loaded = _root_modules(modules)
    assert "tui" in loaded
    assert loaded.isdisjoint({"textual", "rich", "rapidfuzz", "pyperclip"})


_READER_START = """
import json, sys
import tui.launch, tui.app
print(json.dumps(sorted(sys.modules)))
"""

# Imported on first use, not before the first frame: search's fuzzy matcher, the
# stores' files, locking and JSON, the clipboard and browser helpers.
LATE = ("rapidfuzz", "filelock", "webbrowser", "tui.stores.jsonstore", "tui.stores.bookmarks", "tui.stores.files",
        "tui.stores.locking", "tui.system.clipboard", "tui.system.browser", "httpx", "tui.live.fetch",
        "tui.live.http", "tui.live.cache", "numpy", "scipy", "tui.core.similar.vectors", "tomlkit")


def test_opening_the_reader_leaves_heavy_imports_for_later() -> None:
    loaded = set(_modules_imported_by(_READER_START))
    assert "tui.screens.main" in loaded  # the probe works
    assert loaded.isdisjoint(LATE), loaded & set(LATE)
