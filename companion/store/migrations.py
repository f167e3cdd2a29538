"""The schema's history: one migration per version, each run once in a transaction when
an older database is opened (companion.store.database.Store). Version 7's is in
companion.store.listing. Every one is tested from a fixture database of the version before
(tests/fixtures/v3, v6, v7, v8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.store.listing import create_listing, migrate_7

if TYPE_CHECKING:  # imported when a migration runs: it costs ~50 ms at start-up
    import sqlite_utils


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            plan_id TEXT NOT NULL,
            plan_title TEXT NOT NULL,
            mode TEXT NOT NULL,
            candidate TEXT NOT NULL,
            candidate_id TEXT,
            role TEXT,
            level TEXT,
            interviewer TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            last_event_at TEXT,
            status TEXT NOT NULL,
            score INTEGER,
            max_score INTEGER,
            recommendation TEXT,
            source TEXT NOT NULL DEFAULT 'local'
        )""")
    db.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            t REAL NOT NULL,
            section INTEGER,
            data TEXT NOT NULL,
            UNIQUE (session_id, seq)
        )""")
    db.execute("""
        CREATE TABLE drafts (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id),
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX sessions_started ON sessions(started_at)")
    db.execute("CREATE INDEX sessions_candidate ON sessions(candidate, candidate_id)")


def _migrate_2(db: sqlite_utils.Database) -> None:
    """Full-text search over note, evidence, summary and post-mortem text; readable views."""
    db.execute("""
        CREATE TABLE texts (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            section INTEGER,
            text TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX texts_session ON texts(session_id)")
    db.table("texts").enable_fts(["text"], create_triggers=True, tokenize="unicode61")
    from companion.events import TEXT_TYPES

    # Backfill from the log, for databases made before this version.
    for kind, (label, key) in TEXT_TYPES.items():
        db.execute(
            "INSERT INTO texts (session_id, seq, kind, section, text) "
            "SELECT session_id, seq, ?, section, json_extract(data, ?) FROM events "
            "WHERE type = ? AND coalesce(json_extract(data, ?), '') != ''",
            [label, f"$.{key}", kind, f"$.{key}"],
        )
    db.execute("""
        CREATE VIEW notes AS
        SELECT e.session_id, e.seq AS note, e.section, e.at, e.t,
               json_extract(e.data, '$.text') AS text,
               json_extract(e.data, '$.flagged') AS flagged,
               json_extract(e.data, '$.back') AS back_seconds
        FROM events e WHERE e.type = 'note_added'""")
    db.execute("""
        CREATE VIEW scores AS
        SELECT e.session_id, e.seq, e.at,
               json_extract(e.data, '$.criterion') AS criterion,
               json_extract(e.data, '$.score') AS score,
               json_extract(e.data, '$.evidence') AS evidence
        FROM events e WHERE e.type = 'score_set'""")


def _migrate_3(db: sqlite_utils.Database) -> None:
    """Panel features (docs/panel.md): seals, imported sessions, and the log of the moments
    this database showed its user another interviewer's scorecard (imports, debrief views).
    Rows go when their session is purged (ON DELETE CASCADE)."""
    db.execute("""
        CREATE TABLE seals (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            covers INTEGER NOT NULL,
            sealed_at TEXT NOT NULL,
            algorithm TEXT NOT NULL,
            key_id TEXT,
            digest TEXT NOT NULL,
            seen_others_at TEXT,
            seen_others TEXT,
            views_logged_since TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE imports (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            file TEXT NOT NULL,
            interviewer TEXT,
            digest TEXT NOT NULL,
            algorithm TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE panel_views (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            interviewer TEXT,
            candidate TEXT NOT NULL,
            candidate_id TEXT,
            detail TEXT
        )""")
    db.execute("CREATE INDEX panel_views_session ON panel_views(session_id)")
    # Views are known from now on. A database that already holds sessions cannot tell what
    # its user saw before this moment; a new one knows everything. A constant view, not a
    # table row: it is no candidate data, and a purge leaves no table with rows behind.
    since = db.execute(
        "SELECT CASE WHEN (SELECT count(*) FROM sessions) = 0 THEN '' ELSE "
        "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') END").fetchone()[0]
    db.execute(f"CREATE VIEW panel_log_started AS SELECT '{since}' AS views_logged_since")


def _migrate_4(db: sqlite_utils.Database) -> None:
    """Erasures that are not finished (Store.purge): a row from the moment a purge deletes its
    sessions until the file holds none of their text (index rebuilt, file vacuumed, WAL
    emptied); the next purge or the next open finishes any left. No candidate data: when,
    why and how many sessions.

    A database from before this version may hold the text of a purge that was interrupted
    (the deletes done, the rest never): when it holds any data at all, one erasure is
    recorded now, so the first open after the upgrade finishes it."""
    db.execute("""
        CREATE TABLE pending_erasures (
            id INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            sessions INTEGER NOT NULL
        )""")
    db.execute(
        "INSERT INTO pending_erasures (recorded_at, reason, sessions) "
        "SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'upgrade', 0 "
        "WHERE EXISTS (SELECT 1 FROM sessions) OR EXISTS (SELECT 1 FROM texts_fts_idx) "
        "OR (SELECT freelist_count FROM pragma_freelist_count()) > 0")


def _migrate_5(db: sqlite_utils.Database) -> None:
    """One holder per session (companion.lease): a lease row per session that a process
    holds or last held, with its heartbeat. Drafts per field: the note line's draft becomes
    the `note` field, beside the after-call screens' text."""
    db.execute("""
        CREATE TABLE leases (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id),
            token TEXT NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            boot_id TEXT NOT NULL,
            since REAL NOT NULL,
            beat_wall REAL NOT NULL,
            beat_boot REAL NOT NULL,
            held INTEGER NOT NULL
        )""")
    db.execute("ALTER TABLE drafts RENAME TO drafts_v4")
    db.execute("""
        CREATE TABLE drafts (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            field TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, field)
        )""")
    db.execute("INSERT INTO drafts (session_id, field, text, updated_at) "
               "SELECT session_id, 'note', text, updated_at FROM drafts_v4")
    db.execute("DROP TABLE drafts_v4")



# The views of schema 6: what the log adds up to now, for ordinary tools (README). Sections
# are numbered from 1 as in the exports; the raw log stays in `events`.
# (`+e.seq`: no affinity on either side, so the events_note index serves the lookup.)
_LATER_ON_NOTE = ("SELECT {what} FROM events x WHERE x.session_id = e.session_id "
                  "AND x.type IN ('note_edited', 'note_flagged', 'note_retracted') "
                  "AND json_extract(x.data, '$.note') = +e.seq AND x.type = '{type}'")
NOTES_VIEW = f"""
    CREATE VIEW notes AS
    SELECT e.session_id, e.seq AS note, e.section + 1 AS section,
           json_extract(st.data, '$.plan.sections[' || e.section || '].title') AS section_title,
           e.at, max(0, e.t - coalesce(json_extract(e.data, '$.back'), 0)) AS t,
           coalesce(({_LATER_ON_NOTE.format(what="json_extract(x.data, '$.text')",
                                            type="note_edited")} ORDER BY x.seq DESC LIMIT 1),
                    json_extract(e.data, '$.text')) AS text,
           coalesce(({_LATER_ON_NOTE.format(what="json_extract(x.data, '$.flagged')",
                                            type="note_flagged")} ORDER BY x.seq DESC LIMIT 1),
                    json_extract(e.data, '$.flagged'), 0) AS flagged,
           EXISTS ({_LATER_ON_NOTE.format(what="1", type="note_retracted")}) AS retracted,
           ({_LATER_ON_NOTE.format(what="count(*)", type="note_edited")}) AS edits,
           json_extract(e.data, '$.back') AS back_seconds
    FROM events e JOIN events st ON st.session_id = e.session_id AND st.seq = 1
    WHERE e.type = 'note_added'"""
SCORES_VIEW = """
    CREATE VIEW scores AS
    SELECT e.session_id, e.seq, e.at,
           json_extract(e.data, '$.criterion') AS criterion,
           json_extract(e.data, '$.score') AS score,
           json_extract(e.data, '$.evidence') AS evidence,
           (SELECT count(*) FROM events c WHERE c.session_id = e.session_id
              AND c.type = 'score_set' AND c.seq < e.seq
              AND json_extract(c.data, '$.criterion') = json_extract(e.data, '$.criterion'))
              AS earlier_scores
    FROM events e WHERE e.type = 'score_set'
      AND json_extract(e.data, '$.score') IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM events l WHERE l.session_id = e.session_id
              AND l.type = 'score_set' AND l.seq > e.seq
              AND json_extract(l.data, '$.criterion') = json_extract(e.data, '$.criterion'))"""


def _migrate_6(db: sqlite_utils.Database) -> None:
    """People and scorecards: the listing keeps the candidate's name and stable id as they
    are now (identity events), when the scorecard was first complete and whether it is
    pending ('pending', 'complete', NULL: not a scorecard, or not worked out yet: sessions
    from before this version get it from their log on first listing, see
    companion.panel.scorecards). The views `notes` and `scores` tell what the log adds up to
    now (edits, flags, retractions, the current score); sections from 1."""
    db.execute("ALTER TABLE sessions ADD COLUMN completed_at TEXT")
    db.execute("ALTER TABLE sessions ADD COLUMN scorecard TEXT")
    db.execute("CREATE INDEX sessions_candidate_id ON sessions(candidate_id)")
    # What the views look up per note and per score (partial: a note or tick adds nothing).
    # Partial by type, not by json_extract: a start event of an old database may hold text
    # that is not strict JSON (a NaN in its plan), and indexing it would fail the upgrade.
    db.execute("CREATE INDEX events_note ON events(session_id, json_extract(data, '$.note'), "
               "seq) WHERE type IN ('note_edited', 'note_flagged', 'note_retracted')")
    db.execute("CREATE INDEX events_score ON events(session_id, "
               "json_extract(data, '$.criterion'), seq) WHERE type = 'score_set'")
    db.execute("DROP VIEW notes")
    db.execute("DROP VIEW scores")
    db.execute(NOTES_VIEW)
    db.execute(SCORES_VIEW)



def _migrate_8(db: sqlite_utils.Database) -> None:
    """The sessions imported from elsewhere (a panel's, an interviewer's export), indexed:
    every listing asks which panel scorecards to hide, and without it that question read
    all 100,000 rows of a database that holds none (32 ms)."""
    db.execute("CREATE INDEX sessions_imported ON sessions(source) WHERE source != 'local'")


def _migrate_9(db: sqlite_utils.Database) -> None:
    """Each session's `sessions --json` object kept in a table (create_listing); and the
    count of sessions kept right when another program replaces a row (INSERT OR REPLACE):
    the outer policy made the count trigger's INSERT OR IGNORE a replace (the count fell
    to 1), and the replaced row, deleted without its delete trigger, was counted twice.
    Counted again now."""
    conn = db.conn
    create_listing(conn)
    conn.execute("DROP TRIGGER session_count_insert")
    conn.execute("CREATE TRIGGER session_count_insert AFTER INSERT ON sessions BEGIN "
                 "INSERT INTO session_count (id, n) SELECT 1, 0 "
                 "WHERE NOT EXISTS (SELECT 1 FROM session_count); "
                 "UPDATE session_count SET n = n + 1 WHERE id = 1; END")
    conn.execute("CREATE TRIGGER session_count_replace BEFORE INSERT ON sessions "
                 "WHEN EXISTS (SELECT 1 FROM sessions WHERE id = NEW.id) BEGIN "
                 "UPDATE session_count SET n = n - 1 WHERE id = 1; END")
    conn.execute("DELETE FROM session_count")
    conn.execute("INSERT INTO session_count (id, n) SELECT 1, count(*) FROM sessions "
                 "HAVING count(*) > 0")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _migrate_1, _migrate_2, _migrate_3, _migrate_4, _migrate_5, _migrate_6, migrate_7,
    _migrate_8, _migrate_9]
