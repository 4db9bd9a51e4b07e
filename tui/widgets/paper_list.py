"""The list pane: one row per paper, rendered line by line.

A Line-API widget (``ScrollView.render_line``) renders only the rows on screen,
so 100,000 papers cost the same per frame as 100, and replacing the rows (what
search does on every keystroke) is a list assignment plus one refresh. OptionList
and DataTable build every row up front, so their cost grows with the digest and
is paid again on every search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

from digest_parser.models import Paper
from digest_parser.sanitize import clean_line
from tui.keys import LIST_KEYS
from tui.system.textual_internals import set_virtual_size_without_layout
from tui.widgets.contrast import MARK_CONTRAST, TEXT_CONTRAST, readable, theme_text_colours

Highlighter = Callable[[str], Sequence[tuple[int, int]]]
"""Returns the (start, end) character spans of a title to highlight."""

Annotator = Callable[[Paper], str]
"""Returns a short text shown before a paper's title (a similarity score), or ""."""

UNREAD_MARK = "•"
BOOKMARK_MARK = "★"
TAGGED_MARK = "#"
"""In the bookmark column: bookmarked, with tags."""
CODE_MARK = "◆"

CURSOR_MATCH = VisualStyle(bold=True, underline=True)
"""A search match on the cursor's row: the row's own colours, bold and underlined."""


@dataclass(frozen=True, slots=True, eq=False)
class RowMarks:
    """What the markers column shows. The screen owns the sets; *version*
    changes whenever their contents do, so comparing marks costs nothing."""

    bookmarked: AbstractSet[str] = frozenset()
    read: AbstractSet[str] = frozenset()
    version: int = 0
    track_read: bool = True
    tagged: AbstractSet[str] = frozenset()

    def same_as(self, other: RowMarks) -> bool:
        return (
            self.bookmarked is other.bookmarked
            and self.read is other.read
            and self.version == other.version
            and self.track_read == other.track_read
            and self.tagged is other.tagged
        )


class PaperList(ScrollView, can_focus=True):
    """Rows of paper titles with a cursor. Data comes down through
    :meth:`show`; the cursor's paper goes up in :class:`PaperList.Highlighted`."""

    COMPONENT_CLASSES = {
        "paper-list--row",
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--bookmark",
        "paper-list--code",
        "paper-list--match",
        "paper-list--annotation",
    }

    DEFAULT_CSS = """
    PaperList {
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .paper-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .paper-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
        /* ($text-*: the variants of the theme's colours meant for text on its background.) */
        & > .paper-list--unread { color: $text-accent; }
        & > .paper-list--bookmark { color: $text-warning; }
        & > .paper-list--code { color: $text-success; }
        & > .paper-list--match { color: $text-accent; text-style: bold underline; }
        & > .paper-list--annotation { color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding(LIST_KEYS["list.cursor_down"], "cursor_down", "Down", show=False, id="list.cursor_down"),
        Binding(LIST_KEYS["list.cursor_up"], "cursor_up", "Up", show=False, id="list.cursor_up"),
        Binding(LIST_KEYS["list.first"], "first", "First", show=False, id="list.first"),
        Binding(LIST_KEYS["list.last"], "last", "Last", show=False, id="list.last"),
        Binding(LIST_KEYS["list.page_down"], "page_down", "Page down", show=False, id="list.page_down"),
        Binding(LIST_KEYS["list.page_up"], "page_up", "Page up", show=False, id="list.page_up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=False, repaint=False)
    """Row of the cursor (an index into the rows shown, not into the digest)."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a paper (None when the list is empty)."""

        paper_list: PaperList
        paper: Paper | None
        row: int

        @property
        def control(self) -> PaperList:
            return self.paper_list

        def can_replace(self, message: Message) -> bool:
            # A burst of cursor keys only needs the last position shown.
            return isinstance(message, PaperList.Highlighted)

    @dataclass
    class Chosen(Message):
        """Enter was pressed on a paper."""

        paper_list: PaperList
        paper: Paper

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._papers: Sequence[Paper] = ()
        self._rows: Sequence[int] = ()
        self._marks = RowMarks()
        self._highlighter: Highlighter | None = None
        self._annotator: Annotator | None = None
        self._styles: dict[tuple[bool, str], VisualStyle] = {}
        """The readable styles of the rows and their parts, by focus and part (see _style)."""

    # ---- data in -------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def current_paper(self) -> Paper | None:
        if 0 <= self.cursor < len(self._rows):
            return self._papers[self._rows[self.cursor]]
        return None

    @property
    def visible_papers(self) -> list[Paper]:
        return [self._papers[index] for index in self._rows]

    def show(
        self,
        papers: Sequence[Paper],
        rows: Sequence[int],
        *,
        keep_key: str | None = None,
        highlighter: Highlighter | None = None,
        annotator: Annotator | None = None,
    ) -> None:
        """Show *rows* (indices into *papers*), keeping the cursor on the paper
        with *keep_key* when it is still shown, else on the first row."""
        self._papers = papers
        self._rows = rows
        self._highlighter = highlighter
        self._annotator = annotator
        target = 0
        if keep_key is not None:
            for position, index in enumerate(rows):
                if papers[index].key == keep_key:
                    target = position
                    break
        self._set_virtual_height(len(rows))
        self.set_reactive(PaperList.cursor, target)
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self._post_highlighted()

    def _set_virtual_height(self, height: int) -> None:
        # Search re-sets the rows on every keystroke: no layout of the whole
        # screen for it. The scrollbar is always shown (overflow-y: scroll), so
        # the width never changes and updating the scrollbar is enough.
        set_virtual_size_without_layout(self, Size(self.scrollable_content_region.width, height))

    def set_marks(self, marks: RowMarks) -> None:
        if not marks.same_as(self._marks):
            self._marks = marks
            self.refresh()

    # ---- cursor --------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.current_paper, self.cursor))

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh_line(y)

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        if not self._rows:
            return
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True, center=center
        )

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._rows):
            self.cursor = row

    def key_enter(self) -> None:
        paper = self.current_paper
        if paper is not None:
            self.post_message(self.Chosen(self, paper))

    # ---- rendering -----------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # a theme picked

    def _style(self, part: str) -> VisualStyle:
        """The style of a row ("row", "cursor") or of a part of a row ("paper-list--unread"…),
        its text colour made readable on the row's background in this theme
        (tui.widgets.contrast)."""
        key = (self.has_focus, part)
        style = self._styles.get(key)
        if style is None:
            row = self.get_visual_style("paper-list--row")
            if part == "row":
                style = readable(row, row.background, TEXT_CONTRAST, theme_text_colours(self.app.theme_variables))
            elif part == "cursor":
                cursor = self.get_visual_style("paper-list--row", "paper-list--cursor")
                style = readable(cursor, cursor.background, TEXT_CONTRAST, theme_text_colours(self.app.theme_variables))
            else:
                minimum = TEXT_CONTRAST if part in ("paper-list--match", "paper-list--annotation") else MARK_CONTRAST
                candidates = [self._style("row").foreground or row.foreground, *theme_text_colours(self.app.theme_variables)]
                style = readable(self.get_visual_style(part), row.background, minimum,
                                 [colour for colour in candidates if colour is not None])
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        is_cursor = row == self.cursor
        style = self._style("cursor" if is_cursor else "row")
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, style.rich_style)
        paper = self._papers[self._rows[row]]
        content = self._row_content(paper, is_cursor)
        strips = Visual.to_strips(self, content, width, 1, style, apply_selection=False)
        strip = strips[0] if strips else Strip.blank(width, style.rich_style)
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)

    def _row_content(self, paper: Paper, is_cursor: bool = False) -> Content:
        # On the cursor's row every part takes the row's colours: the theme's
        # marker colours are chosen for its background, not for the cursor's.
        part = (lambda _name: VisualStyle()) if is_cursor else self._style
        marks = self._marks
        key = paper.key
        unread = marks.track_read and key not in marks.read
        # clean_line again at render time: a Paper that skipped the parser's
        # cleaning (tests, future formats) must still not reach the terminal raw.
        # plain_title reads the title's TeX ($^{3}$ → ³) so it reads as text.
        title = clean_line(paper.plain_title)
        spans: list[Span] = []
        if self._highlighter is not None:
            match_style = CURSOR_MATCH if is_cursor else self._style("paper-list--match")
            spans = [Span(start, end, match_style) for start, end in self._highlighter(title) if start < end]
        return Content.assemble(
            (UNREAD_MARK if unread else " ", part("paper-list--unread")),
            (TAGGED_MARK if key in marks.tagged else BOOKMARK_MARK if key in marks.bookmarked else " ",
             part("paper-list--bookmark")),
            (CODE_MARK if paper.code_url else " ", part("paper-list--code")),
            " ",
            (self._annotator(paper) if self._annotator is not None else "", part("paper-list--annotation")),
            Content(title, spans=spans) if spans else Content(title),
        )
