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

    def boottime(self) -> float:
        """Seconds since this machine booted, counting suspend (CLOCK_BOOTTIME); never
        jumps. For gaps between processes of one boot (a crash, then a resume)."""
        ...

    def boot_id(self) -> str:
        """This boot's id ('' when unknown): boottime readings compare only within one."""
        ...


class RealClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def boottime(self) -> float:
        clock = getattr(time, "CLOCK_BOOTTIME", None)
        return time.clock_gettime(clock) if clock is not None else time.monotonic()

    def boot_id(self) -> str:
        try:
            with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
                return handle.read(64).strip()
        except OSError:
            return ""


class FakeClock:
    """A clock for tests: both readings move only when told."""

    def __init__(self, wall: float = 1_790_000_000.0, monotonic: float = 1000.0) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self._boot = 500.0
        self._boot_id = "fake-boot-1"

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> float:
        return self._wall

    def boottime(self) -> float:
        return self._boot

    def boot_id(self) -> str:
        return self._boot_id

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self._wall += seconds
        self._boot += seconds

    def reboot(self, downtime: float) -> None:
        """The machine restarts: the wall clock moves on, boot time starts again."""
        self._wall += downtime
        self._boot = 5.0
        self._boot_id = f"fake-boot-{int(self._boot_id.rsplit('-', 1)[1]) + 1}"

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


def span(seconds: float) -> str:
    """A long gap in words: `1d 0h 0m`, `3h 05m`, `1m 05s`, `40s` (the time away, a clock
    jump)."""
    total = int(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
