"""How long saving one event takes, in a database that already holds 10,000 sessions.

Fills a temporary database with 10,000 sessions (a session_started carrying a small plan and
about 20 note / signal / pause events each, written in one transaction), then times
`Store.append` (one commit per event, as the app does) against a bare sqlite3
insert-and-commit into a plain table of a WAL database with the same settings, in the same run
and on the same disk. Also times `Session.add_note`, which is what a key press pays: the store
write plus the in-memory replay. Prints p50 / p99 and the ratio.

Run: python bench/bench_events.py [--sessions N] [--appends N]
A figure printer, not a timed test."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from companion.clock import FakeClock, iso
from companion.model import (
    Criterion,
    Prompt,
    Rubric,
    SectionPlan,
    SessionPlan,
    Signal,
    SignalSet,
)
from companion.session import Event, Session, summary_of
from companion.store.database import Store

WORDS = (
    "consensus", "raft", "leader", "election", "partition", "tolerance", "latency", "budget",
    "cache", "invalidation", "sharding", "replica", "queue", "backpressure", "idempotent",
    "retry", "timeout", "trade-off", "clarified", "asked", "follow-up", "structured", "vague",
    "specific", "example",
)


def small_plan() -> SessionPlan:
    anchors = ("missing", "partial", "strong")
    signals = SignalSet("sig", "Signals", good=(Signal("g1", "clear"), Signal("g2", "specific")),
                        bad=(Signal("b1", "vague"),))
    return SessionPlan(
        id="bench-screen", title="Bench screen", mode="interview",
        sections=(
            SectionPlan("Intro", 5, prompts=(Prompt("q1", "Tell me about a project."),),
                        signals=signals),
            SectionPlan("Design", 30, prompts=(Prompt("q2", "Design a URL shortener."),
                                               Prompt("q3", "How would it scale?"))),
            SectionPlan("Questions", 10),
        ),
        rubric=Rubric("rub", "Rubric", (Criterion("c1", "Communication", anchors),
                                        Criterion("c2", "Design", anchors)), threshold=2),
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def fill(store: Store, sessions: int, plan: SessionPlan) -> int:
    """Write `sessions` finished sessions with raw SQL in one transaction; returns events."""
    plan_dict = plan.to_dict()
    base = 1_700_000_000.0
    session_rows, event_rows, text_rows = [], [], []
    for n in range(sessions):
        sid = f"b{n:07d}"
        start = base + n * 3600
        cand = f"Candidate {n % 2500}"
        events: list[tuple[str, float, int | None, dict[str, object]]] = [
            ("session_started", 0.0, None, {"session_id": sid, "plan": plan_dict,
                                            "candidate": cand, "candidate_id": "",
                                            "role": "", "level": "", "interviewer": "Ada"}),
            ("section_started", 0.0, 0, {"section": 0}),
        ]
        t = 0.0
        for k in range(18):
            t += 37.0
            section = min(2, k // 7)
            if k in (7, 14):
                events.append(("section_started", t, section, {"section": section}))
            elif k % 5 == 3:
                events.append(("signal_toggled", t, section,
                               {"section": section, "signal": "g1", "on": True}))
            elif k == 10:
                events.append(("section_paused", t, section, {"section": section}))
                events.append(("section_resumed", t + 20, section, {"section": section}))
            else:
                words = " ".join(WORDS[(n + k + j) % len(WORDS)] for j in range(9))
                events.append(("note_added", t, section,
                               {"section": section, "text": words, "back": 0.0,
                                "flagged": False, "section_offset": 12.0}))
        events.append(("score_set", t + 5, None, {"criterion": "c1", "score": n % 3,
                                                  "evidence": "explained the trade-offs"}))
        events.append(("session_ended", t + 10, None, {}))
        for seq, (kind, et, section, data) in enumerate(events, 1):
            event_rows.append((sid, seq, kind, iso(start + et), et, section,
                               json.dumps(data, ensure_ascii=False)))
            text = data.get("text") or data.get("evidence")
            if text:
                kind_label = "note" if kind == "note_added" else "evidence"
                text_rows.append((sid, seq, kind_label, section, text))
        session_rows.append((sid, plan.id, plan.title, plan.mode, cand, "Ada", iso(start),
                             iso(start + t + 10), iso(start + t + 10), "ended", n % 3, 4))
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, interviewer, "
            "started_at, ended_at, last_event_at, status, score, max_score) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", session_rows)
        store.conn.executemany(
            "INSERT INTO events (session_id, seq, type, at, t, section, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)
        store.conn.executemany(
            "INSERT INTO texts (session_id, seq, kind, section, text) VALUES (?, ?, ?, ?, ?)",
            text_rows)
    return len(event_rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--appends", type=int, default=2_000)
    parser.add_argument("--notes", type=int, default=500,
                        help="Session.add_note calls on one live session")
    args = parser.parse_args()
    plan = small_plan()

    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        store = Store(folder / "bench.db")
        total_events = fill(store, args.sessions, plan)
        fill_s = time.perf_counter() - t0
        # Start the timing from a settled file: the bulk fill checkpointed out of the WAL and
        # flushed, so its write-back does not land on the timed commits.
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.sync()

        # The session the timed events belong to, started through the real API.
        clock = FakeClock(wall=1_800_000_000.0)
        live = Session.start(plan, clock, store.sink("live0001"), candidate="Live",
                             session_id="live0001")
        summary = summary_of(live.state)
        seq = len(live.events)

        bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
        bare.execute("PRAGMA journal_mode=WAL")
        bare.execute("PRAGMA synchronous=NORMAL")
        bare.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, session_id TEXT, seq INTEGER, "
                     "type TEXT, at TEXT, t REAL, section INTEGER, data TEXT)")

        store_times: list[float] = []
        bare_times: list[float] = []

        def store_one(i: int) -> float:
            nonlocal seq
            seq += 1
            clock.advance(1)
            event = Event(seq, "note_added", float(seq), clock.wall(),
                          {"section": 0, "text": f"timed note {i} " + " ".join(WORDS[:8]),
                           "back": 0.0, "flagged": False, "section_offset": float(seq)})
            start = time.perf_counter()
            store.append("live0001", event, replace(summary, last_event_at=clock.wall()))
            return time.perf_counter() - start

        def bare_one(i: int) -> float:
            data = json.dumps({"section": 0, "text": f"timed note {i} " + " ".join(WORDS[:8])})
            start = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute("INSERT INTO log (session_id, seq, type, at, t, section, data) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         ("live0001", i, "note_added", iso(clock.wall()), float(i), 0, data))
            bare.execute("COMMIT")
            return time.perf_counter() - start

        for i in range(100):  # warm up both
            store_one(i)
            bare_one(i)
        block = 100
        for first in range(0, args.appends, block):  # alternate, so drift hits both alike
            count = min(block, args.appends - first)
            store_times += [store_one(first + k) for k in range(count)]
            bare_times += [bare_one(first + k) for k in range(count)]

        # Pages each commit writes: WAL frames over a stretch with no automatic checkpoint.
        frames = {}
        for name, conn, one in (("store", store.conn, store_one), ("bare", bare, bare_one)):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA wal_autocheckpoint=0")
            for k in range(100):
                one(args.appends + k)
            frames[name] = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1] / 100
            conn.execute("PRAGMA wal_autocheckpoint=1000")

        # What a key press pays in the app: Session.add_note = replay + Store.append.
        clock2 = FakeClock(wall=1_900_000_000.0)
        keyed = Session.start(plan, clock2, store.sink("key00001"), candidate="Keys",
                              session_id="key00001")
        note_times: list[float] = []
        for i in range(args.notes):
            clock2.advance(2)
            start = time.perf_counter()
            keyed.add_note(f"note {i} " + " ".join(WORDS[:6]))
            note_times.append(time.perf_counter() - start)

        check_start = time.perf_counter()
        integrity = store.conn.execute("PRAGMA quick_check").fetchone()[0]
        check_s = time.perf_counter() - check_start
        size_mb = (folder / "bench.db").stat().st_size / 1e6
        store.close()
        bare.close()

    ms = 1000.0
    s50, s99 = percentile(store_times, 50) * ms, percentile(store_times, 99) * ms
    b50, b99 = percentile(bare_times, 50) * ms, percentile(bare_times, 99) * ms
    first_n = note_times[: max(1, len(note_times) // 10)]
    last_n = note_times[-max(1, len(note_times) // 10):]
    print(f"machine: {platform.platform()}; {platform.machine()}; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}; "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"database: {args.sessions:,} sessions, {total_events:,} events, {size_mb:.1f} MB, "
          f"filled in {fill_s:.1f} s (one transaction); quick_check: {integrity} in "
          f"{check_s:.2f} s")
    print(f"Store.append, one commit per event ({len(store_times)}x): "
          f"p50 {s50:.3f} ms, p99 {s99:.3f} ms, mean "
          f"{statistics.fmean(store_times) * ms:.3f} ms")
    print(f"bare sqlite3 INSERT+COMMIT, WAL, synchronous=NORMAL ({len(bare_times)}x): "
          f"p50 {b50:.3f} ms, p99 {b99:.3f} ms, mean "
          f"{statistics.fmean(bare_times) * ms:.3f} ms")
    print(f"ratio Store/bare: p50 {s50 / b50:.2f}x, p99 {s99 / b99:.2f}x; pages written "
          f"per commit: Store {frames['store']:.1f}, bare {frames['bare']:.1f} "
          "(event row, its indexes, the texts row and its FTS index, the sessions row)")
    print(f"Session.add_note (replay + append), {len(note_times)} notes on one session: "
          f"p50 {percentile(note_times, 50) * ms:.3f} ms, p99 "
          f"{percentile(note_times, 99) * ms:.3f} ms; first {len(first_n)} median "
          f"{statistics.median(first_n) * ms:.3f} ms, last {len(last_n)} median "
          f"{statistics.median(last_n) * ms:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
