"""The one place the reader uses Textual's private API.

Each use is here because a benchmark showed it matters (bench/README.md); each has
a test in tests/test_textual_internals.py that fails with a clear message when a
Textual upgrade removes or changes what it relies on.
"""

from __future__ import annotations

from textual import messages
from textual.widget import Widget


def repaint_in_this_frame(*widgets: Widget) -> None:
    """Ask for *widgets* to be repainted in the frame being prepared now.

    A widget that calls ``refresh()`` is repainted on its next idle; by then the
    screen's update timer may have drawn the frame that echoes a key without the
    widget's new content, and the next frame is 17-33 ms away. Posting Textual's
    own ``Update`` message puts it in this frame.
    """
    for widget in widgets:
        widget.screen.post_message(messages.Update(widget))
