"""A one-line text prompt over the current screen: Enter keeps, Esc cancels. An overlay
docked at the bottom, over a see-through background: the timer, the current question and
whatever the screen shows above stay readable while you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from companion.tui.screens.overlay import Overlay
from companion.tui.text import SafeInput


class TextPrompt(Overlay[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving",
                id="prompt.cancel"),
    ]
    DEFAULT_CSS = """
    TextPrompt { align: center bottom; background: $background 15%; }
    TextPrompt > Vertical {
        width: 100%; height: auto; max-height: 60%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    TextPrompt Label { width: 1fr; }
    TextPrompt #context { width: 1fr; height: auto; max-height: 8; color: $text-muted; }
    TextPrompt Input, TextPrompt Input:focus { border: none; height: 1; background: $boost; }
    """

    def __init__(self, title: str, value: str = "",
                 keep: Callable[[str], None] | None = None,
                 context: Text | None = None) -> None:
        """`keep`: called with the text at every change (a draft kept in the store).
        `context`: what to keep in sight while typing (the rubric's evidence hints)."""
        super().__init__()
        self.title_text = title
        self.value = value
        self._keep = keep
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.context is not None:
                with VerticalScroll(id="context", can_focus=False):
                    yield Static(self.context, markup=False)
            yield Label(self.title_text, markup=False, id="prompt-title")
            yield SafeInput(self.value, id="text", select_on_focus=False)
            yield Label("Enter keeps it · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if self._keep is not None:
            self._keep(event.value)

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())  # "" when kept empty; None only when cancelled

    def action_cancel(self) -> None:
        self.dismiss(None)
