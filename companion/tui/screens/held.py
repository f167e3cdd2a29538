"""The question a second open of a session asks: someone else holds it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from companion.tui.screens.overlay import Overlay

READ_ONLY, TAKE_OVER, QUIT = "read-only", "take-over", "quit"


class HeldChoice(Overlay[str]):
    """Read-only, take over, or quit; the answer is one of READ_ONLY, TAKE_OVER, QUIT."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", f"answer('{READ_ONLY}')", "Read-only", tooltip="Look at the session "
                "without a note line; the other terminal keeps it", id="held.read_only"),
        Binding("t", f"answer('{TAKE_OVER}')", "Take over", tooltip="Hold it here; the other "
                "terminal turns read-only at its next heartbeat", id="held.take_over"),
        Binding("q,escape", f"answer('{QUIT}')", "Back", tooltip="Leave it as it is",
                id="held.quit"),
    ]
    DEFAULT_CSS = """
    HeldChoice { align: center middle; }
    HeldChoice > Vertical {
        width: 80%; max-width: 80; height: auto; border: round $warning;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, session_id: str, holder_words: str, *, read_only: bool = True) -> None:
        """`read_only`: offer to open it read-only (not when amending: that writes)."""
        super().__init__()
        self.session_id = session_id
        self.holder_words = holder_words
        self.offer_read_only = read_only

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Session {self.session_id} is open in another terminal: held by "
                        f"{self.holder_words}.", markup=False)
            yield Label(("r: open it read-only · " if self.offer_read_only else "")
                        + "t: take it over · q or Esc: back", classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.offer_read_only or parameters != (READ_ONLY,)
        return super().check_action(action, parameters)

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)
