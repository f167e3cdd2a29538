"""Wall-clock jumps in a session, told plainly. Times of day in a report come from the wall
clock, which can be set back during a session (by hand, or by a time sync); session times and
durations come from the session's own clock and do not jump. An export then marks the jump
instead of showing Ended before Started as if nothing happened."""

from __future__ import annotations

from typing import Any

from companion.clock import from_iso, span

JUMP_SECONDS = 1.0  # stamps are written to the second: a smaller step back is rounding


def _stamp(text: Any) -> float | None:
    try:
        return from_iso(text) if isinstance(text, str) else None
    except (ValueError, OverflowError, OSError):
        return None


def set_back_seconds(r: dict[str, Any]) -> float:
    """How far the wall clock went back during the session (the largest step back from the
    latest time seen so far, over its events, and Ended against Started); 0 when never."""
    read = [_stamp(r.get("started_at"))]
    ended = _stamp(r.get("ended_at"))
    for e in r.get("events") or []:
        read.append(_stamp(e.get("at")))
        if e.get("type") in ("session_ended", "session_abandoned"):
            # Ended is read where it happened: an amendment after it is later, not a jump.
            read.append(ended)
            ended = None
    read.append(ended)
    stamps = [s for s in read if s is not None]
    worst = 0.0
    latest: float | None = None
    for stamp in stamps:
        if latest is not None and latest - stamp > worst:
            worst = latest - stamp
        latest = stamp if latest is None else max(latest, stamp)
    return worst if worst >= JUMP_SECONDS else 0.0


def ended_before_started(r: dict[str, Any]) -> bool:
    started, ended = _stamp(r.get("started_at")), _stamp(r.get("ended_at"))
    return started is not None and ended is not None and ended < started


def clock_words(r: dict[str, Any]) -> str | None:
    """A sentence for an export when the wall clock was set back during the session."""
    back = set_back_seconds(r)
    if not back:
        return None
    return (f"the wall clock was set back {span(back)} during this session, so its times of "
            "day can run backwards (Ended may read before Started); session times (mm:ss) "
            "and durations do not depend on it")
