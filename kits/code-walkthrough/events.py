"""Reading events from JSON-lines files.

Each line of an events file is one JSON object with at least a key and a timestamp:

    {"key": "checkout.failed", "ts": "2026-03-02T10:15:04+00:00"}

An optional "n" counts the line as several events (default 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

skipped_lines = 0  # lines read_events could not parse, since the program started


@dataclass(frozen=True, order=True)
class Event:
    ts: datetime
    key: str
    n: int = 1


def parse_line(line: str) -> Event:
    """One line to an Event; raises ValueError when the line is not a valid event."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or "key" not in data or "ts" not in data:
        raise ValueError("an event needs 'key' and 'ts'")
    n = data.get("n", 1)
    if not isinstance(n, int) or n < 1:
        raise ValueError("'n' must be a whole number of at least 1")
    return Event(ts=datetime.fromisoformat(data["ts"]), key=str(data["key"]), n=n)


def read_events(lines: Iterable[str]) -> Iterator[Event]:
    """Yield the events of the lines, skipping blank lines and lines that do not parse."""
    global skipped_lines
    for line in lines:
        if not line.strip():
            continue
        try:
            yield parse_line(line)
        except ValueError:
            skipped_lines += 1


def read_file(path: str) -> list[Event]:
    with open(path, encoding="utf-8") as handle:
        return list(read_events(handle))
