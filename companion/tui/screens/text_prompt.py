"""A one-line text prompt over the current screen: Enter keeps, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from companion.tui.text import SafeInput


class TextPrompt(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving",
                id="prompt.cancel"),
    ]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 90%; max-width: 100; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    TextPrompt Input { border: none; background: $boost; }
    """

    def __init__(self, title: str, value: str = "",
                 keep: Callable[[str], None] | None = None) -> None:
        """`keep`: called with the text at every change (a draft kept in the store)."""
        super().__init__()
        self.title_text = title
        self.value = value
        self._keep = keep

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
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
