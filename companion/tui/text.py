"""User text on screen: always plain (never Textual markup), control characters made
visible so an escape sequence in a note can never reach the terminal raw."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.events import Paste
from textual.widgets import Input

from companion.textsafe import visible


def fit(text: str, cells: int) -> str:
    """`text` cut to at most `cells` terminal cells (wide characters count two), with …"""
    if cell_len(text) <= cells:
        return text
    if cells <= 1:
        return "…"[:cells]
    return set_cell_size(text, cells - 1).rstrip() + "…"


class SafeInput(Input):
    """An Input that draws its value with control characters made visible, so a pasted or
    restored escape sequence is never written to the terminal raw. The value itself is kept
    exactly as typed; multi-line pastes keep every line."""

    @property
    def _value(self) -> Text:  # Input draws this; the one place its text meets the screen
        return Text(visible(self.value), no_wrap=True, overflow="ignore", end="")

    def _on_paste(self, event: Paste) -> None:
        if event.text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.text)
            else:
                self.replace(event.text, *selection)
        event.stop()
        event.prevent_default()  # Input's own handler (first line only) must not run too


def plain(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)
