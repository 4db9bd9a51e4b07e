"""The detail pane: everything about one paper, wrapped and scrollable.

Also a Line-API widget: the paper is wrapped once per (paper, width) into
strips, and moving the cursor in the list only swaps those strips — no layout
pass of the screen, which keeps a cursor move with the detail updated fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

from digest_parser.models import Link, Paper
from digest_parser.sanitize import clean_line, clean_text
from tui.core.paperview import ordered_links
from tui.keys import DETAIL_KEYS
from tui.system.textual_internals import set_virtual_size_without_layout
from tui.system.urlpolicy import display_url
from tui.widgets.contrast import MARK_CONTRAST, TEXT_CONTRAST, readable, theme_text_colours

LABEL_WIDTH = 14
"""Wide enough for the longest label and a gap ("Categories", "AI summary")."""

EXTRA_ROWS: tuple[tuple[str, str], ...] = (
    ("upvotes", "Upvotes"),
    ("num_comments", "Comments"),
    ("comments", "Comments"),
    ("github_stars", "GitHub ★"),
    ("categories", "Categories"),
    ("kind", "Listed as"),
    ("organization", "Organization"),
)
"""Format-specific facts (Paper.extra) shown when the digest has them, in this order."""


def short_source(paper: Paper) -> str:
    """Where the paper came from, short: the file's name (not its folder), and its
    line when that means something (a JSON digest's papers all start on line 1)."""
    name = paper.source.rsplit("/", 1)[-1] or paper.source
    return f"{name}:{paper.line}" if paper.line > 1 else name


@dataclass(frozen=True, slots=True)
class DetailState:
    """What the detail pane shows besides the paper itself."""

    bookmarked: bool = False
    read: bool = False
    note: str = ""
    also_in: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    closest_bookmark: tuple[str, float] | None = None
    """In the "for you" order: the bookmark this paper is most like, and the score."""
    empty_message: str = "No paper selected."


class PaperDetail(ScrollView, can_focus=True):
    """Title, authors, date, arXiv id, source, abstract and numbered links."""

    COMPONENT_CLASSES = {
        "paper-detail--title",
        "paper-detail--label",
        "paper-detail--dim",
        "paper-detail--kind",
        "paper-detail--url",
        "paper-detail--note",
        "paper-detail--mark",
    }

    DEFAULT_CSS = """
    PaperDetail {
        padding: 0 1;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        /* (Resolved against the pane's own background, see _part_style.) */
        & > .paper-detail--title { text-style: bold; color: $text; }
        & > .paper-detail--label { color: $text-muted; }
        & > .paper-detail--dim { color: $text-muted; }
        & > .paper-detail--kind { color: $text-secondary; }
        & > .paper-detail--url { color: $text-accent; }
        & > .paper-detail--note { color: $text-warning; }
        & > .paper-detail--mark { color: $warning; }
    }
    """

    BINDINGS = [
        Binding(DETAIL_KEYS["detail.scroll_down"], "scroll_down", "Scroll down", show=False, id="detail.scroll_down"),
        Binding(DETAIL_KEYS["detail.scroll_up"], "scroll_up", "Scroll up", show=False, id="detail.scroll_up"),
        Binding(DETAIL_KEYS["detail.top"], "scroll_home", "Top", show=False, id="detail.top"),
        Binding(DETAIL_KEYS["detail.bottom"], "scroll_end", "Bottom", show=False, id="detail.bottom"),
        Binding(DETAIL_KEYS["detail.page_down"], "page_down", "Page down", show=False, id="detail.page_down"),
        Binding(DETAIL_KEYS["detail.page_up"], "page_up", "Page up", show=False, id="detail.page_up"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._paper: Paper | None = None
        self._state = DetailState()
        self._strips: list[Strip] = []
        self._strips_width = -1
        self._background = None

    @property
    def paper(self) -> Paper | None:
        return self._paper

    def show(self, paper: Paper | None, state: DetailState | None = None, *, keep_scroll: bool = False) -> None:
        """Show *paper* (None: the empty message) with *state*."""
        changed = paper is not self._paper
        self._paper = paper
        if state is not None:
            self._state = state
        self._strips_width = -1  # re-wrap on next render
        self._rewrap()
        if changed and not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        self._rewrap()

    def notify_style_update(self) -> None:
        # A theme picked (or a class changed): the colours are baked into the
        # wrapped strips, which must be built again.
        super().notify_style_update()
        self._strips_width = -1
        self.refresh()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._strips_width:
            return
        style = self.get_visual_style()
        self._background = style.rich_style
        content = self.build_content()
        self._strips = Visual.to_strips(self, content, width, None, style, apply_selection=False)
        self._strips_width = width
        # No layout of the whole screen per paper shown (as in PaperList).
        set_virtual_size_without_layout(self, Size(width, len(self._strips)))

    def render_line(self, y: int) -> Strip:
        self._rewrap()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        if 0 <= line < len(self._strips):
            return self._strips[line].extend_cell_length(width, self._background).crop(0, width)
        return Strip.blank(width, self._background)

    def plain_text(self) -> str:
        """The pane's text as shown (tests read it)."""
        return self.build_content().plain

    def _part_style(self, part: str) -> VisualStyle:
        """The style of one part, resolved against the pane's own background (a
        partial style would resolve the themes' "auto" colours, $text and
        $text-muted, against no background at all: white on a light theme), its
        colour made readable there (tui.widgets.contrast)."""
        style = self.get_visual_style(part)
        pane = self.get_visual_style()
        minimum = MARK_CONTRAST if part == "paper-detail--mark" else TEXT_CONTRAST
        candidates = [colour for colour in (pane.foreground, *theme_text_colours(self.app.theme_variables))
                      if colour is not None]
        return readable(style, pane.background, minimum, candidates)

    def build_content(self) -> Content:
        paper, state = self._paper, self._state
        style = self._part_style
        label = style("paper-detail--label")
        dim = style("paper-detail--dim")
        if paper is None:
            return Content.assemble((state.empty_message, dim))
        parts: list[Content | tuple[str, object] | str] = []
        title_marks = ("★ " if state.bookmarked else "")
        parts.append((title_marks, style("paper-detail--mark")))
        parts.append((clean_line(paper.plain_title), style("paper-detail--title")))
        parts.append("\n\n")
        rows: list[tuple[str, str]] = []
        if paper.authors:
            rows.append(("Authors", ", ".join(paper.authors)))
        if paper.date:
            rows.append(("Date", paper.date))
        if paper.arxiv_id:
            rows.append(("arXiv", paper.arxiv_id))
        rows.append(("Status", "read" if state.read else "unread"))
        rows.append(("Source", short_source(paper)))
        if state.also_in:
            rows.append(("Also in", ", ".join(state.also_in)))
        if state.tags:
            rows.append(("Tags", " ".join(f"#{tag}" for tag in state.tags)))
        if state.closest_bookmark is not None:
            title, score = state.closest_bookmark
            rows.append(("For you", f"{score:.2f}, most like your bookmark: {title}"))
        extra = dict(paper.extra)
        for key, row_label in EXTRA_ROWS:
            if extra.get(key):
                rows.append((row_label, extra[key]))
        for row_label, value in rows:
            shown = clean_line(value).strip()
            if shown:  # (a fact that is blank once cleaned gets no row)
                parts += [(f"{row_label:<{LABEL_WIDTH}}", label), shown, "\n"]
        summary = extra.get("ai_summary")
        if summary:
            parts += [(f"{'AI summary':<{LABEL_WIDTH}}", label), (clean_text(summary), dim), "\n"]
        if state.note:
            parts += [(f"{'Note':<{LABEL_WIDTH}}", label), (clean_text(state.note), style("paper-detail--note")), "\n"]
        parts.append("\n")
        abstract = clean_text(paper.plain_abstract) if paper.abstract else ""
        parts.append(abstract if abstract else ("(no abstract)", dim))
        parts.append("\n")
        links = ordered_links(paper)
        if links:
            parts += ["\n", ("Links", label), "\n"]
            for number, link in enumerate(links, 1):
                parts += self._link_parts(number, link)
        else:
            parts += ["\n", ("No links.", dim), "\n"]
        return Content.assemble(*parts)  # type: ignore[arg-type]

    def _link_parts(self, number: int, link: Link) -> list[object]:
        style = self._part_style
        return [
            f"[{number}] " if number < 10 else f"[{number}]",
            (f"{link.kind:<8}", style("paper-detail--kind")),
            # As it would be copied or opened: a look-alike host in punycode.
            (display_url(link.url), style("paper-detail--url")),
            "\n",
        ]
