"""Markdown helpers: user text is escaped so it can never break the layout."""

from __future__ import annotations

import html
import re
from typing import Any

from companion.clock import duration
from companion.export.amendments import latest_words
from companion.export.clockview import clock_words, ended_before_started
from companion.export.matrix import criterion_matrix
from companion.export.report import scorecard_words
from companion.textsafe import visible

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_LIST_DASH = re.compile(r"^([-=])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
# GitHub-flavoured Markdown turns bare `www.`, `scheme://` and `name@host` into links, even
# behind backslash escapes and character references. An invisible word joiner (U+2060) after
# the first `w` of `www.`, inside `://` and before `@` keeps them text.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)w(?=ww\.)|:(?=//)|(?=@)")


def escape_inline(text: str) -> str:
    """One line of user text, safe inside a paragraph, list item or table cell."""
    flat = " ".join(visible(str(text)).split())
    escaped = _SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    # A leading "-", "=" or "1." would start a list or a heading underline.
    escaped = _LIST_DASH.sub(r"\\\1", escaped)
    escaped = _LIST_NUMBER.sub(r"\1\\\2", escaped)
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, escaped)


def escape_block(text: str) -> str:
    """Several lines of user text: each line escaped, line breaks kept as hard breaks."""
    lines = [escape_inline(line) for line in text.splitlines() if line.strip()]
    return "  \n".join(lines)


_PLAIN_ID = re.compile(r"^[A-Za-z0-9._@+-]+$")


def code(text: str) -> str:
    """An id as a code span when it is a plain id, escaped text otherwise."""
    return f"`{text}`" if _PLAIN_ID.match(str(text)) else escape_inline(text)



def session_markdown(r: dict[str, Any], *, level: int = 1) -> str:
    """A scorecard as CommonMark with GitHub tables, from `report()`. `level` is the level of
    its top heading (the debrief nests scorecards one level down)."""
    esc = escape_inline
    h1, h2, h3 = ("#" * min(6, level + n) for n in range(3))
    out: list[str] = []
    cand = r["candidate"]
    who = esc(cand["name"]) + (f" ({esc(cand['id'])})" if cand.get("id") else "")
    out += [f"{h1} {esc(r['plan']['title'])}: {who}", ""]
    facts = [
        ("Session", code(r["session_id"])),
        ("Plan", code(r["plan"]["id"])),
        ("Mode", esc(r["mode"])),
        ("Role", esc(r["role"] or "-")),
        ("Level", esc(r["level"] or "-")),
        *([("Company archetype", esc(r["archetype"]))] if r.get("archetype") else []),
        ("Interviewer", esc(r["interviewer"] or "-")),
        ("Started", r["started_at"]),
        ("Ended", (f"abandoned at {r['ended_at']}" if r["status"] == "abandoned" else
                   r["ended_at"]) if r["ended_at"] else f"not ended ({r['status']})"),
        ("Time", f"{duration(r['used_seconds'])} of {duration(r['plan']['planned_seconds'])}"),
    ]
    jump = clock_words(r)
    if jump:
        if ended_before_started(r):
            facts[7] = ("Ended", f"{facts[7][1]} (reads before Started: clock set back)")
        facts.append(("Clock", jump[:1].upper() + jump[1:] + "."))
    out += [f"- **{k}:** {v}" for k, v in facts] + [""]
    rubric = r["rubric"]
    if rubric:
        out += [f"{h2} Rubric: {esc(rubric['title'])}", "",
                "| Criterion | Score | Anchor | Evidence |", "| --- | --- | --- | --- |"]
        for s in rubric["scores"]:
            score = "-" if s["score"] is None else str(s["score"])
            amended = latest_words(r, s["criterion"])
            if amended:
                score += f" ({amended})"  # fixed words and times: nothing to escape
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
        amended = latest_words(r, "recommendation")
        out += [f"**Recommendation:** {rec}" + (f" ({amended})" if amended else ""), ""]
        card = scorecard_words(r)
        if card:
            out += [f"**Scorecard:** {card}", ""]  # no user text in it
    if r["summary"]:
        out += [f"{h2} Summary{_amended_mark(r, 'summary_set')}", "",
                escape_block(r["summary"]), ""]
    if r.get("postmortem"):
        out += [f"{h2} Post-mortem{_amended_mark(r, 'postmortem_set')}", "",
                escape_block(r["postmortem"]), ""]
    elif r["mode"] == "practice":
        out += [f"{h2} Post-mortem", "", "*not written yet*", ""]
    out += amendments_markdown(r, h2)
    out += seal_markdown(r, h2)
    out += [f"{h2} Sections", "", "| # | Section | Planned | Used | State |",
            "| --- | --- | --- | --- | --- |"]
    for s in r["sections"]:
        out.append(f"| {s['index']} | {esc(s['title'])} | {duration(s['planned_seconds'])} | "
                   f"{duration(s['used_seconds'])} | {s['state']} |")
    out.append("")
    for s in r["sections"]:
        asked = [q for q in s["questions"] if q["asked"]]
        if not (asked or s["signals"] or s["notes"]):
            continue
        out += [f"{h3} {s['index']}. {esc(s['title'])}", ""]
        for q in asked:
            extra = " (ad hoc)" if q["ad_hoc"] else ""
            out.append(f"- Asked at {duration(q['asked_at_seconds'])}: {esc(q['text'])}{extra}")
        for sig in s["signals"]:
            sign = "+" if sig["polarity"] == "good" else "−"
            out.append(f"- Signal {sign} {sig['polarity']} at {duration(sig['at_seconds'])}: "
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
            lines = [esc(line) for line in n["text"].splitlines() if line.strip()] or [""]
            if n["retracted"]:
                lines = [f"~~{line}~~" for line in lines]
                lines[-1] += " (retracted)"
            body = "  \n  ".join(lines)  # hard breaks, indented to stay in the list item
            out.append(f"- Note at {duration(n['session_seconds'])} "
                       f"(section {duration(n['section_seconds'])}): {body}{suffix}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _amended_mark(r: dict[str, Any], kind: str) -> str:
    words = latest_words(r, "summary" if kind == "summary_set" else "postmortem")
    if words:
        return f" ({words})"
    seal = r.get("seal")
    if seal and any(a["type"] == kind for a in seal["amendments"]):
        return " (amended after sealing)"
    return ""


def amendments_markdown(r: dict[str, Any], h2: str = "##") -> list[str]:
    """Every change made after the end, oldest first (none: nothing)."""
    rows = r.get("amendments") or []
    if not rows:
        return []
    titles = {s["criterion"]: s["title"] for s in (r.get("rubric") or {}).get("scores", [])}
    out = [f"{h2} Amendments", ""]
    for a in rows:
        what = escape_inline(a["what"])
        if a["type"] == "score_set":
            what += f" ({escape_inline(titles.get(a['field'], a['field']))})"
        out.append(f"- {what}: {a['words']} (event {int(a['seq'])})")
    return [*out, ""]


ALGORITHM_NAMES = {"hmac-sha256": "HMAC-SHA256", "sha256": "SHA-256"}


def blind_words(blind: bool | None, seen: str | None, seen_at: str | None) -> str:
    """Whether a scorecard was scored blind, in words (docs/panel.md)."""
    if blind is True:
        return "yes: sealed before any other interviewer's scorecard of this candidate was seen"
    if blind is False:
        return f"no: {seen or 'another scorecard was seen'} at {seen_at}, before sealing"
    return "unknown: what was seen before this session started is not on record"


def seal_markdown(r: dict[str, Any], h2: str = "##") -> list[str]:
    """The seal of one scorecard: how it is sealed, what that protects, amendments, blind."""
    seal = r.get("seal")
    if seal is None:
        if r.get("events") is None:
            return []
        why = ("it has ended but is not sealed yet (exporting it from its database seals it)"
               if r["status"] in ("ended", "abandoned") else
               f"sessions are sealed when they end, and this one is {r['status']}")
        return [f"{h2} Seal", "", f"*Not sealed:* {why}.", ""]
    name = ALGORITHM_NAMES.get(str(seal["algorithm"]), escape_inline(seal["algorithm"]))
    key = f", team key {code(seal['key_id'])}" if seal.get("key_id") else ", no team key"
    out = [f"{h2} Seal", "",
           f"- **Sealed:** {escape_inline(seal['sealed_at'])} with {name}{key}, over events "
           f"1–{int(seal['covers'])}",
           f"- **Digest:** {code(seal['digest'])}",
           f"- **What it protects:** {escape_inline(seal['protection'])} Check it with "
           "`companion verify`."]
    if r["mode"] != "practice":
        out.append("- **Scored blind:** " + escape_inline(
            blind_words(seal["blind"], seal["seen_others"], seal["seen_others_at"])))
    if seal["amended"]:
        changes = "; ".join(f"{escape_inline(a['what'])} at {escape_inline(a['at'])} "
                            f"(event {int(a['seq'])})"
                            for a in seal["amendments"]) or "events after the seal"
        out.append(f"- **Amended after sealing** (not covered by the seal): {changes}")
    else:
        out.append("- **Amendments:** none")
    return [*out, ""]


def _score_cell(cell: dict[str, Any]) -> str:
    if cell["score"] is None:
        return "-"
    return str(cell["score"]) + ("" if cell["evidence"].strip() else " (no evidence)")


def debrief_markdown(d: dict[str, Any]) -> str:
    """Every interview session of one candidate side by side, from `debrief()`."""
    esc = escape_inline
    cand = d["candidate"]
    who = esc(cand["name"] or "unnamed candidate") + (
        f" ({esc(cand['id'])})" if cand.get("id") else "")
    out = [f"# Debrief: {who}", ""]
    plans = ", ".join(esc(c["plan_title"]) for c in d["recommendations"]) or "none"
    out += [f"- **Scorecards:** {len(d['sessions'])} ({plans})",
            f"- **Missing scorecards:** {len(d['missing'])}"]
    if d["practice_left_out"]:
        out.append(f"- **Practice sessions left out:** {d['practice_left_out']}")
    if d.get("waiting"):
        out.append(f"- **Waiting until yours is sealed:** {d['waiting']} scorecard(s) of the "
                   "panel, not shown")
    if len(d["candidate_ids"]) > 1:
        ids = ", ".join(code(i) for i in d["candidate_ids"])
        out.append(f"- **Warning:** these sessions carry different candidate ids ({ids}): "
                   "they may be different people with the same name.")
    out.append("")
    if d["missing"]:
        out += ["## Missing scorecards", "",
                "| Session | Plan | Interviewer | Started | State |",
                "| --- | --- | --- | --- | --- |"]
        for m in d["missing"]:
            out.append(f"| {code(m['session_id'])} | {esc(m['plan_title'])} | "
                       f"{esc(m['interviewer'])} | {m['started_at']} | {m['status']} |")
        out.append("")
    if d["recommendations"]:
        out += ["## Recommendations", "", "| Interviewer | Plan | Recommendation | Score |",
                "| --- | --- | --- | --- |"]
        totals = {t["session_id"]: t for rb in d["rubrics"] for t in rb["totals"]}
        for rec in d["recommendations"]:
            total = totals.get(rec["session_id"])
            score = f"{total['total']}/{total['max']}" if total and total["scored"] else "-"
            out.append(f"| {esc(rec['interviewer'])} | {esc(rec['plan_title'])} | "
                       f"{esc(rec['recommendation'])} | {score} |")
        out.append("")
    out += _seals_markdown(d)
    for rb in d["rubrics"]:
        out += [f"## Rubric: {esc(rb['title'])} (pass mark {rb['threshold']}/{rb['max']})", ""]
        heads = [f"{esc(c['interviewer'])} · {esc(c['plan_title'])}" for c in rb["columns"]]
        out += ["| Criterion | " + " | ".join(heads) + " |",
                "| --- |" + " --- |" * len(heads)]
        for row in rb["rows"]:
            cells = " | ".join(_score_cell(c) for c in row["cells"])
            out.append(f"| {esc(row['title'])} | {cells} |")
        total_cells = " | ".join(f"**{t['total']}/{t['max']}**" if t["scored"] else "-"
                                 for t in rb["totals"])
        out += [f"| **Total** | {total_cells} |", ""]
        conflicts = [c for c in d["conflicts"] if c["rubric"] == rb["id"]]
        gaps = [g for g in d["gaps"] if g["rubric"] == rb["id"]]
        if conflicts:
            out += ["**Conflicts** (scores two apart):", ""]
            for c in conflicts:
                given = "; ".join(
                    f"{esc(s['interviewer'])} gave {s['score']}"
                    + (f" (“{esc(s['evidence'])}”)" if s["evidence"].strip() else "")
                    for s in c["scores"])
                out.append(f"- {esc(c['title'])}: {given}")
            out.append("")
        if gaps:
            out += ["**Gaps** (nobody has evidence):", ""]
            for g in gaps:
                by = ", ".join(esc(n) for n in g["scored_by"])
                scored = f" (scored without evidence by {by})" if by else " (not scored)"
                out.append(f"- {esc(g['title'])}{scored}")
            out.append("")
        if not conflicts and not gaps:
            out += ["No conflicts and no gaps on this rubric.", ""]
    out += _calibration_markdown(d)
    if d["summaries"]:
        out += ["## Summaries", ""]
        for s in d["summaries"]:
            out += [f"### {esc(s['interviewer'])} · {esc(s['plan_title'])}", "",
                    escape_block(s["summary"]) if s["summary"].strip() else "*no summary*", ""]
    if d["sessions"]:
        out += ["## Sessions in full", ""]
        for r in d["sessions"]:
            out += [session_markdown(r, level=3).rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"


def _seals_markdown(d: dict[str, Any]) -> list[str]:
    rows = d.get("seals") or []
    if not rows:
        return []
    esc = escape_inline
    out = ["## Seals and blind scoring", "",
           "| Interviewer | Plan | Sealed | Seal | Scored blind |",
           "| --- | --- | --- | --- | --- |"]
    for row in rows:
        if row["sealed"]:
            name = ALGORITHM_NAMES.get(str(row["algorithm"]), esc(row["algorithm"]))
            how = name + (f" (key {code(row['key_id'])})" if row["key_id"] else
                          " (no team key: accidental edits only)")
            if row["amended"]:
                how += f", amended {len(row['amendments'])}× after sealing"
            when = esc(row["sealed_at"])
        else:
            how, when = "-", f"not sealed ({row['status']})"
        blind = "unknown" if not row["sealed"] else esc(
            blind_words(row["blind"], row["seen_others"], row["seen_others_at"]))
        out.append(f"| {esc(row['interviewer'])} | {esc(row['plan_title'])} | {when} | {how} | "
                   f"{blind} |")
    return [*out, ""]


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return (f"{value:+.2f}" if signed else f"{value:.2f}").replace("-", "−")


def _calibration_markdown(d: dict[str, Any]) -> list[str]:
    cal = d.get("calibration")
    if not cal or not cal["interviewers"]:
        return []
    esc = escape_inline
    scope = ("over each interviewer's whole history in this database"
             if cal["based_on"] == "history" else "over this panel only")
    out = ["## Calibration", "",
           f"Each interviewer against the other interviewers on the same candidates, {scope}. "
           f"A difference of {cal['lean_threshold']:g} point or more is a lean.", "",
           "| Interviewer | Scorecards | Scores vs panel | Lean | Recommendation = panel |",
           "| --- | --- | --- | --- | --- |"]
    for person_row in cal["interviewers"]:
        rec = person_row["recommendations"]
        agreement = (f"{rec['matched']}/{rec['compared']} ({rec['rate']:.0%})"
                     if rec["compared"] else "-")
        out.append(f"| {esc(person_row['interviewer'])} | {person_row['scorecards']} | "
                   f"{_number(person_row['difference'], signed=True)} | "
                   f"{person_row['lean'] or '-'} | {agreement} |")
    out.append("")
    matrix = criterion_matrix(cal)
    if matrix:
        heads = [esc(p["interviewer"]) for p in cal["interviewers"]]
        out += ["Average per criterion, own / panel (difference):", "",
                "| Criterion | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]
        for title, row in matrix:
            cells = []
            for c in row:
                if c is None:
                    cells.append("-")
                elif c["panel_average"] is None:
                    cells.append(f"{_number(c['average'])} / -")
                else:
                    cells.append(f"{_number(c['average'])} / {_number(c['panel_average'])} "
                                 f"({_number(c['difference'], signed=True)})")
            out.append(f"| {esc(title)} | " + " | ".join(cells) + " |")
        out.append("")
    return out
