"""Pending scorecards and how soon they are complete. No Textual, no SQL.

The completeness rule is SessionState.complete: an interview session whose call has ended
is complete once its rubric is fully scored and its recommendation and summary are set (a
plan without a rubric: once its summary is written). Until then it is pending. The time from
the end of the call to the first complete moment is recorded by replay (`completed_at`);
later amendments do not reset it. Practice sessions are never pending."""

from __future__ import annotations

from typing import Any

from companion.clock import from_iso
from companion.events import EventError
from companion.session import replay, summary_of
from companion.state import SessionError
from companion.store.database import Store, StoreError

HOUR = 3600.0
DAY = 24 * HOUR


def refresh(store: Store) -> int:
    """Work out, once, the scorecard state of ended sessions made before the listing kept it
    (schema 5): replay each and store it. How many were worked out. A session whose log
    does not replay (a row another program wrote without its events, a damaged event) keeps
    no state and is still listed: the readers that replay it (export, resume) say what is
    wrong with it."""
    ids = store.unknown_scorecards()
    done = 0
    for sid in ids:
        try:
            summary = summary_of(replay(store.events(sid)))
        except (EventError, SessionError, StoreError):
            continue
        store.set_listing(sid, summary)
        done += 1
    return done


def pending(store: Store) -> list[dict[str, Any]]:
    """The pending scorecards, oldest ended first (the listing's rows)."""
    refresh(store)
    return store.pending_scorecards()


def ago(seconds: float) -> str:
    """`3 h ago`, `12 min ago`, `2 days ago`: an age in words."""
    seconds = max(0.0, seconds)
    if seconds < HOUR:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * DAY:
        return f"{int(seconds // HOUR)} h ago"
    return f"{int(seconds // DAY)} days ago"


def age_of(row: dict[str, Any], now: float) -> float:
    ended = row.get("ended_at")
    return now - from_iso(ended) if ended else 0.0


def duration(seconds: float | None) -> str:
    """A time to complete in words: `12 min`, `3.5 h`, `2.0 days`."""
    if seconds is None:
        return "-"
    if seconds < HOUR:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * DAY:
        return f"{seconds / HOUR:.1f} h"
    return f"{seconds / DAY:.1f} days"


PAUSE_AFTER = 4  # interviews in one day after which home suggests a pause


def interviews_today(store: Store, now: float) -> int:
    """Interview sessions started on this machine since local midnight of `now`."""
    import time

    local = time.localtime(now)
    midnight = time.mktime((local.tm_year, local.tm_mon, local.tm_mday, 0, 0, 0, 0, 0, -1))
    return store.interviews_since(midnight)
