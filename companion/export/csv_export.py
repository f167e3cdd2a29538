"""One session as CSV: one row per event, with the session and section it belongs to and a
few flattened fields, for a spreadsheet. The columns are documented in docs/exports.md.

Text cells follow the OWASP CSV-injection guidance: a cell a spreadsheet could take for a
formula (its first visible character `=`, `+`, `-` or `@`, fullwidth or small forms and the
minus sign included, also behind leading spaces, line breaks, NUL, other control characters
and zero-width characters) or starting with a tab, a carriage return or a single quote gets
one more single quote in front, so a note like `=HYPERLINK(...)` stays text and `=1+1` and
`'=1+1` stay two different cells. Control characters then show as symbols
(textsafe.printable); `data_json` keeps the exact text in JSON escapes."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from companion.events import adhoc_id
from companion.textsafe import json_safe, printable

COLUMNS = (
    "session_id", "candidate", "candidate_id", "plan_id", "seq", "type", "at",
    "session_seconds", "section_index", "section_title", "text", "signal", "polarity",
    "criterion", "score", "evidence", "value", "flagged", "back_seconds", "note_ref",
    "data_json",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_TRIGGERS = frozenset("=+-@\u2212")  # U+2212 MINUS SIGN


def _hidden(ch: str) -> bool:
    """A character a spreadsheet may skip before a formula: whitespace, a control or a format
    character (zero-width space and joiners, BOM, bidi marks)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (or it starts with a ')."""
    if text.startswith(_FORMULA_START):
        return True
    first = next((ch for ch in text if not _hidden(ch)), "")
    return bool(first) and (first in _TRIGGERS
                            or unicodedata.normalize("NFKC", first)[:1] in _TRIGGERS)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as typed: text that could start a formula gets a ', and
    control characters show as symbols."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return printable("'" + value if formula_like(value) else value)
    return value


def _lookups(r: dict[str, Any]) -> tuple[dict[int, int], dict[tuple[int, str], tuple[str, str]],
                                          dict[tuple[int, str], str]]:
    """note id -> section (0-based), (section, signal id) -> (polarity, text),
    (section, prompt id) -> text, from the report and its events."""
    note_section: dict[int, int] = {}
    for s in r["sections"]:
        for n in s["notes"]:
            note_section[n["id"]] = s["index"] - 1
    signals: dict[tuple[int, str], tuple[str, str]] = {}
    prompts: dict[tuple[int, str], str] = {}
    for s in r["sections"]:
        for q in s["questions"]:
            prompts[(s["index"] - 1, q["id"])] = q["text"]
    for e in r["events"] or []:
        data = e["data"]
        if e["type"] == "session_started":
            for index, sec in enumerate(data.get("plan", {}).get("sections", [])):
                sigset = sec.get("signals") or {}
                for polarity in ("good", "bad"):
                    for sig in sigset.get(polarity, []):
                        signals[(index, sig["id"])] = (polarity, sig["text"])
                for p in sec.get("prompts", []):
                    prompts.setdefault((index, p["id"]), p["text"])
        elif e["type"] == "signal_added":
            signals[(data["section"], adhoc_id(e['seq']))] = (
                "bad" if data.get("polarity") == "bad" else "good", data["text"])
        elif e["type"] == "questions_drawn":
            for p in data.get("prompts", []):
                prompts.setdefault((data["section"], p["id"]), p["text"])
    return note_section, signals, prompts


def _row(r: dict[str, Any], e: dict[str, Any], note_section: dict[int, int],
         signals: dict[tuple[int, str], tuple[str, str]],
         prompts: dict[tuple[int, str], str]) -> dict[str, Any]:
    data = e["data"]
    kind = e["type"]
    note_ref = None
    if kind == "note_added":
        note_ref = e["seq"]
    elif kind in ("note_edited", "note_retracted", "note_flagged"):
        note_ref = data.get("note")
    section = data.get("section")
    if not isinstance(section, int) and note_ref is not None:
        section = note_section.get(int(note_ref))
    titles = [s["title"] for s in r["sections"]]
    row: dict[str, Any] = {
        "session_id": r["session_id"],
        "candidate": r["candidate"]["name"],
        "candidate_id": r["candidate"]["id"] or "",
        "plan_id": r["plan"]["id"],
        "seq": e["seq"],
        "type": kind,
        "at": e["at"],
        "session_seconds": e["t"],
        "section_index": section + 1 if isinstance(section, int) else "",
        "section_title": titles[section] if isinstance(section, int)
        and 0 <= section < len(titles) else "",
        "note_ref": note_ref if note_ref is not None else "",
    }
    if kind in ("note_added", "note_edited", "prompt_added", "signal_added", "summary_set",
                "postmortem_set"):
        row["text"] = data.get("text", "")
    if kind in ("note_added", "note_flagged"):
        row["flagged"] = bool(data.get("flagged", kind == "note_flagged"))
    if kind == "note_added":
        row["back_seconds"] = data.get("back", 0.0)
    if kind == "prompt_asked" and isinstance(section, int):
        row["text"] = prompts.get((section, data.get("prompt", "")), "")
        row["value"] = "asked" if data.get("asked", True) else "unasked"
    if kind == "signal_toggled" and isinstance(section, int):
        polarity, text = signals.get((section, data.get("signal", "")), ("", ""))
        row.update(signal=data.get("signal", ""), polarity=polarity, text=text,
                   value="on" if data.get("on", True) else "off")
    if kind == "signal_added":
        row.update(signal=adhoc_id(e['seq']),
                   polarity="bad" if data.get("polarity") == "bad" else "good")
    if kind == "score_set":
        row.update(criterion=data.get("criterion", ""),
                   score="" if data.get("score") is None else data["score"],
                   evidence=data.get("evidence", ""))
    if kind == "recommendation_set":
        row["value"] = data.get("value") or "skipped"
    if kind in ("session_reopened",):
        row["value"] = data.get("away", "")
    if kind == "gap_added":
        row["value"] = data.get("seconds", "")
    if kind == "session_started":
        # The plan snapshot is in the JSON export; here only which plan it was.
        plan = data.get("plan", {})
        data = {**data, "plan": {"id": plan.get("id"), "title": plan.get("title")}}
        row["text"] = plan.get("title", "")
    row["data_json"] = json_safe(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                            allow_nan=False))
    return row


def session_csv(r: dict[str, Any]) -> str:
    """The event log of `report(state, events)` as CSV text (header row first, CRLF lines)."""
    if r.get("events") is None:
        raise ValueError("the CSV export needs the report made with its events")
    lookups = _lookups(r)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    seal = r.get("seal")
    amended = {a["seq"]: a["words"] for a in r.get("amendments") or ()}
    for e in r["events"]:
        row = _row(r, e, *lookups)
        if e["seq"] in amended:
            # What the event says (a recommendation), then when it was amended.
            row["value"] = "; ".join(str(v) for v in (row.get("value"), amended[e["seq"]])
                                     if v not in (None, ""))
        elif seal and e["seq"] > seal["covers"]:
            row["value"] = "amended after seal"
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    if seal:
        writer.writerow({k: safe_cell(v) for k, v in _seal_row(r, seal).items()})
    return out.getvalue()


def _seal_row(r: dict[str, Any], seal: dict[str, Any]) -> dict[str, Any]:
    """A last row of type `seal` (no seq): when and how the session was sealed, the digest
    in `value`, what the seal protects in `text` and the whole seal object in `data_json`."""
    return {
        "session_id": r["session_id"],
        "candidate": r["candidate"]["name"],
        "candidate_id": r["candidate"]["id"] or "",
        "plan_id": r["plan"]["id"],
        "type": "seal",
        "at": seal["sealed_at"],
        "text": seal["protection"] + (" Amended after sealing." if seal["amended"] else ""),
        "value": f"{seal['algorithm']}:{seal['digest']}",
        "data_json": json_safe(json.dumps(seal, ensure_ascii=False, sort_keys=True,
                                          allow_nan=False)),
    }
