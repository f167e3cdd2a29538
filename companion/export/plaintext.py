"""One session as plain text for an applicant-tracking system's text field: what the summary
screen copies, and the notes of the ATS shapes (companion.export.ats). No Markdown escapes,
no word joiners: the text reads as typed. Control characters (an escape sequence in a note)
still show as symbols (textsafe.printable), so the text is safe on a terminal and in a form."""

from __future__ import annotations

from typing import Any

from companion.clock import duration
from companion.export.amendments import latest_words
from companion.textsafe import printable, visible


def line(text: object) -> str:
    """One line of user text: control characters as symbols, line breaks as spaces."""
    return " ".join(visible(str(text if text is not None else "")).split())


def block(text: str, indent: str = "") -> list[str]:
    """Several lines of user text, each kept, control characters as symbols."""
    return [indent + printable(row).rstrip() for row in text.splitlines() if row.strip()]


def pace_words(q: dict[str, Any]) -> str:
    """A question's time and rating (the pacing fields of the report, when it has them):
    `took 03:20 of 05:00 · rated strong`, or ''."""
    parts = []
    if q.get("seconds") is not None:
        took = f"took {duration(q['seconds'])}"
        if q.get("budget_seconds"):
            took += f" of {duration(q['budget_seconds'])}"
        parts.append(took)
    elif q.get("asked_at_seconds") is not None:
        parts.append(f"asked at {duration(q['asked_at_seconds'])}")
    if q.get("rating"):
        parts.append(f"rated {line(q['rating'])}")
    return " · ".join(parts)


def question_lines(r: dict[str, Any]) -> list[str]:
    """Each asked question with its time and rating, one a line."""
    out = []
    for s in r["sections"]:
        for q in s["questions"]:
            if not q["asked"]:
                continue
            pace = pace_words(q)
            out.append(f"- {line(q['text'])}" + (f" ({pace})" if pace else ""))
    return out


def score_line(r: dict[str, Any], s: dict[str, Any]) -> str:
    score = "not scored" if s["score"] is None else f"{s['score']}/2"
    out = f"{line(s['title'])}: {score}"
    if s["score"] is not None and s.get("anchor"):
        out += f" ({line(s['anchor'])})"
    amended = latest_words(r, s["criterion"])
    if amended:
        out += f" [{amended}]"
    return out


def session_text(r: dict[str, Any]) -> str:
    """The scorecard as plain text, from `report()`."""
    cand = r["candidate"]
    who = line(cand["name"]) + (f" ({line(cand['id'])})" if cand.get("id") else "")
    out = [f"{line(r['plan']['title'])}: {who}"]
    facts = [f"Interviewer: {line(r['interviewer'] or '-')}",
             f"Started: {r['started_at'][:16].replace('T', ' ')} UTC"]
    if r.get("role") or r.get("level"):
        facts.append("Role: " + " ".join(line(v) for v in (r.get("role"), r.get("level"))
                                         if v))
    facts.append(f"Time: {duration(r['used_seconds'])} of "
                 f"{duration(r['plan']['planned_seconds'])}")
    out += [" · ".join(facts), ""]
    rubric = r["rubric"]
    if rubric:
        verdict = ("meets the pass mark" if rubric["meets_threshold"] else
                   "below the pass mark" if rubric["meets_threshold"] is False else "not scored")
        out.append(f"Rubric: {line(rubric['title'])}, total {rubric['total']}/{rubric['max']}"
                   f" (pass mark {rubric['threshold']}: {verdict})")
        for s in rubric["scores"]:
            out.append(f"- {score_line(r, s)}")
            if s["score"] is not None:
                out.append(f"  Evidence: {line(s['evidence'])}" if s["evidence"].strip()
                           else "  Evidence: none given")
        out.append("")
    if r["mode"] == "interview":
        rec = line(r["recommendation"]) if r["recommendation"] else (
            "skipped" if r["recommendation_skipped"] else "not given")
        amended = latest_words(r, "recommendation")
        out += [f"Recommendation: {rec}" + (f" [{amended}]" if amended else ""), ""]
    for title, key in (("Summary", "summary"), ("Post-mortem", "postmortem")):
        text = r.get(key) or ""
        if text.strip():
            amended = latest_words(r, key)
            out += [f"{title}:" + (f" [{amended}]" if amended else ""), *block(text, "  "), ""]
    questions = question_lines(r)
    if questions:
        out += ["Questions asked:", *questions, ""]
    flagged = [n for s in r["sections"] for n in s["notes"]
               if n["flagged"] and not n["retracted"]]
    if flagged:
        out += ["Key moments:", *(f"- {duration(n['session_seconds'])} {line(n['text'])}"
                                  for n in flagged), ""]
    return "\n".join(out).rstrip() + "\n"
