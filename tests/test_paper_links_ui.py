"""`y` copies the paper's own page and `O` opens it; `p` opens the PDF. Pure choice
of the link in tui.core.paperview, plus Pilot tests of the keys."""

from __future__ import annotations

import pytest

from digest_parser.models import Link, Paper
from tests.tui_helpers import app_for_papers, ready
from tui.core.paperview import paper_link, pdf_link

ARXIV = Paper(title="With an id", abstract="x", arxiv_id="2601.00001",
              links=(Link("https://github.com/o/r", "code"),))
HF_ONLY = Paper(title="HF page text", abstract="x", code_url="https://github.com/o/r",
                links=(Link("https://github.com/o/r", "code"), Link("https://example.org/board", "other"),
                       Link("https://doi.org/10.1/x", "paper"), Link("https://huggingface.co/papers/2601.00002", "paper")))
NO_PAPER_LINK = Paper(title="Project only", abstract="x",
                      links=(Link("https://github.com/o/r", "code"), Link("https://o.github.io/r", "project")))
PDF_LINK = Paper(title="A PDF", abstract="x", links=(Link("https://example.org/files/paper.PDF?v=2", "other"),))


def test_the_paper_link_is_arxiv_then_hugging_face_then_any_paper_page_never_code() -> None:
    assert paper_link(ARXIV) == "https://arxiv.org/abs/2601.00001"
    assert paper_link(HF_ONLY) == "https://huggingface.co/papers/2601.00002"
    assert paper_link(Paper(title="t", abstract="x", links=(Link("https://doi.org/10.1/x", "paper"),))) == "https://doi.org/10.1/x"
    assert paper_link(NO_PAPER_LINK) is None


def test_the_pdf_link() -> None:
    assert pdf_link(ARXIV) == "https://arxiv.org/pdf/2601.00001"
    assert pdf_link(PDF_LINK) == "https://example.org/files/paper.PDF?v=2"
    assert pdf_link(NO_PAPER_LINK) is None


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("tui.system.browser.safe_default_opener", lambda url: urls.append(url) or True)
    return urls


async def test_p_opens_the_pdf_and_capital_o_the_paper_page(opened: list[str]) -> None:
    app = app_for_papers([ARXIV, HF_ONLY, NO_PAPER_LINK])
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.press("O")
        await app.workers.wait_for_complete()
        await pilot.press("j", "O")
        await app.workers.wait_for_complete()
        await pilot.press("o")  # o still opens the code link first
        await app.workers.wait_for_complete()
        assert opened == ["https://arxiv.org/pdf/2601.00001", "https://arxiv.org/abs/2601.00001",
                          "https://huggingface.co/papers/2601.00002", "https://github.com/o/r"]


async def test_without_a_paper_link_y_says_so_and_copies_nothing(opened: list[str]) -> None:
    app = app_for_papers([NO_PAPER_LINK])
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("y", "p", "O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [str(notification.message) for notification in app._notifications]
        assert any("no paper link" in message and "clipboard is unchanged" in message for message in messages)
        assert any("no PDF link" in message for message in messages)
        assert opened == []
