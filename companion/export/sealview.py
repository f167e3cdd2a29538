"""How a seal shows in an export: what it protects against, the amendments after it, and
the blind-first mark. Pure: plain values in, plain values out; the digests and the key stay
with the panel (companion.panel.seal), which sits above the exports."""

from __future__ import annotations

from typing import Any

from companion.clock import from_iso, iso
from companion.events import AMENDMENT_WORDS, Event
from companion.session import SessionState

SHA256, HMAC_SHA256 = "sha256", "hmac-sha256"
PROTECTION = {
    HMAC_SHA256: ("HMAC-SHA256 with the team key: anyone holding the key can tell whether the "
                  "sealed record was edited."),
    SHA256: ("SHA-256 without a team key: this only detects accidental edits; anyone can edit "
             "the record and compute a new seal."),
}



def blind(seal: dict[str, Any], started_at: str) -> bool | None:
    """Scored before seeing any other interviewer's scorecard of this candidate? None when
    unknown (the view log began after the session started, or an old seal)."""
    if seal.get("seen_others_at"):
        return False
    since = seal.get("views_logged_since")
    if not isinstance(since, str):
        return None
    try:
        if since and from_iso(since) > from_iso(started_at):
            return None
    except ValueError:
        return None
    return True


def describe(seal: dict[str, Any] | None, events: list[Event] | None,
             state: SessionState) -> dict[str, Any] | None:
    """The `seal` object of a report (pure): the stored seal, what it protects against, the
    amendments after it and the blind-first mark. It does not check the digest (that needs
    the key): `companion verify` does."""
    if seal is None:
        return None
    covers = int(seal.get("covers") or 0)
    tail = [e for e in events if e.seq > covers] if events is not None else []
    algorithm = seal.get("algorithm")
    return {
        "covers": covers,
        "sealed_at": seal.get("sealed_at"),
        "algorithm": algorithm,
        "key_id": seal.get("key_id"),
        "digest": seal.get("digest"),
        "seen_others_at": seal.get("seen_others_at"),
        "seen_others": seal.get("seen_others"),
        "views_logged_since": seal.get("views_logged_since"),
        "blind": blind(seal, iso(state.started_at)),
        "amended": bool(tail) if events is not None else state.events > covers,
        "amendments": [
            {"seq": e.seq, "type": e.type, "at": iso(e.at),
             "what": AMENDMENT_WORDS.get(e.type, e.type)}
            for e in tail
        ],
        "protection": PROTECTION.get(str(algorithm), "unknown algorithm"),
    }
