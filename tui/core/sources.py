"""Where the reader's digests come from, checked before any screen is drawn.

Small files are read and decoded here, so a bad one gives its one-line error on
stderr before the alternate screen hides it; large files are only checked here
and read in the app's loading worker, so the first frame never waits for them.
A source spec (``hf``, ``hf:2024-10-22``, ``arxiv:cs.CL``; docs/live-sources.md)
is never looked for on disk: it becomes a source to fetch, and a malformed one
is refused here, before the screen. Pure (no Textual, no network).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from digest_parser import Digest, DigestReadError, parse_text
from digest_parser.reading import read_text
from tui.live.specs import LiveSpec, parse_spec

READ_UP_FRONT_BYTES = 8 * 1024 * 1024
"""Files up to this size are read before the app starts, so a bad one is
reported before the screen hides the error (see the module docstring)."""

PARSE_UP_FRONT_CHARS = 2 * 1024 * 1024
"""Up to this much text in all is also parsed before the app starts, so the
first frame already shows titles; more is parsed in the app's loading worker
while the screen is up (bench/README.md, "first titles")."""

DEMO_NAME = "demo_digest.txt"


@dataclass(frozen=True, slots=True)
class DigestSource:
    """One digest to load: a path, and its text when already read."""

    path: str
    text: str | None = None
    optional: bool = False
    """Found by listing a directory: a bad file is reported, not fatal."""
    digest: Digest | None = None
    """Already parsed (small digests, before the app started)."""
    live: LiveSpec | None = None
    """A source to fetch (``path`` is then the spec as typed); never read from disk."""
    live_mode: str = "auto"
    """How to fetch it: ``auto``, ``refresh`` or ``offline`` (see :func:`tui.live.load_live`)."""
    replacements: bool = False
    """Keep arXiv's replaced papers."""
    empty_step: int = -1
    """For an hf day with no papers, which way to look for one with papers: -1
    earlier (the default, and ``[``), +1 later (``]``)."""


def parse_small(sources: list[DigestSource], format: str) -> list[DigestSource]:
    """Parse the already-read texts now when there is little of it in all."""
    if sum(len(source.text or "") for source in sources) > PARSE_UP_FRONT_CHARS:
        return sources
    return [
        DigestSource(source.path, None, source.optional, parse_text(source.text, source=source.path, format=format))
        if source.text is not None
        else source
        for source in sources
    ]


def demo_path() -> str:
    """Path of the demo digest bundled in the package."""
    from importlib import resources  # imported only for the demo: it costs start time

    return str(resources.files("tui.demo").joinpath(DEMO_NAME))


def expand(paths: list[str], *, live_mode: str = "auto", replacements: bool = False) -> list[DigestSource]:
    """Turn command-line PATHs into sources; raises DigestReadError for the
    first one that cannot be used, and :class:`tui.live.specs.SpecError` for a
    malformed or future source spec.

    A directory stands for every regular, non-hidden file in it, newest first.
    ``-`` is standard input, read now. A source spec becomes a live source with
    *live_mode* and *replacements*; a file with a spec's name is ``./hf``.
    """
    sources: list[DigestSource] = []
    for path in paths:
        spec = parse_spec(path)
        if spec is not None:
            sources.append(DigestSource(path, live=spec, live_mode=live_mode, replacements=replacements))
            continue
        if path == "-":
            sources.append(DigestSource("-", read_text("-")))
            continue
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise DigestReadError(path, "no such file; check the path") from None
        except OSError as error:
            raise DigestReadError(path, f"cannot be read ({error.strerror}); check its permissions") from None
        if stat.S_ISDIR(info.st_mode):
            sources.extend(_directory(path))
        elif info.st_size <= READ_UP_FRONT_BYTES or not stat.S_ISREG(info.st_mode):
            # Non-regular files (FIFOs, devices) go through read_text now so its
            # refusal is reported before the screen.
            sources.append(DigestSource(path, read_text(path)))
        else:
            sources.append(DigestSource(path))
    return sources


def _directory(path: str) -> list[DigestSource]:
    entries: list[tuple[float, str]] = []
    try:
        names = os.listdir(path)
    except OSError as error:
        raise DigestReadError(path, f"cannot list the directory ({error.strerror})") from None
    for name in names:
        if name.startswith("."):
            continue
        full = os.path.join(path, name)
        try:
            info = os.stat(full)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            entries.append((info.st_mtime, full))
    if not entries:
        raise DigestReadError(path, "the directory holds no digest files")
    entries.sort(key=lambda entry: (-entry[0], entry[1]))
    return [DigestSource(full, optional=True) for _, full in entries]
