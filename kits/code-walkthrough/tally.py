"""Counting events: per key, per time window, and the busiest keys."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from events import Event
from store import EventStore, MemoryEventStore


class Tally:
    """Running counts per key, fed one event at a time."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, event: Event) -> None:
        self.counts[event.key] += event.n

    def top(self, n: int = 10) -> list[tuple[str, int]]:
        """The n keys with the most events, most first; ties in key order."""
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]

    def flush(self) -> dict[str, int]:
        """The counts so far."""
        result = dict(self.counts)
        self.counts.clear()
        return result


def window_counts(store: EventStore, start: datetime, end: datetime,
                  window: int) -> list[tuple[datetime, Counter[str]]]:
    """Counts per key in consecutive windows of `window` seconds from start up to end."""
    if window <= 0:
        raise ValueError("window must be a positive number of seconds")
    buckets = []
    size = timedelta(seconds=window)
    cursor = start
    while cursor < end:
        counts: Counter[str] = Counter()
        for event in store.between(cursor, min(cursor + size, end)):
            counts[event.key] += event.n
        buckets.append((cursor, counts))
        cursor += size
    return buckets


def rate(store: MemoryEventStore, key: str) -> float:
    """Events per second for one key, over the time span the store covers."""
    first, last = store.first(), store.last()
    if first is None or last is None:
        return 0.0
    span = (last.ts - first.ts).total_seconds()
    total = sum(e.n for e in store.between(first.ts, last.ts + timedelta(seconds=1))
                if e.key == key)
    return total / span


def busiest_window(store: EventStore, start: datetime, end: datetime,
                   window: int) -> tuple[datetime, int] | None:
    """The window with the most events of any key, and its total."""
    best = None
    for when, counts in window_counts(store, start, end, window):
        total = sum(counts.values())
        if best is None or total > best[1]:
            best = (when, total)
    return best
