"""The reader's settings: ``config.toml``, read and checked before any screen.

docs/config.md describes the file. This module is pure: it reads and checks the
file and knows nothing of Textual. What only the app knows (its themes, its
bindings and the keys they have) is handed in by the caller
(:func:`check`), so ``digest-reader parse`` and the tests need no UI.

A bad file never starts the reader half configured: every problem raises
:class:`ConfigError` (one line naming the file, the line and what to do; the
launcher exits with status 78, EX_CONFIG). A setting this version does not know
is only a warning (:attr:`Config.unknown`): a newer version may have written it.

Reading uses the standard library's ``tomllib``; tomlkit, which keeps comments
and layout, is imported only to write the theme back (:func:`save_theme`).
"""

from __future__ import annotations

import os
import re
import stat
import textwrap
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from digest_parser.sanitize import clean_line
from tui.core.sorting import ORDERS, ORDERS_BY_NAME

EX_CONFIG = 78
"""sysexits.h: a configuration error."""

CONFIG_ENV = "DIGEST_READER_CONFIG"
CONFIG_FILE = "config.toml"
MAX_CONFIG_BYTES = 1024 * 1024
"""A settings file is a few hundred bytes; anything this large is not one."""

DEFAULT_THEME = "textual-dark"
"""Textual's own default theme."""
DEFAULT_SORT = "digest"
DEFAULT_FRESH_MINUTES = 15
"""The cache rule of docs/live-sources.md: opened again within 15 minutes, no request."""
MAX_FRESH_MINUTES = 7 * 24 * 60
LOCAL_CLIPBOARD_AUTO = "auto"

FROM_OPTION = "--config"
FROM_ENV = CONFIG_ENV
FROM_DEFAULT = "default"

SETTINGS = ("theme", "sort", "sources", "local_clipboard", "cache.fresh_minutes", "keys")
"""Every setting this version knows, as dotted names (``keys`` is a table of its own)."""


class ConfigError(Exception):
    """A config file that cannot be used. ``str()`` is the one line for stderr:
    ``PATH: line N: what is wrong; what to do``."""

    exit_code = EX_CONFIG

    def __init__(self, path: Path | str, problem: str, hint: str = "", *, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: line {self.line}" if self.line is not None else self.path
        return clean_line(f"{where}: {self.problem}" + (f"; {self.hint}" if self.hint else ""))


@dataclass(frozen=True, slots=True)
class ConfigLocation:
    """Which file holds the settings, and who chose it."""

    path: Path
    origin: str
    """``--config``, ``DIGEST_READER_CONFIG`` or ``default`` (the user config directory)."""

    @property
    def explicit(self) -> bool:
        """Named by the user: then the file must exist (a typo must not pass for "no settings")."""
        return self.origin != FROM_DEFAULT


def locate(option: str | None = None, env: Mapping[str, str] | None = None) -> ConfigLocation:
    """The config file in use: ``--config PATH``, else ``DIGEST_READER_CONFIG``,
    else ``config.toml`` in the user config directory (``DIGEST_READER_CONFIG_DIR``
    when set, else ``$XDG_CONFIG_HOME/digest-reader`` on Linux)."""
    environ = os.environ if env is None else env
    if option:
        return ConfigLocation(Path(option).expanduser().absolute(), FROM_OPTION)
    if environ.get(CONFIG_ENV):
        return ConfigLocation(Path(environ[CONFIG_ENV]).expanduser().absolute(), FROM_ENV)
    from tui.stores.locations import config_dir  # (platformdirs: already loaded by the app)

    return ConfigLocation(config_dir() / CONFIG_FILE, FROM_DEFAULT)


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings in effect (the defaults for anything the file leaves out)."""

    theme: str | None = None
    """A Textual theme name; None: Textual's default."""
    sort: str = DEFAULT_SORT
    sources: tuple[str, ...] = ()
    """What opens without a PATH (specs, or paths made absolute); empty: the demo."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Binding id → keys as written (comma-separated); checked by :func:`check`."""
    local_clipboard: bool | None = None
    """True: always use the local clipboard tool; False: never; None: decide (``auto``)."""
    fresh_minutes: float = DEFAULT_FRESH_MINUTES

    @property
    def fresh_for(self) -> timedelta:
        return timedelta(minutes=self.fresh_minutes)


@dataclass(frozen=True, slots=True)
class Config:
    """A config file read and type-checked (themes and keys: :func:`check`)."""

    location: ConfigLocation
    settings: Settings = Settings()
    exists: bool = False
    present: frozenset[str] = frozenset()
    """The settings the file sets (dotted names: ``cache.fresh_minutes``; ``keys.ID`` for each key)."""
    unknown: tuple[str, ...] = ()
    """Settings this version does not know, as warnings (:func:`warnings`)."""
    text: str = ""

    def error(self, setting: str, problem: str, hint: str = "") -> ConfigError:
        """A :class:`ConfigError` pointing at the line of *setting* (dotted)."""
        return ConfigError(self.location.path, problem, hint, line=line_of(self.text, setting))

    def warnings(self) -> list[str]:
        """One line per unknown setting: ``PATH: line N: unknown setting 'x' (ignored); …``."""
        return [
            str(ConfigError(self.location.path, f"unknown setting {name!r} (ignored)",
                            "a newer version's setting, or a typo: digest-reader config --default lists them",
                            line=line_of(self.text, name)))
            for name in self.unknown
        ]


# --- reading ------------------------------------------------------------------------------


def load(location: ConfigLocation) -> Config:
    """Read and type-check the settings at *location*.

    A missing file at the default location means every default; a missing
    file the user named is an error. Raises :class:`ConfigError`.
    """
    path = location.path
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ConfigError(path, "is a directory", "name a config.toml file")
        if not stat.S_ISREG(info.st_mode) and not _is_null_device(path):
            # (a FIFO would block the start until someone wrote to it)
            raise ConfigError(path, "not a regular file", "name a config.toml file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        if location.explicit:
            raise ConfigError(path, f"no such file (named by {location.origin})",
                              "fix the path, or create it: digest-reader config --default > FILE") from None
        return Config(location)
    except OSError as error:
        raise ConfigError(path, f"cannot be read ({error.strerror})", "check its permissions") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(path, f"larger than {MAX_CONFIG_BYTES} bytes: not a settings file", "name config.toml")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(path, "not UTF-8 text", "save the file as UTF-8", line=line) from None
    return parse(text, location)


def _is_null_device(path: Path) -> bool:
    """``DIGEST_READER_CONFIG=/dev/null`` runs with every default, as with other tools."""
    return str(path) == os.devnull


def parse(text: str, location: ConfigLocation) -> Config:
    """Type-check the settings of *text* (the file at *location*)."""
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem, line = _syntax_error(str(error), text)
        raise ConfigError(location.path, f"not valid TOML: {problem}",
                          "fix the syntax (digest-reader config --default prints a valid file)", line=line) from None
    config = Config(location, exists=True, text=text)
    unknown: list[str] = []
    present: set[str] = set()
    values: dict[str, Any] = {}
    for name, value in document.items():
        if name == "cache" and isinstance(value, dict):
            for inner, inner_value in value.items():
                dotted = f"cache.{inner}"
                if dotted in SETTINGS:
                    values[dotted] = inner_value
                    present.add(dotted)
                else:
                    unknown.append(dotted)
        elif name == "keys":
            if not isinstance(value, dict):
                raise config.error("keys", f"keys must be a table, not {_kind(value)}",
                                   'write it as [keys] with lines such as toggle_bookmark = "x"')
            values["keys"] = _flat_keys(config, value)
            present.update(f"keys.{binding}" for binding in values["keys"])
        elif name in SETTINGS:
            values[name] = value
            present.add(name)
        else:
            unknown.append(name)
    settings = Settings(
        theme=_theme(config, values),
        sort=_sort(config, values),
        sources=_sources(config, values),
        keys=values.get("keys", {}),
        local_clipboard=_local_clipboard(config, values),
        fresh_minutes=_fresh_minutes(config, values),
    )
    return Config(location, settings, exists=True, present=frozenset(present), unknown=tuple(unknown), text=text)


_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_error(message: str, text: str) -> tuple[str, int]:
    """tomllib's message without its position, and the line it names."""
    if match := _POSITION.search(message):
        return message[: match.start()], int(match.group(1))
    if match := _AT_END.search(message):
        return message[: match.start()] + " (at the end of the file)", text.count("\n") + 1
    return message, 1


def _kind(value: object) -> str:
    """The TOML word for the type of *value*, for messages."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _theme(config: Config, values: Mapping[str, Any]) -> str | None:
    if "theme" not in values:
        return None
    theme = values["theme"]
    if not isinstance(theme, str) or not theme.strip():
        raise config.error("theme", f"theme must be a theme's name, not {_kind(theme) if theme != '' else 'empty'}",
                           f'for example theme = "{DEFAULT_THEME}"')
    return theme.strip()


def _sort(config: Config, values: Mapping[str, Any]) -> str:
    if "sort" not in values:
        return DEFAULT_SORT
    name = values["sort"]
    names = ", ".join(order.name for order in ORDERS)
    if not isinstance(name, str):
        raise config.error("sort", f"sort must be a string, not {_kind(name)}", f"use one of {names}")
    if name not in ORDERS_BY_NAME:
        raise config.error("sort", f"unknown sort {name!r}", f"use one of {names}")
    return name


def _sources(config: Config, values: Mapping[str, Any]) -> tuple[str, ...]:
    if "sources" not in values:
        return ()
    sources = values["sources"]
    example = 'for example sources = ["hf", "arxiv:cs.CV"]'
    if not isinstance(sources, list):
        raise config.error("sources", f"sources must be an array of strings, not {_kind(sources)}", example)
    resolved: list[str] = []
    for source in sources:
        if not isinstance(source, str) or not source.strip():
            kind = "an empty string" if source == "" else _kind(source)
            raise config.error("sources", f"sources must hold source specs or paths, not {kind}", example)
        resolved.append(_resolve_source(config, source.strip()))
    return tuple(resolved)


def is_spec_like(text: str) -> bool:
    """A live source spec rather than a path (docs/live-sources.md: never looked for on disk)."""
    return text in ("hf", "arxiv") or text.startswith(("hf:", "arxiv:"))


def _resolve_source(config: Config, source: str) -> str:
    """A spec as written (checked: a malformed one is a config error); a path
    made absolute, relative to the config file's directory, ``~`` expanded."""
    if is_spec_like(source):
        from tui.live.specs import SpecError, parse_spec

        try:
            parse_spec(source)
        except SpecError as error:
            raise config.error("sources", f"sources: {error}", "fix the spec or remove it") from None
        return source
    if source == "-":
        raise config.error("sources", "sources cannot read standard input ('-')",
                           "give it on the command line: digest-reader -")
    path = Path(source).expanduser()
    return str(path if path.is_absolute() else config.location.path.parent / path)


def _local_clipboard(config: Config, values: Mapping[str, Any]) -> bool | None:
    if "local_clipboard" not in values:
        return None
    value = values["local_clipboard"]
    if isinstance(value, bool):
        return value
    if value == LOCAL_CLIPBOARD_AUTO:
        return None
    shown = repr(value) if isinstance(value, str) else _kind(value)
    raise config.error("local_clipboard", f"local_clipboard must be \"auto\", true or false, not {shown}",
                       'for example local_clipboard = false')


def _fresh_minutes(config: Config, values: Mapping[str, Any]) -> float:
    name = "cache.fresh_minutes"
    if name not in values:
        return DEFAULT_FRESH_MINUTES
    value = values[name]
    hint = f"give minutes from 0 to {MAX_FRESH_MINUTES}, for example fresh_minutes = {DEFAULT_FRESH_MINUTES}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise config.error(name, f"fresh_minutes must be a number, not {_kind(value)}", hint)
    if not 0 <= value <= MAX_FRESH_MINUTES:  # (NaN fails this too)
        raise config.error(name, f"fresh_minutes {value} is out of range", hint)
    return value


def _flat_keys(config: Config, table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``[keys]`` as binding id → keys (comma-separated); dotted ids
    (``list.cursor_down``) may be written dotted or as sub-tables."""
    keys: dict[str, str] = {}
    for name, value in table.items():
        binding = f"{prefix}{name}"
        if isinstance(value, dict):
            keys.update(_flat_keys(config, value, f"{binding}."))
            continue
        setting = f"keys.{binding}"
        if isinstance(value, list) and all(isinstance(key, str) for key in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise config.error(setting, f"keys.{binding} must be a string of keys, not {_kind(value)}",
                               f'for example {binding} = "ctrl+x" or ["x", "f5"]')
        keys[binding] = value
    return keys


# --- checking against the app: themes and bindings ----------------------------------------


@dataclass(frozen=True, slots=True)
class BindingInfo:
    """One binding of the app, as the check needs it (built by ``tui.app.binding_catalogue``)."""

    id: str | None
    """The id the keymap names; None for a binding that cannot be remapped
    (Textual's own, such as ctrl+p), counted only so nothing clashes with it."""
    keys: str
    """Its default keys, Textual's names, comma-separated."""
    description: str
    contexts: frozenset[str]
    """Where it acts together with others: two bindings sharing a context must
    not share a key (``list``: the main screen with the list focused…)."""
    takes_text_keys: bool = True
    """False for a binding that acts even while the user types in a text box
    (a priority binding that does not step aside): a printable key would be
    taken from the text."""


def check(
    config: Config,
    *,
    themes: Collection[str],
    bindings: Callable[[], Sequence[BindingInfo]],
) -> dict[str, str]:
    """Check the theme and the keys against the app; return the keymap for
    ``App.set_keymap`` (binding id → normalised keys). *bindings* is called only
    when the file remaps keys. Raises :class:`ConfigError`."""
    settings = config.settings
    if settings.theme is not None and settings.theme not in themes:
        import difflib

        near = difflib.get_close_matches(settings.theme, list(themes), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise config.error("theme", f"unknown theme {settings.theme!r}",
                           f"{hint}use one of {', '.join(sorted(themes))}")
    if not settings.keys:
        return {}
    return keymap_for(config, bindings())


def keymap_for(config: Config, catalogue: Sequence[BindingInfo]) -> dict[str, str]:
    """The checked keymap of *config*: known ids, known keys, no key running two actions."""
    by_id = {info.id: info for info in catalogue if info.id is not None}
    keymap: dict[str, str] = {}
    for binding, written in config.settings.keys.items():
        setting = f"keys.{binding}"
        info = by_id.get(binding)
        if info is None:
            import difflib

            near = difflib.get_close_matches(binding, list(by_id), n=1)
            hint = f"did you mean {near[0]!r}?" if near else "digest-reader config --default lists every id"
            raise config.error(setting, f"keys: unknown binding id {binding!r}", hint)
        keys = [key.strip() for key in written.split(",")]
        if not any(keys) or not all(keys):
            raise config.error(setting, f"keys.{binding}: an empty key in {written!r}",
                               'give one key or several, comma-separated: "x,f5"')
        normalised = []
        for key in keys:
            problem = key_problem(key)
            if problem:
                raise config.error(setting, f"keys.{binding}: {problem}",
                                   "use Textual's key names: x, X, ctrl+x, f5, slash, enter, pagedown…")
            normal = normalise_key(key)
            if not info.takes_text_keys and is_text_key(normal) and normal not in _split(info.keys):
                raise config.error(setting, f"keys.{binding}: {key!r} types text, and this key acts even in the "
                                   "search box", "give it a key with ctrl, or a function key")
            normalised.append(normal)
        keymap[binding] = ",".join(dict.fromkeys(normalised))
    _check_clashes(config, catalogue, keymap)
    return keymap


def _split(keys: str) -> list[str]:
    return [normalise_key(key.strip()) for key in keys.split(",") if key.strip()]


def _check_clashes(config: Config, catalogue: Sequence[BindingInfo], keymap: Mapping[str, str]) -> None:
    """Two actions on one key where both act: the second could never run."""
    contexts = sorted({context for info in catalogue for context in info.contexts})
    for context in contexts:
        holders: dict[str, BindingInfo] = {}
        for info in catalogue:
            if context not in info.contexts:
                continue
            remapped = info.id is not None and info.id in keymap
            keys = _split(keymap[info.id]) if remapped and info.id is not None else _split(info.keys)
            for key in keys:
                other = holders.get(key)
                if other is None or other is info:
                    holders[key] = info
                    continue
                if not any(item.id is not None and item.id in keymap for item in (other, info)):
                    continue  # a clash in the defaults (Textual's own ctrl+c): not the file's doing
                # Named as the file reads: a default first, then the keys in the order written;
                # the line is the one written last.
                pair = sorted((other, info), key=lambda item: _written_at(config, item, keymap))
                blamed = pair[-1]
                names = " and ".join(_describe_binding(item) for item in pair)
                raise config.error(f"keys.{blamed.id}", f"keys: {display_key(key)!r} would run both {names}",
                                   "give one of them another key")
            # (a binding listing one key twice is not a clash)


def _written_at(config: Config, info: BindingInfo, keymap: Mapping[str, str]) -> int:
    """The line where *info*'s keys are written; 0 when they are its defaults."""
    if info.id is None or info.id not in keymap:
        return 0
    return line_of(config.text, f"keys.{info.id}") or 1


def _describe_binding(info: BindingInfo) -> str:
    return info.id if info.id is not None else f"{info.description or 'a built-in binding'} (built in)"


# --- key names ----------------------------------------------------------------------------

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    "escape enter return tab space backspace delete insert home end pageup pagedown up down left right".split()
    + [f"f{number}" for number in range(1, 25)]
)
_NAME_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                      "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}
"""Textual's short names for some characters (textual.keys.KEY_NAME_REPLACEMENTS)."""
_REPLACED = {short: long for long, short in _NAME_REPLACEMENTS.items()}


def _character_name(character: str) -> str:
    """The key name Textual gives a character: ``/`` → ``slash``, ``?`` → ``question_mark``."""
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return "tab" if character == "\t" else character
    return _NAME_REPLACEMENTS.get(name, name)


def _modifiers_and_base(key: str) -> tuple[list[str], str]:
    """``ctrl+shift+x`` → (["ctrl", "shift"], "x"); ``ctrl++`` → (["ctrl"], "+")."""
    if key.endswith("++"):
        return key[:-2].split("+"), "+"
    *modifiers, base = key.split("+")
    return modifiers, base


def normalise_key(key: str) -> str:
    """Textual's name for *key*: ``/`` → ``slash``, ``ctrl+/`` → ``ctrl+slash``
    (Textual itself renames a lone character only; a modifier+character key
    written that way would never match)."""
    if len(key) == 1:
        return _character_name(key)
    modifiers, base = _modifiers_and_base(key)
    if len(base) == 1:
        base = _character_name(base)
    return "+".join([*modifiers, base])


def key_problem(key: str) -> str | None:
    """Why *key* is no key Textual sends (None when it is one)."""
    if len(key) == 1:
        return None if key.isprintable() and key != "," else f"{key!r} cannot be bound"
    if any(character.isspace() for character in key):
        return f"{key!r} holds a space (write space for the space bar)"
    modifiers, base = _modifiers_and_base(key)
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"unknown modifier {modifier!r} in {key!r} (use {', '.join(MODIFIERS)})"
    if len(base) == 1 or base in NAMED_KEYS or base in _REPLACED:
        return None
    if base == base.lower() and _is_character_name(base):
        return None
    return f"unknown key {key!r}"


def _is_character_name(name: str) -> bool:
    try:
        character = unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return False
    return character.isprintable()


def is_text_key(key: str) -> bool:
    """True for a key that types a character (``x``, ``X``, ``slash``, ``space``), not ``ctrl+x`` or ``f5``."""
    return "+" not in key[1:] and (len(key) == 1 or key == "space" or key in _REPLACED
                                           or (key not in NAMED_KEYS and _is_character_name(key)))


def display_key(key: str) -> str:
    """A key as a user would write it: ``slash`` → ``/``; named keys stay as they are."""
    modifiers, base = _modifiers_and_base(key)
    if len(base) > 1 and base not in NAMED_KEYS:
        name = _REPLACED.get(base, base)
        try:
            character = unicodedata.lookup(name.replace("_", " ").upper())
        except KeyError:
            character = ""
        if len(character) == 1 and character.isprintable() and not character.isspace() and character != ",":
            base = character
    return "+".join([*modifiers, base])


# --- where a setting is written -----------------------------------------------------------

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY_PATH = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*")
_PART = re.compile(_KEY_PART)


def _parts(path: str) -> list[str]:
    return [part[1:-1] if part[:1] in "\"'" else part for part in _PART.findall(path)]


def line_of(text: str, setting: str) -> int | None:
    """The line (from 1) where the dotted *setting* is set in *text*, found by
    reading the key paths and table headers line by line; None when not found.

    tomllib gives no positions for values, and a config error must name its line.
    A key inside a multi-line string could be mistaken for one; that costs only
    a wrong line number in a message.
    """
    wanted = setting.split(".") if not setting.startswith("keys.") else ["keys", *setting[5:].split(".")]
    table: list[str] = []
    fallback: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            match = _KEY_PATH.match(stripped[1:])
            if match and stripped[1 + match.end():].lstrip().startswith("]"):
                table = _parts(match.group(1))
                if table == wanted[: len(table)] and fallback is None:
                    fallback = number
            continue
        match = _KEY_PATH.match(line)
        if not match or not line[match.end():].startswith("="):
            continue
        path = [*table, *_parts(match.group(1))]
        if path == wanted:
            return number
        if fallback is None and len(path) > len(wanted) and path[: len(wanted)] == wanted:
            fallback = number  # a table written inline or dotted: its first line
    return fallback


# --- writing the theme back ---------------------------------------------------------------

NEW_FILE_HEADER = (
    "# digest-reader settings (docs/config.md). `digest-reader config --default` prints\n"
    "# every setting with its default.\n\n"
)


def save_theme(path: Path, theme: str) -> None:
    """Set ``theme`` in the file at *path*, keeping everything else as written
    (comments, order, spacing), and write it atomically. Creates the file (with a
    short header) when there is none. Blocks: call it off the UI thread.

    Raises:
        ConfigError: the file is no longer valid TOML, or is not a regular file.
        OSError: the write failed (the old file is left as it was).
    """
    import tomlkit
    from tomlkit.exceptions import ParseError

    from tui.stores.files import atomic_write

    target = Path(os.path.realpath(path))  # a symlinked config.toml (dotfiles) stays a symlink
    try:
        info = os.stat(target)
    except FileNotFoundError:
        data = None
    else:
        if not stat.S_ISREG(info.st_mode):  # never replace /dev/null or a FIFO
            raise ConfigError(path, "not a regular file", "the theme is saved only into a config.toml file")
        data = target.read_bytes()
    if data is None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(target, (NEW_FILE_HEADER + tomlkit.dumps({"theme": theme})).encode("utf-8"))
        return
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        document = tomlkit.parse(data[len(bom):].decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text any more", "fix it, then pick the theme again") from None
    except ParseError as error:
        problem = re.sub(r" at line \d+ col \d+$", "", str(error))
        raise ConfigError(path, f"not valid TOML any more: {problem}", "fix it, then pick the theme again",
                          line=error.line) from None
    document["theme"] = theme
    atomic_write(target, bom + document.as_string().encode("utf-8"))


# --- the default file ---------------------------------------------------------------------


def default_file(catalogue: Iterable[BindingInfo], themes: Collection[str]) -> str:
    """A config file with every setting commented out at its default, each
    with one line saying what it does. It loads as a file with no settings."""
    orders = ", ".join(order.name for order in ORDERS)
    lines = [
        "# digest-reader settings. Every line below is commented out and shows the default;",
        "# remove the # to change one. docs/config.md describes them.",
        "",
        *textwrap.wrap(f"The colour theme: {', '.join(sorted(themes))}.", 88, initial_indent="# ",
                       subsequent_indent="# "),
        "# A theme picked in the command palette (ctrl+p, \"Change theme\") is saved here.",
        f'# theme = "{DEFAULT_THEME}"',
        "",
        f"# The order of the list at start: {orders} (s changes it).",
        f'# sort = "{DEFAULT_SORT}"',
        "",
        "# What opens when no PATH is given: live sources or paths, as on the command line",
        "# (relative paths start at this file's folder). Empty: the demo digest. Example: [\"hf\", \"arxiv:cs.CV\"]",
        "# sources = []",
        "",
        "# Copy links with the local clipboard tool (xclip, wl-copy, pbcopy…) as well as OSC 52:",
        '# "auto" (not over SSH), true or false. DIGEST_READER_LOCAL_CLIPBOARD, when set, wins.',
        f'# local_clipboard = "{LOCAL_CLIPBOARD_AUTO}"',
        "",
        "[cache]",
        "# A live source (hf, arxiv:…) opened again within this many minutes of the server",
        "# confirming it opens from the cache without asking the server.",
        f"# fresh_minutes = {DEFAULT_FRESH_MINUTES}",
        "",
        "[keys]",
        "# binding id = keys: Textual key names, comma-separated (\"x,f5\"), or an array.",
        "# Two actions on one key are refused.",
    ]
    for info in catalogue:
        if info.id is None:
            continue
        keys = ",".join(display_key(key) for key in _split(info.keys))
        lines.append(f"# {info.id} = {_toml_string(keys)}  # {info.description}")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_value(value: object) -> str:
    """*value* written as TOML (strings, booleans, numbers, arrays of strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")
