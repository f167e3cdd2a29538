"""One session as JSON: `report(state, events)` as it is, keys in their fixed order.

docs/session.schema.json (JSON Schema, draft 2020-12) describes the document."""

from __future__ import annotations

import json
from typing import Any

from companion.textsafe import json_safe


def session_json(r: dict[str, Any]) -> str:
    """The report as indented JSON text (UTF-8 kept as is), ending with a newline. Control
    characters (C0, DEL, C1) and bidi controls are JSON escapes (`\\u001b`), never raw."""
    text = json.dumps(r, sort_keys=False, ensure_ascii=False, indent=2, allow_nan=False)
    return json_safe(text) + "\n"
