"""Pilot tests of the link keys (issue 6): c, y, u, o, with honest messages."""

from __future__ import annotations

import base64
import shutil
import subprocess
import webbrowser

import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, frame_text, messages, ready, spy_osc52, without_local_clipboard
from tests.xvfb import xvfb_display, xvfb_env  # noqa: F401  (pytest fixtures)
from tui.screens.dialogs import LinkPicker
from tui.widgets.paper_detail import PaperDetail

CODE = "https://github.com/microsoft/Cream"
PAPERS = [
    Paper(
        title="TinyThing",
        abstract="x",
        arxiv_id="2601.00001",
        links=(
            Link("https://github.com/microsoft/Cream/tree/main/TinyViT", "code"),
            Link("https://tiny.github.io/", "project"),
            Link("https://huggingface.co/o/tiny-1b", "model"),
        ),
        code_url=CODE,
    ),
    Paper(title="No links at all", abstract="y"),
    Paper(title="Hostile link", abstract="z", links=(Link("javascript:alert(1)", "other"),)),
]


@pytest.fixture
def no_local_clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return without_local_clipboard(monkeypatch)


async def test_c_copies_the_canonical_repo(no_local_clipboard: list[str]) -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert no_local_clipboard == [CODE]
        assert app.clipboard == CODE
        assert any("OSC 52" in message and "Copied" not in message for message in messages(app))


async def test_osc52_sequence_is_exactly_the_url(no_local_clipboard: list[str]) -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        written: list[str] = []
        driver = app._driver
        original = driver.write
        driver.write = lambda data: (written.append(data), original(data))[1]
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = "\x1b]52;c;" + base64.b64encode(CODE.encode()).decode()
        assert any(expected in chunk for chunk in written)


async def test_c_without_code_link_leaves_clipboard_alone(no_local_clipboard: list[str]) -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("j", "c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert no_local_clipboard == []
        assert any("No code link" in message for message in messages(app))


async def test_y_copies_the_paper_link(no_local_clipboard: list[str]) -> None:
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        assert no_local_clipboard == ["https://arxiv.org/abs/2601.00001"]


async def test_link_picker_numbers_copy_and_open(no_local_clipboard: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("tui.system.browser.safe_default_opener", lambda url: opened.append(url) or True)
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2")  # [2] is the project page (code links come first)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        assert no_local_clipboard == ["https://tiny.github.io/"]
        await pilot.press("u", "down", "down", "o")
        await app.workers.wait_for_complete()
        assert opened == ["https://huggingface.co/o/tiny-1b"]
        await pilot.press("u", "c")
        await app.workers.wait_for_complete()
        assert no_local_clipboard[-1] == "https://github.com/microsoft/Cream/tree/main/TinyViT"


async def test_o_opens_the_code_link_in_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("tui.system.browser.safe_default_opener", lambda url: opened.append(url) or True)
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == [CODE]


async def test_o_over_ssh_shows_and_copies_instead(monkeypatch: pytest.MonkeyPatch, no_local_clipboard: list[str]) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5 10.0.0.2 22")
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: pytest.fail("no browser over SSH"))
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert no_local_clipboard == [CODE]
        assert any("over SSH" in message and CODE in message for message in messages(app))


async def test_refused_link_never_leaves(no_local_clipboard: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("tui.system.browser.safe_default_opener", lambda url: pytest.fail("refused link opened"))
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("G", "u", "1", "u", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert no_local_clipboard == []
        assert any("Not copied" in message for message in messages(app))
        assert any("Not opened" in message for message in messages(app))


# Cyrillic "і" (U+0456) and "а" (U+0430) in place of the Latin letters.
LOOK_ALIKE_CODE = "https://g\u0456thub.com/microsoft/Cream"
LOOK_ALIKE_PAGE = "https://\u0430rxiv.org/abs/2601.00001"
LOOK_ALIKES = [
    Paper(
        title="Homograph",
        abstract="x",
        links=(Link(LOOK_ALIKE_CODE, "code"), Link(LOOK_ALIKE_PAGE, "paper")),
        code_url=LOOK_ALIKE_CODE,
    ),
]
SHOWN_CODE = "https://xn--gthub-n2e.com/microsoft/Cream"
SHOWN_PAGE = "https://xn--rxiv-43d.org/abs/2601.00001"


async def test_a_look_alike_host_shows_in_punycode_in_the_detail_pane() -> None:
    app = app_for_papers(LOOK_ALIKES)
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        detail = app.screen.query_one(PaperDetail)
        assert detail.paper is LOOK_ALIKES[0]
        for text in (detail.plain_text(), frame_text(app)):
            assert SHOWN_CODE in text and SHOWN_PAGE in text
            assert "\u0456" not in text and "\u0430" not in text


async def test_a_look_alike_host_shows_in_punycode_in_the_link_picker(no_local_clipboard: list[str]) -> None:
    app = app_for_papers(LOOK_ALIKES)
    async with app.run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        spy_osc52(app, no_local_clipboard)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        picker = app.screen.query_one("#picker-links")
        text = frame_text(app)
        shown = [str(picker.get_option_at_index(index).prompt) for index in range(picker.option_count)]
        assert shown == [f"[1] code    {SHOWN_CODE}", f"[2] paper   {SHOWN_PAGE}"]
        assert SHOWN_CODE in text and SHOWN_PAGE in text
        assert "\u0456" not in text and "\u0430" not in text
        await pilot.press("2")  # what is copied is what was shown
        await app.workers.wait_for_complete()
        assert no_local_clipboard == [SHOWN_PAGE]


@pytest.mark.e2e
async def test_c_reaches_the_x11_clipboard(xvfb_env: dict[str, str]) -> None:  # noqa: F811 (the fixture imported above)
    """The real thing: Xvfb + xclip, press c, read the clipboard back."""
    if shutil.which("xclip") is None:
        pytest.skip("xclip is not installed")
    app = app_for_papers(PAPERS)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(message.startswith("Copied to the clipboard (xclip)") for message in messages(app))
    pasted = subprocess.run(
        ["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True, timeout=10, env=xvfb_env, check=True
    )
    assert pasted.stdout == CODE
