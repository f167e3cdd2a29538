"""Plain values that remember where they came from in a content file, and the problem
report. Kept apart from the YAML parser so that loading cached content never imports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What a message quotes of a file's own text is cut (a 7 MB scalar must not become 7 MB of
# stderr): each quoted piece to QUOTED characters, and a whole message, as a backstop for
# anything quoted without clip(), to MAX_MESSAGE.
QUOTED = 200
MAX_MESSAGE = 600


def clip(text: object, limit: int = QUOTED) -> str:
    """`text` as a message quotes it: at most `limit` characters, cut ones marked."""
    shown = str(text)
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit - 30]}[... {len(shown) - limit + 30:,} more characters]"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file, reported as `path:line: message` (`path: message` for
    line 0: a folder, or a file as a whole)."""

    path: str
    line: int
    message: str

    def __post_init__(self) -> None:
        # One problem, one line: a key or value quoted in the message may hold a line break.
        if not self.message.isprintable():
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
            object.__setattr__(self, "message", shown)
        if len(self.message) > MAX_MESSAGE:
            # Keep the start (what is wrong) and the end (what to do); cut what it quotes.
            head, tail = self.message[:400], self.message[-(MAX_MESSAGE - 410):]
            object.__setattr__(self, "message", f"{head} [...] {tail}")

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class LMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key, and the text as written
    of each value YAML read as something other than text (`raw`: `1:30` read as 90)."""

    line: int
    lines: dict[str, int]
    raw: dict[str, str]


class LList(list[Any]):
    """A list that knows its own line and the line of each item, and the text as written of
    each item YAML read as something other than text (`raw`, by index)."""

    line: int
    lines: list[int]
    raw: dict[int, str]
