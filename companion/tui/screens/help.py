"""Help: every key of the screen it was opened from, with what it does, and the note syntax."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from companion.tui.keymap import screen_bindings
from companion.tui.screens.overlay import Overlay

NOTE_SYNTAX = """Notes
  Enter saves the note line as a note, stamped with the session and section time.
  -15s text  back-dates the note by 15 seconds (-2m text: two minutes, -1m30s text: 90 s);
             ^L does the same. The unit is required: "-1 returned when unreachable" is saved
             as typed; \\-15s text keeps a back-date as text. It stops at the section start.
  ^F saves the line as a flagged key moment (★); with an empty line it flags the last note.
  The note line's draft is saved every half second, so a crash loses at most that.

Modes
  ✎ TYPING: the note line has focus. Letters go to the note; ctrl and F keys act.
  ⌘ COMMAND (Esc): single keys act; the mode line says so on its own colour. Ticks, j/k,
    a, u, A, w and space keep it. Back to typing: Enter or i; a section move, an edit, a
    retraction or a flag; anything that opens a dialog (on closing it); 10 s without a key;
    and a letter that is not a command key, which goes into the note line (nothing typed
    is lost). z undoes the last next, skip or previous (Esc z from typing).
  ^P opens the command palette: every action, searchable.
"""


def help_text(app: App[Any], owner: Screen[Any]) -> Text:
    """Every key of `owner` (its own bindings and its widgets', those that may run there),
    each with what it does, then the note syntax on the live screen."""
    lines = Text()
    lines.append("Keys (Esc, F1 or q closes this) · every key of every screen: docs/keys.md\n\n",
                 style="bold")
    ticks_said = False
    for _node, binding, bound_keys in screen_bindings(owner):
        keys = ", ".join(app.get_key_display(Binding(k, "")) for k in bound_keys)
        if binding.action.startswith("tick("):
            if ticks_said:
                continue
            ticks_said = True
            keys, text = "1 … 9, 0", ("Tick or untick signal 1-10 of this section; "
                                      "b then 1-0: signals 11-20 (b b: 21-30, ...)")
        else:
            text = binding.tooltip or binding.description
        lines.append(f"  {keys:<16}", style="bold")
        lines.append(f"{text}\n")
    if getattr(owner, "note", None) is not None:  # the live screen: how notes are typed
        lines.append("\n")
        lines.append(NOTE_SYNTAX)
    return lines


class HelpScreen(Overlay[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close", tooltip="Close the help",
                id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, owner: Screen[Any]) -> None:
        super().__init__()
        self.owner = owner

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(self.app, self.owner))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
