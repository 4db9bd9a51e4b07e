"""Y copies the selected paper's BibTeX entry; Z sends it to a running Zotero (a
stand-in connector server on 127.0.0.1), or copies it when Zotero is not running."""

from __future__ import annotations

import bibtexparser
import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, messages, ready, spy_osc52, without_local_clipboard
from tests.zotero_server import closed_port_url, running_zotero
from tui.core.bibtex import entry_for_paper
from tui.system.zotero import URL_VARIABLE

PAPER = Paper(title=r"NOEM$^{3}$A: Folding Robots", abstract="Robots fold.", authors=("Imogen Vale", "Tariq Osei"),
              arxiv_id="2603.00101", links=(Link("https://github.com/example/origami", "code"),),
              code_url="https://github.com/example/origami")


@pytest.fixture
def osc52(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return without_local_clipboard(monkeypatch)


async def test_capital_y_copies_the_entry_bookmarks_export_writes(osc52: list[str]) -> None:
    app = app_for_papers([PAPER])
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        spy_osc52(app, osc52)
        await pilot.press("Y")
        await app.workers.wait_for_complete()
        assert osc52 == [entry_for_paper(PAPER)]
        library = bibtexparser.parse_string(osc52[0])
        assert library.failed_blocks == [] and len(library.entries) == 1
        assert r"NOEM$^{3}$A" in osc52[0]


async def test_capital_z_sends_to_zotero_and_says_saved_only_when_it_says_so(
        osc52: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with running_zotero() as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        app = app_for_papers([PAPER])
        async with app.run_test(size=(120, 30)) as pilot:
            await ready(pilot)
            spy_osc52(app, osc52)
            await pilot.press("Z")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert any(message.startswith("Saved to Zotero") for message in messages(app))
    (post,) = zotero.imports()
    assert post.body.decode("utf-8") == entry_for_paper(PAPER)
    assert osc52 == []  # saved: nothing copied


async def test_zotero_not_running_copies_the_entry_instead(osc52: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_VARIABLE, closed_port_url())
    app = app_for_papers([PAPER])
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        spy_osc52(app, osc52)
        await pilot.press("Z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Zotero is not running" in message for message in messages(app))
        assert osc52 == [entry_for_paper(PAPER)]
