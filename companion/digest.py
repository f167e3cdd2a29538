"""A session's digest: the few figures of its state that the practice trend and calibration
need (scores, the rubric's shape, time used per section, how soon the scorecard was complete),
kept as JSON in its listing row and rewritten with every event that changes the listing. Reading
it costs a row, where a replay of the session costs every event it has. No I/O."""

from __future__ import annotations

import json
from typing import Any

from companion.pacing import section_questions
from companion.state import SessionState

DIGEST_VERSION = 1


def digest_of(state: SessionState) -> dict[str, Any]:
    """The digest of a state: bounded by the plan's size, never by the number of events."""
    plan = state.plan
    rubric = plan.rubric
    return {
        "v": DIGEST_VERSION,
        "rubric": None if rubric is None else {
            "id": rubric.id, "threshold": rubric.threshold, "max": rubric.max_score,
            "criteria": [[c.id, c.title] for c in rubric.criteria]},
        "scale": list(plan.recommendation_scale),
        "scores": {criterion: s.score for criterion, s in state.scores.items()},
        # [title, planned seconds or None, seconds used, visited]
        "sections": [[s.plan.title, s.planned, state.section_used(i), s.visited]
                     for i, s in enumerate(state.sections)],
        "minutes": plan.minutes,
        "stage": plan.stage,
        "completed_in": state.time_to_complete,
        "pending": state.pending,
        "pace": _pace(state),
    }


def _pace(state: SessionState) -> list[float] | None:
    """[questions, seconds taken, budget seconds] of the questions asked that have a budget
    (companion.pacing), for the practice trend; None when none had one."""
    paced = [q for index in range(len(state.sections))
             for q in section_questions(state, index) if q.seconds is not None and q.budget]
    if not paced:
        return None
    return [len(paced), round(sum(q.seconds or 0.0 for q in paced), 1),
            round(sum(q.budget or 0.0 for q in paced), 1)]


def digest_json(state: SessionState) -> str:
    return json.dumps(digest_of(state), ensure_ascii=False, separators=(",", ":"))
