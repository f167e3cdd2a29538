"""Key bindings shared by more than one widget or screen (each with an id, a description and
a tooltip, so the footer, the help and the command palette all show them)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

TYPING_BINDINGS: list[BindingType] = [
    Binding("ctrl+n", "screen.next_section", "Next", tooltip="End this section and start "
            "the next", id="typing.next_section"),
    Binding("ctrl+t", "screen.toggle_pause", "Pause", tooltip="Pause or resume the timer",
            id="typing.toggle_pause"),
    Binding("ctrl+f", "screen.flag", "Flag", tooltip="Save the note line as a flagged key "
            "moment, or flag the last note", id="typing.flag"),
    Binding("ctrl+l", "screen.cycle_backdate", "Back-date", tooltip="Back-date the next "
            "note: 15, 30, 60 s", id="typing.cycle_backdate"),
    Binding("ctrl+r", "screen.rubric", "Rubric", tooltip="Score the rubric",
            id="typing.rubric"),
    Binding("ctrl+o", "screen.redraw", "Redraw", tooltip="Practice: draw another question "
            "(before you answer; the clock restarts)", id="typing.redraw"),
]
