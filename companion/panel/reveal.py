"""Shown, then revealed: the one display rule for scorecards a panel sync brought in.

Another interviewer's scorecard of a candidate, imported from the panel, stays hidden from
this database's user until their own scorecard of that candidate is sealed (an ended
interview session of theirs, sealed); until then it is counted, never shown: "2 scorecards
waiting until yours is sealed". The organiser named in the panel's config sees everything.

This is a rule of the app's display, not cryptography: the files are in the user's clone and
the rows in their database, readable by any other program (docs/panel.md says so). Every
place that shows sessions (the listing, exports and the debrief, calibration, the home
screen, search) asks `hidden_scorecards` and leaves out what it names; the condition itself
is the store's HIDDEN_CONDITION, for queries that filter in SQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.textsafe import fold_name

if TYPE_CHECKING:
    from companion.store.database import Store

class Hidden:
    """The scorecards not shown now, and how many wait per candidate (by name as listed).
    A plain class: every listing makes one, and a dataclass's generated methods would cost
    `sessions --json` more than the rest of this module."""

    __slots__ = ("ids", "waiting")

    def __init__(self, ids: frozenset[str] = frozenset(),
                 waiting: dict[str, int] | None = None) -> None:
        self.ids = ids
        self.waiting = waiting if waiting is not None else {}

    def __repr__(self) -> str:
        return f"Hidden(ids={sorted(self.ids)!r}, waiting={self.waiting!r})"

    def __contains__(self, session_id: object) -> bool:
        return session_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def waiting_for(self, candidate: str) -> int:
        """How many hidden scorecards of a person of this name wait."""
        return self.waiting.get(fold_name(candidate), 0)

    def words(self, candidate: str | None = None) -> str | None:
        """"2 scorecards waiting until yours is sealed" (of one candidate, or of all)."""
        n = self.waiting_for(candidate) if candidate is not None else len(self.ids)
        if not n:
            return None
        return (f"{n} scorecard{'s' if n != 1 else ''} waiting until yours is sealed"
                + ("" if candidate is not None else
                   f" ({len(self.waiting)} candidate{'s' if len(self.waiting) != 1 else ''})"))


NOTHING_HIDDEN = Hidden()


def hidden_scorecards(store: Store, *, sees_all: Callable[[], bool]) -> Hidden:
    """The panel scorecards this database's user may not see yet (none for the organiser:
    `sees_all()`, asked only when the database holds panel scorecards at all: reading the
    panel's config costs a listing about 40 ms of imports)."""
    rows = store.hidden_panel_sessions()
    if not rows or sees_all():
        return NOTHING_HIDDEN
    waiting: dict[str, int] = {}
    for row in rows:
        name = fold_name(row["candidate"] or "")
        waiting[name] = waiting.get(name, 0) + 1
    return Hidden(frozenset(r["id"] for r in rows), waiting)
