"""Practice: the candidate's scratch area (its own module: TextArea is a large import that
an interview never needs)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.events import Key
from textual.widgets import TextArea

from companion.tui.keymap import TYPING_BINDINGS


class ScratchArea(TextArea):
    """The candidate's own multi-line notes, saved like the note line's draft. In command
    mode each key goes to the screen first, as it arrives (see LiveScreen.command_key)."""

    BINDINGS: ClassVar[list[BindingType]] = TYPING_BINDINGS

    async def _on_key(self, event: Key) -> None:
        command_key = getattr(self.screen, "command_key", None)
        if command_key is not None and await command_key(event):
            return  # acted on as a command (the event is stopped: TextArea never sees it)
