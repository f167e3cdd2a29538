"""The base of every dialog and panel drawn over another screen."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen

ResultType = TypeVar("ResultType")


class Overlay(ModalScreen[ResultType]):
    """A modal screen over another. The screen below keeps its footer in sight, and Textual
    asks the keys of that footer (`screen.` actions) of the screen on top: an action this
    overlay does not have is answered as the screen below would, so its footer shows the
    same keys as before (a practice-only key stays hidden in an interview)."""

    def below(self) -> Screen[object] | None:
        stack = self.app.screen_stack
        at = stack.index(self) if self in stack else 0
        return stack[at - 1] if at > 0 else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if hasattr(self, f"action_{action}"):
            return True
        below = self.below()
        return True if below is None else below.check_action(action, parameters)
