"""User text made safe to print: control characters become visible symbols, one character
for one, so an escape sequence in a note, a name or a user bank never reaches a terminal.

`visible` is for one-line displays (line breaks and tabs become spaces); `printable` keeps
line breaks and tabs, for exports and multi-line output; `json_safe` is for JSON text, which
keeps the exact characters as JSON escapes."""

from __future__ import annotations

import re

# Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows
# them on screen ("Trojan Source"): shown as U+FFFD, like the C1 controls.
BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_VISIBLE = {i: chr(0x2400 + i) for i in range(32)} | {0x7F: "\u2421"}
_VISIBLE |= {i: "\ufffd" for i in range(0x80, 0xA0)}  # C1 controls (0x9B is an 8-bit CSI)
_VISIBLE |= {i: "\ufffd" for i in BIDI_CONTROLS}
_ONE_LINE = _VISIBLE | {0x0A: " ", 0x09: " "}
_MULTI_LINE = {k: v for k, v in _VISIBLE.items() if k not in (0x0A, 0x09)}
# What JSON text must not carry raw (json.dumps escapes C0 itself, even with
# ensure_ascii=False): DEL, the C1 controls, bidi controls, and the line and paragraph
# separators some JSON readers take for line ends.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """C0 controls and DEL as their Unicode control pictures (ESC as U+241B), C1 controls and
    bidi overrides/isolates as U+FFFD; line breaks and tabs become spaces (one-line
    displays)."""
    return text.translate(_ONE_LINE)


def printable(text: str) -> str:
    """As `visible`, but newline and tab stay: for exports (Markdown, CSV, HTML) and any
    multi-line output to a terminal. A carriage return shows as U+240D, NUL as U+2400."""
    return text.translate(_MULTI_LINE)


def one_line(text: object) -> str:
    """Any value (None as nothing) as one safe terminal line: `visible` of its text."""
    return visible(str(text if text is not None else ""))


def json_safe(text: str) -> str:
    """JSON text (as json.dumps writes it) with DEL, C1 and bidi controls and U+2028/U+2029
    written as `\\uXXXX` escapes: the same value once parsed, no raw control in the bytes.
    These characters only occur inside JSON strings, so the escapes are always valid."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fold_name(name: object) -> str:
    """A person's name for comparing: spaces collapsed, Unicode case-folded ("Straße" and
    "STRASSE" are one name)."""
    return " ".join(str(name or "").split()).casefold()
