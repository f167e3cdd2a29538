"""The mode line: which mode keys are in (typing or command) and the keys that matter now.
Always visible, in words and in colour, so the mode never hides behind a colour alone: the
command mode says "COMMAND · keys act" and when it goes back to typing by itself."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

TYPING_HELP = "Enter save · -15s text back-dates · ^F flag · ^N next · ^T pause · Esc keys · F1"
PRACTICE_HELP = ("scratch area: your notes, kept as you type · F2 follow-up · ^O redraw · "
                 "^R score · Esc keys · F1")
COMMAND_HELP = ("n/p/s move, z undoes · 1-0 tick · j/k a ask · q + - add · e x edit/retract · "
                "u untick · space pause · r rubric · i type · ? help")


class ModeBar(Static):
    DEFAULT_CSS = """
    ModeBar { height: 1; padding: 0 1; }
    ModeBar.-command { background: $warning 25%; }
    """

    _shown: tuple[object, ...] = ()

    def show(self, typing: bool, backdate: float, bell: bool, notice: str = "",
             practice: bool = False, typing_in: float | None = None) -> None:
        """`typing_in`: seconds until command mode goes back to typing by itself."""
        seconds = None if typing_in is None else max(0, int(typing_in + 0.999))
        key = (typing, backdate, bell, notice, practice, seconds)
        if key == self._shown:
            return  # called at every tick in command mode: redraw only on a change
        self._shown = key
        self.set_class(not typing, "-command")
        text = Text()
        if typing:
            text.append(" ✎ TYPING ", style="bold reverse")
        else:
            text.append(" ⌘ COMMAND · keys act ", style="bold black on yellow")
            if seconds is not None:
                text.append(f" typing in {seconds}s ", style="bold")
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
