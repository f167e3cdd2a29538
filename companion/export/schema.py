"""The JSON schema of a session export (docs/session.schema.json): the report's shape is
written by hand in that file; its events and format versions are generated here from the
event catalogue, so a new event type reaches the schema with no list to edit.

    python -m companion.export.schema            # rewrite docs/session.schema.json
    python -m companion.export.schema --check    # exit 1 if the file is not what it generates
"""

from __future__ import annotations

import json
import sys
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any, get_type_hints

from companion.events import CATALOGUE, FORMAT_VERSION, SessionEvent

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "session.schema.json"


def _type_schema(hint: Any) -> dict[str, Any]:
    text = str(hint)
    nullable = "None" in text
    if hint is bool:
        kinds: list[str] = ["boolean"]
    elif hint in (int, int | None):
        kinds = ["integer"]
    elif hint in (float, float | None):
        kinds = ["number"]
    elif hint in (str, str | None):
        kinds = ["string"]
    elif text.startswith("list"):
        return {"type": "array", "items": {"type": "object"}}
    else:
        kinds = ["object"]
    if nullable:
        kinds.append("null")
    return {"type": kinds[0] if len(kinds) == 1 else kinds}


def _data_schema(cls: type[SessionEvent]) -> dict[str, Any]:
    hints = get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in fields(cls):
        if not f.init:
            continue
        properties[f.name] = _type_schema(hints[f.name])
        if f.default is MISSING and f.default_factory is MISSING:
            required.append(f.name)
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": properties}


def event_defs() -> dict[str, Any]:
    """`$defs` entries: `event` (one of the types) and `event.TYPE` for each type."""
    defs: dict[str, Any] = {"event": {
        "description": "one entry of the event log; `data` depends on `type`",
        "oneOf": [{"$ref": f"#/$defs/event.{name}"} for name in CATALOGUE],
    }}
    for name, cls in CATALOGUE.items():
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        entry: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["seq", "type", "at", "t", "data"],
            "properties": {
                "seq": {"type": "integer", "minimum": 1},
                "type": {"const": name},
                "at": {"$ref": "#/$defs/time"},
                "t": {"$ref": "#/$defs/seconds", "description": "session time"},
                "data": _data_schema(cls),
            },
        }
        notes = [f"since format_version {cls.SINCE}"]
        if cls.AFTER_END:
            notes.append("may follow the end of the session (an amendment after a seal)")
        if doc and not doc.startswith(cls.__name__ + "("):
            notes.insert(0, doc)
        entry["description"] = "; ".join(notes)
        defs[f"event.{name}"] = entry
    return defs


def generated(base: dict[str, Any]) -> dict[str, Any]:
    """`base` (the file as written by hand) with its generated parts made anew."""
    out: dict[str, Any] = json.loads(json.dumps(base))
    out["properties"]["format_version"] = {
        "enum": list(range(1, FORMAT_VERSION + 1)),
        "description": "the lowest export format that holds every event type in `events` "
                       "(each event type's definition says since which version)",
    }
    defs = {k: v for k, v in out["$defs"].items() if k != "event" and not k.startswith("event.")}
    out["$defs"] = defs | event_defs()
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    current = SCHEMA_PATH.read_text(encoding="utf-8")
    text = render(generated(json.loads(current)))
    if "--check" in argv:
        return 0 if text == current else 1
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
