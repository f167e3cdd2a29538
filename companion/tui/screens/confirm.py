"""A yes / no question over the current screen: docked at the bottom over a see-through
background, so what the question is about stays readable above it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from companion.tui.screens.overlay import Overlay


class Confirm(Overlay[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", tooltip="Yes, go ahead", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="No, go back", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center bottom; background: $background 15%; }
    Confirm > Vertical {
        width: 100%; height: auto; border: round $warning;
        background: $surface; padding: 0 1;
    }
    Confirm Label { width: 1fr; }
    """

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            if self.detail:
                yield Label(self.detail, markup=False, classes="detail")
            yield Label("y: yes · n or Esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
