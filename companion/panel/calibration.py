"""Calibration: is an interviewer a strict or a lenient rater? Pure arithmetic, no I/O.

A *scorecard* here is one ended, non-practice session with a named interviewer (`Card`). A
*panel* is every scorecard of one person, by the identity rule: the stable id when the session
has one; a session without an id is a person of its own until `companion candidates merge`
gives it one (two sessions that only share a name are not the same candidate). For each
interviewer and rubric criterion:

- `average`: the mean of their own scores on it, over their whole history;
- `panel_average`: on the candidates where they scored it and someone else did too, the mean
  of the *other* interviewers' scores (their mean per candidate first, so a candidate seen by
  five others weighs as much as one seen by one);
- `difference`: their own mean on those same candidates minus `panel_average`: below zero is
  stricter than the panel, above is more lenient. `lean` names it once it is at least
  LEAN (half a point on the 0-2 scale), and only over at least MIN_SHARED shared scores
  (below that it says "too few to tell").

Timeliness: per interviewer, the median time from the end of the call to the first moment
the scorecard was complete, and the share of their scorecards complete within 1 h and 24 h
(`timeliness`; a pending one counts as not within).

Recommendations: the panel's verdict for a scorecard is the median of the *other*
interviewers' recommendations of that candidate on the plan's scale (strong no < no < yes <
strong yes). With an even number of others whose two middle values differ, the panel is split
and that scorecard is not counted. `rate` is how often their recommendation was the panel's;
`offset` is their mean distance from it in steps of the scale (below zero: stricter)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import fsum
from statistics import median
from typing import Any

from companion.model import DEFAULT_RECOMMENDATION_SCALE
from companion.session import SessionState

LEAN = 0.5
MIN_SHARED = 3  # shared scores needed before calling a rater stricter or more lenient
TOO_FEW = "too few to tell"
HOUR = 3600.0
DAY = 24 * HOUR
_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Card:
    session_id: str
    candidate: str  # the panel key: "id:<stable id>" or "name:<name folded>"
    interviewer: str
    rubric: str | None
    scores: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    recommendation: str | None = None
    scale: tuple[str, ...] = DEFAULT_RECOMMENDATION_SCALE
    completed_in: float | None = None  # seconds from the end of the call to complete
    pending: bool = False  # ended, never complete (None completed_in and not pending: not
    # on record, a session from before companion recorded it)


def mean(values: Iterable[float]) -> float:
    """The arithmetic mean, from a correctly rounded sum: statistics.mean's exact fractions
    took most of a debrief's time over long histories."""
    items = list(values)
    return fsum(items) / len(items)


def person(name: str | None) -> str:
    """An interviewer's name for comparing: spaces collapsed, any case."""
    return " ".join(str(name or "").split()).casefold()


def panel_key(session_id: str, candidate_id: str | None) -> str:
    """The person a scorecard is of: the stable id, else the session itself."""
    if candidate_id:
        return f"id:{candidate_id}"
    return f"session:{session_id}"


def card_from_state(state: SessionState) -> Card | None:
    """The scorecard of an ended, non-practice session with a named interviewer, else None."""
    if state.status != "ended" or state.mode == "practice" or not person(state.interviewer):
        return None
    rubric = state.plan.rubric
    return Card(
        session_id=state.id,
        candidate=panel_key(state.id, state.candidate_id),
        interviewer=" ".join(state.interviewer.split()),
        rubric=rubric.id if rubric else None,
        scores={c: s.score for c, s in state.scores.items()},
        titles={c.id: c.title for c in rubric.criteria} if rubric else {},
        recommendation=state.recommendation,
        scale=tuple(state.plan.recommendation_scale),
        completed_in=state.time_to_complete,
        pending=state.pending,
    )


def card_from_listing(row: dict[str, Any], digest: dict[str, Any]) -> Card | None:
    """The same from a listing row (Store.scorecard_rows) and its digest (companion.digest):
    what the session's state would give, read from one row instead of a replay."""
    if row.get("status") != "ended" or row.get("mode") == "practice" or not person(
            row.get("interviewer")):
        return None
    rubric = digest["rubric"]
    return Card(
        session_id=row["id"],
        candidate=panel_key(row["id"], row.get("candidate_id")),
        interviewer=" ".join(str(row["interviewer"]).split()),
        rubric=rubric["id"] if rubric else None,
        scores=dict(digest["scores"]),
        titles={cid: title for cid, title in rubric["criteria"]} if rubric else {},
        recommendation=row.get("recommendation"),
        scale=tuple(digest["scale"]),
        completed_in=digest["completed_in"],
        pending=bool(digest["pending"]),
    )


def card_from_report(r: dict[str, Any]) -> Card | None:
    """The same from a `report()` dict (the scale comes from its plan snapshot)."""
    if r.get("status") != "ended" or r.get("mode") == "practice" or not person(
            r.get("interviewer")):
        return None
    scale = DEFAULT_RECOMMENDATION_SCALE
    events = r.get("events") or []
    if events and events[0].get("type") == "session_started":
        scale = tuple(events[0]["data"].get("plan", {}).get("recommendation_scale", scale))
    rubric = r.get("rubric")
    return Card(
        session_id=r["session_id"],
        candidate=panel_key(r["session_id"], r["candidate"]["id"]),
        interviewer=" ".join(str(r["interviewer"]).split()),
        rubric=rubric["id"] if rubric else None,
        scores={s["criterion"]: s["score"] for s in rubric["scores"]
                if s["score"] is not None} if rubric else {},
        titles={s["criterion"]: s["title"] for s in rubric["scores"]} if rubric else {},
        recommendation=r.get("recommendation"),
        scale=scale,
        completed_in=(r.get("scorecard") or {}).get("seconds_to_complete"),
        pending=(r.get("scorecard") or {}).get("state") == "pending",
    )


def lean(difference: float | None, shared: int = MIN_SHARED) -> str | None:
    if difference is None:
        return None
    if shared < MIN_SHARED:
        return TOO_FEW
    if difference <= -LEAN + _EPSILON:
        return "stricter"
    if difference >= LEAN - _EPSILON:
        return "more lenient"
    return "in line"


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _panel_verdict(others: list[int]) -> int | None:
    """The median position of the others' recommendations, None when the panel is split."""
    ordered = sorted(others)
    n = len(ordered)
    if n % 2:
        return ordered[n // 2]
    low, high = ordered[n // 2 - 1], ordered[n // 2]
    return low if low == high else None


def calibrate(cards: Iterable[Card], interviewer: str | None = None) -> dict[str, Any]:
    """Each interviewer (or only `interviewer`) against the panels they sat on."""
    cards = list(cards)
    panels: dict[str, list[Card]] = {}
    for card in cards:
        panels.setdefault(card.candidate, []).append(card)
    names: dict[str, str] = {}
    for card in cards:
        names.setdefault(person(card.interviewer), card.interviewer)
    wanted = [k for k in sorted(names, key=lambda k: names[k].casefold())
              if interviewer is None or k == person(interviewer)]
    out = []
    for me in wanted:
        own = [c for c in cards if person(c.interviewer) == me]
        criteria: dict[tuple[str, str], dict[str, Any]] = {}
        all_pairs: list[tuple[int, float]] = []
        for card in own:
            others_here = [o for o in panels[card.candidate] if person(o.interviewer) != me]
            order = list(card.titles)  # the rubric's order
            for criterion, score in sorted(card.scores.items(), key=lambda cs: (
                    order.index(cs[0]) if cs[0] in order else len(order), cs[0])):
                entry = criteria.setdefault((card.rubric or "", criterion), {
                    "title": card.titles.get(criterion, criterion), "own": [], "pairs": []})
                entry["own"].append(score)
                theirs = [o.scores[criterion] for o in others_here
                          if o.rubric == card.rubric and criterion in o.scores]
                if theirs:
                    pair = (score, mean(theirs))
                    entry["pairs"].append(pair)
                    all_pairs.append(pair)
        rows = []
        for (rubric, criterion), entry in criteria.items():  # in the order first scored
            pairs = entry["pairs"]
            own_shared = mean(p[0] for p in pairs) if pairs else None
            panel = mean(p[1] for p in pairs) if pairs else None
            difference = (own_shared - panel) if pairs else None  # type: ignore[operator]
            rows.append({
                "rubric": rubric or None,
                "criterion": criterion,
                "title": entry["title"],
                "scores": len(entry["own"]),
                "average": _r(mean(entry["own"])),
                "shared": len(pairs),
                "own_on_shared": _r(own_shared),
                "panel_average": _r(panel),
                "difference": _r(difference),
                "lean": lean(difference, len(pairs)),
            })
        overall = mean(s - m for s, m in all_pairs) if all_pairs else None
        given = compared = matched = split = 0
        offsets: list[int] = []
        for card in own:
            if card.recommendation not in card.scale:
                continue
            given += 1
            position = card.scale.index(card.recommendation)
            others = [card.scale.index(o.recommendation) for o in panels[card.candidate]
                      if person(o.interviewer) != me and o.recommendation in card.scale]
            if not others:
                continue
            verdict = _panel_verdict(others)
            if verdict is None:
                split += 1
                continue
            compared += 1
            matched += position == verdict
            offsets.append(position - verdict)
        out.append({
            "interviewer": names[me],
            "scorecards": len(own),
            "candidates": len({c.candidate for c in own}),
            "criteria": rows,
            "compared_scores": len(all_pairs),
            "difference": _r(overall),
            "lean": lean(overall, len(all_pairs)),
            "timeliness": timeliness(c.completed_in for c in own
                                     if c.pending or c.completed_in is not None),
            "recommendations": {
                "given": given,
                "compared": compared,
                "matched": matched,
                "split": split,
                "rate": _r(matched / compared) if compared else None,
                "offset": _r(mean(offsets)) if offsets else None,
            },
        })
    return {
        "lean_threshold": LEAN,
        "min_shared": MIN_SHARED,
        "scorecards": len(cards),
        "candidates": len(panels),
        "interviewers": out,
    }


def timeliness(times: Iterable[float | None]) -> dict[str, Any]:
    """Over one interviewer's ended scorecards on record (pending, or with their completion
    recorded): how many, how many complete, the median seconds to complete, and the share
    of all of them complete within 1 h and within 24 h (a pending one is not within)."""
    values = list(times)
    done = [t for t in values if t is not None]
    n = len(values)
    return {
        "scorecards": n,
        "complete": len(done),
        "pending": n - len(done),
        "median_seconds": round(median(done), 1) if done else None,
        "within_1h": round(sum(t <= HOUR for t in done) / n, 3) if n else None,
        "within_24h": round(sum(t <= DAY for t in done) / n, 3) if n else None,
    }
