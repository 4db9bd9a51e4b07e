"""A store file's document: the bytes on disk and back, with no file or lock in sight.

``{"version": N, "<field>": <entries>}`` in UTF-8 JSON, one entry a line, so a
file of thousands of entries stays readable and diffable and is written by the C
encoder. Reading is strict: not UTF-8, NaN or Infinity, or the wrong shape is a
:class:`ShapeError` with a one-line reason. The store that keeps these files
safe on disk is :mod:`tui.stores.jsonstore` (docs/stores.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
from typing import Any

from tui.stores.files import MAX_FILE_BYTES, StoreError

_UTF8_BOM = b"\xef\xbb\xbf"
_MIB = 1024 * 1024


class ShapeError(ValueError):
    """The document is not one this program can read; the message is one line."""


def decode_document(raw: bytes) -> tuple[dict[str, Any], int]:
    """Parse a store file's bytes.

    Args:
        raw: The file content.

    Returns:
        The top-level object and its ``version``.

    Raises:
        ShapeError: Too large, not UTF-8, not strict JSON, not an object, or no valid version.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise ShapeError(f"larger than {MAX_FILE_BYTES // _MIB} MiB")
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ShapeError(f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ShapeError(f"not valid JSON ({_json_error_text(error)})") from None
    except RecursionError:
        raise ShapeError("not valid JSON (nested too deeply)") from None
    if not isinstance(document, dict):
        raise ShapeError(f"expected a JSON object, found {_json_type(document)}")
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise ShapeError('no valid "version" field')
    return document, version


def _json_error_text(error: json.JSONDecodeError) -> str:
    """json's message and where: "Expecting value at line 1 column 1".

    Some of json's messages end in "at" already ("Unterminated string starting
    at"), and are followed by the place without a second one.
    """
    where = f"line {error.lineno} column {error.colno}"
    return f"{error.msg} {where}" if error.msg.endswith(" at") else f"{error.msg} at {where}"


def _reject_constant(name: str) -> None:
    raise ShapeError(f"not valid JSON ({name} is not allowed)")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# The C encoder: it is only used when there is no indent, which is why a store file
# is one entry a line rather than pretty-printed.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def encode_entry(value: object) -> str:
    """One JSON value on one line (a bookmark object), as the stores write it."""
    return _ENCODER.encode(value)


def encode_pair(key: str, value: object) -> str:
    """One ``"key": value`` member on one line (a read mark), as the stores write it."""
    return f"{encode_basestring(key)}: {_ENCODER.encode(value)}"


def _collection_text(lines: Iterable[str], opening: str, closing: str) -> str:
    body = ",\n".join(lines)
    return f"{opening}\n{body}\n{closing}" if body else opening + closing


def encode_document(document: Mapping[str, Any], *, what: str) -> bytes:
    """Serialise a document to the bytes written to disk: UTF-8 JSON, one entry a line.

    An array member holds one item a line, an object member one ``"key": value``
    a line, so a file of thousands of entries stays readable and diffable, and
    is written by the C encoder. The stores write exactly these bytes, built
    from the lines of the entries they hold (:meth:`JsonStore._payload`).

    Raises:
        StoreError: A value cannot be written as UTF-8 (a lone surrogate).
    """
    members = []
    for name, value in document.items():
        if isinstance(value, list):
            body = _collection_text((encode_entry(item) for item in value), "[", "]")
        elif isinstance(value, dict):
            body = _collection_text((encode_pair(key, item) for key, item in value.items()), "{", "}")
        else:
            body = encode_entry(value)
        members.append(f"{encode_basestring(name)}: {body}")
    return utf8_bytes("{" + ", ".join(members) + "}\n", what)


def document_bytes(version: int, name: str, lines: Iterable[bytes], *, is_object: bool) -> bytes:
    """What :func:`encode_document` makes of ``{"version": version, name: entries}``, from the entries' lines."""
    opening, closing = (b"{", b"}") if is_object else (b"[", b"]")
    head = f'{{"version": {version}, {encode_basestring(name)}: '.encode()
    body = b",\n".join(lines)
    if not body:
        return head + opening + closing + b"}\n"
    return b"".join((head, opening, b"\n", body, b"\n", closing, b"}\n"))


def utf8_bytes(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = f"U+{ord(text[error.start]):04X}"
        raise StoreError(
            f"a character in the {what} cannot be written as UTF-8 ({bad}); the file was not changed"
        ) from None
