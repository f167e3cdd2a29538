"""One session, or a candidate's debrief, as one self-contained HTML file.

Inline CSS, no scripts, nothing fetched (a Content-Security-Policy says so to the browser),
printable on A4. Every user string goes through `html.escape`; numbers and fixed words are the
only things written unescaped."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from companion.clock import duration, mmss
from companion.export.amendments import latest_words
from companion.export.clockview import clock_words, ended_before_started
from companion.export.matrix import criterion_matrix
from companion.export.report import scorecard_words
from companion.textsafe import printable

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm; }
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --line: #d5d9de;
  --soft: #f4f6f8; --good: #1f7a3a; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: var(--ink); max-width: 182mm; margin: 0 auto; padding: 10mm 6mm; }
h1 { font-size: 18pt; margin: 0 0 1mm; line-height: 1.2; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm;
  border-bottom: 1.5px solid var(--ink); }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
h4 { font-size: 10.5pt; margin: 3mm 0 1mm; color: var(--muted); }
h5, h6 { font-size: 10pt; margin: 2.5mm 0 1mm; color: var(--muted); }
p { margin: 1mm 0 2mm; }
.sub { color: var(--muted); margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 1px solid var(--line); padding: 1.2mm 2mm; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
  gap: 0.8mm 4mm; margin: 0 0 3mm; padding: 2.5mm 3mm; background: var(--soft);
  border-radius: 2mm; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.score { text-align: center; font-weight: 700; width: 14mm; }
.s0 { background: #fbe4e2; } .s1 { background: #fdf3d3; } .s2 { background: #e1f3e6; }
.none { color: var(--muted); }
.verdict { padding: 2.5mm 3mm; border-radius: 2mm; border: 1px solid var(--line);
  margin: 2mm 0 3mm; }
.verdict.pass { border-color: var(--good); } .verdict.fail { border-color: var(--bad); }
.tag { display: inline-block; font-size: 8.5pt; padding: 0 1.5mm; border-radius: 1mm;
  border: 1px solid currentColor; margin-left: 1.5mm; white-space: nowrap; }
.tag.flag { color: var(--warn); } .tag.gone { color: var(--bad); }
.tag.edit, .tag.back { color: var(--muted); }
ul.timeline, ul.plain { list-style: none; padding: 0; margin: 1mm 0 3mm; }
ul.timeline li, ul.plain li { padding: 1mm 0 1mm 0; border-bottom: 1px dotted var(--line);
  display: grid; grid-template-columns: 30mm 1fr; gap: 3mm; }
.stamp { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 9pt; }
li.retracted .text { text-decoration: line-through; color: var(--muted); }
.was { color: var(--muted); font-size: 9pt; margin-top: 0.5mm; }
.good { color: var(--good); } .bad { color: var(--bad); }
.bar { display: inline-block; width: 22mm; height: 2mm; background: var(--soft);
  border: 1px solid var(--line); vertical-align: middle; margin-left: 2mm; }
.bar span { display: block; height: 100%; background: #7d8894; }
.bar.over span { background: var(--bad); }
.over { color: var(--bad); }
table.matrix { table-layout: fixed; }
table.matrix th:first-child { width: 34%; }
table.matrix td.score { width: auto; }
td.conflict { outline: 2px solid var(--bad); outline-offset: -2px; }
.warning { color: var(--bad); font-weight: 600; }
footer { margin-top: 8mm; color: var(--muted); font-size: 8.5pt; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, li, .verdict, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  article.session + article.session, .full article.session {
    break-before: page; page-break-before: always; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(value: Any) -> str:
    """Escaped for HTML, control characters shown as symbols (textsafe.printable)."""
    return html.escape(printable("" if value is None else str(value)), quote=True)


def _when(stamp: str | None) -> str:
    """An ISO stamp as `<time>`: readable date and time, the exact value in `datetime`."""
    if not stamp:
        return "-"
    try:
        shown = datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        shown = stamp
    return f'<time datetime="{esc(stamp)}">{esc(shown)}</time>'


def _time_of_day(stamp: str) -> str:
    """The wall-clock time of an ISO stamp, `14:05 UTC`, the exact value in `datetime`."""
    try:
        shown = datetime.fromisoformat(stamp).strftime("%H:%M UTC")
    except ValueError:
        shown = stamp
    return f'<time datetime="{esc(stamp)}">{esc(shown)}</time>'



def _text(value: str) -> str:
    return f'<span class="text">{esc(value)}</span>'


def page(title: str, body: str, lang: str = "en") -> str:
    """A whole document around `body` (already HTML)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _facts(r: dict[str, Any]) -> str:
    cand = r["candidate"]
    used, planned = r["used_seconds"], r["plan"]["planned_seconds"]
    if r["ended_at"]:
        ended = ("abandoned " if r["status"] == "abandoned" else "") + _when(r["ended_at"])
    else:
        ended = f"not ended ({esc(r['status'])})"
    pairs = [
        ("Candidate", esc(cand["name"])),
        ("Candidate id", esc(cand["id"] or "-")),
        ("Role", esc(r["role"] or "-")),
        ("Level", esc(r["level"] or "-")),
        *([("Company archetype", esc(r["archetype"]))] if r.get("archetype") else []),
        ("Interviewer", esc(r["interviewer"] or "-")),
        ("Mode", esc(r["mode"])),
        ("Plan", f"{esc(r['plan']['title'])} <span class=\"muted\">"
                 f"({esc(r['plan']['id'])})</span>"),
        ("Session", esc(r["session_id"])),
        ("Date", _when(r["started_at"])),
        ("Ended", ended),
        ("Time", f"{duration(used)} used of {duration(planned)} planned"
                 if planned else f"{duration(used)} used (untimed plan)"),
        ("Status", esc(r["status"])),
    ]
    jump = clock_words(r)
    if jump:
        if ended_before_started(r):
            pairs[9] = ("Ended", f"{ended} (reads before Started: clock set back)")
        pairs.append(("Clock", esc(jump[:1].upper() + jump[1:] + ".")))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>'


def _rubric(r: dict[str, Any], h: str) -> str:
    rb = r["rubric"]
    if rb is None:
        return ""
    rows = []
    for s in rb["scores"]:
        if s["score"] is None:
            score = '<td class="score none">-</td>'
            anchor = '<td class="none">not scored</td>'
            evidence = "<td></td>"
        else:
            amended = latest_words(r, s["criterion"])
            tag = f'<br><span class="tag gone">{esc(amended)}</span>' if amended else ""
            score = f'<td class="score s{int(s["score"])}">{int(s["score"])}{tag}</td>'
            anchor = f"<td>{_text(s['anchor'] or '')}</td>"
            evidence = (f"<td>{_text(s['evidence'])}</td>" if s["evidence"].strip()
                        else '<td class="none">no evidence</td>')
        rows.append(f"<tr><th scope=\"row\">{esc(s['title'])}</th>{score}{anchor}{evidence}"
                    "</tr>")
    passed = rb["meets_threshold"]
    verdict = ("meets the pass mark" if passed else "below the pass mark" if passed is False
               else "not scored")
    cls = "pass" if passed else "fail" if passed is False else ""
    advice = f'<p class="text">{esc(rb["advice"])}</p>' if rb.get("advice") else ""
    return (
        f"<{h}>Rubric: {esc(rb['title'])}</{h}>\n"
        "<table><thead><tr><th>Criterion</th><th class=\"score\">Score</th><th>Anchor</th>"
        "<th>Evidence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n"
        f'<div class="verdict {cls}"><strong>Total {int(rb["total"])}/{int(rb["max"])}</strong>'
        f" · pass mark {int(rb['threshold'])} · {verdict} "
        f"<span class=\"muted\">({int(rb['scored'])} of {len(rb['scores'])} criteria scored)"
        f"</span>{advice}</div>"
    )


def _closing(r: dict[str, Any], h: str) -> str:
    out = []
    if r["mode"] == "interview":
        rec = (esc(r["recommendation"]) if r["recommendation"] else
               "skipped" if r["recommendation_skipped"] else "not given")
        amended = latest_words(r, "recommendation")
        tag = f' <span class="tag gone">{esc(amended)}</span>' if amended else ""
        out.append(f"<{h}>Recommendation</{h}>\n<p><strong>{rec}</strong>{tag}</p>")
        card = scorecard_words(r)
        if card:
            out.append(f'<p class="muted">Scorecard: {esc(card)}</p>')
    elif r.get("recommendation"):
        out.append(f"<{h}>Recommendation</{h}>\n"
                   f"<p><strong>{esc(r['recommendation'])}</strong></p>")
    out.append(f"<{h}>Summary{_amended_tag(r, 'summary_set')}</{h}>\n" + (
        f'<p class="text">{esc(r["summary"])}</p>' if r["summary"].strip()
        else '<p class="none">no summary written</p>'))
    if r["mode"] == "practice":
        pm = r.get("postmortem") or ""
        out.append(f"<{h}>Post-mortem{_amended_tag(r, 'postmortem_set')}</{h}>\n" + (
            f'<p class="text">{esc(pm)}</p>' if pm.strip()
            else '<p class="none">not written yet</p>'))
    return "\n".join(out)


def _time_table(r: dict[str, Any], h: str) -> str:
    rows = []
    for s in r["sections"]:
        planned, used = s["planned_seconds"], s["used_seconds"]
        if planned:
            diff = used - planned
            diff_text = ("+" if diff > 0 else "-" if diff < 0 else "") + mmss(abs(diff))
            # Clamped before dividing: a tiny planned time (a mutated import) would overflow.
            width = 100 if used >= planned else round(100 * used / planned)
            bar = (f'<span class="bar{" over" if diff > 0 else ""}">'
                   f'<span style="width:{width}%"></span></span>')
            diff_cell = f'<td class="num{" over" if diff > 0 else ""}">{diff_text}</td>'
        else:
            bar, diff_cell = "", '<td class="num none">-</td>'
        rows.append(
            f"<tr><td class=\"num\">{int(s['index'])}</td><td>{esc(s['title'])}</td>"
            f"<td class=\"num\">{duration(planned)}</td><td class=\"num\">{duration(used)}{bar}"
            f"</td>{diff_cell}<td>{esc(s['state'])}</td></tr>"
        )
    used, planned = r["used_seconds"], r["plan"]["planned_seconds"]
    return (
        f"<{h}>Time per section</{h}>\n<table><thead><tr><th class=\"num\">#</th>"
        "<th>Section</th><th class=\"num\">Planned</th><th class=\"num\">Used</th>"
        "<th class=\"num\">Over / under</th><th>State</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody><tfoot><tr><th></th><th>Total</th><th class=\"num\">{duration(planned)}</th>"
        f"<th class=\"num\">{duration(used)}</th><th></th><th></th></tr></tfoot></table>"
    )


def _note(n: dict[str, Any]) -> str:
    tags = []
    if n["flagged"]:
        tags.append('<span class="tag flag">⚑ flagged</span>')
    if n["backdated_seconds"]:
        tags.append(f'<span class="tag back">back-dated {n["backdated_seconds"]:g} s</span>')
    if n["edited_from"]:
        tags.append(f'<span class="tag edit">edited {len(n["edited_from"])}×</span>')
    if n["retracted"]:
        tags.append('<span class="tag gone">retracted</span>')
    was = "".join(f'<div class="was">was: {_text(t)}</div>' for t in n["edited_from"])
    stamp = (f'<span class="stamp">{duration(n["session_seconds"])} '
             f'<span title="into the section">(§ {duration(n["section_seconds"])})</span><br>'
             f'{_time_of_day(n["at"])}</span>')
    cls = ' class="retracted"' if n["retracted"] else ""
    return f"<li{cls}>{stamp}<div>{_text(n['text'])}{''.join(tags)}{was}</div></li>"


def _sections(r: dict[str, Any], h: str, h_sub: str) -> str:
    out = []
    for s in r["sections"]:
        asked = sorted((q for q in s["questions"] if q["asked"]),
                       key=lambda q: q["asked_at_seconds"] or 0)
        not_asked = [q for q in s["questions"] if not q["asked"]]
        parts = [f"<{h}>{int(s['index'])}. {esc(s['title'])} "
                 f"<span class=\"muted\">{duration(s['used_seconds'])} of "
                 f"{duration(s['planned_seconds'])}</span></{h}>"]
        if asked or not_asked:
            items = "".join(
                f"<li><span class=\"stamp\">asked {duration(q['asked_at_seconds'])}</span>"
                f"<div>{_text(q['text'])}"
                + ('<span class="tag edit">ad hoc</span>' if q["ad_hoc"] else "")
                + "</div></li>" for q in asked)
            items += "".join(
                f"<li class=\"muted\"><span class=\"stamp\">not asked</span>"
                f"<div>{_text(q['text'])}</div></li>" for q in not_asked)
            parts.append(f"<{h_sub}>Questions</{h_sub}><ul class=\"plain\">{items}</ul>")
        if s["signals"]:
            items = "".join(
                f"<li><span class=\"stamp\">{duration(sig['at_seconds'])}</span><div>"
                + ("<span class=\"good\">✓ good</span> " if sig["polarity"] == "good"
                   else "<span class=\"bad\">✗ bad</span> ")
                + f"{_text(sig['text'])}</div></li>" for sig in s["signals"])
            parts.append(f"<{h_sub}>Signals ticked</{h_sub}><ul class=\"plain\">{items}</ul>")
        if s["notes"]:
            items = "".join(_note(n) for n in s["notes"])
            parts.append(f"<{h_sub}>Notes</{h_sub}><ul class=\"timeline\">{items}</ul>")
        if len(parts) == 1:
            parts.append('<p class="none">nothing recorded</p>')
        out.append("\n".join(parts))
    return "\n".join(out)


def session_article(r: dict[str, Any], level: int = 1) -> str:
    """One session as an `<article>`: the body of a single export, or one part of a debrief."""
    h1, h2, h3, h4 = (f"h{min(6, level + n)}" for n in range(4))
    cand = r["candidate"]
    who = esc(cand["name"]) + (f" <span class=\"muted\">({esc(cand['id'])})</span>"
                               if cand.get("id") else "")
    return "\n".join([
        f'<article class="session" id="session-{esc(r["session_id"])}">',
        f"<{h1}>{esc(r['plan']['title'])}: {who}</{h1}>",
        _facts(r),
        _rubric(r, h2),
        _closing(r, h2),
        *([_amendments(r, h2)] if r.get("amendments") else []),
        seal_html(r, h2),
        _time_table(r, h2),
        f"<{h2}>Sections</{h2}>",
        _sections(r, h3, h4),
        "</article>",
    ])


def _amended_tag(r: dict[str, Any], kind: str) -> str:
    words = latest_words(r, "summary" if kind == "summary_set" else "postmortem")
    if words:
        return f' <span class="tag gone">{esc(words)}</span>'
    seal = r.get("seal")
    if seal and any(a["type"] == kind for a in seal["amendments"]):
        return ' <span class="tag gone">amended after sealing</span>'
    return ""


def _amendments(r: dict[str, Any], h: str) -> str:
    """Every change made after the end, oldest first ("" when none)."""
    rows = r.get("amendments") or []
    if not rows:
        return ""
    titles = {s["criterion"]: s["title"] for s in (r.get("rubric") or {}).get("scores", [])}
    items = "".join(
        f"<li>{esc(a['what'])}"
        + (f" ({esc(titles.get(a['field'], a['field']))})" if a["type"] == "score_set" else "")
        + f": {esc(a['words'])} <span class=\"muted\">(event {int(a['seq'])})</span></li>"
        for a in rows)
    return f"<{h}>Amendments</{h}>\n<ul>{items}</ul>"


def seal_html(r: dict[str, Any], h: str = "h2") -> str:
    """The seal of one scorecard: how it is sealed, what that protects, amendments, blind."""
    from companion.export.markdown import ALGORITHM_NAMES, blind_words

    seal = r.get("seal")
    if seal is None:
        if r.get("events") is None:
            return ""
        why = ("it has ended but is not sealed yet (exporting it from its database seals it)"
               if r["status"] in ("ended", "abandoned") else
               f"sessions are sealed when they end, and this one is {esc(r['status'])}")
        return f'<{h}>Seal</{h}>\n<p class="warning">Not sealed: {why}.</p>'
    name = ALGORITHM_NAMES.get(str(seal["algorithm"]), str(seal["algorithm"]))
    key = (f"team key {esc(seal['key_id'])}" if seal.get("key_id") else "no team key")
    pairs = [
        ("Sealed", f"{_when(seal['sealed_at'])} with {esc(name)} ({key}), over events "
                   f"1–{int(seal['covers'])}"),
        ("Digest", f'<code class="text">{esc(seal["digest"])}</code>'),
        ("Protects", f"{esc(seal['protection'])} Check it with <code>companion verify</code>."),
    ]
    if r["mode"] != "practice":
        pairs.append(("Scored blind", esc(blind_words(seal["blind"], seal["seen_others"],
                                                      seal["seen_others_at"]))))
    if seal["amended"]:
        changes = "; ".join(f"{esc(a['what'])} at {_when(a['at'])} (event {int(a['seq'])})"
                            for a in seal["amendments"]) or "events after the seal"
        pairs.append(("Amended", '<span class="warning">after sealing, not covered by the '
                                 f"seal:</span> {changes}"))
    else:
        pairs.append(("Amended", "no"))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in pairs)
    return (f'<{h}>Seal</{h}>\n<dl class="facts" style="grid-template-columns: max-content 1fr">'
            f"{items}</dl>")


def session_html(r: dict[str, Any]) -> str:
    """A whole HTML document for one session, from `report()`."""
    title = f"{r['plan']['title']}: {r['candidate']['name']}"
    footer = (f"<footer>Exported by {esc(r['generator'])} · session {esc(r['session_id'])}"
              f"</footer>")
    return page(title, session_article(r) + "\n" + footer)


# --- the debrief ---------------------------------------------------------------------------


def _matrix(rb: dict[str, Any], conflicts: set[str]) -> str:
    heads = "".join(
        f"<th>{esc(c['interviewer'])}<br><span class=\"muted\">{esc(c['plan_title'])}</span>"
        "</th>" for c in rb["columns"])
    rows = []
    for row in rb["rows"]:
        cells = []
        conflict = row["criterion"] in conflicts
        for c in row["cells"]:
            cls = ["score"]
            if c["score"] is None:
                body = "-"
                cls.append("none")
            else:
                cls.append(f"s{int(c['score'])}")
                body = str(int(c["score"]))
                if not c["evidence"].strip():
                    body += '<br><span class="muted" style="font-weight:400">no evidence</span>'
            if conflict and c["score"] is not None:
                cls.append("conflict")
            cells.append(f'<td class="{" ".join(cls)}">{body}</td>')
        mark = ' <span class="warning">conflict</span>' if conflict else ""
        rows.append(f"<tr><th scope=\"row\">{esc(row['title'])}{mark}</th>{''.join(cells)}</tr>")
    totals = "".join(
        f"<td class=\"score\">{int(t['total'])}/{int(t['max'])}</td>" if t["scored"]
        else '<td class="score none">-</td>' for t in rb["totals"])
    return (f"<table class=\"matrix\"><thead><tr><th>Criterion</th>{heads}</tr></thead><tbody>"
            + "".join(rows) + f"</tbody><tfoot><tr><th>Total</th>{totals}</tr></tfoot></table>")


def debrief_html(d: dict[str, Any]) -> str:
    """A whole HTML document for a candidate's debrief, from `debrief()`."""
    cand = d["candidate"]
    name = cand["name"] or "unnamed candidate"
    who = esc(name) + (f" <span class=\"muted\">({esc(cand['id'])})</span>"
                       if cand.get("id") else "")
    out = [f"<h1>Debrief: {who}</h1>"]
    sub = f"{len(d['sessions'])} scorecard(s), {len(d['missing'])} missing"
    if d["practice_left_out"]:
        sub += f", {d['practice_left_out']} practice session(s) left out"
    if d.get("waiting"):
        sub += f", {d['waiting']} waiting until yours is sealed (not shown)"
    out.append(f'<p class="sub">{sub}</p>')
    if len(d["candidate_ids"]) > 1:
        ids = ", ".join(esc(i) for i in d["candidate_ids"])
        out.append(f'<p class="warning">These sessions carry different candidate ids ({ids}): '
                   "they may be different people with the same name.</p>")
    if d["missing"]:
        missing = "".join(
            f"<tr><td>{esc(m['session_id'])}</td><td>{esc(m['plan_title'])}</td>"
            f"<td>{esc(m['interviewer'])}</td><td>{_when(m['started_at'])}</td>"
            f"<td>{esc(m['status'])}</td></tr>" for m in d["missing"])
        out.append("<h2>Missing scorecards</h2><table><thead><tr><th>Session</th><th>Plan</th>"
                   "<th>Interviewer</th><th>Started</th><th>State</th></tr></thead><tbody>"
                   f"{missing}</tbody></table>")
    if d["recommendations"]:
        totals = {t["session_id"]: t for rb in d["rubrics"] for t in rb["totals"]}
        rows = []
        for rec in d["recommendations"]:
            t = totals.get(rec["session_id"])
            score = f"{int(t['total'])}/{int(t['max'])}" if t and t["scored"] else "-"
            rows.append(f"<tr><td>{esc(rec['interviewer'])}</td><td>{esc(rec['plan_title'])}"
                        f"</td><td><strong>{esc(rec['recommendation'])}</strong></td>"
                        f"<td class=\"num\">{score}</td></tr>")
        out.append("<h2>Recommendations</h2><table><thead><tr><th>Interviewer</th>"
                   "<th>Plan</th><th>Recommendation</th><th class=\"num\">Score</th></tr>"
                   f"</thead><tbody>{''.join(rows)}</tbody></table>")
    out.append(_seals_html(d))
    for rb in d["rubrics"]:
        conflicts = [c for c in d["conflicts"] if c["rubric"] == rb["id"]]
        gaps = [g for g in d["gaps"] if g["rubric"] == rb["id"]]
        out.append(f"<h2>Rubric: {esc(rb['title'])} <span class=\"muted\">(pass mark "
                   f"{int(rb['threshold'])}/{int(rb['max'])})</span></h2>")
        out.append(_matrix(rb, {c["criterion"] for c in conflicts}))
        if conflicts:
            items = []
            for c in conflicts:
                given = "".join(
                    f"<div>{esc(s['interviewer'])} gave <strong>{int(s['score'])}</strong>"
                    + (f": {_text(s['evidence'])}" if s["evidence"].strip() else
                       ' <span class="muted">(no evidence)</span>') + "</div>"
                    for s in c["scores"])
                items.append(f"<li><span class=\"stamp bad\">{esc(c['title'])}</span>"
                             f"<div>{given}</div></li>")
            out.append("<h3>Conflicts <span class=\"muted\">(scores two apart)</span></h3>"
                       f"<ul class=\"plain\">{''.join(items)}</ul>")
        if gaps:
            items = []
            for g in gaps:
                by = ", ".join(esc(n) for n in g["scored_by"])
                detail = f"scored without evidence by {by}" if by else "not scored"
                items.append(f"<li><span class=\"stamp\">{esc(g['title'])}</span>"
                             f"<div class=\"muted\">{detail}</div></li>")
            out.append("<h3>Gaps <span class=\"muted\">(nobody has evidence)</span></h3>"
                       f"<ul class=\"plain\">{''.join(items)}</ul>")
        if not conflicts and not gaps:
            out.append('<p class="muted">No conflicts and no gaps on this rubric.</p>')
    out.append(_calibration_html(d))
    if d["summaries"]:
        out.append("<h2>Summaries</h2>")
        for s in d["summaries"]:
            body = (f'<p class="text">{esc(s["summary"])}</p>' if s["summary"].strip()
                    else '<p class="none">no summary</p>')
            out.append(f"<h3>{esc(s['interviewer'])} <span class=\"muted\">· "
                       f"{esc(s['plan_title'])}</span></h3>{body}")
    if d["sessions"]:
        out.append('<div class="full">')
        out.extend(session_article(r, level=2) for r in d["sessions"])
        out.append("</div>")
    return page(f"Debrief: {name}", "\n".join(out))


def _seals_html(d: dict[str, Any]) -> str:
    from companion.export.markdown import ALGORITHM_NAMES, blind_words

    rows = []
    for row in d.get("seals") or []:
        if row["sealed"]:
            how = esc(ALGORITHM_NAMES.get(str(row["algorithm"]), str(row["algorithm"])))
            how += (f" (key {esc(row['key_id'])})" if row["key_id"] else
                    ' <span class="muted">(no team key: accidental edits only)</span>')
            if row["amended"]:
                how += (f' <span class="tag gone">amended {len(row["amendments"])}× after '
                        "sealing</span>")
            when = _when(row["sealed_at"])
            blind = {True: '<span class="good">yes</span>', False: '<span class="bad">no</span>',
                     None: '<span class="muted">unknown</span>'}[row["blind"]]
            # The words after the verdict only: the cell says yes or no once.
            words = blind_words(row["blind"], row["seen_others"], row["seen_others_at"])
            blind += f' <span class="muted">({esc(words.split(": ", 1)[-1])})</span>'
        else:
            how, when = "-", f'<span class="warning">not sealed ({esc(row["status"])})</span>'
            blind = '<span class="muted">unknown</span>'
        rows.append(f"<tr><td>{esc(row['interviewer'])}</td><td>{esc(row['plan_title'])}</td>"
                    f"<td>{when}</td><td>{how}</td><td>{blind}</td></tr>")
    if not rows:
        return ""
    return ("<h2>Seals and blind scoring</h2><table><thead><tr><th>Interviewer</th><th>Plan"
            "</th><th>Sealed</th><th>Seal</th><th>Scored blind</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return (f"{value:+.2f}" if signed else f"{value:.2f}").replace("-", "−")


def _calibration_html(d: dict[str, Any]) -> str:
    cal = d.get("calibration")
    if not cal or not cal["interviewers"]:
        return ""
    scope = ("over each interviewer's whole history in this database"
             if cal["based_on"] == "history" else "over this panel only")
    rows = []
    for p in cal["interviewers"]:
        rec = p["recommendations"]
        agreement = (f"{int(rec['matched'])}/{int(rec['compared'])} ({rec['rate']:.0%})"
                     if rec["compared"] else "-")
        rows.append(f"<tr><td>{esc(p['interviewer'])}</td><td class=\"num\">"
                    f"{int(p['scorecards'])}</td><td class=\"num\">"
                    f"{_num(p['difference'], signed=True)}</td><td>{esc(p['lean'] or '-')}"
                    f"</td><td class=\"num\">{agreement}</td></tr>")
    out = [f"<h2>Calibration</h2><p class=\"muted\">Each interviewer against the other "
           f"interviewers on the same candidates, {scope}. A difference of "
           f"{float(cal['lean_threshold']):g} point or more is a lean.</p>",
           "<table><thead><tr><th>Interviewer</th><th class=\"num\">Scorecards</th>"
           "<th class=\"num\">Scores vs panel</th><th>Lean</th><th class=\"num\">"
           "Recommendation = panel</th></tr></thead><tbody>" + "".join(rows)
           + "</tbody></table>"]
    matrix = criterion_matrix(cal)
    if matrix:
        heads = "".join(f"<th>{esc(p['interviewer'])}<br><span class=\"muted\">own / panel"
                        "</span></th>" for p in cal["interviewers"])
        body = []
        for title, row in matrix:
            cells = []
            for c in row:
                if c is None:
                    cells.append('<td class="num none">-</td>')
                else:
                    diff = ("" if c["difference"] is None else
                            f' <span class="muted">({_num(c["difference"], signed=True)})</span>')
                    cells.append(f'<td class="num">{_num(c["average"])} / '
                                 f"{_num(c['panel_average'])}{diff}</td>")
            body.append(f"<tr><th scope=\"row\">{esc(title)}</th>{''.join(cells)}</tr>")
        out.append(f"<table><thead><tr><th>Criterion</th>{heads}</tr></thead><tbody>"
                   + "".join(body) + "</tbody></table>")
    return "\n".join(out)
