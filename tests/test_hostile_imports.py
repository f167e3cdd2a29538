"""Hostile imports (issue 21): an export file is parsed with limits and checked before
anything is written. Deep nesting, huge integers, NaN and Infinity, numbers too large to be
finite, duplicate keys at any level and lone surrogates are refused with their true reason,
by `import` and by `verify`, never with a traceback; a refused file leaves the database as
it was (or not created at all). Valid exports mutated and sealed again either import whole,
and then export, search and debrief like any other session, or are refused with nothing
written. Every imported session id stays addressable: an exact id wins over a prefix."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import make_plan
from helpers import run_cli as run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock, from_iso
from companion.export.report import report
from companion.panel.seal import Refused, compute_digest, payload, read_export, stored_fields
from companion.panel.strictjson import MAX_DEPTH, MAX_INT_DIGITS
from companion.session import Event, Session, replay
from companion.store.database import Store


def interview(store: Store, sid: str, interviewer: str, *, candidate: str = "Sam Lee",
              wall: float = 1_790_000_000.0) -> None:
    clock = FakeClock(wall=wall)
    s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid, candidate=candidate,
                      candidate_id="sam@example.org", interviewer=interviewer)
    clock.advance(600)
    s.add_note(f"note by {interviewer}")
    s.set_score("c1", 2, f"{interviewer} saw it")
    s.set_recommendation("yes")
    s.set_summary(f"{interviewer}'s summary")
    clock.advance(60)
    s.end()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Bob's sealed export, and Ada's database (one session of her own) as a template."""
    root = tmp_path_factory.mktemp("world")
    with Store(root / "bob.db") as store:
        interview(store, "bob00002", "Bob")
    export = root / "bob.json"
    result = run("--db", str(root / "bob.db"), "export", "bob00002", "-o", str(export))
    assert result.exit_code == 0, result.output
    with Store(root / "ada.db") as store:
        interview(store, "ada00001", "Ada", wall=1_790_003_600.0)
    return {"root": root, "doc": json.loads(export.read_text(encoding="utf-8")),
            "text": export.read_text(encoding="utf-8"), "ada": root / "ada.db"}


def fingerprint(db: Path) -> str | None:
    """Everything the database holds (None when there is no file)."""
    if not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "replace")).hexdigest()
    finally:
        conn.close()


def reseal(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with its seal digest and its body made again from its (mutated) events,
    as a careful forger without a team key would; left as it is when its events do not even
    read as events."""
    try:
        events = [Event(e["seq"], e["type"], float(e["t"]),
                        from_iso(e["at"]),
                        e["data"]) for e in doc["events"]]
        seal = stored_fields(doc["seal"])
        seal["digest"] = compute_digest(payload(events, seal), seal["algorithm"], None)
        body = report(replay(events), events, seal=seal)
    except Exception:  # a mutation that breaks the events is left unsealed
        return doc
    body["seal"] = {**body["seal"], **seal} if body.get("seal") else doc["seal"]
    return {**body, "generator": doc.get("generator")}


def try_import(world: dict[str, Any], tmp: Path, name: str, text: str | bytes,
               db_name: str = "ada.db") -> tuple[Any, Path]:
    db = tmp / db_name
    if db_name == "ada.db" and not db.exists():
        shutil.copyfile(world["ada"], db)
        db.chmod(0o600)
    path = tmp / name
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    before = fingerprint(db)
    result = run("--db", str(db), "import", str(path))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert f"{path}: refused: " in result.stderr
        assert fingerprint(db) == before, result.output  # nothing of a refused file is written
    return result, path


# --- the parser's limits, with their true reasons ----------------------------------------------


def _hostile_texts(text: str) -> dict[str, tuple[str, str]]:
    doc = json.loads(text)
    head, tail = text[:-2], text[-2:]
    dup_inner = text.replace('"name": "Sam Lee"', '"name": "Sam Lee", "name": "Someone Else"', 1)
    return {
        "deep.json": ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_DEPTH} levels"),
        "deep-inside.json": (head + ', "x": ' + "{\"a\":" * 5000 + "1" + "}" * 5000 + tail,
                             f"nested more than {MAX_DEPTH} levels"),
        "bigint.json": (text.replace('"format_version": 1', '"format_version": ' + "9" * 5000),
                        "an integer of 5,000 digits"),
        "bigint-seq.json": (text.replace('"seq": 1,', '"seq": 1' + "0" * 30 + ",", 1),
                            f"at most {MAX_INT_DIGITS}"),
        "dup-top.json": (head + ', "candidate": {"name": "Someone Else", "id": null}' + tail,
                         'the key "candidate" appears twice'),
        "dup-inner.json": (dup_inner, 'the key "name" appears twice'),
        "nan.json": (text.replace('"t": 0.0', '"t": NaN', 1), "it holds NaN"),
        "inf.json": (text.replace('"t": 0.0', '"t": Infinity', 1), "it holds Infinity"),
        "-inf.json": (text.replace('"t": 0.0', '"t": -Infinity', 1), "it holds -Infinity"),
        "huge.json": (text.replace('"t": 0.0', '"t": 1e999', 1), "too large to be finite"),
        "surrogate.json": (text.replace('"Bob"', '"B\\ud800b"', 1), "lone UTF-16 surrogate"),
        "long-number.json": (text.replace('"t": 0.0', '"t": 0.' + "0" * 100 + "1", 1),
                             "written with 103 characters"),
        "not-json.json": ("{" + json.dumps(doc)[1:-1], "not JSON (line"),
    }


def test_each_hostile_file_is_refused_with_its_true_reason(world: dict[str, Any],
                                                          tmp_path: Path) -> None:
    for name, (text, reason) in _hostile_texts(world["text"]).items():
        result, path = try_import(world, tmp_path, name, text)
        assert result.exit_code == 1, name
        line = next(ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}: "))
        assert reason in line, (name, line)
        assert "duplicate" not in line or "twice" in line, line  # NaN is not a "duplicate"
        checked = run("verify", str(path))
        assert checked.exit_code == 2 and reason in checked.stderr, (name, checked.output)


def test_a_run_where_every_file_is_refused_creates_no_database(world: dict[str, Any],
                                                               tmp_path: Path) -> None:
    texts = _hostile_texts(world["text"])
    paths = []
    for name, (text, _) in texts.items():
        (tmp_path / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(str(tmp_path / name))
    db = tmp_path / "fresh" / "new.db"
    result = run("--db", str(db), "import", *paths)
    assert result.exit_code == 1 and f"0 imported, {len(texts)} refused" in result.stderr
    assert not db.exists() and not db.parent.exists()


def test_read_export_refuses_before_anything_else(world: dict[str, Any], tmp_path: Path) -> None:
    for name, (text, reason) in _hostile_texts(world["text"]).items():
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with pytest.raises(Refused) as refused:
            read_export(path)
        assert reason in str(refused.value), name


# --- mutated valid exports, sealed again ----------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 70), 2 ** 70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


def like(value: Any) -> st.SearchStrategy[Any]:
    """Another value of the same JSON type, of any size or content. (A value of another type
    is the typed events' check, built with that issue.)"""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-(2 ** 70), 2 ** 70) | st.sampled_from([0, -1, 10 ** 18])
    if isinstance(value, float):
        return st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
            [0.0, -0.0, 1e308, -1e308, 5e-324, 1e16])
    if isinstance(value, str):
        return st.text(st.characters(exclude_categories=("Cs",)), max_size=30) | st.just(value)
    return st.just(value)


@st.composite
def mutations(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """One valid export with one to three values in its events (or at the top) replaced."""
    doc = json.loads(json.dumps(doc))
    events = doc["events"]
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["event", "data", "plan", "top"]))
        if where == "top":
            key = draw(st.sampled_from(["session_id", "format_version", "mode", "status"]))
            doc[key] = draw(like(doc[key]) | json_values)
            continue
        event = events[draw(st.integers(0, len(events) - 1))]
        if where == "event":
            key = draw(st.sampled_from(["seq", "type", "at", "t"]))
            event[key] = draw(like(event[key]))
        elif where == "plan":
            plan = events[0]["data"]["plan"]
            key = draw(st.sampled_from(sorted(k for k in plan if not isinstance(plan[k],
                                                                                (list, dict)))))
            plan[key] = draw(like(plan[key]))
        elif event["data"]:
            key = draw(st.sampled_from(sorted(event["data"])))
            event["data"][key] = draw(like(event["data"][key]))
    return doc


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_and_resealed_exports_import_whole_or_not_at_all(
        world: dict[str, Any], tmp_path_factory: pytest.TempPathFactory,
        data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("mut")
    doc = reseal(data.draw(mutations(world["doc"])))
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    result, _ = try_import(world, tmp, "mutated.json", text)
    if result.exit_code == 0:
        sid = doc["session_id"]
        assert isinstance(sid, str)
        for fmt in ("md", "json", "csv", "html"):
            out = run("--db", str(tmp / "ada.db"), "export", sid, "--format", fmt)
            assert out.exit_code == 0, (fmt, out.output)
        assert run("--db", str(tmp / "ada.db"), "verify", sid).exit_code in (0, 1)
        assert run("--db", str(tmp / "ada.db"), "sessions").exit_code == 0


# --- every imported id addressable ----------------------------------------------------------


def test_an_exact_id_wins_over_a_prefix(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.db"
    with Store(theirs) as store:
        interview(store, "9", "Bob")
        interview(store, "ABC", "Bob", wall=1_790_100_000.0)
        interview(store, "card.json", "Bob", wall=1_790_110_000.0)
        interview(store, "team/7", "Bob", wall=1_790_120_000.0)
    ours = tmp_path / "ours.db"
    with Store(ours) as store:
        interview(store, "9f3c0001", "Ada")
        interview(store, "abc00001", "Ada", wall=1_790_200_000.0)
    for number, sid in enumerate(("9", "ABC", "card.json", "team/7")):
        path = tmp_path / f"export{number}.json"
        assert run("--db", str(theirs), "export", sid, "-o", str(path)).exit_code == 0
        imported = run("--db", str(ours), "import", str(path))
        assert imported.exit_code == 0, imported.output
    for sid, interviewer in (("9", "Bob"), ("9f3c0001", "Ada"), ("ABC", "Bob"),
                             ("abc00001", "Ada"), ("card.json", "Bob"), ("team/7", "Bob")):
        out = run("--db", str(ours), "export", sid, "--format", "json")
        assert out.exit_code == 0, (sid, out.output)
        assert json.loads(out.stdout)["interviewer"] == interviewer
        checked = run("--db", str(ours), "verify", sid)
        assert checked.exit_code == 0 and f"session {sid}" in checked.stdout, checked.output
    # A prefix still works when it is one session's, and case counts.
    assert json.loads(run("--db", str(ours), "export", "9f", "--format", "json").stdout)[
        "session_id"] == "9f3c0001"
    assert json.loads(run("--db", str(ours), "export", "AB", "--format", "json").stdout)[
        "session_id"] == "ABC"
    with Store(ours) as store:
        assert store.find("9") == ["9"] and store.find("ab") == ["abc00001"]


def test_a_pipe_or_a_folder_is_refused_without_reading_it(world: dict[str, Any],
                                                          tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    db = tmp_path / "none.db"
    result = run("--db", str(db), "import", str(fifo), str(tmp_path))
    assert result.exit_code == 1 and not db.exists()
    assert f"{fifo}: refused: a FIFO (named pipe), not a regular file" in result.stderr
    assert f"{tmp_path}: refused: a folder, not a file" in result.stderr
    checked = run("verify", str(fifo))
    assert checked.exit_code == 2 and "not a regular file" in checked.stderr


def test_a_refusal_at_the_last_step_undoes_the_seals_made_for_it(world: dict[str, Any],
                                                                 tmp_path: Path) -> None:
    """Ada's own scorecard of the candidate is sealed just before an import; when the import
    then fails (a value the database cannot store), that seal goes too."""
    doc = json.loads(world["text"])
    doc["events"][0]["data"]["candidate_id"] = "sam@example.org"
    doc["events"][0]["data"]["plan"]["title"] = None  # NOT NULL in the sessions table
    resealed = reseal(doc)
    assert resealed is not doc  # it reads as a sealed session
    result, _ = try_import(world, tmp_path, "null-title.json", json.dumps(resealed))
    assert result.exit_code == 1 and "refused: " in result.stderr
    assert "duplicate" not in result.stderr
    with Store(tmp_path / "ada.db") as store:
        assert store.seal("ada00001") is None and store.session("bob00002") is None


# --- hostile text anywhere in a valid export --------------------------------------------------

NUMBER = re.compile(r'(?<=": )-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=,?\n)')
KEY = re.compile(r'\n( +)"([a-z_]+)": ')
TOKENS = {"NaN": "it holds NaN", "Infinity": "it holds Infinity",
          "-Infinity": "it holds -Infinity", "1e999": "too large to be finite",
          "-2e400": "too large to be finite", "1" * 25: "an integer of 25 digits"}


@st.composite
def hostile_files(draw: st.DrawFn, text: str) -> tuple[str, str]:
    """A valid export with, somewhere in it, one thing companion never writes, and the
    reason it must be refused with."""
    kind = draw(st.sampled_from(["number", "duplicate", "nesting", "surrogate"]))
    if kind == "number":
        spots = list(NUMBER.finditer(text))
        spot = spots[draw(st.integers(0, len(spots) - 1))]
        token = draw(st.sampled_from(sorted(TOKENS)))
        return text[:spot.start()] + token + text[spot.end():], TOKENS[token]
    spots = list(KEY.finditer(text))
    spot = spots[draw(st.integers(0, len(spots) - 1))]
    indent, key = spot.group(1), spot.group(2)
    at = spot.start() + 1
    if kind == "duplicate":
        extra = draw(st.sampled_from(["null", "1", '"x"', "[]", "{}"]))
        return (text[:at] + f'{indent}"{key}": {extra},\n' + text[at:],
                f'the key "{key}" appears twice')
    if kind == "nesting":
        depth = draw(st.integers(MAX_DEPTH, 3 * MAX_DEPTH))
        return (text[:at] + f'{indent}"deep": ' + "[" * depth + "]" * depth + ",\n"
                + text[at:], f"nested more than {MAX_DEPTH} levels")
    return (text[:at] + f'{indent}"odd": "\\udc{draw(st.integers(0, 255)):02x}",\n'
            + text[at:], "lone UTF-16 surrogate")


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_anything_companion_never_writes_is_refused_wherever_it_is(
        world: dict[str, Any], tmp_path_factory: pytest.TempPathFactory,
        data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("anywhere")
    text, reason = data.draw(hostile_files(world["text"]))
    result, path = try_import(world, tmp, "hostile.json", text)
    assert result.exit_code == 1 and reason in result.stderr, result.stderr
    checked = run("verify", str(path))
    assert checked.exit_code == 2 and reason in checked.stderr, checked.output
