"""One holder per session: the rules of a lease, with no I/O (the store keeps the row).

A process that opens a session for writing takes its lease, refreshes a heartbeat every
HEARTBEAT_S seconds and releases it when it leaves. Another process may take the session
only when the lease is stale: its heartbeat is older than STALE_S, or its process is gone
on this machine. The heartbeat also measures the time away after a crash: within one boot
by the boot-time clock, which no wall-clock change moves; across a reboot by the wall clock,
and a wall clock that went backwards offers no gap at all."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from companion.clock import Clock

HEARTBEAT_S = 2.0
STALE_S = 10.0


@dataclass(frozen=True, slots=True)
class Lease:
    """Who holds (or last held) a session, and their latest heartbeat."""

    session_id: str
    token: str
    pid: int
    host: str
    boot_id: str
    since: float  # wall time the lease was taken
    beat_wall: float  # wall time of the latest heartbeat (or release)
    beat_boot: float  # boot-time reading of the latest heartbeat
    held: bool  # False once released: the row stays, for the away gap

    def words(self, here: str | None = None) -> str:
        """`pid 4242 on this machine since 10:02` (or `on HOST`)."""
        host = "this machine" if self.host == (here or this_host()) else self.host
        since = datetime.fromtimestamp(self.since).astimezone().strftime("%H:%M %Z").strip()
        return f"pid {self.pid} on {host} since {since}"


def this_host() -> str:
    return socket.gethostname()


def new_lease(session_id: str, clock: Clock) -> Lease:
    wall = clock.wall()
    return Lease(session_id, os.urandom(8).hex(), os.getpid(), this_host(), clock.boot_id(),
                 wall, wall, clock.boottime(), True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    except OSError:
        return False
    return True


def is_stale(lease: Lease, clock: Clock, *, alive: Callable[[int], bool] = pid_alive) -> bool:
    """A lease nobody keeps any more: released, its heartbeat older than STALE_S, or its
    process gone on this machine."""
    if not lease.held:
        return True
    if lease.host == this_host() and lease.boot_id == clock.boot_id() and not alive(lease.pid):
        return True
    age = since_heartbeat(lease, clock)
    return age is None or age > STALE_S


def since_heartbeat(lease: Lease, clock: Clock) -> float | None:
    """Seconds since the lease's latest heartbeat: the boot-time difference within one boot,
    the wall-clock difference across boots; None when the wall clock went backwards."""
    if lease.boot_id and lease.boot_id == clock.boot_id():
        return max(0.0, clock.boottime() - lease.beat_boot)
    gap = clock.wall() - lease.beat_wall
    return gap if gap >= 0 else None
