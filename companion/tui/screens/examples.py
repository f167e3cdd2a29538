"""A question's worked examples (what a 0, a 1 and a 2 answer looked like), over the live
screen on request, for calibrating while the candidate answers."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from companion.model import Prompt
from companion.tui.screens.overlay import Overlay
from companion.tui.text import plain


def examples_text(prompt: Prompt) -> Text:
    """The question, then its 0, 1 and 2 examples (or a line saying it has none)."""
    text = Text("Worked examples for\n", style="bold")
    text.append_text(plain(prompt.text, "italic"))
    text.append("\n")
    if not prompt.examples:
        text.append("\nThis question has no worked examples; score on the rubric's anchors.",
                    style="dim")
        return text
    for score, example in enumerate(prompt.examples):
        text.append(f"\n{score}: ", style="bold")
        text.append_text(plain(example))
    return text


class ExamplesScreen(Overlay[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,c,enter", "close", "Close", tooltip="Back to the live screen",
                id="examples.close"),
    ]
    DEFAULT_CSS = """
    ExamplesScreen { align: center middle; }
    ExamplesScreen > Vertical {
        width: 90%; max-width: 100; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, prompt: Prompt) -> None:
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(examples_text(self.prompt), id="examples", markup=False)
            yield Static("Esc, c or Enter: back", classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
