"""JSON from another machine, parsed with limits before anything else looks at it.

`loads` refuses, with the true reason, what `json.loads` would take or die on: nesting deeper
than MAX_DEPTH (json.loads raises RecursionError near 1,000 levels), integers longer than
MAX_INT_DIGITS (Python refuses 4,300 digits with a ValueError), numbers that are not finite
(`NaN`, `Infinity`, `-Infinity`, or `1e999`, which json.loads reads as infinity), duplicate
keys in any object (json.loads keeps the last one silently), lone UTF-16 surrogates (`\\ud800`,
which cannot be written back as UTF-8), and more than MAX_BYTES in all."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 19  # every 64-bit integer
MAX_NUMBER_CHARS = 64


class JSONRefused(Exception):
    """Why a JSON text was not accepted, in words (no "line 1 column 2" for hook refusals,
    which have no position)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JSONRefused(f"the key {json.dumps(key)[:80]} appears twice in one object "
                              "(a reader would take either value)")
        out[key] = value
    return out


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise JSONRefused(f"it holds an integer of {digits:,} digits (at most "
                          f"{MAX_INT_DIGITS} are allowed)")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONRefused(f"it holds a number written with {len(text):,} characters (at most "
                          f"{MAX_NUMBER_CHARS} are allowed)")
    value = float(text)
    if not math.isfinite(value):
        raise JSONRefused(f"it holds the number {text[:40]}, too large to be finite")
    return value


def _constant(name: str) -> Any:
    raise JSONRefused(f"it holds {name}, which is not a JSON number (companion never writes "
                      "NaN or Infinity)")


def _surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _check_tree(doc: Any) -> None:
    """Depth and lone surrogates, walked without recursion."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise JSONRefused(f"it is nested more than {MAX_DEPTH} levels deep")
            for key, item in value.items():
                if _surrogate(key):
                    raise JSONRefused("a key holds a lone UTF-16 surrogate (\\ud800-\\udfff), "
                                      "which is not text")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise JSONRefused(f"it is nested more than {MAX_DEPTH} levels deep")
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and _surrogate(value):
            raise JSONRefused("a text holds a lone UTF-16 surrogate (\\ud800-\\udfff), which "
                              "is not text")


def loads(raw: bytes) -> Any:
    """The document in `raw` (UTF-8 JSON). Raises UnicodeDecodeError (not UTF-8),
    json.JSONDecodeError (not JSON, with its position) or JSONRefused (over a limit)."""
    if len(raw) > MAX_BYTES:
        raise JSONRefused(f"it is more than {MAX_BYTES // (1024 * 1024)} MB")
    text = raw.decode("utf-8")
    try:
        doc = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float,
                         parse_constant=_constant)
    except RecursionError:
        raise JSONRefused(f"it is nested more than {MAX_DEPTH} levels deep") from None
    except MemoryError:
        raise JSONRefused("it is too large to read into memory") from None
    _check_tree(doc)
    return doc
