"""A scorecard in the shapes applicant-tracking systems take (docs/exports.md says where
each field name comes from, and what the mapping from our scales loses). Files only, no
network: the user pastes the text, or sends the JSON body with their own credentials.

- greenhouse: a plain-text paste for a scorecard form, and the same content as JSON in the
  shape of Harvest's scorecard object (Greenhouse's scorecard API is read-only);
- lever: the body of a feedback submission (`baseTemplateId`, `fieldValues`);
- ashby: the body of `applicationFeedback.submit` (`formDefinitionId`, `feedbackForm`).

Lever's and Ashby's field ids belong to each company's own form: they come from the mapping
file `ats.yaml` in the config folder (`load_mapping`); without one, our criterion ids stand
in and the body says so. Every shape carries the per-question times and ratings in its notes
(the report's question fields, companion.export.plaintext)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.export.amendments import latest_words
from companion.export.plaintext import block, line, question_lines
from companion.model import DEFAULT_RECOMMENDATION_SCALE
from companion.textsafe import json_safe

MAPPING_FILE = "ats.yaml"
SYSTEMS = ("greenhouse", "lever", "ashby")

# Greenhouse Harvest's words (scorecard `overall_recommendation`, attribute `rating`), and
# how its scorecard form shows them.
GH_RECOMMENDATIONS = ("definitely_not", "no", "yes", "strong_yes")
GH_WORDS = {"definitely_not": "Definitely Not", "no": "No", "mixed": "Mixed", "yes": "Yes",
            "strong_yes": "Strong Yes", "no_decision": "No Decision"}
LEVER_SCORES = {4: "4 - Strong Hire", 3: "3 - Hire", 2: "2 - No Hire", 1: "1 - Strong No Hire"}


class MappingError(ValueError):
    """A mapping file that cannot be used: `file:line: what is wrong and what to do`."""


@dataclass(frozen=True, slots=True)
class FormMapping:
    """One system's form: its template (Lever) or form definition (Ashby) id, the ids of the
    score, summary and evidence fields, and a field id per criterion."""

    template: str | None = None
    score: str | None = None
    summary: str | None = None
    evidence: str | None = None
    criteria: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mapping:
    path: Path | None = None  # None: no mapping file
    forms: dict[str, FormMapping] = field(default_factory=dict)

    def form(self, system: str) -> FormMapping | None:
        return self.forms.get(system)


_FORM_KEYS = ("template", "score", "summary", "evidence", "criteria")


def load_mapping(config_dir: Path) -> Mapping:
    """The mapping file of the config folder, checked: Mapping() when there is none. Raises
    MappingError naming the file and line."""
    from companion.content.safefile import RefusedFile, read_regular, why_not
    from companion.content.yamlsafe import LMap, parse_bytes

    path = config_dir / MAPPING_FILE
    try:
        data = read_regular(path, 1_000_000)
    except FileNotFoundError:
        return Mapping()
    except RefusedFile as err:
        raise MappingError(f"{path}: {err}; give a YAML file (docs/exports.md)") from None
    except OSError as err:
        raise MappingError(f"{path}: cannot read it ({why_not(err)})") from None
    value, problems = parse_bytes(data, str(path))
    if problems:
        raise MappingError(str(problems[0]))

    def where(node: Any, key: str | None = None) -> str:
        lines = getattr(node, "lines", {})
        at = lines.get(key) if key is not None and isinstance(lines, dict) else None
        return f"{path}:{at or getattr(node, 'line', 1)}"

    def text(node: Any, key: str) -> str:
        raw = node[key]
        if isinstance(raw, bool) or not isinstance(raw, str | int) or not str(raw).strip():
            raise MappingError(f"{where(node, key)}: `{key}` must be a field id (text)")
        return str(getattr(node, "raw", {}).get(key, raw)).strip()

    if not isinstance(value, LMap):
        raise MappingError(f"{path}:1: expected a mapping with `lever:` and/or `ashby:` "
                           "(docs/exports.md has an example)")
    forms: dict[str, FormMapping] = {}
    for system, node in value.items():
        if system not in ("lever", "ashby"):
            raise MappingError(f"{where(value, system)}: unknown system `{line(system)}`; "
                               "the mapping file has `lever:` and `ashby:` (Greenhouse needs "
                               "none)")
        if not isinstance(node, LMap):
            raise MappingError(f"{where(value, system)}: `{system}` must be a mapping of "
                               f"{', '.join(_FORM_KEYS)}")
        for key in node:
            if key not in _FORM_KEYS:
                raise MappingError(f"{where(node, key)}: unknown key `{line(key)}` under "
                                   f"`{system}`; use {', '.join(_FORM_KEYS)}")
        criteria: dict[str, str] = {}
        if "criteria" in node:
            crit = node["criteria"]
            if not isinstance(crit, LMap):
                raise MappingError(f"{where(node, 'criteria')}: `criteria` must map each "
                                   "criterion id to a field id")
            criteria = {str(k): text(crit, k) for k in crit}
        forms[system] = FormMapping(
            **{k: text(node, k) for k in ("template", "score", "summary", "evidence")
               if k in node}, criteria=criteria)
    return Mapping(path, forms)


# --- our scales to theirs -------------------------------------------------------------------


def recommendation_scale(r: dict[str, Any]) -> list[str]:
    """The plan's recommendation scale, weakest first (from the start event's plan
    snapshot; the default scale for a report made without its events)."""
    events = r.get("events") or []
    plan = events[0]["data"].get("plan", {}) if events else {}
    scale = plan.get("recommendation_scale") if isinstance(plan, dict) else None
    if isinstance(scale, list) and scale and all(isinstance(v, str) for v in scale):
        return scale
    return list(DEFAULT_RECOMMENDATION_SCALE)


def four_point(r: dict[str, Any]) -> int | None:
    """The recommendation on a 4-point scale (1 strongest no ... 4 strongest yes), by its
    place on the plan's scale; None when skipped or not given."""
    scale = recommendation_scale(r)
    value = r.get("recommendation")
    if value is None or value not in scale:
        return None
    if len(scale) == 1:
        return 3
    return 1 + round(3 * list(scale).index(value) / (len(scale) - 1))


def criterion_rating(score: int | None, overall: int | None) -> str:
    """A 0-2 score as a Greenhouse attribute rating: 0 no, 1 mixed, 2 yes; the ends (2 as
    strong_yes, 0 as definitely_not) only when the recommendation is as strong."""
    if score is None:
        return "no_decision"
    if score == 2:
        return "strong_yes" if overall == 4 else "yes"
    if score == 0:
        return "definitely_not" if overall == 1 else "no"
    return "mixed"


def criterion_four(score: int | None, overall: int | None) -> int | None:
    """A 0-2 score on a 4-point Score field (Ashby), which has no middle: 0 -> 1, 1 -> 2
    (partial leans no), 2 -> 3, or 4 when the recommendation is the strongest yes."""
    if score is None:
        return None
    return {0: 1, 1: 2}.get(score, 4 if overall == 4 else 3)


# --- the notes every shape carries -----------------------------------------------------------


def _scores(r: dict[str, Any]) -> list[dict[str, Any]]:
    return list((r.get("rubric") or {}).get("scores") or [])


def take_aways(r: dict[str, Any]) -> str:
    """The summary (or post-mortem), with when it was amended."""
    key = "postmortem" if r.get("mode") == "practice" else "summary"
    text = "\n".join(block(r.get(key) or "")) or "(no summary written)"
    amended = latest_words(r, key)
    return text + (f"\n[{amended}]" if amended else "")


def private_notes(r: dict[str, Any]) -> str:
    """What the interviewer keeps: each question asked with its time and rating, the flagged
    notes, the amendments, and where the record comes from."""
    out: list[str] = []
    questions = question_lines(r)
    if questions:
        out += ["Questions asked (time taken, rating):", *questions]
    flagged = [n for s in r["sections"] for n in s["notes"]
               if n["flagged"] and not n["retracted"]]
    if flagged:
        from companion.clock import duration

        out += ["Key moments:", *(f"- {duration(n['session_seconds'])} {line(n['text'])}"
                                  for n in flagged)]
    for a in r.get("amendments") or ():
        out.append(f"Amendment: {a['what']} ({line(a['field'])}), {a['words']}")
    out.append(f"From companion session {line(r['session_id'])}, plan "
               f"{line(r['plan']['title'])}.")
    return "\n".join(out)


def evidence_text(r: dict[str, Any]) -> str:
    rows = []
    for s in _scores(r):
        score = "not scored" if s["score"] is None else f"{s['score']}/2"
        rows.append(f"{line(s['title'])} ({score}): "
                    + (line(s["evidence"]) if s["evidence"].strip() else "no evidence given"))
    return "\n".join(rows)


# --- Greenhouse ------------------------------------------------------------------------------


def greenhouse_harvest(r: dict[str, Any]) -> dict[str, Any]:
    """The scorecard in the shape of Greenhouse Harvest's scorecard object."""
    overall = four_point(r)
    card = r.get("scorecard") or {}
    return {
        "interview": line(r["plan"]["title"]),
        "interviewed_at": r["started_at"],
        "submitted_at": card.get("completed_at") or r.get("ended_at"),
        "overall_recommendation": (GH_RECOMMENDATIONS[overall - 1] if overall
                                   else "no_decision"),
        "attributes": [
            {"name": line(s["title"]), "type": line((r.get("rubric") or {}).get("title")),
             "note": line(s["evidence"]) or None,
             "rating": criterion_rating(s["score"], overall)}
            for s in _scores(r)
        ],
        "questions": [
            {"question": "Key Take-Aways", "answer": take_aways(r)},
            {"question": "Private Notes", "answer": private_notes(r)},
        ],
    }


def greenhouse_paste(r: dict[str, Any]) -> str:
    """The same content as plain text, to paste into Greenhouse's scorecard form."""
    card = greenhouse_harvest(r)
    out = [f"{a['name']}: {GH_WORDS[a['rating']]}" for a in card["attributes"]]
    out += [f"Overall recommendation: {GH_WORDS[card['overall_recommendation']]}", "",
            "Key Take-Aways", card["questions"][0]["answer"], "",
            "Private Notes", card["questions"][1]["answer"]]
    return "\n".join(out).rstrip() + "\n"


# --- Lever and Ashby -------------------------------------------------------------------------


def _unmapped_note(system: str, mapping: Mapping) -> str:
    where = mapping.path or f"{MAPPING_FILE} in the config folder (`companion paths`)"
    return (f"No {system} form mapping ({where}): companion's criterion ids and field names "
            f"stand in for your form's field ids. Replace them (or write the mapping file, "
            "docs/exports.md), and remove this key, before sending.")


def lever_feedback(r: dict[str, Any], mapping: Mapping) -> dict[str, Any]:
    """The body of a Lever feedback submission for this scorecard."""
    form = mapping.form("lever") or FormMapping()
    overall = four_point(r)
    values: list[dict[str, Any]] = [
        {"id": form.score or "score", "value": LEVER_SCORES.get(overall or 0)},
        {"id": form.summary or "summary",
         "value": take_aways(r) + "\n\n" + private_notes(r)},
        {"id": form.evidence or "evidence", "value": evidence_text(r)},
    ]
    for s in _scores(r):
        score = "not scored" if s["score"] is None else f"{s['score']}/2"
        values.append({"id": form.criteria.get(s["criterion"], s["criterion"]),
                       "value": f"{score}: " + (line(s["evidence"]) or "no evidence given")})
    body: dict[str, Any] = {"baseTemplateId": form.template or "companion-scorecard",
                            "fieldValues": values}
    unmapped = _unmapped(r, form, needs_template=True)
    if unmapped:
        body["companion_note"] = _unmapped_note("Lever", mapping) + (
            f" Not mapped: {', '.join(unmapped)}.")
    return body


def ashby_feedback(r: dict[str, Any], mapping: Mapping) -> dict[str, Any]:
    """The body of Ashby's `applicationFeedback.submit` for this scorecard."""
    form = mapping.form("ashby") or FormMapping()
    overall = four_point(r)

    def plain(text: str) -> dict[str, str]:
        return {"type": "PlainText", "value": text}

    overall_value: dict[str, Any] = {"comments": plain(take_aways(r))}
    if overall is not None:
        overall_value = {"score": overall, **overall_value}
    submissions: list[dict[str, Any]] = [{"path": form.score or "score",
                                          "value": overall_value}]
    for s in _scores(r):
        value: dict[str, Any] = {"comments": plain(line(s["evidence"]) or "no evidence given")}
        four = criterion_four(s["score"], overall)
        if four is not None:
            value = {"score": four, **value}
        submissions.append({"path": form.criteria.get(s["criterion"], s["criterion"]),
                            "value": value})
    submissions.append({"path": form.summary or "summary", "value": plain(private_notes(r))})
    body: dict[str, Any] = {"formDefinitionId": form.template or "companion-scorecard",
                            "applicationId": None,
                            "feedbackForm": {"fieldSubmissions": submissions}}
    unmapped = _unmapped(r, form, needs_template=True, evidence=False)
    if unmapped:
        body["companion_note"] = _unmapped_note("Ashby", mapping) + (
            f" Not mapped: {', '.join(unmapped)}. Set applicationId to the candidate's "
            "application.")
    return body


def _unmapped(r: dict[str, Any], form: FormMapping, *, needs_template: bool,
              evidence: bool = True) -> list[str]:
    names = [("template", form.template), ("score", form.score), ("summary", form.summary)]
    if evidence:
        names.append(("evidence", form.evidence))
    missing = [name for name, value in names if not value]
    return missing + [s["criterion"] for s in _scores(r) if s["criterion"] not in form.criteria]


def as_json(body: dict[str, Any]) -> str:
    """JSON text of a body: indented, control characters as escapes, never raw."""
    return json_safe(json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


@dataclass(frozen=True, slots=True)
class Part:
    """One output of an ATS export: its file suffix and text."""

    suffix: str
    text: str


def ats_parts(r: dict[str, Any], system: str, mapping: Mapping) -> list[Part]:
    """What `companion export --format SYSTEM` writes: greenhouse the paste (.txt) then the
    Harvest JSON (.json); lever and ashby one JSON body."""
    if system == "greenhouse":
        return [Part(".txt", greenhouse_paste(r)), Part(".json", as_json(greenhouse_harvest(r)))]
    if system == "lever":
        return [Part(".json", as_json(lever_feedback(r, mapping)))]
    if system == "ashby":
        return [Part(".json", as_json(ashby_feedback(r, mapping)))]
    raise ValueError(f"not an ATS format: {system}")


def unmapped_warning(r: dict[str, Any], system: str, mapping: Mapping) -> str | None:
    """What stderr says when field ids are stand-ins (None: all mapped, or greenhouse)."""
    if system not in ("lever", "ashby"):
        return None
    body = lever_feedback(r, mapping) if system == "lever" else ashby_feedback(r, mapping)
    note = body.get("companion_note")
    return str(note) if note else None


def lever_default(r: dict[str, Any]) -> str:
    """The Lever body without a mapping file (the format registry's renderer)."""
    return as_json(lever_feedback(r, Mapping()))


def ashby_default(r: dict[str, Any]) -> str:
    """The Ashby body without a mapping file (the format registry's renderer)."""
    return as_json(ashby_feedback(r, Mapping()))
