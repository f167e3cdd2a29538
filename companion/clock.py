"""The one source of time. Durations come from the monotonic clock, stamps from the wall
clock; tests pass a FakeClock and advance it instead of sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never jumps. For durations."""
        ...

    def wall(self) -> float:
        """Seconds since the epoch (UTC). For stamps; may jump."""
        ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock for tests: both readings move only when told."""

    def __init__(self, wall: float = 1_790_000_000.0, monotonic: float = 1000.0) -> None:
        self._wall = wall
        self._monotonic = monotonic

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock moves (NTP, DST, a laptop lid) while monotonic time does not."""
        self._wall += seconds


def iso(stamp: float) -> str:
    """An ISO-8601 UTC stamp with seconds, as stored in the database and exports."""
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def iso_stored(stamp: float) -> str:
    """An ISO-8601 UTC stamp with microseconds, as the event log keeps it: the precision the
    clock gives as a float (older rows with whole seconds read the same way)."""
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def stamp(wall: float) -> float:
    """A wall reading as the log will read back: what the screen shows and what a replay of
    the saved log gives must be the same float, so events carry the stored precision."""
    return from_iso(iso_stored(wall))


def mmss(seconds: float) -> str:
    """`12:05`, or `1:02:05` past an hour; negative values get a leading minus."""
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


def duration(seconds: float | None) -> str:
    """A duration for exports and the screen: `mmss`, or `-` when there is none."""
    return "-" if seconds is None else mmss(seconds)
