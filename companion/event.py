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
