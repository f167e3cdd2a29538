"""The queries behind `companion sessions` and `companion search`, on a big database.

Builds, in a temporary folder, a database with the schema the Store creates (Store() runs
the migrations) and fills it with raw SQL in one transaction: 10,000 sessions of 100 notes
each, so 1,000,000 notes (events, texts and the FTS index, rebuilt once after the bulk
insert). Then, in process, several runs each, median and spread:

- Store.sessions() (all 10,000 rows, what `companion sessions` lists; target <= 100 ms),
  against the bare `SELECT * FROM sessions ORDER BY ...` fetch on a plain sqlite3 connection;
- Store.search() over the 1,000,000 notes (target <= 50 ms) for a rare word, a word in
  ~300 notes, two words together and a word in ~15 % of the notes, against the bare FTS5
  MATCH ... ORDER BY rank LIMIT 50 on the index alone, which ranks every match. The store
  ranks only the latest SEARCH_LATEST (2,000) matches: every match of the first three, the
  latest 2,000 of the common word's ~150,000 (each label says how many matched, how many
  were ranked); and Store.search_places(), the query the `search` command actually runs
  (it places each hit: section title, edits), also narrowed to one candidate (4 of the
  10,000 sessions, spread over the whole file), against the bare ranking of that
  candidate's matches;

and, as subprocesses, the whole `companion sessions --json` command against
`python -c "import click, sqlite3, platformdirs, json"` (the bare import of its own
dependencies: what the command imports besides companion itself; no PyYAML, no Textual;
target <= 1.1x), alternating.

Run: python bench/bench_queries.py [--sessions 10000] [--notes 100] [--runs 7]
       [--db PATH to keep or reuse the database]
A figure printer, not a timed test."""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from installed import compile_package

from companion.clock import iso
from companion.store.database import Store

COMPANION = Path(sys.executable).parent / "companion"
TARGET_SESSIONS_S = 0.100
TARGET_SEARCH_S = 0.050
TARGET_COMMAND = 1.1
BARE_DEPENDENCIES = "click, sqlite3, platformdirs, json"  # what `sessions --json` imports
CANDIDATE = "Candidate 42"  # sessions 42, 3042, 6042 and 9042 (with 10,000 sessions)
BASE = 1_700_000_000.0
COMMON = ("candidate", "design", "explained", "asked", "clear", "cache", "latency", "data",
          "service", "trade-off", "example", "question", "answer", "good", "missed",
          "retry", "queue", "storage", "test", "scale")
PLAN = {
    "id": "bench-plan", "title": "Bench plan", "mode": "interview", "rubric": None,
    "sections": [{"title": t, "minutes": 10, "guidance": "", "prompts": [], "signals": None}
                 for t in ("Intro", "Design", "Deep dive", "Wrap-up")],
}


def vocabulary(size: int) -> list[str]:
    """Pronounceable made-up words (no collision with COMMON), e.g. 'bakodu'."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = ("".join(p) for p in itertools.product(syllables, repeat=3))
    return list(itertools.islice(words, size))


def build(path: Path, sessions: int, notes: int, seed: int = 7) -> dict[str, Any]:
    """Fill a new database; returns what the queries will look for."""
    rng = random.Random(seed)
    vocab = vocabulary(20_000)
    needle = "zzneedle"
    needle_at = set(rng.sample(range(sessions * notes), 5))
    Store(path).close()  # the schema, by the migrations
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    (trigger,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'texts_ai'").fetchone()
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER texts_ai")  # the FTS index is rebuilt once, below
    statuses = ["ended"] * 8 + ["abandoned", "paused"]
    count = 0
    for n in range(sessions):
        sid = f"q{n:07d}"
        started = BASE + n * 5400
        cand = f"Candidate {n % 3000}"
        status = statuses[n % len(statuses)]
        ended = iso(started + notes * 30 + 60) if status in ("ended", "abandoned") else None
        conn.execute(
            "INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, candidate_id, "
            "interviewer, started_at, ended_at, last_event_at, status, score, max_score, "
            "recommendation) VALUES (?, 'bench-plan', 'Bench plan', 'interview', ?, ?, "
            "'Ada', ?, ?, ?, ?, ?, 12, ?)",
            (sid, cand, f"c{n % 3000}@example.com", iso(started), ended,
             iso(started + notes * 30 + 60), status, n % 13 if ended else None,
             "yes" if n % 3 else "no"))
        event_rows = [(sid, 1, "session_started", iso(started), 0.0, None,
                       json.dumps({"session_id": sid, "plan": PLAN, "candidate": cand}))]
        text_rows = []
        for k in range(notes):
            words = rng.sample(COMMON, 3) + rng.sample(vocab, 6)
            if count in needle_at:
                words.append(needle)
            count += 1
            rng.shuffle(words)
            text = " ".join(words)
            seq, t, section = k + 2, 30.0 * (k + 1), k * 4 // notes
            event_rows.append((sid, seq, "note_added", iso(started + t), t, section,
                               json.dumps({"section": section, "text": text, "back": 0.0,
                                           "flagged": False, "section_offset": t})))
            text_rows.append((sid, seq, "note", section, text))
        conn.executemany("INSERT INTO events (session_id, seq, type, at, t, section, data) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)
        conn.executemany("INSERT INTO texts (session_id, seq, kind, section, text) "
                         "VALUES (?, ?, ?, ?, ?)", text_rows)
    inserted = time.perf_counter() - start
    conn.execute("INSERT INTO texts_fts(texts_fts) VALUES('rebuild')")
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    built = time.perf_counter() - start
    # A word in about 300 notes, and one of those notes for a two-word query.
    probe = sqlite3.connect(path)
    (text,) = probe.execute("SELECT text FROM texts WHERE rowid = 4242").fetchone()
    probe.close()
    mid = next(w for w in text.split() if w not in COMMON and w != needle)
    common = next(w for w in text.split() if w in COMMON)
    return {"needle": needle, "mid": mid, "two": f"{common} {mid}", "common": "candidate",
            "inserted_s": inserted, "built_s": built}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    spread = f"{min(ms):.1f}-{max(ms):.1f}" if len(ms) > 1 else "-"
    return f"median {statistics.median(ms):.1f} ms (spread {spread})"


def compare(label: str, ours: Callable[[], Any], base: Callable[[], Any], runs: int,
            target_s: float | None = None, target_ratio: float | None = None) -> None:
    _, result = timed(ours)
    timed(base)
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        theirs.append(timed(base)[0])
        mine.append(timed(ours)[0])
    ratio = statistics.median(mine) / statistics.median(theirs)
    verdicts = []
    if target_s is not None:
        ok = statistics.median(mine) <= target_s
        verdicts.append(f"target <= {target_s * 1000:g} ms: {'met' if ok else 'MISSED'}")
    if target_ratio is not None:
        ok = ratio <= target_ratio
        verdicts.append(f"target <= {target_ratio:g}x: {'met' if ok else 'MISSED'}")
    rows = f", {len(result)} rows" if isinstance(result, list) else ""
    print(f"{label}{rows}:")
    print(f"  companion: {summary(mine)}" + (f" ({'; '.join(verdicts)})" if verdicts else ""))
    print(f"  baseline:  {summary(theirs)}")
    print(f"  ratio {ratio:.2f}x")


def ranked(store: Store, bare: sqlite3.Connection, query: str,
           candidate: str | None = None) -> str:
    """How many notes match, and how many of them the store ranks (untimed)."""
    match = " ".join(f'"{w}"' for w in query.split())
    sql = ("SELECT count(*) FROM texts_fts JOIN texts t ON t.rowid = texts_fts.rowid "
           "JOIN sessions s ON s.id = t.session_id WHERE texts_fts MATCH ?")
    params: list[Any] = [match]
    if candidate:
        sql += " AND s.candidate = ?"
        params.append(candidate)
    (matches,) = bare.execute(sql, params).fetchone()
    found = store.search_places(query, candidate=candidate)
    which = f"the latest {found.ranked:,}" if found.capped else "all"
    return f"[{matches:,} matches, {which} ranked]"


def bare_ranking(bare: sqlite3.Connection, match: str, candidate: str | None) -> list[Any]:
    """The bare FTS5 ranking of every match (of one candidate's, joined, when given)."""
    if candidate is None:
        return bare.execute("SELECT rowid FROM texts_fts WHERE texts_fts MATCH ? "
                            "ORDER BY rank LIMIT 50", (match,)).fetchall()
    return bare.execute(
        "SELECT texts_fts.rowid FROM texts_fts JOIN texts t ON t.rowid = texts_fts.rowid "
        "JOIN sessions s ON s.id = t.session_id WHERE texts_fts MATCH ? AND s.candidate = ? "
        "ORDER BY rank LIMIT 50", (match, candidate)).fetchall()


def run_process(args: list[str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=100, help="notes per session")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep the database here (reused if it exists)")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}; {platform.machine()}; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
          f"runs: {args.runs}")
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        path = args.db or Path(tmp) / "queries.db"
        info_path = path.with_name(path.name + ".bench.json")
        if path.exists() and info_path.exists():
            info = json.loads(info_path.read_text())
            print(f"database: reused {path}")
        else:
            info = build(path, args.sessions, args.notes)
            info_path.write_text(json.dumps(info))
            print(f"database: {args.sessions:,} sessions, {args.sessions * args.notes:,} "
                  f"notes, built in {info['built_s']:.1f} s (inserts {info['inserted_s']:.1f}"
                  f" s, then one FTS rebuild)")
        print(f"  file: {path.stat().st_size / 1e6:.0f} MB")

        store = Store(path)
        bare = sqlite3.connect(path)
        try:
            compare("Store.sessions() (companion sessions)", store.sessions,
                    lambda: bare.execute("SELECT * FROM sessions ORDER BY started_at DESC, "
                                         "rowid DESC").fetchall(),
                    args.runs, target_s=TARGET_SESSIONS_S)
            for name in ("needle", "mid", "two", "common"):
                query = info[name]
                match = " ".join(f'"{w}"' for w in query.split())
                compare(f"Store.search({query!r}) {ranked(store, bare, query)}",
                        lambda q=query: store.search(q),
                        lambda m=match: bare.execute(
                            "SELECT rowid FROM texts_fts WHERE texts_fts MATCH ? "
                            "ORDER BY rank LIMIT 50", (m,)).fetchall(),
                        args.runs, target_s=TARGET_SEARCH_S)
            for name, candidate in (("mid", None), ("common", None), ("common", CANDIDATE)):
                query = info[name]
                match = " ".join(f'"{w}"' for w in query.split())
                scope = f", candidate={candidate!r}" if candidate else ""
                compare(f"Store.search_places({query!r}{scope}) (companion search) "
                        f"{ranked(store, bare, query, candidate)}",
                        lambda q=query, c=candidate: store.search_places(q, candidate=c).rows,
                        lambda m=match, c=candidate: bare_ranking(bare, m, c),
                        args.runs, target_s=TARGET_SEARCH_S)
        finally:
            store.close()
            bare.close()

        if COMPANION.exists():
            compile_package()
            env_note = "stdout to /dev/null"
            deps = [sys.executable, "-c", f"import {BARE_DEPENDENCIES}"]
            compare(f"`companion sessions --json` ({args.sessions:,} sessions, {env_note}) "
                    f"vs `python -c 'import {BARE_DEPENDENCIES}'`",
                    run_process([str(COMPANION), "--db", str(path), "sessions", "--json"]),
                    run_process(deps), args.runs, target_ratio=TARGET_COMMAND)
            empty = [str(COMPANION), "--db", str(Path(tmp) / "empty.db"), "sessions", "--json"]
            subprocess.run(empty, capture_output=True, check=True)  # creates it: not timed
            compare("`companion sessions --json` on an empty database (start-up alone)",
                    run_process(empty), run_process(deps), args.runs,
                    target_ratio=TARGET_COMMAND)
        else:
            print(f"(no {COMPANION}: the command figures are skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
