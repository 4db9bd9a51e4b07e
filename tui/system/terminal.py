"""The terminal the reader reads its keys from."""

from __future__ import annotations

import os

from digest_parser import DigestReadError


def reattach_keyboard() -> None:
    """After reading a digest from a pipe, make the terminal the app's stdin.

    Textual reads keys from file descriptor 0; with ``cat x | digest-reader -``
    that is the exhausted pipe and the app would be deaf
    (https://github.com/Textualize/textual/issues/153).
    Raises DigestReadError when there is no terminal to read keys from.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError as error:
        raise DigestReadError("-", f"no terminal to read keys from ({error.strerror}); run it in a terminal") from None
    os.dup2(tty, 0)
    os.close(tty)
