"""Amendments: what was changed in a session's record after it ended (a score, the
recommendation, the summary or post-mortem, the candidate's identity), each shown in every
export with when it was made: "amended 14:02 UTC, 2 h after the end". Pure: events in,
plain values out."""

from __future__ import annotations

from typing import Any

from companion.clock import iso
from companion.events import AMENDMENT_WORDS, Event

# Recorded by the app itself once the scorecard is complete: no change of the record.
_NOT_AMENDMENTS = frozenset({"scorecard_completed"})


def _field(event: Event) -> str:
    """The part of the record an amendment changes: a criterion id, or its name."""
    if event.type == "score_set":
        return str(event.data.get("criterion", ""))
    return {"recommendation_set": "recommendation", "summary_set": "summary",
            "postmortem_set": "postmortem"}.get(event.type, "candidate")


def _after(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f}".removesuffix(".0") + " h"
    return f"{seconds / 86400:.1f}".removesuffix(".0") + " days"


def amendments(events: list[Event] | None, seal: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The `amendments` of a report: every change written after the session_ended event,
    oldest first, with the field it changed and how long after the end it came."""
    if not events:
        return []
    end = next((e for e in events if e.type == "session_ended"), None)
    if end is None:
        return []
    covers = int(seal.get("covers") or 0) if seal else None
    out = []
    for e in events:
        if e.seq <= end.seq or e.type in _NOT_AMENDMENTS or e.type not in AMENDMENT_WORDS:
            continue
        after_end = max(0.0, e.at - end.at)
        after_seal = None if covers is None else e.seq > covers
        stamp = iso(e.at)
        when = stamp[11:16] if stamp[:10] == iso(end.at)[:10] else stamp[:16].replace("T", " ")
        words = f"amended {when} UTC, {_after(after_end)} after the end"
        if after_seal:
            words += ", after the seal"
        out.append({"seq": e.seq, "type": e.type, "field": _field(e),
                    "what": AMENDMENT_WORDS[e.type], "at": stamp,
                    "after_end_seconds": round(after_end, 1), "after_seal": after_seal,
                    "words": words})
    return out


def latest_words(r: dict[str, Any], field: str) -> str | None:
    """The words of the latest amendment of `field` in a report, or None (never amended)."""
    found = [a for a in r.get("amendments") or () if a["field"] == field]
    return str(found[-1]["words"]) if found else None
