"""Sending BibTeX to Zotero (docs/citing.md), one entry or the bookmarks (``bookmarks --to-zotero``),
against a stand-in connector server on 127.0.0.1 (tests/zotero_server.py): what is posted, read back
by bibtexparser; what each answer means."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from digest_parser.models import Link, Paper
from tests.test_bibtex_export import read_back
from tests.zotero_server import closed_port_url, running_zotero
from tui.cli_bookmarks import main
from tui.cli_zotero import EXIT_NOT_RUNNING, EXIT_NOT_SAVED, send_bookmarks
from tui.core.bibtex import entry_for_paper, title_tex
from tui.stores.bookmarks import Bookmark, parse_export
from tui.system.zotero import DEFAULT_URL, URL_VARIABLE, check_zotero_url, send_to_zotero, zotero_url

PAPER = Paper(
    title=r"NOEM$^{3}$A: Folding Robots",
    abstract="",
    authors=("Imogen Vale", "Tariq Osei"),
    arxiv_id="2603.00101",
    links=(Link("https://github.com/example/origami", "code"),),
    code_url="https://github.com/example/origami",
)
ENTRY = entry_for_paper(PAPER, tags=("rl", "C++"))


@pytest.fixture(autouse=True)
def no_configured_zotero(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test names its Zotero; none inherits the developer's, nor a proxy."""
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_a_saved_entry_is_said_saved_and_arrives_intact() -> None:
    with running_zotero() as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url)
    assert (outcome.saved, outcome.not_running, outcome.items) == (True, False, 1)
    assert outcome.message == "Saved to Zotero (1 item)."
    (post,) = zotero.imports()
    assert post.headers["content-type"] == "application/x-bibtex"
    assert post.headers["x-zotero-connector-api-version"] == "2"
    assert post.body == ENTRY.encode("utf-8")
    library = bibtexparser.parse_string(post.body.decode("utf-8"))
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.key == "vale2026noem3a"
    assert fields["title"] == "{" + title_tex(PAPER.title) + "}" == r"{NOEM$^{3}$A: Folding Robots}"
    assert fields["url"] == "https://arxiv.org/abs/2603.00101"
    assert fields["note"] == "Code: https://github.com/example/origami"
    assert fields["keywords"] == r"rl, C++"
    assert {"author", "year", "eprint", "archivePrefix"} <= fields.keys()


def test_a_read_only_library_is_one_line_with_the_status_and_reason() -> None:
    with running_zotero("read-only") as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url)
    assert not outcome.saved and not outcome.not_running
    assert outcome.message == (
        "Not saved to Zotero: HTTP 500 Internal Server Error "
        "(the library selected in Zotero is read-only; select another one)."
    )


def test_a_closed_port_is_zotero_not_running() -> None:
    outcome = send_to_zotero(ENTRY, base_url=closed_port_url())
    assert outcome.not_running and not outcome.saved
    assert outcome.message.startswith("Zotero is not running (nothing answers at http://127.0.0.1:")


def test_a_slow_answer_is_bounded_and_not_called_saved() -> None:
    with running_zotero("slow", delay=3.0) as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url, timeout=0.3)
    assert not outcome.saved and not outcome.not_running  # it is running: the entry may still arrive
    assert outcome.message == "Zotero did not answer within 0.3 s; it may still import what was sent."


def test_201_without_items_is_not_saved() -> None:
    with running_zotero("empty") as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url)
    assert not outcome.saved and "imported nothing" in outcome.message


def test_bibtex_zotero_cannot_read_is_a_400() -> None:
    with running_zotero() as zotero:
        outcome = send_to_zotero("not bibtex at all", base_url=zotero.url)
    assert not outcome.saved
    assert outcome.message == "Not saved to Zotero: HTTP 400 Bad Request (it found nothing it could import)."


def test_a_server_that_is_not_zotero_says_so() -> None:
    with running_zotero("not-zotero") as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url)
    assert not outcome.saved and not outcome.not_running
    assert outcome.message == "Not saved to Zotero: HTTP 404 Not Found (no connector import here: is this address Zotero?)."


def test_the_environment_variable_wins_over_the_configured_address(monkeypatch: pytest.MonkeyPatch) -> None:
    with running_zotero() as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        outcome = send_to_zotero(ENTRY, base_url=closed_port_url())
    assert outcome.saved and len(zotero.imports()) == 1
    assert zotero_url(None, {}) == DEFAULT_URL == "http://127.0.0.1:23119"
    assert zotero_url("http://127.0.0.1:1", {}) == "http://127.0.0.1:1"
    assert zotero_url("http://127.0.0.1:1", {URL_VARIABLE: " http://[::1]:2 "}) == "http://[::1]:2"


def test_proxy_variables_are_not_used_for_zotero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", closed_port_url())
    monkeypatch.setenv("ALL_PROXY", closed_port_url())
    with running_zotero() as zotero:
        outcome = send_to_zotero(ENTRY, base_url=zotero.url)
    assert outcome.saved


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://127.0.0.1:23119", "not an http"),
        ("127.0.0.1:23119", "not an http"),
        ("http://user:secret@127.0.0.1:23119", "user name or password"),
        ("http://127.0.0.1:23119/connector", "path or query"),
        ("http://127.0.0.1:23119?x=1", "path or query"),
        ("http://127.0.0.1:99999", "cannot be read"),
        ("http://127.0.0.1\x1b[2J:23119", "control"),
        ("http://127.0.0.1 :23119", "spaces"),
    ],
)
def test_an_unusable_address_sends_nothing(url: str, why: str) -> None:
    assert check_zotero_url(url)[0] is None and why in check_zotero_url(url)[1]
    outcome = send_to_zotero(ENTRY, base_url=url)
    assert not outcome.saved and not outcome.not_running
    assert outcome.message.startswith("Not sent to Zotero: the Zotero address is unusable: ")
    assert "secret" not in outcome.message


def test_usable_addresses_are_normalised() -> None:
    assert check_zotero_url("HTTP://LocalHost:23119/") == ("http://localhost:23119", "")
    assert check_zotero_url("https://[::1]:8443") == ("https://[::1]:8443", "")


def test_nothing_to_send_sends_nothing() -> None:
    with running_zotero() as zotero:
        outcome = send_to_zotero("  \n", base_url=zotero.url)
    assert not outcome.saved and zotero.posts == []


# --------------------------------------------------------------------- digest-reader bookmarks --to-zotero

GOLDEN = Path(__file__).parent / "fixtures" / "bookmarks" / "golden_three.json"


@pytest.fixture
def three(isolated_data_dir: Path) -> list[Bookmark]:
    """The default bookmarks file holding the three golden bookmarks; returns them."""
    (isolated_data_dir / "bookmarks.json").write_bytes(GOLDEN.read_bytes())
    return parse_export(GOLDEN.read_bytes())[0]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_bookmarks_go_to_zotero_as_their_bibtex_export(three: list[Bookmark], monkeypatch, capsys) -> None:
    with running_zotero() as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        status, out, err = run(["--to-zotero"], capsys)
        assert (status, err) == (0, "")
        assert out == "saved 3 bookmarks to Zotero (3 items imported)\n"
        status, exported, _ = run(["--format", "bibtex"], capsys)
    (post,) = zotero.imports()
    assert post.body.decode("utf-8") == exported  # one entry per paper, wherever it is written
    read_back(post.body.decode("utf-8"), three)


def test_a_tag_sends_only_its_bookmarks(three: list[Bookmark], monkeypatch, capsys) -> None:
    with running_zotero() as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        status, out, _ = run(["--to-zotero", "--tag", "robots"], capsys)
    assert status == 0 and out == "saved 1 bookmark to Zotero (1 item imported)\n"
    read_back(zotero.imports()[0].body.decode("utf-8"), [three[0]])


def test_no_tagged_bookmark_sends_nothing(three: list[Bookmark], monkeypatch, capsys) -> None:
    with running_zotero() as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        status, out, err = run(["--to-zotero", "--tag", "nowhere"], capsys)
    assert status == 0 and zotero.posts == []
    assert out == "no bookmarks to send: nothing was sent to Zotero\n"
    assert err == "digest-reader bookmarks: warning: no bookmark is tagged nowhere\n"


def test_zotero_not_running_exits_69(three: list[Bookmark], monkeypatch, capsys) -> None:
    monkeypatch.setenv(URL_VARIABLE, closed_port_url())
    status, out, err = run(["--to-zotero"], capsys)
    assert (status, out) == (EXIT_NOT_RUNNING, "") and EXIT_NOT_RUNNING == 69
    assert err.startswith("digest-reader bookmarks: error: Zotero is not running (nothing answers at http://127.0.0.1:")
    assert err.count("\n") == 1


def test_zotero_refusing_exits_65_with_its_answer(three: list[Bookmark], monkeypatch, capsys) -> None:
    with running_zotero("read-only") as zotero:
        monkeypatch.setenv(URL_VARIABLE, zotero.url)
        status, out, err = run(["--to-zotero"], capsys)
    assert (status, out) == (EXIT_NOT_SAVED, "") and EXIT_NOT_SAVED == 65
    assert err == ("digest-reader bookmarks: error: Not saved to Zotero: HTTP 500 Internal Server Error "
                   "(the library selected in Zotero is read-only; select another one).\n")


def test_to_zotero_is_an_action_of_its_own(three: list[Bookmark], capsys) -> None:
    status, _, err = run(["--to-zotero", "--format", "csv"], capsys)
    assert status == 2 and "not allowed with argument" in err


def test_batches_keep_keys_unique_across_requests_and_say_how_far_they_got() -> None:
    twins = [Bookmark(key=f"arxiv:2603.0010{n}", title=r"Folding $n^{2}$ Again", authors=("Imogen Vale",),
                      arxiv_id=f"2603.0010{n}", tags=("rl",)) for n in range(5)]
    with running_zotero() as zotero:
        outcome = send_bookmarks(twins, base_url=zotero.url, batch_size=2)
    assert (outcome.status, outcome.saved) == (0, 5)
    assert outcome.line == "saved 5 bookmarks to Zotero (5 items imported)"
    bodies = [post.body.decode("utf-8") for post in zotero.imports()]
    assert len(bodies) == 3
    read_back("\n".join(bodies), twins)  # keys unique across the three requests, TeX intact

    with running_zotero() as zotero:

        def flaky(bibtex: str, **options: object):
            outcome = send_to_zotero(bibtex, **options)  # type: ignore[arg-type]
            zotero.mode = "read-only"  # the first batch is saved, then the user selects a read-only library
            return outcome

        outcome = send_bookmarks(twins, base_url=zotero.url, batch_size=2, send=flaky)
    assert (outcome.status, outcome.saved) == (EXIT_NOT_SAVED, 2)
    assert outcome.line.startswith("saved 2 bookmarks of 5 to Zotero, then: Not saved to Zotero: HTTP 500")


# --------------------------------------------------------------------- the reader's helpers for Y and Z


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """No display, no clipboard tool: only OSC 52 can carry a copy."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DIGEST_READER_LOCAL_CLIPBOARD", "0")


async def _run_helper(helper, *args, **options) -> tuple[list[str], list[str]]:
    """Run a link_commands helper in a reader; return (what OSC 52 got, the notifications)."""
    from tests.tui_helpers import app_for_papers, ready

    app = app_for_papers([PAPER])
    sent: list[str] = []
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        original = app.copy_to_clipboard
        app.copy_to_clipboard = lambda text: (sent.append(text), original(text))[1]
        helper(app, *args, **options)
        await app.workers.wait_for_complete()
        await pilot.pause()
        return sent, [str(notification.message) for notification in app._notifications]


async def test_copy_text_sends_the_entry_and_says_what_happened(headless: None) -> None:
    from tui.screens.link_commands import copy_text

    sent, said = await _run_helper(copy_text, ENTRY, "the BibTeX entry")
    assert sent == [ENTRY]
    assert said == ["Sent the BibTeX entry to the terminal clipboard (OSC 52); not every terminal supports it."]


async def test_z_saved_says_saved_and_copies_nothing(headless: None) -> None:
    from tui.screens.link_commands import send_to_zotero as send_in_reader

    with running_zotero() as zotero:
        sent, said = await _run_helper(send_in_reader, ENTRY, base_url=zotero.url)
    assert said == ["Saved to Zotero (1 item)."] and sent == []
    assert zotero.imports()[0].body == ENTRY.encode()


async def test_z_with_zotero_not_running_copies_the_entry_instead(headless: None) -> None:
    from tui.screens.link_commands import send_to_zotero as send_in_reader

    sent, said = await _run_helper(send_in_reader, ENTRY, base_url=closed_port_url())
    assert sent == [ENTRY]
    (message,) = said
    assert message.startswith("Zotero is not running (nothing answers at http://127.0.0.1:")
    assert message.endswith("). Sent the BibTeX entry to the terminal clipboard (OSC 52); not every terminal supports it.")


async def test_z_refused_says_why_and_copies_nothing(headless: None) -> None:
    from tui.screens.link_commands import send_to_zotero as send_in_reader

    with running_zotero("read-only") as zotero:
        sent, said = await _run_helper(send_in_reader, ENTRY, base_url=zotero.url)
    assert sent == []
    assert said == ["Not saved to Zotero: HTTP 500 Internal Server Error "
                    "(the library selected in Zotero is read-only; select another one)."]
