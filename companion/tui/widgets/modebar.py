"""The mode line: which mode keys are in (typing or command) and the keys that matter now.
Always visible, in words, so the mode never hides behind a colour."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

TYPING_HELP = "Enter save · -15s text back-dates · ^F flag · ^N next · ^T pause · Esc keys · F1"
PRACTICE_HELP = ("scratch area: your notes, kept as you type · F2 follow-up · ^O redraw · "
                 "^R score · Esc keys · F1")
COMMAND_HELP = ("1-0 tick · j/k a ask · n/p/s section · space pause · q + - add · "
                "e x edit/retract · u untick · r rubric · i type · ? help")


class ModeBar(Static):
    DEFAULT_CSS = "ModeBar { height: 1; padding: 0 1; }"

    def show(self, typing: bool, backdate: float, bell: bool, notice: str = "",
             practice: bool = False) -> None:
        text = Text()
        if typing:
            text.append(" ✎ TYPING ", style="bold reverse")
        else:
            text.append(" ⌘ COMMAND ", style="bold reverse")
        if backdate:
            text.append(f" ⟲ next note -{backdate:g}s ", style="bold")
        if bell:
            text.append(" ♪ bell ", style="bold")
        text.append(" ")
        if notice:
            text.append(notice, style="bold")
        else:
            typing_help = PRACTICE_HELP if practice else TYPING_HELP
            text.append(typing_help if typing else COMMAND_HELP, style="dim")
        self.update(text)
