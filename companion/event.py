"""One entry of a session's append-only log. Its own small module, so the store (and every
command that only lists or exports sessions) loads without the session logic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a session's append-only log."""

    seq: int
    type: str
    t: float
    at: float
    data: dict[str, Any]

    @property
    def section(self) -> int | None:
        value = self.data.get("section")
        return value if isinstance(value, int) else None


@dataclass(frozen=True, slots=True)
class ListingRow:
    """What the sessions listing keeps of a session's state, updated with each event (the
    columns of the `sessions` table that follow from the log)."""

    status: str
    score: int | None
    max_score: int | None
    recommendation: str | None
    ended_at: float | None
    last_event_at: float
