"""One session as a plain, complete record: what every export format renders from.

Keys are stable (the JSON export is this dict; docs/session.schema.json describes it);
times are ISO-8601 UTC; durations are seconds."""

from __future__ import annotations

from typing import Any

from companion import __version__
from companion.clock import iso
from companion.events import format_version_of
from companion.export.amendments import amendments
from companion.export.sealview import describe
from companion.session import Event, SessionState


def _seconds(value: float) -> float:
    return round(value, 1)


def report(state: SessionState, events: list[Event] | None = None,
           seal: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record of one session. `seal` is its stored seal (docs/panel.md), if any:
    the report then says how it is sealed, what changed after (amendments) and whether
    it was scored blind."""
    plan = state.plan
    started = state.started_at
    sections = []
    for index, section in enumerate(state.sections):
        prompts = {p.id: p for p in section.prompts}
        signal_names = {s.id: ("good", s.text) for s in section.good}
        signal_names |= {s.id: ("bad", s.text) for s in section.bad}
        sections.append({
            "index": index + 1,
            "title": section.plan.title,
            "planned_seconds": section.planned,
            "used_seconds": _seconds(state.section_used(index)),
            "state": ("skipped" if section.skipped else "done" if section.ended
                      else "current" if index == state.current else
                      "visited" if section.visited else "not reached"),
            "questions": [
                {
                    "id": p.id,
                    "text": p.text,
                    "asked": p.id in section.asked,
                    "asked_at_seconds": _seconds(section.asked[p.id])
                    if p.id in section.asked else None,
                    "ad_hoc": p.source == "ad hoc",
                    "criteria": list(p.criteria),
                }
                for p in prompts.values()
            ],
            "signals": [
                {
                    "id": signal_id,
                    "polarity": signal_names.get(signal_id, ("good", signal_id))[0],
                    "text": signal_names.get(signal_id, ("", signal_id))[1],
                    "at_seconds": _seconds(at),
                }
                for signal_id, at in sorted(section.ticked.items(), key=lambda kv: kv[1])
            ],
            "notes": [
                {
                    "id": note.id,
                    "text": note.text,
                    "at": iso(note.at),
                    "session_seconds": _seconds(note.t),
                    "section_seconds": _seconds(note.section_offset),
                    "backdated_seconds": note.back,
                    "flagged": note.flagged,
                    "edited_from": list(note.edits),
                    "retracted": note.retracted,
                }
                for note in state.notes if note.section == index
            ],
        })
    rubric = plan.rubric
    scores = []
    if rubric is not None:
        for criterion in rubric.criteria:
            score = state.scores.get(criterion.id)
            scores.append({
                "criterion": criterion.id,
                "title": criterion.title,
                "score": score.score if score else None,
                "anchor": criterion.anchors[score.score] if score else None,
                "evidence": score.evidence if score else "",
                "at": iso(score.at) if score else None,
            })
    return {
        "format": "companion-session",
        # The lowest format that holds its events: an older companion can read it if it can.
        "format_version": format_version_of(events) if events is not None else 1,
        "generator": f"companion {__version__}",
        "session_id": state.id,
        "plan": {"id": plan.id, "title": plan.title, "stage": plan.stage,
                 "planned_seconds": state.planned_total},
        "mode": state.mode,
        "candidate": {"name": state.candidate, "id": state.candidate_id or None},
        "role": state.role or None,
        "level": state.level or None,
        **({"archetype": state.archetype} if state.archetype else {}),
        "interviewer": state.interviewer or None,
        "status": state.status,
        "started_at": iso(started),
        "ended_at": iso(state.ended_at) if state.ended_at else None,
        **_scorecard(state),
        "used_seconds": _seconds(state.total_used()),
        "sections": sections,
        "rubric": None if rubric is None else {
            "id": rubric.id,
            "title": rubric.title,
            "scores": scores,
            "total": state.total,
            "max": rubric.max_score,
            "threshold": rubric.threshold,
            "scored": len(state.scores),
            "meets_threshold": state.passed,
            "advice": rubric.advice if state.passed is False else None,
        },
        "recommendation": state.recommendation,
        "recommendation_skipped": state.recommendation_skipped,
        "summary": state.summary,
        "postmortem": state.postmortem if state.mode == "practice" else None,
        "seal": describe(seal, events, state),
        # Changes after the end (docs/exports.md), each with when; absent when none, so an
        # export of a session never amended reads as before, byte for byte.
        **({"amendments": changed} if (changed := amendments(events, seal)) else {}),
        "events": None if events is None else [
            {"seq": e.seq, "type": e.type, "at": iso(e.at), "t": e.t, "data": e.data}
            for e in events
        ],
    }


def _scorecard(state: SessionState) -> dict[str, Any]:
    """`scorecard`, for an interview that is pending or whose completion is on record:
    pending or complete, and how soon after the call it was complete. Absent otherwise
    (practice, open, or a session from before companion recorded it)."""
    if not state.is_scorecard or not (state.pending or state.completed_at is not None):
        return {}
    done = state.time_to_complete
    return {"scorecard": {
        "state": "pending" if state.completed_at is None else "complete",
        "completed_at": iso(state.completed_at) if state.completed_at else None,
        "seconds_to_complete": None if done is None else round(done, 1),
    }}


def scorecard_words(r: dict[str, Any]) -> str | None:
    """The scorecard's state in words, for the exports (None: practice, or still open)."""
    card = r.get("scorecard")
    if not card:
        return None
    if card["state"] == "pending":
        return "pending: not complete yet (every criterion scored, a recommendation and a summary)"
    seconds = float(card["seconds_to_complete"] or 0.0)
    if seconds < 3600:
        took = f"{seconds / 60:.0f} min"
    elif seconds < 48 * 3600:
        took = f"{seconds / 3600:.1f} h"
    else:
        took = f"{seconds / 86400:.1f} days"
    return f"complete {took} after the call ended ({card['completed_at']})"
