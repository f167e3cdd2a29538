"""Practice: the candidate's scratch area (its own module: TextArea is a large import that
an interview never needs)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import TextArea

from companion.tui.keymap import TYPING_BINDINGS


class ScratchArea(TextArea):
    """The candidate's own multi-line notes, saved like the note line's draft."""

    BINDINGS: ClassVar[list[BindingType]] = TYPING_BINDINGS
