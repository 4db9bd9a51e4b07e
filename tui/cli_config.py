"""`digest-reader config [--config FILE] [--default]`: the settings in effect.

Without ``--default`` it prints which file is in use, then every setting with
the value in effect, a default marked ``# default``; the output is itself a
valid config.toml. A setting the file has that this version does not know is a
warning on stderr. ``--default`` prints a file with every setting commented out
at its default (docs/config.md). Exit status: 0 ok, 2 usage, 78 a bad config
file (one line on stderr, as the reader says it).
"""

from __future__ import annotations

import argparse
import os
import sys

from digest_parser.sanitize import clean_line
from tui.config import (
    CONFIG_ENV,
    DEFAULT_THEME,
    EX_CONFIG,
    FROM_DEFAULT,
    FROM_OPTION,
    LOCAL_CLIPBOARD_AUTO,
    Config,
    ConfigError,
    check,
    default_file,
    display_key,
    load,
    locate,
    normalise_key,
    toml_value,
)

PROG = "digest-reader config"
EX_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Print the config file in use and the settings in effect (defaults marked as such).",
        epilog=f"The file is --config FILE, else ${CONFIG_ENV}, else config.toml in the user config directory "
        "($XDG_CONFIG_HOME/digest-reader on Linux). docs/config.md describes every setting.",
    )
    parser.add_argument("--config", metavar="FILE", help="the settings file to read")
    parser.add_argument("--default", action="store_true",
                        help="print a config file with every setting commented out at its default")
    return parser


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status (never raises SystemExit)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else EX_USAGE
    from tui.app import binding_catalogue, theme_names  # the themes and bindings are the app's

    if args.default:
        sys.stdout.write(default_file(binding_catalogue(), theme_names()))
        return 0
    try:
        config = load(locate(args.config))
        keymap = check(config, themes=theme_names(), bindings=binding_catalogue)
    except ConfigError as error:
        print(f"digest-reader: {error}", file=sys.stderr)
        return EX_CONFIG
    for warning in config.warnings():
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    sys.stdout.write(describe(config, keymap))
    return 0


def describe(config: Config, keymap: dict[str, str]) -> str:
    """The settings in effect as a config file, defaults marked ``# default``."""
    from tui.app import binding_catalogue

    location = config.location
    origin = {FROM_OPTION: "from --config", FROM_DEFAULT: "the user config directory"}.get(
        location.origin, f"from {location.origin}")
    lines = [f"# config file: {clean_line(str(location.path))} ({origin})"]
    if not config.exists:
        lines.append("# (there is no such file: every setting below is its default)")
    settings = config.settings

    def setting(name: str, value: object, note: str = "") -> None:
        present = name in config.present
        comment = ([] if present else ["default"]) + ([note] if note else [])
        lines.append(f"{name.rpartition('.')[2]} = {toml_value(value)}" + (f"  # {'; '.join(comment)}" if comment else ""))

    setting("theme", settings.theme or DEFAULT_THEME)
    setting("sort", settings.sort)
    setting("sources", list(settings.sources), "" if settings.sources else "the demo digest")
    clipboard = LOCAL_CLIPBOARD_AUTO if settings.local_clipboard is None else settings.local_clipboard
    override = os.environ.get("DIGEST_READER_LOCAL_CLIPBOARD", "")
    setting("local_clipboard", clipboard, f"DIGEST_READER_LOCAL_CLIPBOARD={clean_line(override)} wins" if override else "")
    lines += ["", "[cache]"]
    setting("cache.fresh_minutes", settings.fresh_minutes)
    lines += ["", "[keys]"]
    for info in binding_catalogue():
        if info.id is None:
            continue
        keys = keymap.get(info.id, info.keys)
        shown = ",".join(display_key(normalise_key(key.strip())) for key in keys.split(","))
        marks = "" if info.id in keymap else "  # default"
        lines.append(f"{info.id} = {toml_value(shown)}{marks}")
    return "\n".join(lines) + "\n"
