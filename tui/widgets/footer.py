"""The footer: the keys that matter most stay visible at any width, readable in any theme.

Textual's footer lays its keys out in one row and cuts off what does not fit,
so on a narrow terminal the last keys (Help, Quit) went first. This one hides
the keys that are not essential instead, last declared first, until the rest
fits beside the command palette's key; the palette key goes last of all. The
keys come from the bindings as the user remapped them (config.toml's ``[keys]``).

Some themes colour the footer's keys with an accent that barely shows on the
footer's background; there the keys take the footer's text colour (still bold).
"""

from __future__ import annotations

import itertools

from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tui.widgets.contrast import MARK_CONTRAST, contrast_ratio

ESSENTIAL_ACTIONS = frozenset({"quit", "help", "back"})
"""Shown at any width: how to leave, how to learn the rest, how to go back."""

PALETTE_CLASS = "-command-palette"
"""Textual's class for the command palette's key (docked right)."""


class ReaderFooter(Footer):
    """A footer that drops its least important keys, rather than Quit, when narrow."""

    DEFAULT_CSS = """
    ReaderFooter.-plain-keys FooterKey .footer-key--key { color: $footer-description-foreground; }
    """

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._check_key_colour())
        self._check_key_colour()

    _composed_for: tuple[object, ...] | None = None
    _bindings_seen = False
    """Set once the screen has announced its bindings: till then compose shows no keys."""

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_seen = True
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        # Textual recomposes the footer on every change of the screen's bindings
        # (each focus change, each refresh_bindings): 12 rebuilds of the same keys
        # over a start, six moves, two Tabs and a search opened and closed, where
        # 3 changed what it shows; each rebuild mounts every key again.
        shown = self._what_compose_shows()
        if shown == self._composed_for:
            return
        self._composed_for = shown
        await super().recompose()
        self._in_declared_order()
        self._fit()

    def _in_declared_order(self) -> None:
        """The keys in the order the screen declares its bindings. (Textual's keymap
        re-adds a remapped binding after the others: `x Bookmark` moved to the end,
        the first key dropped when narrow.)"""
        declared: dict[str, int] = {}
        for binding in self.screen.BINDINGS:
            action = binding.action if isinstance(binding, Binding) else binding[1]
            declared.setdefault(action, len(declared))
        keys = [key for key in self._keys() if not key.has_class(PALETTE_CLASS)]
        ordered = sorted(keys, key=lambda key: declared.get(getattr(key, "action", ""), len(declared)))
        if ordered == keys:
            return
        for before, key in itertools.pairwise(ordered):
            self.move_child(key, after=before)

    def _what_compose_shows(self) -> tuple[object, ...]:
        """Everything Footer.compose reads, for telling whether it would build the same keys."""
        if not self._bindings_seen or not self.is_attached:
            return ()
        app = self.app
        return (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            *((binding.key, app.get_key_display(binding), binding.description, binding.action, binding.show,
               binding.group, enabled, tooltip)
              for _node, binding, enabled, tooltip in self.screen.active_bindings.values()),
        )

    def on_resize(self) -> None:
        self._fit()

    def _keys(self) -> list[Widget]:
        return list(self.query_children("FooterKey"))

    def _fit(self) -> None:
        """Show every key that fits, dropping the optional ones from the end."""
        keys = self._keys()
        if not keys or self.size.width <= 0:
            return
        widths = {key: _width(key) for key in keys}
        palette = [key for key in keys if key.has_class(PALETTE_CLASS)]
        ordinary = [key for key in keys if not key.has_class(PALETTE_CLASS)]
        shown = set(keys)
        optional = [key for key in reversed(ordinary) if getattr(key, "action", "") not in ESSENTIAL_ACTIONS]
        # Drop the optional keys from the end, then the palette's key.
        for key in [*optional, *palette]:
            if sum(widths[other] for other in shown) <= self.size.width:
                break
            shown.discard(key)
        for key in keys:
            key.display = key in shown

    def _check_key_colour(self) -> None:
        """Plain keys where the theme's key colour reads poorly on the footer."""
        variables = self.app.theme_variables
        try:
            background = Color.parse(variables["footer-background"])
            key = Color.parse(variables["footer-key-foreground"])
        except (KeyError, ColorParseError):
            return
        if background.a < 1 or key.ansi is not None or background.ansi is not None:
            self.remove_class("-plain-keys")  # (the terminal's own colours: it decides)
            return
        self.set_class(contrast_ratio(key, background) < MARK_CONTRAST, "-plain-keys")


def _width(key: Widget) -> int:
    """The cells a footer key takes: its text, padding, border and margin."""
    render = getattr(key, "render", None)
    text = render() if render is not None else ""
    cells = getattr(text, "cell_len", None)
    length = cells if isinstance(cells, int) else len(str(text))
    styles = key.styles
    return length + styles.gutter.width + styles.margin.width
