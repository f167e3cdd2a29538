"""Plain values that remember where they came from in a content file, and the problem
report. Kept apart from the YAML parser so that loading cached content never imports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file, reported as `path:line: message`."""

    path: str
    line: int
    message: str

    def __post_init__(self) -> None:
        # One problem, one line: a key or value quoted in the message may hold a line break.
        if not self.message.isprintable():
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
            object.__setattr__(self, "message", shown)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int
    lines: dict[str, int]


class LList(list[Any]):
    """A list that knows its own line and the line of each item."""

    line: int
    lines: list[int]
