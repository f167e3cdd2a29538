"""Seals, the team key, verification, and importing other interviewers' exports.

A session is sealed once, when it ends: a digest over the canonical JSON of its events and
of the seal's own fields (docs/panel.md says byte for byte what goes in). Without a team key
the digest is SHA-256, which only catches accidental edits; with the team key (a random
32-byte key the panel shares out of band) it is HMAC-SHA256, so an edited record is caught by
anyone holding the key. Events after the sealed ones (only a summary or a post-mortem can be
written after the end) are amendments: shown as such, never covered by the seal.

The seal also records what the interviewer had seen before sealing: the first logged import or
debrief view of another interviewer's scorecard of the same candidate. That is the "blind
first" mark of the debrief. This module is the domain: the pure parts (canonical form,
digests, `check`, `describe`, `blind`) take plain values; the rest goes through the Store and
never speaks SQL."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import math
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.clock import Clock, from_iso, iso
from companion.content.safefile import RefusedFile, read_regular, why_not
from companion.events import (
    AFTER_END_TYPES,
    EVENT_TYPES,
    FORMAT_VERSION,
    EventError,
    check_record,
    types_of,
)
from companion.export.sealview import HMAC_SHA256, SHA256
from companion.files import write_atomic
from companion.panel import strictjson
from companion.session import Event, SessionError, SessionState, replay, summary_of
from companion.store.database import StoreError

if TYPE_CHECKING:
    from companion.store.database import Store

SEAL_FORMAT = "companion-seal"
SEAL_VERSION = 1
ALGORITHMS = (SHA256, HMAC_SHA256)
AMENDABLE = AFTER_END_TYPES  # what may follow the seal (the events allowed after the end)
# The seal's own fields that go into its digest (everything but the digest).
SEAL_FIELDS = ("covers", "sealed_at", "algorithm", "key_id", "seen_others_at", "seen_others",
               "views_logged_since")
KEY_FILE_NAME = "team-key"
OLD_KEYS_DIR_NAME = "team-keys"  # the keys a rotation replaced, one file per key id
KEY_BYTES = 32
MAX_IMPORT_BYTES = strictjson.MAX_BYTES
INTACT, AMENDED, BROKEN = "intact", "amended", "broken"
UNSEALED, NO_KEY, WRONG_KEY, UNKEYED = "unsealed", "no key", "wrong key", "unkeyed"
_HEX = re.compile(r"^[0-9a-f]+$")


class SealError(Exception):
    """A problem with the team key file, told in words a user can act on."""


# --- the canonical form and digests ---------------------------------------------------------


def canonical(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8 kept as is (docs/panel.md)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def event_form(event: Event) -> dict[str, Any]:
    """One event as it goes into a seal: seq, type, at (ISO-8601 UTC, to the second), t (as a
    float) and data."""
    return {"seq": int(event.seq), "type": event.type, "at": iso(event.at),
            "t": float(event.t), "data": event.data}


def payload(events: list[Event], seal: dict[str, Any]) -> bytes:
    """The bytes a seal signs: the events it covers, then its own fields but the digest."""
    covers = int(seal["covers"])
    return canonical({
        "format": SEAL_FORMAT,
        "version": SEAL_VERSION,
        "events": [event_form(e) for e in events[:covers]],
        "seal": {name: seal.get(name) for name in SEAL_FIELDS},
    })


def compute_digest(data: bytes, algorithm: str, key: bytes | None) -> str:
    if algorithm == HMAC_SHA256:
        if key is None:
            raise ValueError("an HMAC seal needs the key")
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def key_id(key: bytes) -> str:
    """A short public name for a key (which key sealed this?), not the key."""
    return hashlib.sha256(b"companion team key id\n" + key).hexdigest()[:12]


# --- the team key ----------------------------------------------------------------------------


def key_path(config_dir: Path | None = None) -> Path:
    from companion.paths import user_config_dir

    return (config_dir or user_config_dir()) / KEY_FILE_NAME


class KeyRing(bytes):
    """The team key: its bytes are the current key (new seals use it), and `older` holds the
    keys earlier rotations replaced, by key id, so that seals made with them still verify. A
    bytes subclass so that every function taking the key as bytes takes a ring unchanged."""

    older: dict[str, bytes]

    def __new__(cls, key: bytes, older: dict[str, bytes] | None = None) -> KeyRing:
        ring = super().__new__(cls, key)
        ring.older = dict(older or {})
        return ring


def fingerprint(key: bytes) -> str:
    """What members read to each other out of band to be sure they hold the same key: 32 hex
    digits in groups of four (not the key, and not its public key id)."""
    digest = hashlib.sha256(b"companion team key fingerprint\n" + bytes(key)).hexdigest()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def old_keys_dir(config_dir: Path | None = None) -> Path:
    return key_path(config_dir).parent / OLD_KEYS_DIR_NAME


def _read_key_file(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise SealError(f"cannot read the team key {path}: {reason}") from None
    if len(text) != 2 * KEY_BYTES or not _HEX.match(text.lower()):
        raise SealError(f"the team key {path} is not {2 * KEY_BYTES} hex characters; copy the "
                        "team's key file again, or make a new one with "
                        "`companion key init --force` (and share it)")
    return bytes.fromhex(text)


def load_older_keys(config_dir: Path | None = None) -> dict[str, bytes]:
    """The keys kept by rotations, by key id (a file whose name is not its key's id is an
    error: it would verify nothing)."""
    folder = old_keys_dir(config_dir)
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise SealError(f"cannot read the old team keys in {folder}: "
                        f"{err.strerror or err}") from None
    older: dict[str, bytes] = {}
    for name in names:
        if name.startswith("."):
            continue  # a temporary file of write_atomic
        found = _read_key_file(folder / name)
        if found is None:
            continue
        if key_id(found) != name:
            raise SealError(f"the old team key {folder / name} has the key id "
                            f"{key_id(found)}, not its file name; put it back as it was")
        older[name] = found
    return older


def load_key(config_dir: Path | None = None) -> KeyRing | None:
    """The team key (with the older keys kept by rotations), or None when there is none. A
    damaged key file is an error, never silently ignored (sealing would quietly fall back to
    plain SHA-256)."""
    path = key_path(config_dir)
    current = _read_key_file(path)
    if current is None:
        return None
    return KeyRing(current, load_older_keys(config_dir))


def rotate_key(config_dir: Path | None = None,
               new_key: bytes | None = None) -> tuple[str, str]:
    """Replace the team key by `new_key` (a random one when None), keeping the old one in
    the old keys folder so that seals made with it still verify. Returns the old and the new
    key ids. The old key is written before the new one replaces it: an interruption leaves
    the old key current, never lost."""
    from companion.paths import private_dir

    path = key_path(config_dir)
    current = _read_key_file(path)
    if current is None:
        raise SealError(f"there is no team key at {path} to rotate; `companion key init` "
                        "makes the first one (or put the team's file there)")
    key = secrets.token_bytes(KEY_BYTES) if new_key is None else new_key
    if key == current:
        raise SealError(f"that key is already the team key (key id {key_id(key)}): nothing "
                        "changed")
    folder = old_keys_dir(config_dir)
    try:
        private_dir(folder)
        write_atomic(folder / key_id(current), (current.hex() + "\n").encode("ascii"),
                     overwrite=True)
        write_atomic(path, (key.hex() + "\n").encode("ascii"), overwrite=True)
    except OSError as err:
        raise SealError(f"cannot rotate the team key: {err.strerror or err} (the current key "
                        f"{key_id(current)} was kept)") from None
    return key_id(current), key_id(key)


def read_key_file(path: Path) -> bytes:
    """A key file given on the command line (`key rotate --from FILE`)."""
    found = _read_key_file(path)
    if found is None:
        raise SealError(f"no such file: {path}")
    return found


def key_warning(config_dir: Path | None = None) -> str | None:
    """Words for a key file others can read (it should be mode 0600)."""
    from companion.paths import exposure_warning

    return exposure_warning(key_path(config_dir), "the team key")


def init_key(config_dir: Path | None = None, force: bool = False) -> tuple[Path, str]:
    """Write a new random key (hex, mode 0600). Returns the path and the key's id."""
    path = key_path(config_dir)
    try:
        from companion.paths import private_dir

        private_dir(path.parent)
    except OSError as err:
        raise SealError(f"cannot create {path.parent}: {err.strerror or err}") from None
    key = secrets.token_bytes(KEY_BYTES)
    try:
        # Whole or absent: a full disk or a crash never leaves an empty key file (which every
        # later command would refuse), and --force keeps the old key if the new one fails.
        write_atomic(path, (key.hex() + "\n").encode("ascii"), overwrite=force)
    except FileExistsError:
        raise SealError(f"{path} already exists: that is your team key. Keep it; add --force "
                        "only to replace it (seals made with the old key then show as made "
                        "with another key)") from None
    except OSError as err:
        kept = "the old key was kept" if force and os.path.lexists(path) else "no key written"
        raise SealError(f"cannot write {path}: {err.strerror or err} ({kept})") from None
    return path, key_id(key)


# --- checking a seal (pure) ------------------------------------------------------------------


@dataclass(slots=True)
class Verdict:
    status: str  # intact, amended, broken, unsealed, no key, wrong key, unkeyed
    reason: str
    seal: dict[str, Any] | None = None
    amendments: list[Event] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in (INTACT, AMENDED)


def seal_problem(seal: Any) -> str | None:
    """What is wrong with the shape of a seal object, or None."""
    if not isinstance(seal, dict):
        return "the seal is not an object"
    covers = seal.get("covers")
    if not isinstance(covers, int) or isinstance(covers, bool) or covers < 1:
        return "the seal's `covers` is not a positive whole number"
    if seal.get("algorithm") not in ALGORITHMS:
        return f"unknown seal algorithm {seal.get('algorithm')!r}"
    digest = seal.get("digest")
    if not isinstance(digest, str) or len(digest) != 64 or not _HEX.match(digest):
        return "the seal's digest is not 64 hex characters"
    for name in ("sealed_at", "views_logged_since"):
        if not isinstance(seal.get(name), str):
            return f"the seal's `{name}` is missing"
    for name in ("key_id", "seen_others_at", "seen_others"):
        if seal.get(name) is not None and not isinstance(seal.get(name), str):
            return f"the seal's `{name}` is not text"
    return None


def check(events: list[Event], seal: dict[str, Any] | None, key: bytes | None) -> Verdict:
    """Recompute a session's seal. `key` is this machine's team key (or None)."""
    if seal is None:
        finished = False
        with contextlib.suppress(SessionError, KeyError, TypeError, ValueError):
            finished = bool(events) and replay(events).finished
        return Verdict(UNSEALED, "it has ended but has no seal" if finished else
                       "the session had not ended: only ended sessions are sealed")
    problem = seal_problem(seal)
    if problem:
        return Verdict(BROKEN, problem, seal)
    if [e.seq for e in events] != list(range(1, len(events) + 1)):
        return Verdict(BROKEN, "the events are not numbered 1, 2, 3... without gaps", seal)
    covers = seal["covers"]
    if covers > len(events):
        return Verdict(BROKEN, f"the seal covers {covers} events but only {len(events)} are "
                               "there: some were removed", seal)
    try:
        sealed_state = replay(events[:covers])
    except (SessionError, KeyError, TypeError, ValueError, AttributeError, IndexError,
            OverflowError):
        return Verdict(BROKEN, "the sealed events do not add up to a session", seal)
    if not sealed_state.finished:
        return Verdict(BROKEN, "the seal covers a session that had not ended", seal)
    if seal["algorithm"] == HMAC_SHA256:
        if key is None:
            return Verdict(NO_KEY, f"it is sealed with a team key (key id {seal.get('key_id')}) "
                                   "and there is no team key here to check it", seal)
        if seal.get("key_id") != key_id(key):
            # A rotation kept the key that made it: it verifies with that one.
            kept = key.older.get(str(seal.get("key_id"))) if isinstance(key, KeyRing) else None
            if kept is None:
                return Verdict(WRONG_KEY, f"it is sealed with another team key (key id "
                                          f"{seal.get('key_id')}; yours is {key_id(key)})",
                               seal)
            key = kept
    expected = compute_digest(payload(events, seal), seal["algorithm"], key)
    if not hmac.compare_digest(expected, seal["digest"]):
        return Verdict(BROKEN, "the sealed events do not match the seal: the record was "
                               "changed after it was sealed", seal)
    tail = events[covers:]
    stray = [e for e in tail if e.type not in AMENDABLE]
    if stray:
        first = stray[0]
        return Verdict(BROKEN, f"event {first.seq} ({first.type}) comes after the seal: only a "
                               "summary or a post-mortem can change after a session ends", seal)
    if seal["algorithm"] == SHA256 and key is not None:
        return Verdict(UNKEYED, "it matches its events, but it is sealed without the team key "
                                "(plain SHA-256): anyone could have edited it and sealed it "
                                "again", seal, tail)
    if tail:
        return Verdict(AMENDED, f"{len(tail)} change(s) after sealing, not covered by the seal",
                       seal, tail)
    return Verdict(INTACT, "the sealed record is as it was sealed", seal)


def stored_fields(seal: dict[str, Any]) -> dict[str, Any]:
    """The fields a seal is stored with (from a report's seal object)."""
    return {name: seal.get(name) for name in (*SEAL_FIELDS, "digest")}


# --- sealing (through the store) -------------------------------------------------------------


def _person(name: str | None) -> str:
    return " ".join(str(name or "").split()).casefold()


def first_seen_other(store: Store, state: SessionState, session_id: str) -> dict[str, Any] | None:
    """The first logged moment this database showed another interviewer's scorecard of the
    session's candidate (an import or a debrief view), or None."""
    me = _person(state.interviewer)
    for row in store.views(state.candidate, state.candidate_id):
        if row["session_id"] != session_id and _person(row["interviewer"]) != me:
            return row
    return None


def _seen_words(row: dict[str, Any]) -> str:
    who = row.get("interviewer") or "an unnamed interviewer"
    if row["kind"] == "import":
        return f"imported {who}'s scorecard ({row.get('detail') or 'a file'})"
    return f"a debrief showing {who}'s scorecard"


def seal_session(store: Store, session_id: str, clock: Clock,
                 key: bytes | None) -> dict[str, Any] | None:
    """Seal an ended (or abandoned) session if it is not sealed yet, and return its seal;
    None while it is open. A local SHA-256 seal is re-signed with the team key once there is
    one, if it still checks out (same events, same time, same record of what was seen)."""
    existing = store.seal(session_id)
    events = store.events(session_id)
    if existing is not None:
        row = store.session(session_id) or {}
        if (key is not None and existing["algorithm"] == SHA256
                and row.get("source", "local") == "local"
                and check(events, existing, None).ok):
            resigned = {**existing, "algorithm": HMAC_SHA256, "key_id": key_id(key)}
            resigned["digest"] = compute_digest(payload(events, resigned), HMAC_SHA256, key)
            store.save_seal(session_id, resigned, replace=True)
            return resigned
        return existing
    if not events:
        return None
    state = replay(events)
    if not state.finished:
        return None
    seen = first_seen_other(store, state, session_id)
    seal: dict[str, Any] = {
        "covers": events[-1].seq,
        "sealed_at": iso(clock.wall()),
        "algorithm": HMAC_SHA256 if key is not None else SHA256,
        "key_id": key_id(key) if key is not None else None,
        "seen_others_at": seen["at"] if seen else None,
        "seen_others": _seen_words(seen) if seen else None,
        "views_logged_since": store.views_logged_since(),
    }
    seal["digest"] = compute_digest(payload(events, seal), seal["algorithm"], key)
    store.save_seal(session_id, seal)
    return seal


def seal_pending(store: Store, clock: Clock, key: bytes | None,
                 candidates: tuple[str, ...] = ()) -> list[str]:
    """Seal every ended session not sealed yet (of these candidates: names or stable ids)."""
    ids: list[str] = []
    for who in candidates or (None,):
        for sid in store.unsealed_finished(who):
            if sid not in ids:
                ids.append(sid)
    for sid in ids:
        seal_session(store, sid, clock, key)
    return ids


def seal_on_close(store: Store, session_id: str, clock: Clock,
                  config_dir: Path | None = None) -> dict[str, Any] | None:
    """For the app's summary screen: seal the session that just ended. Never raises: when the
    key file or the database is in trouble the session stays unsealed, and the next export
    seals it (and says what is wrong)."""
    try:
        return seal_session(store, session_id, clock, load_key(config_dir))
    except (SealError, StoreError, SessionError, OSError):
        return None


# --- reading an export file and importing it --------------------------------------------------


class Refused(Exception):
    """A file that is not imported: what is wrong, and what to do about it."""

    def __init__(self, what: str, todo: str, *, malformed: bool = False) -> None:
        todo = todo[:1].upper() + todo[1:]
        super().__init__(f"{what}. {todo}.")
        self.what = what
        self.todo = todo
        self.malformed = malformed  # a session export whose content is damaged (not just
        # a file that is not an export at all)


_FRESH = "ask its interviewer for a fresh `companion export ID --format json`"


def _event_from(raw: Any, index: int) -> Event:
    where = f"malformed: event #{index + 1}"
    if not isinstance(raw, dict):
        raise Refused(f"{where} is not an object", _FRESH, malformed=True)
    missing = [k for k in ("seq", "type", "at", "t", "data") if k not in raw]
    if missing:
        raise Refused(f"{where} has no {', '.join(missing)}", _FRESH, malformed=True)
    seq, kind, at, t, data = raw["seq"], raw["type"], raw["at"], raw["t"], raw["data"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq != index + 1:
        raise Refused(f"{where} has seq {seq!r} (expected {index + 1})", _FRESH,
                      malformed=True)
    if kind not in EVENT_TYPES:
        raise Refused(f"{where} has the event type {kind!r}, which this companion (export "
                      f"format {FORMAT_VERSION}) does not know", "update companion, or ask "
                      "for an export from the same version", malformed=True)
    if not isinstance(t, (int, float)) or isinstance(t, bool):
        raise Refused(f"{where} has a time `t` that is not a number", _FRESH,
                      malformed=True)
    if not isinstance(data, dict):
        raise Refused(f"{where} has `data` that is not an object", _FRESH,
                      malformed=True)
    try:
        stamp = from_iso(at) if isinstance(at, str) else None
    except ValueError:
        stamp = None
    if stamp is None or iso(stamp) != at:
        raise Refused(f"{where} has `at` {at!r}, not an ISO-8601 UTC time as companion writes "
                      "them", _FRESH, malformed=True)
    event = Event(seq, kind, float(t), stamp, data)
    try:
        check_record(event)
    except EventError as err:
        raise Refused(f"malformed: {err}", _FRESH, malformed=True) from None
    return event


class _NotFinite(ValueError):
    """NaN, Infinity or a float too large for a float in an imported JSON file."""


def _not_finite(text: str) -> float:
    raise _NotFinite(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def read_export(path: Path) -> tuple[dict[str, Any], list[Event]]:
    """A JSON export and its events, checked for shape. Raises Refused."""
    try:
        # Non-blocking, regular files only, and capped whatever stat() says (a FIFO or a
        # device given by mistake must not hang or exhaust memory).
        raw = read_regular(path, MAX_IMPORT_BYTES)
    except FileNotFoundError:
        raise Refused("no such file", "check the name and folder") from None
    except IsADirectoryError:
        raise Refused("a folder, not a file", "give the .json files themselves") from None
    except RefusedFile as err:
        if "folder" in str(err):
            raise Refused("a folder, not a file", "give the .json files themselves") from None
        raise Refused(str(err), "give the .json file `companion export` wrote") from None
    except OSError as err:
        raise Refused(f"cannot read it ({why_not(err)})", "check its permissions") from None
    try:
        doc = strictjson.loads(raw)
    except strictjson.JSONRefused as err:
        raise Refused(f"not an export companion would write: {err}",
                      "import the .json file `companion export ID --format json` wrote, "
                      "unedited") from None
    except UnicodeDecodeError:
        raise Refused("not UTF-8 text, so not a JSON export",
                      "import the .json file `companion export ID --format json` wrote") from None
    except json.JSONDecodeError as err:
        raise Refused(f"not JSON (line {err.lineno}, column {err.colno}: {err.msg})",
                      "import the .json file `companion export ID --format json` wrote, "
                      "unedited") from None
    if not isinstance(doc, dict) or doc.get("format") != "companion-session":
        raise Refused("not a companion session export (no \"format\": \"companion-session\")",
                      "import the .json file `companion export ID --format json` wrote")
    version = doc.get("format_version")
    if (isinstance(version, bool) or not isinstance(version, int)
            or not 1 <= version <= FORMAT_VERSION):
        raise Refused(f"format_version {version!r}, which this companion (format "
                      f"{FORMAT_VERSION}) does not know", "update companion, or ask for an "
                      "export from the same version")
    raw_events = doc.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise Refused("it has no events: the event log is what the seal covers and what "
                      "the debrief is built from", _FRESH, malformed=True)
    events = [_event_from(e, i) for i, e in enumerate(raw_events)]
    # Session time only moves forward (a gap added jumps it ahead): a log whose t goes back
    # was edited or made up.
    back = next((b for a, b in itertools.pairwise(events) if b.t < a.t), None)
    if back is not None:
        raise Refused(f"malformed: event {back.seq} ({back.type}) has t {back.t:g}, before "
                      "the event it follows; session time only moves forward", _FRESH,
                      malformed=True)
    allowed = types_of(version)
    newer = next((e for e in events if e.type not in allowed), None)
    if newer is not None:
        raise Refused(f"malformed: event {newer.seq} has the type {newer.type!r}, which an "
                      f"export of format_version {version} cannot hold", _FRESH,
                      malformed=True)
    first = events[0]
    if first.type != "session_started" or not isinstance(first.data.get("session_id"), str):
        raise Refused("malformed: the first event is not the session's start", _FRESH,
                      malformed=True)
    sid = first.data["session_id"]
    if not sid or sid != doc.get("session_id") or not sid.isprintable() or len(sid) > 64:
        raise Refused("malformed: the session id does not match its start event", _FRESH,
                      malformed=True)
    try:
        replay(events)  # each event checked against the state before it (sections, notes)
    except SessionError as err:
        raise Refused(f"malformed: the events do not add up to a session ({err})", _FRESH,
                      malformed=True) from None
    return doc, events


def body_differences(doc: dict[str, Any], events: list[Event],
                     seal: dict[str, Any] | None) -> list[str]:
    """Top-level keys of an export whose value is not what its events give (an edited score,
    summary or seal field shows here). The generator line may differ between versions."""
    from companion.export.report import report

    expected = report(replay(events), events, seal=seal)
    return [name for name in expected
            if name != "generator" and name in doc and doc[name] != expected[name]]


def file_seal(doc: dict[str, Any]) -> dict[str, Any] | None:
    seal = doc.get("seal")
    return stored_fields(seal) if isinstance(seal, dict) else None


def verify_export(doc: dict[str, Any], events: list[Event], key: bytes | None) -> Verdict:
    """Check an export file: the seal over its events, then the rest of it against them."""
    raw_seal = doc.get("seal")
    if raw_seal is not None and not isinstance(raw_seal, dict):
        return Verdict(BROKEN, "the seal is not an object")
    seal = file_seal(doc)
    verdict = check(events, seal, key)
    if verdict.status == BROKEN:
        return verdict
    try:
        changed = body_differences(doc, events, seal)
    except (SessionError, KeyError, TypeError, ValueError, AttributeError, IndexError,
            OverflowError) as err:
        return Verdict(BROKEN, f"the events do not make a scorecard ({err})", seal)
    if changed:
        return Verdict(BROKEN, "the scorecard does not match its own events ("
                       + ", ".join(changed) + " edited)", seal)
    return verdict


def check_file(path: Path, key: bytes | None, *,
               allow_unkeyed: bool = False) -> tuple[dict[str, Any], list[Event], Verdict]:
    """Everything `import_file` checks that needs no database: the file read with limits,
    its shape, its events and its seal. Raises Refused."""
    doc, events = read_export(path)
    start = events[0].data
    who = start.get("interviewer") or "its interviewer"
    verdict = verify_export(doc, events, key)
    if verdict.status == UNSEALED:
        if replay(events).finished:
            raise Refused("not sealed: the session has ended but the export has no seal (made "
                          "by an older companion, or the seal was taken out)",
                          f"ask {who} for a fresh export")
        raise Refused(f"not sealed: {verdict.reason}",
                      f"ask {who} to end the session and export it again")
    if verdict.status == NO_KEY:
        raise Refused(f"cannot check the seal: {verdict.reason}",
                      f"put the team's key file at {key_path()} (`companion key path`)")
    if verdict.status == WRONG_KEY:
        raise Refused(f"cannot check the seal: {verdict.reason}",
                      f"make sure you and {who} use the same team key file (after a "
                      "rotation: `companion key rotate --from FILE` with the new one; "
                      "`companion key fingerprint` compares them)")
    if verdict.status == BROKEN:
        todo = f"ask {who} for a fresh export and do not edit export files"
        if verdict.seal and verdict.seal.get("algorithm") == SHA256:
            todo += (" (without a team key a seal only catches accidental edits: a careful "
                     "edit would not show)")
        raise Refused(f"broken seal: {verdict.reason}", todo)
    seal = verdict.seal
    assert seal is not None
    if verdict.status == UNKEYED and not allow_unkeyed:
        raise Refused("sealed without the team key (plain SHA-256): anyone could have edited "
                      "it and sealed it again",
                      f"ask {who} to install the team key (`companion key path`) and export "
                      "again, or add --allow-unkeyed to accept it")
    return doc, events, verdict


def import_file(store: Store, path: Path, clock: Clock, key: bytes | None, *,
                allow_unkeyed: bool = False, source_kind: str = "import",
                file_name: str | None = None, log_view: bool = True,
                checked: tuple[dict[str, Any], list[Event], Verdict] | None = None
                ) -> dict[str, Any]:
    """Take one other interviewer's JSON export into the database, as it is. Raises Refused
    (nothing written) for a broken, unsealed, duplicate or malformed file. A panel sync
    passes `source_kind` "panel", the file's path in the panel as `file_name`, no view
    logged (its scorecards stay hidden until the user's own is sealed), and what
    `check_file` already gave (`checked`)."""
    _doc, events, verdict = checked or check_file(path, key, allow_unkeyed=allow_unkeyed)
    seal = verdict.seal
    assert seal is not None
    start = events[0].data
    sid = start["session_id"]
    if store.session(sid) is not None:
        record = store.import_record(sid)
        if record:
            raise Refused(f"duplicate: session {sid} was already imported from "
                          f"{record['file']} at {record['imported_at']}",
                          "nothing was changed (`companion sessions` lists it)")
        raise Refused(f"duplicate: session {sid} is already in this database as one of "
                      "your own sessions", "nothing was changed; local sessions are never "
                      "merged into or replaced")
    # The user's own scorecards of this candidate are sealed before the import counts as
    # having seen another one.
    candidates = tuple(c for c in (start.get("candidate"), start.get("candidate_id"))
                       if isinstance(c, str) and c)
    state = replay(events)
    file_name = file_name or path.name
    source = f"{source_kind}:" + (" ".join(str(start.get("interviewer") or "").split())
                                  or file_name)
    try:
        # One transaction: the seals made first and the import, or (refused) neither.
        with store.atomic():
            seal_pending(store, clock, key, candidates)
            store.import_session(sid, events, summary_of(state), source=source, seal=seal,
                                 file=file_name, imported_at=clock.wall(),
                                 log_view=log_view)
    except StoreError as err:
        text = str(err)
        if "UNIQUE constraint failed: sessions.id" in text:
            raise Refused(f"duplicate: session {sid} is already in this database",
                          "nothing was changed") from None
        if "constraint failed" in text or "Error binding parameter" in text:
            reason = text.split("database error: ", 1)[-1]
            raise Refused(f"malformed: its values do not fit a session ({reason})",
                          _FRESH + "; nothing was changed", malformed=True) from None
        raise
    return {"session_id": sid, "file": file_name, "candidate": state.candidate,
            "candidate_id": state.candidate_id, "interviewer": state.interviewer,
            "status": state.status, "source": source, "verdict": verdict}
