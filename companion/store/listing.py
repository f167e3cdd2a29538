"""What the listing keeps so that reading stays flat at any size (schema 7): each session's
folded candidate and interviewer names (indexed, for `--candidate` and calibration), the
number of sessions (kept by triggers), and each session's digest (companion.digest: scores,
rubric, time per section), rewritten with every event that changes the listing. The practice
trend, calibration and `--focus-weak` read these rows, never a replay of each session; the
indexes let `sessions`, home and the debrief read only the rows they show. SQL lives here
and in companion.store.database only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from companion.clock import from_iso
from companion.textsafe import fold_name

if TYPE_CHECKING:
    import sqlite_utils

    from companion.events import Event

# Practice sessions that count for the trend (the practice index serves it).
PRACTICE = "mode = 'practice' AND status != 'abandoned'"
# The columns of a scorecard or practice row: the listing's, with the digest.
ROW_COLUMNS = ("id, plan_id, plan_title, mode, candidate, candidate_id, interviewer, "
               "started_at, ended_at, status, score, max_score, recommendation, source, "
               "scorecard, completed_at, digest")


# What `companion sessions --json` writes of each session, in this order (the README
# documents it). Each session's object is kept, as SQLite makes it, in the table `listing`
# (schema 9), clustered in the listing's order: the JSON listing of 10,000 sessions reads
# 4 MB in order (5 ms) where building 10,000 objects from their rows took 26 ms and reading
# them from the rows 10 ms. Triggers keep it in step with `sessions`.
LISTING_KEYS = ("id", "plan_id", "plan_title", "mode", "candidate", "candidate_id", "role",
                "level", "interviewer", "started_at", "ended_at", "status", "score",
                "max_score", "recommendation", "source", "scorecard", "completed_at")


_NUMBERS = ("score", "max_score")
LISTING_PARTS = ("listing", "listing_insert", "listing_update", "listing_delete")


def listing_object(row: str = "") -> str:
    """The SQL of a session's listing object, of the columns of `row` (`NEW.`) or bare.
    Text columns are cast to text and the numbers kept only as numbers: a value another
    program wrote as a BLOB, which json_object refuses, must not stop every write (or the
    migration) of the whole database."""
    def value(key: str) -> str:
        if key in _NUMBERS:  # finite numbers only: JSON has no Infinity
            return (f"CASE WHEN typeof({row}{key}) = 'integer' OR (typeof({row}{key}) = "
                    f"'real' AND abs({row}{key}) <= 1.7976931348623157e308) "
                    f"THEN {row}{key} END")
        return f"CAST({row}{key} AS TEXT)"

    return "json_object(" + ", ".join(f"'{key}', {value(key)}" for key in LISTING_KEYS) + ")"


def create_listing(conn: sqlite3.Connection) -> None:
    """The `sessions --json` objects, kept in the listing's order: newest by start, ties in
    the order the sessions arrived (`n`, the session's rowid when listed; the id in the key
    too, so that rowids renumbered by a dump and restore never make two sessions collide).
    Inserted, rewritten and deleted with their session by triggers; filled from the
    sessions already there. A session without an id (possible only by hand) is not listed."""
    conn.execute("CREATE TABLE listing (started_at TEXT NOT NULL, n INTEGER NOT NULL, "
                 "id TEXT NOT NULL UNIQUE, json TEXT NOT NULL, "
                 "PRIMARY KEY (started_at, n, id)) WITHOUT ROWID")
    # OR REPLACE: a session row replaced (INSERT OR REPLACE) fires no delete trigger.
    conn.execute("CREATE TRIGGER listing_insert AFTER INSERT ON sessions "
                 "WHEN NEW.id IS NOT NULL BEGIN INSERT OR REPLACE INTO listing VALUES ("
                 f"coalesce(NEW.started_at, ''), NEW.rowid, NEW.id, {listing_object('NEW.')}"
                 "); END")
    conn.execute(f"CREATE TRIGGER listing_update AFTER UPDATE OF {', '.join(LISTING_KEYS)} "
                 "ON sessions BEGIN DELETE FROM listing WHERE id = OLD.id; "
                 "INSERT OR REPLACE INTO listing SELECT coalesce(NEW.started_at, ''), "
                 f"NEW.rowid, NEW.id, {listing_object('NEW.')} WHERE NEW.id IS NOT NULL; END")
    conn.execute("CREATE TRIGGER listing_delete AFTER DELETE ON sessions BEGIN "
                 "DELETE FROM listing WHERE id = OLD.id; END")
    conn.execute("INSERT OR REPLACE INTO listing SELECT coalesce(started_at, ''), rowid, id, "
                 f"{listing_object()} FROM sessions WHERE id IS NOT NULL")


def listing_intact(conn: sqlite3.Connection) -> bool:
    """Whether the listing table and its three triggers are all there (another program may
    have dropped one: the listing would go stale, and a purge would leave names in it)."""
    marks = ", ".join("?" * len(LISTING_PARTS))
    found = conn.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})",
                         LISTING_PARTS).fetchone()[0]
    return bool(found == len(LISTING_PARTS))


def rebuild_listing(conn: sqlite3.Connection) -> None:
    """The listing made again from the sessions (inside a transaction)."""
    for trigger in LISTING_PARTS[1:]:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS listing")
    create_listing(conn)


def saved_events(conn: sqlite3.Connection, session_id: str) -> list[Event]:
    """A session's events, decoded and checked (raises EventError for a damaged one)."""
    from companion.events import Event, check_record

    rows = conn.execute("SELECT seq, type, t, at, data FROM events WHERE session_id = ? "
                        "ORDER BY seq", (session_id,)).fetchall()
    events = [Event(seq, kind, t, from_iso(at), json.loads(data))
              for seq, kind, t, at, data in rows]
    for event in events:
        check_record(event)
    return events


def migrate_7(db: sqlite_utils.Database) -> None:
    """Flat at any size: the folded candidate and interviewer names, indexed, and each
    session's digest, worked out now from its log for the sessions already here (a session
    whose log does not replay keeps none: the readers replay it and say what is wrong). The
    indexes serve the newest-first page, one candidate, one interviewer's scorecards, the
    practice sessions and the pending scorecards."""
    from companion.digest import digest_json
    from companion.events import EventError, replay
    from companion.state import SessionError

    conn = db.conn
    conn.execute("ALTER TABLE sessions ADD COLUMN candidate_key TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN interviewer_key TEXT")
    conn.execute("ALTER TABLE sessions ADD COLUMN digest TEXT")
    keys = [(fold_name(candidate), fold_name(interviewer) if interviewer else None, sid)
            for sid, candidate, interviewer in conn.execute(
                "SELECT id, candidate, interviewer FROM sessions").fetchall()]
    conn.executemany("UPDATE sessions SET candidate_key = ?, interviewer_key = ? WHERE id = ?",
                     keys)
    digests = []
    for (sid,) in conn.execute("SELECT id FROM sessions").fetchall():
        try:
            digests.append((digest_json(replay(saved_events(conn, sid))), sid))
        except (EventError, SessionError, ValueError):
            continue  # left to the readers' replay, which names the damage
    conn.executemany("UPDATE sessions SET digest = ? WHERE id = ?", digests)
    conn.execute("CREATE INDEX sessions_candidate_key ON sessions(candidate_key)")
    conn.execute("CREATE INDEX sessions_interviewer_key ON sessions(interviewer_key, status)")
    conn.execute("CREATE INDEX sessions_practice ON sessions(started_at) "
                 "WHERE mode = 'practice'")
    conn.execute("CREATE INDEX sessions_scorecard ON sessions(scorecard, ended_at)")
    # How many sessions there are, kept by triggers: `sessions` says how many more than its
    # page there are without counting 100,000 rows each time. No row when there are none
    # (a purge of everything leaves every table empty).
    conn.execute("CREATE TABLE session_count (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "n INTEGER NOT NULL)")
    conn.execute("INSERT INTO session_count (id, n) SELECT 1, count(*) FROM sessions "
                 "HAVING count(*) > 0")
    conn.execute("CREATE TRIGGER session_count_insert AFTER INSERT ON sessions BEGIN "
                 "INSERT OR IGNORE INTO session_count (id, n) VALUES (1, 0); "
                 "UPDATE session_count SET n = n + 1 WHERE id = 1; END")
    conn.execute("CREATE TRIGGER session_count_delete AFTER DELETE ON sessions BEGIN "
                 "UPDATE session_count SET n = n - 1 WHERE id = 1; "
                 "DELETE FROM session_count WHERE n <= 0; END")


def candidate_filter(candidate: str) -> tuple[str, list[Any]]:
    """The one identity rule in SQL, for `--candidate` (a condition over `sessions`, and its
    params). A stable id identifies a person: when the text is a stable id some session has,
    it selects that person's sessions. Otherwise it is a name (compared folded: Unicode
    casefold, spaces collapsed) and selects the sessions of every person with that name:
    every session of each stable id that a session of that name has, and the sessions of that
    name without an id (each its own person: sessions without an id join a person only
    through a candidate_merged event, which gives them the id). Names and ids are the
    listing's: as they are now, after renames and merges.

    Three disjoint branches, each an index lookup (candidate_id, candidate_key): the rows of
    that person, never a walk of every session."""
    key = fold_name(candidate)
    known_id = "EXISTS (SELECT 1 FROM sessions q WHERE q.candidate_id = ?)"
    return ("id IN ("
            "SELECT a.id FROM sessions a WHERE a.candidate_id = ? "
            "UNION ALL SELECT b.id FROM sessions b WHERE b.candidate_id IN ("
            " SELECT p.candidate_id FROM sessions p WHERE p.candidate_key = ?"
            f" AND p.candidate_id IS NOT NULL) AND NOT {known_id} "
            "UNION ALL SELECT c.id FROM sessions c WHERE c.candidate_key = ?"
            f" AND c.candidate_id IS NULL AND NOT {known_id})",
            [candidate, key, candidate, key, candidate])


def scorecard_rows_sql(interviewers: Sequence[str] | None) -> tuple[str, list[Any]]:
    """The ended interview scorecards with a named interviewer that calibrating
    `interviewers` (folded names; None: everyone) needs: theirs, and every other one of the
    candidates they scored (by stable id). Oldest first. A `WHERE` over `sessions s` that a
    caller can narrow further (a visibility rule) is the query's last part."""
    scorecard = "s.status = 'ended' AND s.mode != 'practice' AND s.interviewer_key != ''"
    if interviewers is None:
        return (f"SELECT {_prefixed('s')} FROM sessions s WHERE {scorecard} "
                "ORDER BY s.started_at, s.rowid", [])
    keys = list(dict.fromkeys(interviewers))
    marks = ", ".join("?" for _ in keys)
    own = (f"SELECT o.id FROM sessions o WHERE o.interviewer_key IN ({marks}) "
           "AND o.status = 'ended' AND o.mode != 'practice'")
    theirs = (f"SELECT t.id FROM sessions t WHERE t.candidate_id IN (SELECT c.candidate_id "
              f"FROM sessions c WHERE c.id IN ({own}) AND c.candidate_id IS NOT NULL)")
    return (f"SELECT {_prefixed('s')} FROM sessions s WHERE s.id IN ({own} UNION {theirs}) "
            f"AND {scorecard} ORDER BY s.started_at, s.rowid", [*keys, *keys])


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in ROW_COLUMNS.split(","))
