"""Reading digest files: bounded, refusing what is not a text file.

STUB: the parser helper replaces this module (see issue 2).
"""

from __future__ import annotations


class DigestReadError(Exception):
    """A digest that cannot be read or decoded. ``str(err)`` is one line for stderr:
    ``file: line N: what is wrong; what to do``."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: line {self.line}: " if self.line else f"{self.path}: "
        return where + self.message


def read_text(path: str) -> str:
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read().replace("\r\n", "\n").replace("\r", "\n")
