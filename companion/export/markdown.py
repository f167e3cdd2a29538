"""Markdown helpers: user text is escaped so it can never break the layout."""

from __future__ import annotations

import html
import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_LIST_DASH = re.compile(r"^([-=])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_inline(text: str) -> str:
    """One line of user text, safe inside a paragraph, list item or table cell."""
    flat = " ".join(str(text).split())
    escaped = _SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    # A leading "-", "=" or "1." would start a list or a heading underline.
    escaped = _LIST_DASH.sub(r"\\\1", escaped)
    return _LIST_NUMBER.sub(r"\1\\\2", escaped)


def escape_block(text: str) -> str:
    """Several lines of user text: each line escaped, line breaks kept as hard breaks."""
    lines = [escape_inline(line) for line in text.splitlines() if line.strip()]
    return "  \n".join(lines)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    total = int(seconds)
    return f"{total // 60:02d}:{total % 60:02d}"


def session_markdown(r: dict[str, Any]) -> str:
    """A scorecard as CommonMark with GitHub tables, from `report()`."""
    esc = escape_inline
    out: list[str] = []
    cand = r["candidate"]
    who = esc(cand["name"]) + (f" ({esc(cand['id'])})" if cand.get("id") else "")
    out += [f"# {esc(r['plan']['title'])}: {who}", ""]
    facts = [
        ("Session", f"`{r['session_id']}`"),
        ("Plan", f"`{r['plan']['id']}`"),
        ("Mode", r["mode"]),
        ("Role", esc(r["role"] or "-")),
        ("Level", esc(r["level"] or "-")),
        ("Interviewer", esc(r["interviewer"] or "-")),
        ("Started", r["started_at"]),
        ("Ended", r["ended_at"] or f"not ended ({r['status']})"),
        ("Time", f"{_clock(r['used_seconds'])} of {_clock(r['plan']['planned_seconds'])}"),
    ]
    out += [f"- **{k}:** {v}" for k, v in facts] + [""]
    rubric = r["rubric"]
    if rubric:
        out += [f"## Rubric: {esc(rubric['title'])}", "",
                "| Criterion | Score | Anchor | Evidence |", "| --- | --- | --- | --- |"]
        for s in rubric["scores"]:
            score = "-" if s["score"] is None else str(s["score"])
            evidence = esc(s["evidence"]) if s["evidence"] else "*no evidence*"
            out.append(f"| {esc(s['title'])} | {score} | {esc(s['anchor'] or '')} | "
                       f"{evidence if s['score'] is not None else ''} |")
        verdict = ("meets" if rubric["meets_threshold"] else
                   "below" if rubric["meets_threshold"] is False else "not scored")
        out += ["", f"**Total {rubric['total']}/{rubric['max']}**, pass mark "
                f"{rubric['threshold']}: {verdict} ({rubric['scored']} of "
                f"{len(rubric['scores'])} criteria scored)."]
        if rubric["advice"]:
            out.append(f"*{esc(rubric['advice'])}*")
        out.append("")
    if r["mode"] == "interview":
        rec = esc(r["recommendation"]) if r["recommendation"] else (
            "skipped" if r["recommendation_skipped"] else "not given")
        out += [f"**Recommendation:** {rec}", ""]
    if r["summary"]:
        out += ["## Summary", "", escape_block(r["summary"]), ""]
    if r.get("postmortem"):
        out += ["## Post-mortem", "", escape_block(r["postmortem"]), ""]
    out += ["## Sections", "", "| # | Section | Planned | Used | State |",
            "| --- | --- | --- | --- | --- |"]
    for s in r["sections"]:
        out.append(f"| {s['index']} | {esc(s['title'])} | {_clock(s['planned_seconds'])} | "
                   f"{_clock(s['used_seconds'])} | {s['state']} |")
    out.append("")
    for s in r["sections"]:
        asked = [q for q in s["questions"] if q["asked"]]
        if not (asked or s["signals"] or s["notes"]):
            continue
        out += [f"### {s['index']}. {esc(s['title'])}", ""]
        for q in asked:
            extra = " (ad hoc)" if q["ad_hoc"] else ""
            out.append(f"- Asked at {_clock(q['asked_at_seconds'])}: {esc(q['text'])}{extra}")
        for sig in s["signals"]:
            sign = "+" if sig["polarity"] == "good" else "−"
            out.append(f"- Signal {sign} {sig['polarity']} at {_clock(sig['at_seconds'])}: "
                       f"{esc(sig['text'])}")
        for n in s["notes"]:
            marks = []
            if n["flagged"]:
                marks.append("**flagged**")
            if n["backdated_seconds"]:
                marks.append(f"back-dated {n['backdated_seconds']:g} s")
            if n["edited_from"]:
                marks.append("edited, was: " + "; ".join(f"“{esc(t)}”" for t in n["edited_from"]))
            suffix = f" ({', '.join(marks)})" if marks else ""
            body = f"~~{esc(n['text'])}~~ (retracted)" if n["retracted"] else esc(n["text"])
            out.append(f"- Note at {_clock(n['session_seconds'])} "
                       f"(section {_clock(n['section_seconds'])}): {body}{suffix}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
