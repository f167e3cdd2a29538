"""User text made safe to print: control characters become visible symbols, one character
for one, so an escape sequence in a note, a name or a user bank never reaches a terminal."""

from __future__ import annotations

_VISIBLE = {i: chr(0x2400 + i) for i in range(32)} | {0x7F: "\u2421"}
_VISIBLE |= {i: "\ufffd" for i in range(0x80, 0xA0)}  # C1 controls (0x9B is an 8-bit CSI)
_ONE_LINE = _VISIBLE | {0x0A: " ", 0x09: " "}


def visible(text: str) -> str:
    """C0 controls and DEL as their Unicode control pictures, C1 controls as U+FFFD; line
    breaks and tabs become spaces (for one-line displays)."""
    return text.translate(_ONE_LINE)


def one_line(text: object) -> str:
    """Any value (None as nothing) as one safe terminal line: `visible` of its text."""
    return visible(str(text if text is not None else ""))


def fold_name(name: object) -> str:
    """A person's name for comparing: spaces collapsed, Unicode case-folded ("Straße" and
    "STRASSE" are one name)."""
    return " ".join(str(name or "").split()).casefold()
