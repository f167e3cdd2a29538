"""Opening a session to write to it, one holder at a time: take its lease first (or learn
who holds it), then reopen it with the time away measured from the last heartbeat; or open
it to look at, read-only, writing nothing. Used by the commands and the home screen alike."""

from __future__ import annotations

from dataclasses import dataclass

from companion.clock import Clock
from companion.events import Event, ListingRow
from companion.lease import Lease, is_stale, new_lease, since_heartbeat
from companion.session import Session
from companion.store.database import Store, StoreError

CLOCK_WENT_BACK = ("The wall clock went back since this session was last open, so the time "
                   "away is not known: none is offered.")


@dataclass(frozen=True, slots=True)
class Opened:
    """A session opened for writing, or the lease of whoever holds it (session None)."""

    session: Session | None
    held_by: Lease | None = None
    note: str = ""  # something to tell the user about the time away


def away_gap(previous: Lease | None, events: list[Event], clock: Clock) -> float | None:
    """The time away: from the last heartbeat (or release) when there is one, else from the
    last event's wall time; None when the wall clock went backwards."""
    if previous is not None:
        return since_heartbeat(previous, clock)
    if not events:
        return 0.0
    gap = clock.wall() - events[-1].at
    return gap if gap >= 0 else None


def ran_after_last_event(previous: Lease | None, events: list[Event]) -> float:
    """How long the holder went on after the session's last event: from that event to its
    last heartbeat, by the wall clock (0 when the clock went back, or without a lease).
    A running session ran that long before a crash; a paused one ignores it."""
    if previous is None or not events:
        return 0.0
    ran = previous.beat_wall - events[-1].at
    return ran if 0 < ran <= previous.beat_wall - previous.since + 1 else 0.0


def open_for_writing(store: Store, session_id: str, clock: Clock, *,
                     take_over: bool = False) -> Opened:
    """Take the session's lease, then reopen it (paused, with the away gap)."""
    events = store.events(session_id)
    previous = store.lease(session_id)
    held_by = store.take_lease(new_lease(session_id, clock),
                               stale=lambda lease: is_stale(lease, clock), take_over=take_over)
    if held_by is not None:
        return Opened(None, held_by)
    gap = away_gap(previous, events, clock)
    session = Session.reopen(events, clock, store.sink(session_id), away=gap,
                             ran=ran_after_last_event(previous, events))
    note = CLOCK_WENT_BACK if gap is None and not session.state.finished else ""
    return Opened(session, None, note)


def hold_new(store: Store, session: Session, clock: Clock) -> None:
    """A session just started here: nobody else knows its id yet, so the lease is ours."""
    store.take_lease(new_lease(session.id, clock), stale=lambda lease: True)


def _refuse(event: Event, summary: ListingRow) -> None:
    raise StoreError("this session is open read-only here: nothing is written")


def open_read_only(store: Store, session_id: str, clock: Clock) -> Session:
    """The session as it is now, to look at: any write is refused."""
    return Session(store.events(session_id), clock, _refuse)


class NotAmendable(StoreError):
    """A session that cannot be amended here (the message says why and what to do)."""


def amend_problem(row: dict[str, object] | None, session_id: str) -> str | None:
    """Why this session (its listing row) cannot be amended in this database, or None."""
    if row is None:
        return f"no session {session_id}; `companion sessions` lists them"
    source = str(row.get("source") or "local")
    if source != "local":
        who = source.removeprefix("import:") or "another interviewer"
        return (f"session {session_id} was imported from {who}: it is their scorecard, and "
                "only they can amend it (in their own companion, then export it again)")
    status = row.get("status")
    if status == "abandoned":
        return f"session {session_id} was abandoned: there is no scorecard to amend"
    if status != "ended":
        return (f"session {session_id} has not ended ({status}): resume it with "
                f"`companion resume {session_id}`")
    return None


def open_to_amend(store: Store, session_id: str, clock: Clock, *, take_over: bool = False,
                  current: Session | None = None) -> Opened:
    """An ended session of this database, held (its lease taken) to change its scores,
    recommendation, summary or post-mortem after the end. Raises NotAmendable. `current`:
    the session as this process has it open, kept when this process holds it already
    (nobody else can have written to it)."""
    problem = amend_problem(store.session(session_id), session_id)
    if problem:
        raise NotAmendable(problem)
    if session_id in store.held:  # this process holds it already (the summary screen)
        if current is not None and current.id == session_id:
            return Opened(current)
        return Opened(Session(store.events(session_id), clock, store.sink(session_id)))
    held_by = store.take_lease(new_lease(session_id, clock),
                               stale=lambda lease: is_stale(lease, clock), take_over=take_over)
    if held_by is not None:
        return Opened(None, held_by)
    return Opened(Session(store.events(session_id), clock, store.sink(session_id)))
