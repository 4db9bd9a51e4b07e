"""Readable text in every theme.

The widgets colour their parts with theme variables ($text-accent, $warning,
$block-cursor-foreground…), and no variable reads well in every one of
Textual's themes: an accent that stands out on a dark background fades on a
light one, and the themes' "auto" text colour picks black or white by
brightness, not by contrast. So each coloured part is checked against the
background it is drawn on with the WCAG 2 contrast ratio, and where it would
read at less than :data:`TEXT_CONTRAST` (words) or :data:`MARK_CONTRAST`
(the list's markers), the theme's own text colour that reads best takes its
place. No colour is written here: the candidates all come from the theme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.color import Color, ColorParseError
from textual.style import Style as VisualStyle

TEXT_CONTRAST = 4.5
"""WCAG 2 AA for body text."""

MARK_CONTRAST = 3.0
"""WCAG 2 AA for graphical objects and bold or large text: the list's markers."""


def _channel(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    return 0.2126 * _channel(color.r) + 0.7152 * _channel(color.g) + 0.0722 * _channel(color.b)


def contrast_ratio(foreground: Color, background: Color) -> float:
    """WCAG 2 contrast ratio (1 to 21) of *foreground* drawn on *background*
    (a translucent foreground is blended over the background first)."""
    if foreground.a < 1:
        foreground = background.blend(foreground.with_alpha(1.0), foreground.a)
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(style: VisualStyle, background: Color | None, minimum: float, candidates: Iterable[Color]) -> VisualStyle:
    """*style*, drawn on *background*, with its text colour replaced by the one of
    *candidates* that contrasts most when its own reads at less than *minimum*."""
    foreground = style.foreground
    if foreground is None or background is None or background.a < 1 or foreground.ansi is not None or background.ansi is not None:
        return style  # (nothing to measure: the terminal's own colours, or no background)
    if contrast_ratio(foreground, background) >= minimum:
        return style
    best = max(candidates, key=lambda color: contrast_ratio(color, background), default=None)
    if best is None or contrast_ratio(best, background) <= contrast_ratio(foreground, background):
        return style
    return replace(style, foreground=best)


def theme_text_colours(variables: dict[str, str]) -> list[Color]:
    """The theme's own text colours, the candidates for :func:`readable`: its
    foreground and its background (text on a strong cursor may need the latter)."""
    colours = []
    for name in ("foreground", "background"):
        try:
            colour = Color.parse(variables[name])
        except (KeyError, ColorParseError):
            continue
        if colour.a == 1 and colour.ansi is None:  # (an ANSI theme's colours: the terminal decides)
            colours.append(colour)
    return colours
