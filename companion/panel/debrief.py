"""The debrief: every interview session of one candidate, side by side.

`debrief(reports)` is a pure function over `report()` dicts (no I/O, no SQL): it keeps the
sessions a hiring committee looks at (practice sessions are left out), sets the ones that were
not ended aside as missing scorecards, and works out, per rubric, the matrix of scores per
criterion per interviewer, the criteria nobody has evidence for (gaps) and the criteria on
which two interviewers are two points apart (conflicts). The Markdown and HTML renderers
(`debrief_markdown`, `debrief_html`) draw from the dict it returns."""

from __future__ import annotations

from typing import Any

from companion.panel.calibration import Card, calibrate, card_from_report, person

NO_INTERVIEWER = "(no interviewer named)"
CONFLICT_SPREAD = 2  # scores are 0-2: one gave 0 and another 2


def _who(r: dict[str, Any]) -> str:
    return r.get("interviewer") or NO_INTERVIEWER


def _column(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": r["session_id"],
        "interviewer": _who(r),
        "plan_id": r["plan"]["id"],
        "plan_title": r["plan"]["title"],
        "started_at": r["started_at"],
    }


def _recommendation(r: dict[str, Any]) -> str:
    if r.get("recommendation"):
        return str(r["recommendation"])
    return "skipped" if r.get("recommendation_skipped") else "not given"


def debrief(reports: list[dict[str, Any]], *,
            history: list[Card] | None = None, waiting: int = 0) -> dict[str, Any]:
    """Merge the sessions of one candidate. `reports` come from `report()`, in any order.
    `history` (calibration cards of every scorecard in the database) lets the calibration
    section compare each interviewer over their whole history; without it, over this panel.
    `waiting`: the panel's scorecards of this candidate left out because the reader's own is
    not sealed yet (companion.panel.reveal): counted, not shown."""
    ordered = sorted(reports, key=lambda r: (r["started_at"], r["session_id"]))
    practice = [r for r in ordered if r["mode"] == "practice"]
    kept = [r for r in ordered if r["mode"] != "practice"]
    ended = [r for r in kept if r["status"] == "ended"]
    missing = [
        {**_column(r), "status": r["status"]} for r in kept if r["status"] != "ended"
    ]
    names = [r["candidate"]["name"] for r in ordered if r["candidate"]["name"]]
    ids = sorted({r["candidate"]["id"] for r in ordered if r["candidate"]["id"]})

    rubrics: list[dict[str, Any]] = []
    by_rubric: dict[str, list[dict[str, Any]]] = {}
    for r in ended:
        if r["rubric"] is not None:
            by_rubric.setdefault(r["rubric"]["id"], []).append(r)
    gaps: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    for rubric_id, group in by_rubric.items():
        latest = group[-1]["rubric"]
        # Criteria in the newest snapshot's order, then any only older snapshots had.
        titles: dict[str, str] = {}
        for r in reversed(group):
            for s in r["rubric"]["scores"]:
                titles.setdefault(s["criterion"], s["title"])
        rows = []
        for criterion, title in titles.items():
            cells = []
            for r in group:
                found = next(
                    (s for s in r["rubric"]["scores"] if s["criterion"] == criterion), None
                )
                cells.append({
                    "session_id": r["session_id"],
                    "interviewer": _who(r),
                    "score": None if found is None else found["score"],
                    "anchor": None if found is None else found["anchor"],
                    "evidence": "" if found is None else (found["evidence"] or ""),
                })
            rows.append({"criterion": criterion, "title": title, "cells": cells})
            with_evidence = [c for c in cells if c["evidence"].strip()]
            if not with_evidence:
                gaps.append({
                    "rubric": rubric_id,
                    "criterion": criterion,
                    "title": title,
                    "scored_by": [c["interviewer"] for c in cells if c["score"] is not None],
                })
            scored = [c for c in cells if c["score"] is not None]
            if scored:
                low = min(c["score"] for c in scored)
                high = max(c["score"] for c in scored)
                if high - low >= CONFLICT_SPREAD:
                    conflicts.append({
                        "rubric": rubric_id,
                        "criterion": criterion,
                        "title": title,
                        "low": low,
                        "high": high,
                        "scores": [
                            {"session_id": c["session_id"], "interviewer": c["interviewer"],
                             "score": c["score"], "evidence": c["evidence"]}
                            for c in scored
                        ],
                    })
        rubrics.append({
            "id": rubric_id,
            "title": latest["title"],
            "max": latest["max"],
            "threshold": latest["threshold"],
            "columns": [_column(r) for r in group],
            "rows": rows,
            "totals": [
                {"session_id": r["session_id"], "total": r["rubric"]["total"],
                 "max": r["rubric"]["max"], "scored": r["rubric"]["scored"],
                 "meets_threshold": r["rubric"]["meets_threshold"]}
                for r in group
            ],
        })
    return {
        "format": "companion-debrief",
        "candidate": {"name": names[-1] if names else "", "id": ids[0] if len(ids) == 1
                      else None},
        "candidate_ids": ids,
        "sessions": ended,
        "missing": missing,
        "practice_left_out": len(practice),
        "waiting": waiting,
        "rubrics": rubrics,
        "gaps": gaps,
        "conflicts": conflicts,
        "recommendations": [
            {**_column(r), "recommendation": _recommendation(r), "mode": r["mode"]}
            for r in ended
        ],
        "summaries": [{**_column(r), "summary": r["summary"] or ""} for r in ended],
        "seals": [_seal_row(r) for r in kept],
        "calibration": _calibration(ended, history),
    }


def _seal_row(r: dict[str, Any]) -> dict[str, Any]:
    """How one scorecard is sealed, and whether it was scored blind (docs/panel.md)."""
    seal = r.get("seal")
    return {
        **_column(r),
        "status": r["status"],
        "sealed": seal is not None,
        "sealed_at": seal["sealed_at"] if seal else None,
        "algorithm": seal["algorithm"] if seal else None,
        "key_id": seal["key_id"] if seal else None,
        "amended": bool(seal and seal["amended"]),
        "amendments": list(seal["amendments"]) if seal else [],
        "blind": seal["blind"] if seal else None,
        "seen_others_at": seal["seen_others_at"] if seal else None,
        "seen_others": seal["seen_others"] if seal else None,
    }


def _calibration(ended: list[dict[str, Any]], history: list[Card] | None) -> dict[str, Any]:
    """The calibration of this panel's interviewers (over `history` when given)."""
    cards = history if history is not None else [
        c for c in (card_from_report(r) for r in ended) if c is not None]
    panel = {person(r.get("interviewer")) for r in ended if person(r.get("interviewer"))}
    result = calibrate(cards)
    result["interviewers"] = [i for i in result["interviewers"]
                              if person(i["interviewer"]) in panel]
    result["based_on"] = "history" if history is not None else "this panel"
    return result
