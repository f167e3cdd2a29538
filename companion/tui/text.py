"""User text on screen: always plain (never Textual markup), control characters made
visible so an escape sequence in a note can never reach the terminal raw."""

from __future__ import annotations

from rich.text import Text

_CONTROL = {i: chr(0x2400 + i) for i in range(32)} | {0x7F: "\u2421"}
_CONTROL[0x0A] = " "  # a line break inside one-line displays reads as a space
_CONTROL[0x09] = " "


def clean(text: str) -> str:
    """Printable text: C0 controls and DEL shown as their Unicode control pictures."""
    return text.translate(_CONTROL)


def plain(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)
