"""The panel (docs/panel.md): seals over a canonical JSON of the events (SHA-256, or
HMAC-SHA256 with the team key), amendments after the seal, `companion verify`, importing
other interviewers' JSON exports (good, tampered, duplicate, malformed), the blind-first marks
and the calibration section of the debrief. No sleeps: FakeClock everywhere a clock is passed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import make_plan
from helpers import run_cli as run

from companion.clock import FakeClock, iso
from companion.export import sealview
from companion.export.csv_export import session_csv
from companion.export.html import debrief_html, session_html
from companion.export.markdown import debrief_markdown, session_markdown
from companion.export.report import report
from companion.panel import seal as seal_module
from companion.panel.debrief import debrief
from companion.panel.seal import (
    AMENDED,
    BROKEN,
    INTACT,
    NO_KEY,
    UNKEYED,
    UNSEALED,
    WRONG_KEY,
    Refused,
    canonical,
    check,
    compute_digest,
    event_form,
    import_file,
    key_id,
    key_path,
    payload,
    seal_session,
)
from companion.session import Event, Session, replay
from companion.store.database import Store

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "docs" / "session.schema.json").read_text(encoding="utf-8"))
KEY = bytes(range(32))
OTHER_KEY = bytes(32)


def interview(store: Store, clock: FakeClock, sid: str, interviewer: str,
              scores: dict[str, int], *, candidate: str = "Sam Lee",
              candidate_id: str = "sam@example.org", recommendation: str | None = "yes",
              summary: str = "", end: bool = True) -> Session:
    """An interview on make_plan()'s rubric (c1 Communication, c2 Design, c3 Learning)."""
    s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                      candidate=candidate, candidate_id=candidate_id, interviewer=interviewer)
    clock.advance(600)
    s.add_note(f"note by {interviewer}")
    for criterion, score in scores.items():
        s.set_score(criterion, score, f"{interviewer} saw {criterion}")
    if recommendation:
        s.set_recommendation(recommendation)
    if summary:
        s.set_summary(summary)
    clock.advance(60)
    if end:
        s.end()
    return s


def write_key(key: bytes = KEY) -> Path:
    path = key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key.hex() + "\n")
    path.chmod(0o600)
    return path


def sealed_report(store: Store, sid: str) -> dict[str, Any]:
    events = store.events(sid)
    return report(replay(events), events, seal=store.seal(sid))


# --- the canonical form --------------------------------------------------------------------


def test_canonical_json_is_stable() -> None:
    # Key order does not matter, at any depth; no whitespace; UTF-8 as is; numbers as written.
    a = {"b": 1, "a": {"y": [1, 2.5], "x": "Zoë"}, "c": None, "d": True}
    b = {"d": True, "c": None, "a": {"x": "Zoë", "y": [1, 2.5]}, "b": 1}
    assert canonical(a) == canonical(b)
    assert canonical(a) == (
        '{"a":{"x":"Zoë","y":[1,2.5]},"b":1,"c":null,"d":true}'.encode())
    assert "Zoë".encode() in canonical(a) and b"\\u00eb" not in canonical(a)
    assert canonical({"t": 0.1, "u": 1.0, "v": 1e-05, "w": 2, "x": 40.0}) == (
        b'{"t":0.1,"u":1.0,"v":1e-05,"w":2,"x":40.0}')
    assert canonical({"s": 'quote " back \\ line\n'}) == b'{"s":"quote \\" back \\\\ line\\n"}'
    # An event: at to the second in UTC, t always a float.
    e = Event(3, "score_set", 40, 1_790_000_040.9, {"score": 2})
    assert event_form(e) == {"seq": 3, "type": "score_set", "at": "2026-09-21T14:14:00+00:00",
                             "t": 40.0, "data": {"score": 2}}


GOLDEN_EVENTS = [
    Event(1, "session_started", 0.0, 1_790_000_000.0,
          {"session_id": "g1", "candidate": "Zoë", "plan": {"id": "p"}}),
    Event(2, "score_set", 40.5, 1_790_000_040.9, {"criterion": "c1", "score": 2,
                                                  "evidence": "ok"}),
    Event(3, "session_ended", 60.0, 1_790_000_060.0, {}),
]
GOLDEN_SEAL = {"covers": 3, "sealed_at": "2026-09-21T14:14:20+00:00", "algorithm": "sha256",
               "key_id": None, "seen_others_at": None, "seen_others": None,
               "views_logged_since": ""}
GOLDEN_BYTES = (
    '{"events":[{"at":"2026-09-21T14:13:20+00:00","data":{"candidate":"Zoë","plan":{"id":"p"},'
    '"session_id":"g1"},"seq":1,"t":0.0,"type":"session_started"},{"at":"2026-09-21T14:14:00'
    '+00:00","data":{"criterion":"c1","evidence":"ok","score":2},"seq":2,"t":40.5,"type":'
    '"score_set"},{"at":"2026-09-21T14:14:20+00:00","data":{},"seq":3,"t":60.0,"type":'
    '"session_ended"}],"format":"companion-seal","seal":{"algorithm":"sha256","covers":3,'
    '"key_id":null,"sealed_at":"2026-09-21T14:14:20+00:00","seen_others":null,'
    '"seen_others_at":null,"views_logged_since":""},"version":1}'
).encode()


def test_seal_payload_is_exactly_what_the_docs_say() -> None:
    data = payload(GOLDEN_EVENTS, GOLDEN_SEAL)
    assert data == GOLDEN_BYTES
    assert compute_digest(data, "sha256", None) == hashlib.sha256(GOLDEN_BYTES).hexdigest() \
        == "4c9915fbf5d10a51268753ff72376dcbc1c56a0ca568cb00e8e54db5866c7b14"
    keyed = {**GOLDEN_SEAL, "algorithm": "hmac-sha256", "key_id": "x"}
    assert compute_digest(payload(GOLDEN_EVENTS, keyed), "hmac-sha256", KEY) == (
        "6ec731762f416dd2ef2747ece115e97cc41366ad06e33c501cfd31fbb4141410")
    # Only the covered events count; the digest field itself is left out.
    longer = [*GOLDEN_EVENTS, Event(4, "summary_set", 60.0, 1_790_000_100.0, {"text": "x"})]
    assert payload(longer, {**GOLDEN_SEAL, "digest": "ab" * 32}) == GOLDEN_BYTES


# --- sealing and checking ------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "panel.db") as s:
        yield s


def test_only_ended_sessions_are_sealed_once(store: Store) -> None:
    clock = FakeClock()
    s = interview(store, clock, "open0001", "Ada", {"c1": 2}, end=False)
    assert seal_session(store, "open0001", clock, None) is None
    assert check(store.events("open0001"), None, None).status == UNSEALED
    s.end()
    clock.advance(5)
    first = seal_session(store, "open0001", clock, None)
    assert first is not None and first["covers"] == len(store.events("open0001"))
    assert first["sealed_at"] == iso(clock.wall()) and first["algorithm"] == "sha256"
    clock.advance(500)
    assert seal_session(store, "open0001", clock, None) == first  # made once
    assert store.seal("open0001") == first


def test_seal_and_verify_without_a_key(store: Store) -> None:
    clock = FakeClock()
    interview(store, clock, "ada00001", "Ada", {"c1": 2, "c2": 1})
    seal = seal_session(store, "ada00001", clock, None)
    assert seal is not None and seal["key_id"] is None
    events = store.events("ada00001")
    verdict = check(events, seal, None)
    assert verdict.status == INTACT and verdict.ok
    # The SHA-256 anyone can compute from the documented bytes.
    assert seal["digest"] == hashlib.sha256(payload(events, seal)).hexdigest()
    # An edit in the database is caught.
    store.conn.execute("UPDATE events SET data = json_set(data, '$.score', 0) "
                       "WHERE session_id = 'ada00001' AND type = 'score_set' AND seq = 4")
    verdict = check(store.events("ada00001"), seal, None)
    assert verdict.status == BROKEN and "changed after it was sealed" in verdict.reason


def test_seal_and_verify_with_a_key_and_a_wrong_key(store: Store) -> None:
    clock = FakeClock()
    interview(store, clock, "ada00001", "Ada", {"c1": 2})
    seal = seal_session(store, "ada00001", clock, KEY)
    assert seal is not None
    assert seal["algorithm"] == "hmac-sha256" and seal["key_id"] == key_id(KEY)
    events = store.events("ada00001")
    assert check(events, seal, KEY).status == INTACT
    assert check(events, seal, None).status == NO_KEY
    wrong = check(events, seal, OTHER_KEY)
    assert wrong.status == WRONG_KEY and key_id(OTHER_KEY) in wrong.reason
    # Someone without the key claims the other key's id: the HMAC does not match.
    forged = {**seal, "key_id": key_id(OTHER_KEY)}
    assert check(events, forged, OTHER_KEY).status == BROKEN
    # Recomputing a plain SHA-256 over edited events does not pass with the key.
    edited = [*events[:3], Event(4, "score_set", events[3].t, events[3].at,
                                 {**events[3].data, "score": 0}), *events[4:]]
    resealed = {**seal, "algorithm": "sha256", "key_id": None}
    resealed["digest"] = hashlib.sha256(payload(edited, resealed)).hexdigest()
    assert check(edited, resealed, None).status == INTACT  # without a key: not detectable
    assert check(edited, resealed, KEY).status == UNKEYED  # with it: not vouched for


def test_a_sha256_seal_is_resigned_once_there_is_a_key(store: Store) -> None:
    clock = FakeClock()
    interview(store, clock, "ada00001", "Ada", {"c1": 2})
    before = seal_session(store, "ada00001", clock, None)
    clock.advance(100)
    after = seal_session(store, "ada00001", clock, KEY)
    assert before is not None and after is not None
    assert after["algorithm"] == "hmac-sha256" and after["sealed_at"] == before["sealed_at"]
    assert check(store.events("ada00001"), store.seal("ada00001"), KEY).status == INTACT


def test_amendment_after_sealing(store: Store) -> None:
    clock = FakeClock()
    interview(store, clock, "ada00001", "Ada", {"c1": 2, "c2": 0}, summary="First view.")
    seal_session(store, "ada00001", clock, None)
    clock.advance(3600)
    session = Session(store.events("ada00001"), clock, store.sink("ada00001"))
    session.set_summary("Second thoughts: weaker on design.")
    verdict = check(store.events("ada00001"), store.seal("ada00001"), None)
    assert verdict.status == AMENDED and verdict.ok
    assert [e.type for e in verdict.amendments] == ["summary_set"]
    r = sealed_report(store, "ada00001")
    assert r["summary"] == "Second thoughts: weaker on design."
    assert r["seal"]["amended"] is True
    assert r["seal"]["amendments"] == [{"seq": r["seal"]["covers"] + 1, "type": "summary_set",
                                        "at": iso(clock.wall()), "what": "summary rewritten"}]
    md = session_markdown(r)
    words = f"amended {iso(clock.wall())[11:16]} UTC, 1 h after the end, after the seal"
    assert r["amendments"][0]["words"] == words
    assert f"## Summary ({words})" in md
    assert "**Amended after sealing** (not covered by the seal): summary rewritten" in md
    assert words in session_html(r)
    rows = list(csv.DictReader(io.StringIO(session_csv(r), newline="")))
    assert rows[-2]["type"] == "summary_set" and rows[-2]["value"] == words
    assert rows[-1]["type"] == "seal" and rows[-1]["value"].startswith("sha256:")
    jsonschema.Draft202012Validator(SCHEMA).validate(r)
    # What may follow the end may follow the seal, as an amendment (a pending scorecard
    # finished: a score changed); anything else after the seal is not an amendment.
    late = [*store.events("ada00001"), Event(len(store.events("ada00001")) + 1, "score_set",
                                             700.0, clock.wall(), {"criterion": "c2",
                                                                   "score": 2})]
    verdict = check(late, store.seal("ada00001"), None)
    assert verdict.status == "amended" and [e.type for e in verdict.amendments][-1] == "score_set"
    bad = [*store.events("ada00001"), Event(len(store.events("ada00001")) + 1, "note_added",
                                            700.0, clock.wall(), {"text": "late"})]
    assert check(bad, store.seal("ada00001"), None).status == BROKEN


def test_exports_show_the_seal_and_say_what_it_protects(store: Store) -> None:
    clock = FakeClock()
    interview(store, clock, "ada00001", "Ada", {"c1": 2})
    seal_session(store, "ada00001", clock, None)
    r = sealed_report(store, "ada00001")
    jsonschema.Draft202012Validator(SCHEMA).validate(r)
    assert list(r) == [k for k in SCHEMA["properties"]
                       if k not in ("archetype", "amendments")]  # none chosen, none made
    assert r["seal"]["digest"] in session_markdown(r)
    assert "only detects accidental edits" in session_markdown(r)
    assert "only detects accidental edits" in session_html(r)
    assert r["seal"]["digest"] in session_html(r)
    assert "**Scored blind:** yes" in session_markdown(r)
    # An open session says it is not sealed.
    interview(store, clock, "open0002", "Ada", {}, end=False)
    md = session_markdown(sealed_report(store, "open0002"))
    assert "*Not sealed:* sessions are sealed when they end" in md


# --- the key command -----------------------------------------------------------------------


def test_key_init_writes_a_private_key_and_never_over_one() -> None:
    result = run("key", "init")
    assert result.exit_code == 0, result.output
    path = key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert len(text.strip()) == 64 and int(text, 16) >= 0
    assert "out of band" in result.stdout
    again = run("key", "init")
    assert again.exit_code == 2 and again.stderr.startswith("error: ")
    assert "--force" in again.stderr and path.read_text() == text
    forced = run("key", "init", "--force")
    assert forced.exit_code == 0 and path.read_text() != text
    shown = run("key", "path")
    assert shown.exit_code == 0 and shown.stdout.strip() == str(path)


def test_a_damaged_key_is_an_error_not_a_silent_fallback(tmp_path: Path) -> None:
    path = key_path()
    path.parent.mkdir(parents=True)
    path.write_text("not a key")
    db = tmp_path / "k.db"
    with Store(db) as store:
        interview(store, FakeClock(), "ada00001", "Ada", {"c1": 2})
    result = run("--db", str(db), "export", "ada00001")
    assert result.exit_code == 2 and "64 hex characters" in result.stderr
    assert "key init --force" in result.stderr
    path.write_text(KEY.hex())
    path.chmod(0o644)
    result = run("--db", str(db), "export", "ada00001", "--format", "json")
    assert result.exit_code == 0 and "can be read by other users" in result.stderr
    assert json.loads(result.stdout)["seal"]["algorithm"] == "hmac-sha256"


# --- export and verify from the command line -------------------------------------------------


@pytest.fixture
def panel(tmp_path: Path) -> dict[str, Path]:
    """Three interviewers, three databases, one candidate (no team key yet)."""
    dbs = {}
    for offset, (who, scores, rec) in enumerate((
            ("Ada", {"c1": 2, "c2": 1}, "yes"),
            ("Bob", {"c1": 2, "c2": 2}, "strong yes"),
            ("Carol", {"c1": 1, "c2": 0}, "no"))):
        db = tmp_path / who.lower() / "companion.db"
        db.parent.mkdir()
        clock = FakeClock(wall=1_790_000_000.0 + 3600 * offset)
        with Store(db) as store:
            interview(store, clock, f"{who.lower()[:3]}0000{offset + 1}", who, scores,
                      recommendation=rec, summary=f"{who}'s summary")
        dbs[who] = db
    return dbs


def export_json(db: Path, sid: str, target: Path) -> Path:
    result = run("--db", str(db), "export", sid, "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def test_export_json_carries_events_and_seal(panel: dict[str, Path], tmp_path: Path) -> None:
    path = export_json(panel["Bob"], "bob00002", tmp_path / "bob.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        doc)
    assert doc["events"] and doc["events"][0]["type"] == "session_started"
    assert doc["seal"]["covers"] == len(doc["events"])
    assert doc["seal"]["algorithm"] == "sha256"
    for fmt, marker in (("md", "## Seal"), ("html", "<h2>Seal</h2>"), ("csv", ",seal,")):
        out = run("--db", str(panel["Bob"]), "export", "bob00002", "--format", fmt)
        assert out.exit_code == 0 and marker in out.stdout, fmt
        assert doc["seal"]["digest"] in out.stdout


def test_verify_session_and_file(panel: dict[str, Path], tmp_path: Path) -> None:
    db = panel["Ada"]
    # Never sealed (ended outside the app): verify seals it and says so.
    result = run("--db", str(db), "verify", "ada")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("intact: session ada00001 (sealed just now")
    assert "only detects accidental edits" in result.stdout
    path = export_json(db, "ada00001", tmp_path / "ada.json")
    result = run("--db", str(db), "verify", str(path))
    assert result.exit_code == 0 and result.stdout.startswith("intact: ada.json")
    # Amended in the database: still exit 0, and it says what changed.
    with Store(db) as store:
        s = Session(store.events("ada00001"), FakeClock(wall=1_790_100_000.0),
                    store.sink("ada00001"))
        s.set_summary("changed my mind")
    result = run("--db", str(db), "verify", "ada00001")
    assert result.exit_code == 0 and result.stdout.startswith("amended: session ada00001")
    assert "amended after sealing: summary rewritten" in result.stdout
    amended = export_json(db, "ada00001", tmp_path / "ada-amended.json")
    result = run("--db", str(db), "verify", str(amended))
    assert result.exit_code == 0 and result.stdout.startswith("amended: ")
    # A score edited in the file, in the rubric only, or in the events too: broken, exit 1.
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["rubric"]["scores"][1]["score"] = 2
    (tmp_path / "edited.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run("--db", str(db), "verify", str(tmp_path / "edited.json"))
    assert result.exit_code == 1 and result.stdout.startswith("broken: ")
    assert "rubric edited" in result.stdout
    for e in doc["events"]:
        if e["type"] == "score_set" and e["data"]["criterion"] == "c2":
            e["data"]["score"] = 2
    (tmp_path / "edited2.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run("--db", str(db), "verify", str(tmp_path / "edited2.json"))
    assert result.exit_code == 1 and "do not match the seal" in result.stdout
    # Unreadable targets: exit 2 with an error line, never a traceback.
    (tmp_path / "junk.json").write_text("{nope")
    for target, message in ((str(tmp_path / "junk.json"), "not JSON"),
                            (str(tmp_path / "none.json"), "no such file"),
                            ("zzz", "no session 'zzz'")):
        result = run("--db", str(db), "verify", target)
        assert result.exit_code == 2 and result.stderr.startswith("error: "), target
        assert message in result.stderr


def test_verify_with_the_key(panel: dict[str, Path], tmp_path: Path) -> None:
    write_key(KEY)
    path = export_json(panel["Ada"], "ada00001", tmp_path / "ada.json")
    assert json.loads(path.read_text())["seal"]["algorithm"] == "hmac-sha256"
    result = run("--db", str(panel["Ada"]), "verify", str(path))
    assert result.exit_code == 0 and "HMAC-SHA256 (team key " in result.stdout
    assert "accidental" not in result.stdout
    write_key(OTHER_KEY)
    result = run("--db", str(panel["Ada"]), "verify", str(path))
    assert result.exit_code == 1 and result.stdout.startswith("wrong key: ")
    key_path().unlink()
    result = run("--db", str(panel["Ada"]), "verify", str(path))
    assert result.exit_code == 1 and result.stdout.startswith("no key: ")


# --- import ----------------------------------------------------------------------------------


def count_sessions(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    finally:
        conn.close()


def test_import_good_duplicate_and_local_collision(panel: dict[str, Path],
                                                   tmp_path: Path) -> None:
    bob = export_json(panel["Bob"], "bob00002", tmp_path / "bob.json")
    result = run("--db", str(panel["Ada"]), "import", str(bob))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("imported bob00002 from ")
    with Store(panel["Ada"]) as store:
        row = store.session("bob00002")
        assert row is not None and row["source"] == "import:Bob"
        assert row["interviewer"] == "Bob" and row["status"] == "ended"
        with Store(panel["Bob"]) as theirs:
            assert store.events("bob00002") == theirs.events("bob00002")
            assert store.seal("bob00002") == theirs.seal("bob00002")
        assert check(store.events("bob00002"), store.seal("bob00002"), None).status == INTACT
        assert store.search("note by Bob")  # searchable like any other session
    before = count_sessions(panel["Ada"])
    again = run("--db", str(panel["Ada"]), "import", str(bob))
    assert again.exit_code == 1
    assert f"{bob}: refused: duplicate: session bob00002 was already imported from bob.json" \
        in again.stderr
    # A file whose session is one of ours: refused, ours untouched.
    ours = export_json(panel["Ada"], "ada00001", tmp_path / "ada.json")
    with Store(panel["Ada"]) as store:
        events_before = store.events("ada00001")
    result = run("--db", str(panel["Ada"]), "import", str(ours))
    assert result.exit_code == 1 and "one of your own sessions" in result.stderr
    assert count_sessions(panel["Ada"]) == before
    with Store(panel["Ada"]) as store:
        assert store.events("ada00001") == events_before
        assert store.session("ada00001")["source"] == "local"  # type: ignore[index]


def test_import_refuses_tampered_and_malformed_files(panel: dict[str, Path],
                                                     tmp_path: Path) -> None:
    carol = export_json(panel["Carol"], "car00003", tmp_path / "carol.json")
    good = json.loads(carol.read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    edited = json.loads(json.dumps(good))
    edited["rubric"]["scores"][1]["score"] = 2  # Carol's 0 on Design made a 2
    files["edited-score.json"] = (edited, "broken seal: the scorecard does not match")
    edited_event = json.loads(json.dumps(good))
    for e in edited_event["events"]:
        if e["type"] == "score_set" and e["data"]["score"] == 0:
            e["data"]["score"] = 2
    files["edited-event.json"] = (edited_event, "broken seal: the sealed events do not match")
    no_events = {**good, "events": None}
    files["no-events.json"] = (no_events, "it has no events")
    missing_event = {**good, "events": good["events"][:3] + good["events"][4:]}
    files["gap.json"] = (missing_event, "malformed: event #4 has seq 5 (expected 4)")
    files["other.json"] = ({"format": "something-else"}, "not a companion session export")
    files["future.json"] = ({**good, "format_version": 9}, "format_version 9")
    unsealed = {**good, "seal": None}
    files["unsealed.json"] = (unsealed, "not sealed: the session has ended but the export has "
                                        "no seal")
    for name, (doc, _) in files.items():
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "not-json.json").write_text("this is not json", encoding="utf-8")
    files["not-json.json"] = (None, "not JSON (line 1, column 1")
    before = count_sessions(panel["Ada"])
    result = run("--db", str(panel["Ada"]), "import", *(str(tmp_path / n) for n in files))
    assert result.exit_code == 1
    for name, (_, message) in files.items():
        line = next(ln for ln in result.stderr.splitlines()
                    if ln.startswith(f"{tmp_path / name}: refused: "))
        assert message in line, (name, line)
        assert line.rstrip().endswith(".")  # what, then what to do
    assert f"0 imported, {len(files)} refused" in result.stderr
    assert count_sessions(panel["Ada"]) == before


def test_import_of_an_open_session_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        interview(store, FakeClock(), "open0001", "Dan", {"c1": 1}, end=False)
    path = export_json(tmp_path / "a.db", "open0001", tmp_path / "open.json")
    assert json.loads(path.read_text())["seal"] is None
    result = run("--db", str(tmp_path / "b.db"), "import", str(path))
    assert result.exit_code == 1 and "refused: not sealed" in result.stderr
    assert "ask Dan to end the session" in result.stderr.replace("Ask", "ask")


def test_import_with_the_team_key(panel: dict[str, Path], tmp_path: Path) -> None:
    unkeyed = export_json(panel["Bob"], "bob00002", tmp_path / "bob-unkeyed.json")
    write_key(KEY)
    result = run("--db", str(panel["Ada"]), "import", str(unkeyed))
    assert result.exit_code == 1 and "sealed without the team key" in result.stderr
    assert "--allow-unkeyed" in result.stderr
    keyed = export_json(panel["Carol"], "car00003", tmp_path / "carol.json")
    doc = json.loads(keyed.read_text())
    assert doc["seal"]["algorithm"] == "hmac-sha256"  # re-signed at export
    # A forger without the key edits a score and reseals with SHA-256: refused.
    for e in doc["events"]:
        if e["type"] == "score_set" and e["data"]["score"] == 0:
            e["data"]["score"] = 2
    events = [Event(e["seq"], e["type"], float(e["t"]), seal_module.from_iso(e["at"]), e["data"])
              for e in doc["events"]]
    fields = {**seal_module.stored_fields(doc["seal"]), "algorithm": "sha256", "key_id": None}
    fields["digest"] = hashlib.sha256(payload(events, fields)).hexdigest()
    forged = report(replay(events), events, seal=fields)
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    result = run("--db", str(panel["Ada"]), "import", str(tmp_path / "forged.json"))
    assert result.exit_code == 1 and "sealed without the team key" in result.stderr
    result = run("--db", str(panel["Ada"]), "verify", str(tmp_path / "forged.json"))
    assert result.exit_code == 1 and result.stdout.startswith("unkeyed: ")
    # The genuine keyed file goes in; the unkeyed one only when asked.
    assert run("--db", str(panel["Ada"]), "import", str(keyed)).exit_code == 0
    result = run("--db", str(panel["Ada"]), "import", "--allow-unkeyed", str(unkeyed))
    assert result.exit_code == 0 and "seal unkeyed (SHA-256)" in result.stdout
    # Without the key here, a keyed export cannot be checked: refused.
    key_path().unlink()
    fresh = tmp_path / "fresh.db"
    result = run("--db", str(fresh), "import", str(keyed))
    assert result.exit_code == 1 and "cannot check the seal" in result.stderr


def test_purge_takes_seals_imports_and_views_along(panel: dict[str, Path],
                                                   tmp_path: Path) -> None:
    bob = export_json(panel["Bob"], "bob00002", tmp_path / "bob.json")
    assert run("--db", str(panel["Ada"]), "import", str(bob)).exit_code == 0
    assert run("--db", str(panel["Ada"]), "export", "--candidate", "Sam Lee").exit_code == 0
    result = run("--db", str(panel["Ada"]), "purge", "--older-than", "0", "--yes")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(panel["Ada"])
    try:
        for table in ("seals", "imports", "panel_views", "sessions"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    finally:
        conn.close()


# --- blind first ------------------------------------------------------------------------------


def test_blind_first_marks(tmp_path: Path) -> None:
    """Ada seals, then imports Bob's: Ada blind. Bob sealed after Ada had viewed a debrief,
    but never saw anyone's: Bob blind (Ada's views are in Ada's database, not Bob's). Carol
    imports Ada's export before ending her own interview: not blind. Dan's database was
    upgraded after his interview started: unknown."""
    clock = FakeClock()
    ada_db, bob_db, carol_db = (tmp_path / f"{n}.db" for n in ("ada", "bob", "carol"))
    with Store(ada_db) as ada, Store(bob_db) as bob, Store(carol_db) as carol:
        interview(ada, clock, "ada00001", "Ada", {"c1": 2, "c2": 1})
        seal_session(ada, "ada00001", clock, None)
        clock.advance(60)
        ada_file = tmp_path / "ada.json"
        ada_file.write_text(json.dumps(sealed_report(ada, "ada00001")), encoding="utf-8")
        # Ada views a debrief of her own scorecard only: that is not seeing another one.
        ada.record_views("debrief", clock.wall(), [{
            "session_id": "ada00001", "interviewer": "Ada", "candidate": "Sam Lee",
            "candidate_id": "sam@example.org"}])
        clock.advance(60)
        carol_session = interview(carol, clock, "car00003", "Carol", {"c1": 1, "c2": 0},
                                  end=False)
        clock.advance(60)
        import_file(carol, ada_file, clock, None)  # Carol peeks before she ends
        clock.advance(60)
        carol_session.end()
        seal_session(carol, "car00003", clock, None)
        interview(bob, clock, "bob00002", "Bob", {"c1": 2, "c2": 2})
        seal_session(bob, "bob00002", clock, None)
        for name, src in (("bob.json", bob), ("carol.json", carol)):
            sid = "bob00002" if src is bob else "car00003"
            (tmp_path / name).write_text(json.dumps(sealed_report(src, sid)), encoding="utf-8")
        clock.advance(60)
        import_file(ada, tmp_path / "bob.json", clock, None)
        import_file(ada, tmp_path / "carol.json", clock, None)
        carol_seal = carol.seal("car00003")
        assert carol_seal is not None
        assert carol_seal["seen_others"] == "imported Ada's scorecard (ada.json)"
        reports = [sealed_report(ada, sid) for sid in ("ada00001", "bob00002", "car00003")]
    marks = {r["interviewer"]: r["seal"]["blind"] for r in reports}
    assert marks == {"Ada": True, "Bob": True, "Carol": False}
    d = debrief(reports)
    rows = {row["interviewer"]: row for row in d["seals"]}
    assert rows["Carol"]["seen_others_at"] == carol_seal["seen_others_at"]
    md = debrief_markdown(d)
    assert "## Seals and blind scoring" in md
    assert "| Ada | Plan screen | " in md and "yes: sealed before any other" in md
    assert "no: imported Ada's scorecard \\(ada.json\\) at " in md  # escaped Markdown
    html = debrief_html(d)
    assert '<span class="bad">no</span>' in html and '<span class="good">yes</span>' in html
    # A database that began logging after the session started cannot tell.
    unknown = {**carol_seal, "seen_others_at": None, "seen_others": None,
               "views_logged_since": "2026-12-01T00:00:00+00:00"}
    assert sealview.blind(unknown, "2026-09-21T14:13:20+00:00") is None
    assert sealview.blind({**unknown, "views_logged_since": ""},
                             "2026-09-21T14:13:20+00:00") is True


def test_debrief_logs_views_and_warns_about_an_unsealed_own_scorecard(
        panel: dict[str, Path], tmp_path: Path) -> None:
    bob = export_json(panel["Bob"], "bob00002", tmp_path / "bob.json")
    db = panel["Ada"]
    with Store(db) as store:
        interview(store, FakeClock(wall=1_790_500_000.0), "ada00009", "Ada", {"c1": 1},
                  end=False)  # a second interview, still open
    assert run("--db", str(db), "import", str(bob)).exit_code == 0
    result = run("--db", str(db), "export", "--candidate", "sam@example.org")
    assert result.exit_code == 0, result.output
    assert "warning: Ada's own scorecard for this candidate (session ada00009) is not " \
           "sealed yet" in result.stderr
    assert "Bob's" in result.stderr and "companion resume ada00009" in result.stderr
    assert "ada00001" not in result.stderr  # ended: sealed before the view, no warning
    with Store(db) as store:
        views = store.views("Sam Lee", "sam@example.org")
        assert {v["kind"] for v in views} == {"import", "debrief"}
        assert {v["session_id"] for v in views if v["kind"] == "debrief"} == {
            "ada00001", "bob00002"}
        # Ada's first scorecard was sealed (by the import) before she saw Bob's: blind. The
        # one she ends now, after the debrief, is not.
        assert sealed_report(store, "ada00001")["seal"]["blind"] is True
        s = Session(store.events("ada00009"), FakeClock(wall=1_790_600_000.0),
                    store.sink("ada00009"))
        s.end()
    result = run("--db", str(db), "export", "ada00009", "--format", "json")
    seal = json.loads(result.stdout)["seal"]
    assert seal["blind"] is False and "Bob's scorecard" in seal["seen_others"]
    # The debrief now warns no more.
    result = run("--db", str(db), "export", "--candidate", "sam@example.org")
    assert "not sealed yet" not in result.stderr


# --- calibration in the debrief ----------------------------------------------------------------


def test_debrief_has_calibration_over_the_history(panel: dict[str, Path],
                                                  tmp_path: Path) -> None:
    db = panel["Ada"]
    for who, sid in (("Bob", "bob00002"), ("Carol", "car00003")):
        assert run("--db", str(db), "import",
                   str(export_json(panel[who], sid, tmp_path / f"{sid}.json"))).exit_code == 0
    # Another candidate in Ada's history (nobody else saw them): in her own averages only.
    with Store(db) as store:
        interview(store, FakeClock(wall=1_791_000_000.0), "ada00010", "Ada", {"c1": 0},
                  candidate="Other Person", candidate_id="other@example.org")
    result = run("--db", str(db), "export", "--candidate", "Sam Lee")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "## Calibration" in md and "whole history" in md
    # Ada: c1 2 and 0 (average 1.00); panel on Sam c1 = mean(2, 1) = 1.50; difference on the
    # shared candidate 2 - 1.5 = +0.50. Recommendation: others strong yes, no -> split.
    assert "| Communication | 1.00 / 1.50 (+0.50) |" in md
    assert "| Ada | 2 | " in md
    html = run("--db", str(db), "export", "--candidate", "Sam Lee", "--format", "html").stdout
    assert "<h2>Calibration</h2>" in html


# --- the app seals on the summary screen --------------------------------------------------------


async def test_the_summary_screen_seals_the_session(tmp_path: Path) -> None:
    from companion.cli.launch import create_app
    from companion.tui.screens.summary import SummaryScreen

    store = Store(tmp_path / "app.db")
    clock = FakeClock()
    session = interview(store, clock, "app00001", "Ada", {"c1": 2})
    app = create_app(store, clock, None, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_summary(session)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    seal = store.seal("app00001")
    assert seal is not None and seal["sealed_at"] == iso(clock.wall())
    assert [e.type for e in store.events("app00001")][-1] == "session_ended"  # log unchanged
    store.close()


def test_refused_is_what_then_what_to_do() -> None:
    err = Refused("broken seal: x", "ask Bob for a fresh export")
    assert str(err) == "broken seal: x. Ask Bob for a fresh export."


# --- the migration ------------------------------------------------------------------------------


def test_migration_from_version_2_knows_when_logging_began(tmp_path: Path) -> None:
    import sqlite_utils

    from companion.store.database import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "v2.db"
    clock = FakeClock()
    with Store(path, target_version=2) as store:
        assert store.version == 2
        interview(store, clock, "old00001", "Ada", {"c1": 2})
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION == len(MIGRATIONS)
        since = store.views_logged_since()
        assert since  # an upgraded database with sessions: logging begins now
        seal = seal_session(store, "old00001", clock, None)
        assert seal is not None and seal["views_logged_since"] == since
        # The session started before the log: nobody can say it was scored blind.
        assert sealed_report(store, "old00001")["seal"]["blind"] is None
    db = sqlite_utils.Database(path)
    try:
        assert {"seals", "imports", "panel_views"} <= set(db.table_names())
        assert "panel_log_started" in db.view_names()
    finally:
        db.close()
    with Store(tmp_path / "new.db") as store:
        assert store.views_logged_since() == ""  # a new database knows everything
