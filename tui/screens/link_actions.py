"""The link keys of the main screen: `c`, `y`, `u`, `o`.

Every link goes through the URL policy (in tui.system.clipboard / browser) before
it leaves the app; copying and opening run in thread workers with time limits,
so a hung clipboard tool or a slow browser never freezes the keys.
"""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from digest_parser.models import Paper
from tui.core.paperview import ordered_links


class LinkActions(Screen[None]):
    """Mixed into MainScreen; needs ``current_paper``."""

    current_paper: Paper | None

    def action_copy_code(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        if not paper.code_url:
            self.notify("No code link for this paper; the clipboard is unchanged.", markup=False, timeout=3)
            return
        self.copy_link(paper.code_url)

    def action_copy_paper(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = paper.paper_url or _first_link(paper)
        if url is None:
            self.notify("This paper has no link; the clipboard is unchanged.", markup=False, timeout=3)
            return
        self.copy_link(url)

    def action_open_link(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        url = paper.code_url or paper.paper_url or _first_link(paper)
        if url is None:
            self.notify("This paper has no link to open.", markup=False, timeout=3)
            return
        self.open_link(url)

    def action_pick_link(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        links = ordered_links(paper)
        if not links:
            self.notify("This paper has no links.", markup=False, timeout=3)
            return
        from tui.screens.dialogs import LinkChoice, LinkPicker

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:
                return
            if choice.verb == "open":
                self.open_link(choice.link.url)
            else:
                self.copy_link(choice.link.url)

        self.app.push_screen(LinkPicker(paper.title, links), chosen)

    # ---- workers ---------------------------------------------------------------

    @work(thread=True, group="clipboard", exit_on_error=False, description="Copying a link")
    def copy_link(self, url: str) -> None:
        from tui.system.clipboard import copy_url  # on first use: not on the path to the first frame

        app = self.app
        outcome = copy_url(url, osc52=lambda text: app.call_from_thread(app.copy_to_clipboard, text))
        severity = "information" if outcome.copied_locally or outcome.sent_osc52 else "warning"
        app.call_from_thread(app.notify, outcome.message, severity=severity, markup=False, timeout=6)

    @work(thread=True, group="browser", exit_on_error=False, description="Opening a link")
    def open_link(self, url: str) -> None:
        from tui.system.browser import open_url  # on first use (webbrowser, subprocess)
        from tui.system.clipboard import copy_url

        app = self.app
        outcome = open_url(url)
        if outcome.opened:
            app.call_from_thread(app.notify, outcome.message, markup=False, timeout=4)
            return
        if outcome.url is None:  # refused by the URL policy: nothing leaves the app
            app.call_from_thread(app.notify, outcome.message, severity="warning", markup=False, timeout=6)
            return
        # No browser here (SSH, no display) or it failed: show the link and copy it instead.
        copied = copy_url(outcome.url, osc52=lambda text: app.call_from_thread(app.copy_to_clipboard, text))
        reason = outcome.message.split(";", 1)[0]  # "No browser started over SSH"
        app.call_from_thread(
            app.notify, f"{reason}. {copied.message}", severity="warning", markup=False, timeout=10
        )


def _first_link(paper: Paper) -> str | None:
    links = ordered_links(paper)
    return links[0].url if links else None
