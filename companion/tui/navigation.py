"""How screens move the app to another screen, typed: the app implements `Navigator`, and a
screen reaches it through `navigator(self)`, so no screen needs the app's class (which
imports the screens) or an untyped attribute."""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from companion.model import Prompt
from companion.session import Session


class Navigator(Protocol):
    """The moves between screens that the app offers."""

    def open_live(self, session: Session, draft: str = "", think: float = 0.0,
                  read_only: bool = False) -> None: ...

    def redraw_questions(self, session: Session) -> list[Prompt] | None: ...

    def open_rubric(self, session: Session) -> None: ...

    def open_after_call(self, session: Session, screen: str) -> None: ...

    def open_close(self, session: Session) -> None: ...

    def open_summary(self, session: Session) -> None: ...

    def open_amend(self, session_id: str, take_over: bool = False,
                   current: Session | None = None) -> None: ...

    def go_home(self, query: str = "") -> None: ...

    def open_stats(self, candidate: str | None = None) -> None: ...

    @property
    def sees_all(self) -> bool:
        """Whether this user is the organiser of their panel (read when first asked)."""


def navigator(node: DOMNode) -> Navigator:
    """The running app, as the Navigator it is (companion.tui.app.CompanionApp)."""
    return cast(Navigator, node.app)
