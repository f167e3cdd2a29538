"""The store's SQL (with `listing` and `migrations`). One SQLite file, WAL, one commit per
event.

Tables (plain, readable with sqlite-utils or Datasette):
  sessions  one row per session: who, what plan, when, status, score (derived, for listing)
  events    the append-only log: session_id, seq, type, at (ISO-8601 UTC), t, section, data
  texts     note, evidence, summary and post-mortem text, with an FTS5 index (texts_fts)
  drafts    text typed and not yet saved as an event, one row per session and field (the
            note line, evidence, summary, post-mortem, a dialog's text; `screen` says which
            screen the session was on)
  pending_erasures  purges whose text may still be in the file (see Store.purge)
  leases    who holds each open session, with a heartbeat (companion.lease)
Views: notes, scores."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from companion.clock import from_iso, iso, iso_stored
from companion.paths import exposure_warning, private_dir
from companion.store.listing import (
    PRACTICE,
    ROW_COLUMNS,
    listing_intact,
    rebuild_listing,
    scorecard_rows_sql,
)
from companion.store.listing import candidate_filter as _candidate_filter
from companion.store.migrations import MIGRATIONS, _migrate_2  # noqa: F401 (tests patch them here)
from companion.textsafe import fold_name, visible

if TYPE_CHECKING:  # imported when a migration runs: it costs ~50 ms at start-up

    # Imported where used: `sessions --json` and the other listings never decode an event
    # (the catalogue and the model cost ~30 ms of their start-up).
    from companion.events import Event, ListingRow
    from companion.lease import Lease

AUTOCHECKPOINT_PAGES = 10_000
SCHEMA_VERSION = 9
BUSY_TIMEOUT_S = 5.0
PURGE_WAIT_S = 10.0  # how long a purge waits for another program to let go of the file
OPEN_FINISH_WAIT_S = 0.25  # how long opening the file waits to finish a pending erasure
# The steps of a purge (Store.purge); a pending erasure repeats 2-5.
PURGE_STEPS = (
    "delete the sessions' rows and record the erasure as pending",
    "rebuild the full-text index from what is left",
    "VACUUM: rewrite the database file",
    "empty the write-ahead log (TRUNCATE checkpoint)",
    "clear the pending record",
)


def _fold_sql(value: object) -> str | None:
    return None if value is None else fold_name(value)


class StoreError(Exception):
    """A database problem, told in words a user can act on. The file is left as it was."""


class LeaseLost(StoreError):
    """Another process took this session over: this one must write nothing more to it."""


def _not_utf8(path: Path, where: str) -> str:
    return (f"{path} holds text that is not UTF-8 {where}: another program wrote it. Restore "
            "a backup, or rewrite that text with `sqlite3 FILE` (companion cannot read that "
            "row, so it cannot purge it either).")


def explain_error(path: Path, err: BaseException, busy: float | None = None) -> StoreError:
    """What went wrong with the database at `path`, said for its user: what, where, and
    what to do (SQLite's own words kept in the message)."""
    text = str(err)
    lower = text.lower()
    if "not a database" in lower:
        msg = (f"{path} is not a companion database (SQLite: {text}). It was left untouched; "
               "point --db or COMPANION_DB at another file.")
    elif "malformed" in lower or "corrupt" in lower:
        msg = (f"{path} is damaged (SQLite: {text}). It was left untouched; keep a copy, try "
               "`sqlite3 FILE .recover`, or use another file with --db.")
    elif "locked" in lower or "busy" in lower:
        from companion.holders import holders_of

        who = ", ".join(h.words() for h in holders_of(path)) or "another program"
        waited = BUSY_TIMEOUT_S if busy is None else busy
        msg = (f"{path} is locked by {who} for more than {waited:g} s. Close it and try "
               "again (the app retries by itself, and keeps what you type).")
    elif "decode to utf-8" in lower or isinstance(err, UnicodeDecodeError):
        msg = _not_utf8(path, f"({text})")
    elif "disk is full" in lower or "database or disk is full" in lower:
        msg = (f"{path}: the disk is full. Free some space and try again; everything saved "
               "before this is safe.")
    elif "readonly" in lower or "read-only" in lower or "unable to open" in lower:
        msg = (f"cannot write {path} ({text}). Check the folder's permissions or choose "
               "another file with --db PATH or COMPANION_DB.")
    else:
        msg = f"{path}: database error: {text}"
    return StoreError(msg)


def _create_file(path: Path) -> None:
    """Create the database file with mode 0600 (it holds candidate data), in folders made
    0700, whatever the umask. A dangling symlink is followed: its target is created so, not
    left to SQLite (which would make it 0644)."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        private_dir(path.parent)
    except OSError as err:
        # mkdir raises FileExistsError when the parent is a regular file: not "already there".
        if isinstance(err, FileExistsError):
            reason = f"{path.parent} is a file, not a folder"
        elif isinstance(err, NotADirectoryError):
            reason = f"part of {path.parent} is a file, not a folder"
        else:
            reason = err.strerror or str(err)
        raise StoreError(
            f"cannot create the database {path}: {reason}. Choose another place "
            "with --db PATH or COMPANION_DB."
        ) from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    except FileExistsError:
        return
    except OSError as err:
        raise StoreError(
            f"cannot create the database {path}: {err.strerror or err}. Choose another place "
            "with --db PATH or COMPANION_DB."
        ) from None


# --- Schema and migrations ----------------------------------------------------------------


def _fts_words(query: str) -> str | None:
    """The query as an FTS5 match of plain words (all must appear), never FTS syntax; None
    when there are no words. A NUL would end an FTS5 string early: it counts as a space. A
    word given twice (any case) counts once: each costs the ranking a count of its notes."""
    words = {w.lower(): w.replace('"', '""') for w in query.replace("\0", " ").split()}
    return " ".join(f'"{w}"' for w in words.values()) if words else None


def _views_filter(candidate: str, candidate_id: str) -> tuple[str, list[Any]]:
    """Rows of `panel_views` that may be of this candidate (Store.views narrows them)."""
    return ("(fold_name(candidate) = fold_name(?) OR candidate_id = ?)",
            [candidate, candidate_id or candidate])


# A panel scorecard still hidden from this database's user (companion.panel.reveal): imported
# by a panel sync (`source` 'panel:...'), of a person of whom the user has no ended, sealed
# interview of their own. The same person: the same stable id, or, for a scorecard without
# one, the same name (any case) on a session without one. A condition over `sessions s`.
HIDDEN_CONDITION = (
    # `!= 'local'` first: it names the partial index sessions_imported (schema 8)
    "s.source != 'local' AND s.source LIKE 'panel:%' AND s.mode != 'practice' AND NOT "
    "EXISTS (SELECT 1 FROM "
    "sessions o JOIN seals z ON z.session_id = o.id WHERE o.source = 'local' "
    "AND o.status = 'ended' AND o.mode != 'practice' AND ((s.candidate_id IS NOT NULL AND "
    "o.candidate_id = s.candidate_id) OR (s.candidate_id IS NULL AND o.candidate_id IS NULL "
    "AND fold_name(o.candidate) = fold_name(s.candidate))))")


# The seal's columns, as stored in `seals` and in an import.
SEAL_COLUMNS = ("covers", "sealed_at", "algorithm", "key_id", "digest", "seen_others_at",
                "seen_others", "views_logged_since")


def _best_of_latest(match: str, candidate: str | None, limit: int,
                    latest: int) -> tuple[str, list[Any]]:
    """A WITH clause naming `best(id, rank, snippet, found)`, and the params it takes: the
    `limit` best matches (FTS5 rank, ties newest first) among the `latest` newest (highest
    texts.rowid: the most recently saved). Ranking every match costs time in proportion to
    their number (~150 ms for a word in 150,000 notes); FTS5 walks matches newest first for
    next to nothing, so ranking the latest only is bounded and a rare word is still ranked
    whole. `found` is how many matches the walk saw, `latest + 1` at most: more than
    `latest` means older matches were left unranked. The snippets are made in the same walk:
    a second FTS5 query per hit would cost ~0.15 ms each for a common word.

    `candidate` narrows before the cap (the latest matches of that candidate), as a filter on
    the walk, confined to the span of rowids the candidate's texts occupy. Not a rowid lookup
    per text of the candidate: FTS5 would recount every word's documents for each one."""
    params: list[Any] = []
    sql = "WITH "
    scope = ""
    if candidate:
        condition, condition_params = _candidate_filter(candidate)
        sql += ("cand(id) AS (SELECT rowid FROM texts WHERE session_id IN (SELECT id FROM "
                f"sessions WHERE {condition})), ")
        params += condition_params
        # No text at all: an empty span (FTS5 takes a NULL bound as no bound).
        scope = (" AND rowid BETWEEN coalesce((SELECT min(id) FROM cand), 1)"
                 " AND coalesce((SELECT max(id) FROM cand), 0)"
                 " AND +rowid IN (SELECT id FROM cand)")
    sql += (
        "latest(id, rank, snippet) AS (SELECT rowid, rank,"
        " snippet(texts_fts, 0, '[', ']', '…', 12) FROM texts_fts WHERE texts_fts MATCH ?"
        + scope + " ORDER BY rowid DESC LIMIT ?), "
        # The autosaved versions of one summary or post-mortem count once: the latest that
        # matches (a text is one version per session and kind).
        "versions(id, rank, snippet, version) AS (SELECT l.id, l.rank, l.snippet,"
        " row_number() OVER (PARTITION BY CASE WHEN x.kind IN ('summary', 'postmortem')"
        " THEN x.session_id || ':' || x.kind ELSE 'row:' || l.id END ORDER BY l.id DESC)"
        " FROM (SELECT * FROM latest ORDER BY id DESC LIMIT ?) l"
        " JOIN texts x ON x.rowid = l.id), "
        "best(id, rank, snippet, found) AS (SELECT id, rank, snippet,"
        " (SELECT count(*) FROM latest) FROM versions WHERE version = 1"
        " ORDER BY rank, id DESC LIMIT ?) "
    )
    latest = max(latest, limit)
    params += [match, latest + 1, latest, limit]
    return sql, params


SEARCH_LATEST = 2_000  # a search ranks the latest this many matches (see _best_of_latest)


def _sessions_query(columns: str, candidate: str | None, status: str | None,
                    plan_id: str | None, limit: int | None,
                    pending: bool = False, hide: bool = False,
                    tables: str = "sessions s") -> tuple[str, list[Any]]:
    """The listing of `companion sessions`, newest first; `candidate` by the identity rule
    (_candidate_filter); `pending`: only scorecards not complete yet; `hide`: without the
    panel scorecards still hidden from this user (HIDDEN_CONDITION)."""
    where, params = [], []
    if hide:
        where.append(f"NOT ({HIDDEN_CONDITION})")
    if pending:
        where.append("scorecard = 'pending'")
    if candidate:
        condition, condition_params = _candidate_filter(candidate)
        where.append(condition)
        params += condition_params
    if status:
        where.append("status = ?")
        params.append(status)
    if plan_id:
        where.append("plan_id = ?")
        params.append(plan_id)
    sql = f"SELECT {columns} FROM {tables}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.started_at DESC, s.rowid DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def _first_column(_cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Any:
    return row[0]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


class PlacedHits(NamedTuple):
    """What `Store.search_places` found: the rows, best first; how many matches were ranked
    (the latest, `latest` at most); whether older matches were left unranked. (Named
    tuples here, not dataclasses: this module loads for every command, and making a
    dataclass costs about half a millisecond.)"""

    rows: list[dict[str, Any]]
    ranked: int
    capped: bool


class SearchHit(NamedTuple):
    """One full-text match: where it is and a snippet."""

    session_id: str
    candidate: str
    plan_id: str
    section: int | None
    kind: str
    at: str
    t: float
    snippet: str


class Store:
    """One open database. Writes are synchronous, one commit each; threads open their own."""

    def __init__(self, path: Path | str, *, target_version: int = SCHEMA_VERSION,
                 busy: float | None = None) -> None:
        """`busy`: how long a write waits for another program's lock before it fails (the
        app passes 50 ms, so a locked file never freezes its screen)."""
        self.path = Path(path).expanduser()
        self.busy = BUSY_TIMEOUT_S if busy is None else busy
        self.held: dict[str, str] = {}  # session id -> the token of the lease we hold
        self.lost: set[str] = set()  # sessions taken over since: nothing more is written
        if not self.path.exists():
            _create_file(self.path)
        elif self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a database file; "
                             "give a file path with --db")
        elif 0 < self.path.stat().st_size < 100:
            # Shorter than an SQLite header: SQLite would take a 1-byte file for an empty
            # database and write over it.
            raise explain_error(self.path, sqlite3.DatabaseError("file is not a database"))
        try:
            self.conn = sqlite3.connect(
                self.path, timeout=self.busy, isolation_level=None,
                check_same_thread=True,
            )
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None
        try:
            # Reading before any write: a foreign or damaged file fails here, untouched.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer companion (schema {version}, this "
                    f"one knows {SCHEMA_VERSION}). Upgrade companion to open it."
                )
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # SQLite's own checkpoint every 1,000 pages lands on whichever commit crosses
            # the line: a note now and then took 4 ms instead of 0.1. The app checkpoints
            # when idle (checkpoint()); this larger bound only keeps the WAL from growing
            # without end when nobody does.
            self.conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.create_function("fold_name", 1, _fold_sql, deterministic=True)
            self._migrate(version, target_version)
            self._schema = max(version, target_version)  # read once: not on the hot path
            if self._schema >= 9 and not listing_intact(self.conn):
                with self.transaction():  # another program dropped part of it
                    rebuild_listing(self.conn)
        except sqlite3.Error as err:
            self.conn.close()
            raise explain_error(self.path, err, self.busy) from None
        except StoreError:
            self.conn.close()
            raise
        # An erasure that an interrupted or blocked purge left pending is finished now.
        self.erasures_finished = self._finish_pending_on_open()

    def exposure_warnings(self) -> list[str]:
        """Words for the database file, its -wal or its -shm when other users can read or
        write them (each with the chmod that fixes it)."""
        real = Path(os.path.realpath(self.path))
        found = (exposure_warning(Path(f"{real}{suffix}"), "the database")
                 for suffix in ("", "-wal", "-shm"))
        return [w for w in found if w]

    def _migrate(self, version: int, target: int) -> None:
        if version >= target:
            return
        import sqlite_utils

        db = sqlite_utils.Database(self.conn)
        for number in range(version + 1, target + 1):
            with self.transaction():
                # Read again under the write lock: another process opening the same new
                # file at the same moment may have done this step already.
                if self.version >= number:
                    continue
                MIGRATIONS[number - 1](db)
                self.conn.execute(f"PRAGMA user_version = {number}")
        # sqlite-utils turned recursive triggers on; off again, as any other program has
        # them, so that a replaced row is counted alike whoever writes (session_count_replace)
        self.conn.execute("PRAGMA recursive_triggers = OFF")

    def set_busy(self, seconds: float) -> None:
        """How long a write waits for another program's lock from now on (the app: 50 ms,
        then its screen says NOT SAVED and retries on the next tick, timer running)."""
        self.busy = seconds
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def checkpoint(self) -> bool:
        """Copy the WAL into the database without blocking anyone (PASSIVE), for idle
        moments. Maintenance only: if it fails, every commit is still safe in the WAL."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            return False
        return True

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction around writes that each open their own (an import and the seals
        made just before it): all of them are kept, or none."""
        with self.transaction():
            self._joined = True
            try:
                yield
            finally:
                self._joined = False

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self, "_joined", False):
            yield  # inside atomic(): the outer transaction commits or rolls back
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise explain_error(self.path, err, self.busy) from None

    def _rollback(self) -> None:
        """Roll back what is still open. After some errors (a full disk) SQLite has rolled
        back already, and a second ROLLBACK would hide the real error behind its own."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # --- writing ------------------------------------------------------------------------

    def append(self, session_id: str, event: Event, summary: ListingRow) -> None:
        """Write one event (and what it changes in the listing) as one commit."""
        try:
            with self.transaction():
                self._check_lease(session_id)
                if event.type == "session_started":
                    self._insert_session(session_id, event, summary)
                self._insert_event(session_id, event)
                if event.body.LISTING:
                    self._update_listing(session_id, summary)
                else:
                    # Notes, ticks and the like (the hot path) change only the last stamp.
                    self.conn.execute("UPDATE sessions SET last_event_at = ? WHERE id = ?",
                                      (iso(summary.last_event_at), session_id))
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def _insert_event(self, session_id: str, event: Event) -> None:
        """The event row, and its text for full-text search (inside a transaction)."""
        self.conn.execute(
            "INSERT INTO events (session_id, seq, type, at, t, section, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_id, event.seq, event.type, iso_stored(event.at), event.t,
             event.section, json.dumps(event.data, ensure_ascii=False)),
        )
        searchable = event.body.searchable()
        if searchable:
            self.conn.execute(
                "INSERT INTO texts (session_id, seq, kind, section, text) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, event.seq, searchable[0], event.section, searchable[1]),
            )

    def _update_listing(self, session_id: str, summary: ListingRow) -> None:
        if self._schema < 5:  # an old schema kept open for a test of its migration
            self.conn.execute(
                "UPDATE sessions SET status = ?, score = ?, max_score = ?, "
                "recommendation = ?, ended_at = ?, last_event_at = ? WHERE id = ?",
                (summary.status, summary.score, summary.max_score, summary.recommendation,
                 iso(summary.ended_at) if summary.ended_at else None,
                 iso(summary.last_event_at), session_id),
            )
            return
        # Schema 7 keeps the folded name (indexed) and the digest beside them.
        keys = (", candidate_key = CASE WHEN ? IS NULL THEN candidate_key ELSE ? END, "
                "digest = coalesce(?, digest)") if self._schema >= 7 else ""
        key = fold_name(summary.candidate) if summary.candidate is not None else None
        self.conn.execute(
            "UPDATE sessions SET status = ?, score = ?, max_score = ?, "
            "recommendation = ?, ended_at = ?, last_event_at = ?, "
            "candidate = coalesce(?, candidate), "
            "candidate_id = CASE WHEN ? IS NULL THEN candidate_id ELSE nullif(?, '') END, "
            f"completed_at = ?, scorecard = ?{keys} WHERE id = ?",
            (summary.status, summary.score, summary.max_score, summary.recommendation,
             iso(summary.ended_at) if summary.ended_at else None,
             iso(summary.last_event_at), summary.candidate, summary.candidate_id,
             summary.candidate_id,
             iso(summary.completed_at) if summary.completed_at else None,
             summary.scorecard,
             *((key, key, summary.digest) if self._schema >= 7 else ()), session_id),
        )

    def _insert_session(self, session_id: str, event: Event, summary: ListingRow) -> None:
        d = event.data
        plan = d["plan"]
        columns = ("id, plan_id, plan_title, mode, candidate, candidate_id, role, level, "
                   "interviewer, started_at, status, max_score")
        values: tuple[Any, ...] = (
            session_id, plan["id"], plan["title"], plan["mode"], d.get("candidate", ""),
            d.get("candidate_id") or None, d.get("role") or None, d.get("level") or None,
            d.get("interviewer") or None, iso(event.at), summary.status, summary.max_score)
        if self._schema >= 7:
            interviewer = d.get("interviewer") or None
            columns += ", candidate_key, interviewer_key, digest"
            values += (fold_name(d.get("candidate", "")),
                       fold_name(interviewer) if interviewer else None, summary.digest)
        marks = ", ".join("?" for _ in values)
        self.conn.execute(f"INSERT INTO sessions ({columns}) VALUES ({marks})", values)

    def sink(self, session_id: str) -> Callable[[Event, ListingRow], None]:
        def write(event: Event, summary: ListingRow) -> None:
            self.append(session_id, event, summary)

        return write

    def save_draft(self, session_id: str, text: str, at: float, field: str = "note") -> None:
        """Keep text typed and not yet saved as an event (one row per session and field); an
        empty text removes the row. Refused with LeaseLost once another process holds it."""
        try:
            with self.transaction():
                self._check_lease(session_id)
                if text:
                    self.conn.execute(
                        "INSERT INTO drafts (session_id, field, text, updated_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT(session_id, field) DO UPDATE SET "
                        "text = excluded.text, updated_at = excluded.updated_at",
                        (session_id, field, text, iso(at)))
                else:
                    self.conn.execute("DELETE FROM drafts WHERE session_id = ? AND field = ?",
                                      (session_id, field))
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    # --- the lease (one holder per session; the rules are companion.lease) ---------------

    def lease(self, session_id: str) -> Lease | None:
        from companion.lease import Lease

        rows = self._query("SELECT * FROM leases WHERE session_id = ?", (session_id,))
        if not rows:
            return None
        r = rows[0]
        return Lease(r["session_id"], r["token"], r["pid"], r["host"], r["boot_id"],
                     r["since"], r["beat_wall"], r["beat_boot"], bool(r["held"]))

    def take_lease(self, lease: Lease, *, stale: Callable[[Lease], bool],
                   take_over: bool = False) -> Lease | None:
        """Hold the session as `lease` says, in one write transaction: None when taken, else
        the live lease of the process that holds it (unless `take_over`)."""
        try:
            with self.transaction():
                current = self.lease(lease.session_id)
                if (current is not None and current.held and current.token != lease.token
                        and not take_over and not stale(current)):
                    return current
                self.conn.execute(
                    "INSERT OR REPLACE INTO leases (session_id, token, pid, host, boot_id, "
                    "since, beat_wall, beat_boot, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (lease.session_id, lease.token, lease.pid, lease.host, lease.boot_id,
                     lease.since, lease.beat_wall, lease.beat_boot))
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None
        self.held[lease.session_id] = lease.token
        self.lost.discard(lease.session_id)
        return None

    def heartbeat(self, session_id: str, wall: float, boot: float) -> None:
        """Refresh this process's heartbeat; LeaseLost when another process took over."""
        token = self.held.get(session_id)
        if token is None:
            if session_id in self.lost:
                self._lost(session_id)
            return
        try:
            cursor = self.conn.execute(
                "UPDATE leases SET beat_wall = ?, beat_boot = ? WHERE session_id = ? AND "
                "token = ? AND held = 1", (wall, boot, session_id, token))
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None
        if cursor.rowcount != 1:
            self._lost(session_id)

    def release_lease(self, session_id: str, wall: float, boot: float) -> None:
        """Let the session go; the row stays, with its last heartbeat, for the away gap."""
        token = self.held.pop(session_id, None)
        if token is None:
            return
        try:
            self.conn.execute(
                "UPDATE leases SET held = 0, beat_wall = ?, beat_boot = ? WHERE "
                "session_id = ? AND token = ?", (wall, boot, session_id, token))
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def _check_lease(self, session_id: str) -> None:
        """Inside a write transaction: refuse a write to a session this process held and
        another one has taken since."""
        token = self.held.get(session_id)
        if token is None:
            if session_id in self.lost:
                self._lost(session_id)
            return
        row = self.conn.execute("SELECT token, held FROM leases WHERE session_id = ?",
                                (session_id,)).fetchone()
        if row is None or row[0] != token or not row[1]:
            self._lost(session_id)

    def _lost(self, session_id: str) -> None:
        self.held.pop(session_id, None)
        self.lost.add(session_id)
        lease = self.lease(session_id)
        who = f" by {lease.words()}" if lease is not None and lease.held else ""
        raise LeaseLost(f"session {session_id} was taken over in another terminal{who}: "
                        "read-only now, nothing more is written from here")

    # --- reading ------------------------------------------------------------------------

    def _query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        try:
            cursor = self.conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def events(self, session_id: str) -> list[Event]:
        from companion.events import Event, EventError, check_record

        rows = self._query(
            "SELECT seq, type, t, at, data FROM events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        events = [
            Event(r["seq"], r["type"], r["t"], from_iso(r["at"]), json.loads(r["data"]))
            for r in rows
        ]
        for event in events:  # decoded and checked here, once: replay trusts them
            try:
                check_record(event)
            except EventError as err:
                raise StoreError(f"{self.path} holds a damaged event of session {session_id}: "
                                 f"{err}. Export what still reads, or restore a backup") from None
        return events

    def draft(self, session_id: str, field: str = "note") -> str:
        rows = self._query("SELECT text FROM drafts WHERE session_id = ? AND field = ?",
                           (session_id, field))
        return str(rows[0]["text"]) if rows else ""

    def sessions(
        self,
        candidate: str | None = None,
        status: str | None = None,
        plan_id: str | None = None,
        limit: int | None = None,
        pending: bool = False,
        hide: bool = False,
        oldest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """Newest first (or oldest). `candidate` by the identity rule (_candidate_filter);
        `hide`: not the panel scorecards hidden from this user (companion.panel.reveal)."""
        sql, params = _sessions_query("*", candidate, status, plan_id, limit, pending, hide)
        if oldest_first:
            sql = sql.replace(" DESC", "")
        return [dict(r) for r in self._query(sql, params)]

    def sessions_json(self, candidate: str | None = None, status: str | None = None,
                      pending: bool = False, hide: bool = False) -> Iterator[bytes | str]:
        """The rows of `sessions` (pending ones oldest first), each the JSON object of
        LISTING_KEYS that the table `listing` keeps (schema 9), a thousand lines at a time
        joined by `,\n`, from the cursor: never a list of every row. Unfiltered, the
        listing's own order is read. A batch that is all ASCII stays the bytes read (never
        decoded only to be encoded again); any other is decoded here, where a row another
        program wrote in something other than UTF-8 can be named."""
        if candidate or status or pending or hide:
            sql, params = _sessions_query("CAST(l.json AS BLOB)", candidate, status, None,
                                          None, pending, hide,
                                          tables="sessions s JOIN listing l USING (id)")
            if pending:
                sql = sql.replace(" DESC", "")
        else:
            sql, params = ("SELECT CAST(json AS BLOB) FROM listing "
                           "ORDER BY started_at DESC, n DESC, id DESC"), []
        try:
            cursor = self.conn.execute(sql, params)
            cursor.row_factory = _first_column
            while batch := cursor.fetchmany(1_000):
                chunk = b",\n".join(batch)
                yield chunk if chunk.isascii() else self._decoded(batch, chunk)
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def _decoded(self, batch: list[bytes], chunk: bytes) -> str:
        try:
            return chunk.decode()
        except UnicodeDecodeError:
            bad = next(line for line in batch if not _is_utf8(line))
            rows = self.conn.execute("SELECT CAST(id AS BLOB) FROM listing "
                                     "WHERE CAST(json AS BLOB) = ?", (bad,)).fetchall()
            sid = rows[0][0].decode(errors="replace") if rows else "(unknown)"
            raise StoreError(_not_utf8(self.path, f"in session {visible(sid)}")) from None

    def count_sessions(self, candidate: str | None = None, status: str | None = None,
                       pending: bool = False, hide: bool = False) -> int:
        """How many sessions the listing has with these filters (without any: the count the
        triggers keep, not a count of every row)."""
        if not (candidate or status or pending or hide):
            return int(self._query(
                "SELECT coalesce((SELECT n FROM session_count), 0) AS n")[0]["n"])
        sql, params = _sessions_query("count(*) AS n", candidate, status, None, None, pending,
                                      hide)
        return int(self._query(sql.split(" ORDER BY")[0], params)[0]["n"])

    def session(self, session_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return dict(rows[0]) if rows else None

    def find(self, prefix: str) -> list[str]:
        """Session ids starting with `prefix` (ids are short; a prefix is enough to type).
        An exact id always wins: an imported id `9` stays addressable beside `9f3c...`.
        Case counts (LIKE would match `ABC` to `abc1`)."""
        if not prefix:
            return []
        exact = self._query("SELECT id FROM sessions WHERE id = ?", (prefix,))
        if exact:
            return [exact[0]["id"]]
        rows = self._query(
            "SELECT id FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY started_at DESC",
            (len(prefix), prefix),
        )
        return [r["id"] for r in rows]

    def latest_unfinished(self) -> str | None:
        rows = self._query(
            "SELECT id FROM sessions WHERE status IN ('running', 'paused') "
            "ORDER BY last_event_at DESC, started_at DESC LIMIT 1"
        )
        return rows[0]["id"] if rows else None

    def search(self, query: str, candidate: str | None = None, limit: int = 50,
               latest: int = SEARCH_LATEST) -> list[SearchHit]:
        """Full-text search; the query is taken as words, not FTS syntax. The best matches
        among the `latest` newest (all of them for all but very common words), ties newest
        first."""
        match = _fts_words(query)
        if match is None:
            return []
        sql, params = _best_of_latest(match, candidate, limit, latest)
        sql += (
            "SELECT t.session_id, s.candidate, s.plan_id, t.section, t.kind, e.at, e.t, "
            "b.snippet FROM best b JOIN texts t ON t.rowid = b.id "
            "JOIN sessions s ON s.id = t.session_id "
            "JOIN events e ON e.session_id = t.session_id AND e.seq = t.seq "
            "ORDER BY b.rank, b.id DESC"
        )
        return [
            SearchHit(r["session_id"], r["candidate"], r["plan_id"], r["section"], r["kind"],
                      r["at"], r["t"], r["snippet"])
            for r in self._query(sql, params)
        ]

    # --- people (the identity rule: _candidate_filter) ---------------------------------------

    def people(self, *, practice: bool = False) -> list[dict[str, Any]]:
        """Every person, most recently seen first: a stable id is one person; a session
        without an id is a person of its own (until a merge gives it an id). Each: `key`
        ('id:...' or 'session:...'), `name` (of the latest session), `names` (every name
        their sessions carry), `ids`, `sessions` (count), `session_ids` (oldest first),
        `last_seen`, `role` and `level` of the latest session, and `modes`."""
        rows = self._query(
            "SELECT id, candidate, candidate_id, role, level, started_at, mode FROM sessions "
            + ("" if practice else "WHERE mode != 'practice' ")
            + "ORDER BY started_at, rowid")
        people: dict[str, dict[str, Any]] = {}
        for r in rows:
            key = f"id:{r['candidate_id']}" if r["candidate_id"] else f"session:{r['id']}"
            person = people.setdefault(key, {
                "key": key, "ids": [r["candidate_id"]] if r["candidate_id"] else [],
                "names": [], "sessions": 0, "session_ids": [], "modes": []})
            person["sessions"] += 1
            person["session_ids"].append(r["id"])
            if r["candidate"] not in person["names"]:
                person["names"].append(r["candidate"])
            if r["mode"] not in person["modes"]:
                person["modes"].append(r["mode"])
            person.update(name=r["candidate"], last_seen=r["started_at"],
                          role=r["role"] or "", level=r["level"] or "")
        return sorted(people.values(), key=lambda p: p["last_seen"], reverse=True)

    def candidate_matches(self, candidate: str) -> dict[str, Any]:
        """What `--candidate` selects (the rule of _candidate_filter), told per person:
        `by` ('id', 'name', or None when nothing matched), `ids` ({id: sessions}), and
        `without_id` (the ids of the matched sessions without a stable id)."""
        condition, params = _candidate_filter(candidate)
        rows = self._query(
            f"SELECT id, candidate_id FROM sessions WHERE {condition} "
            "ORDER BY started_at, rowid", params)
        ids: dict[str, int] = {}
        without: list[str] = []
        for r in rows:
            if r["candidate_id"]:
                ids[r["candidate_id"]] = ids.get(r["candidate_id"], 0) + 1
            else:
                without.append(r["id"])
        by = None
        if rows:
            by = "id" if list(ids) == [candidate] and not without else "name"
        return {"by": by, "ids": ids, "without_id": without}

    def same_name_elsewhere(self, session_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Sessions not among `session_ids` whose candidate has the name (any case) of one of
        them: other people, or the same person not joined by a merge (purge names them)."""
        ids = list(dict.fromkeys(session_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self._query(
            "SELECT id, started_at, candidate, candidate_id, plan_id, status FROM sessions "
            f"WHERE id NOT IN ({marks}) AND candidate_key IN (SELECT "
            f"candidate_key FROM sessions WHERE id IN ({marks})) "
            "ORDER BY started_at, rowid", [*ids, *ids])
        return [dict(r) for r in rows]

    def unknown_scorecards(self) -> list[str]:
        """Ended sessions whose scorecard state was never worked out (made before schema 5):
        companion.panel.scorecards replays them once and sets it (set_listing)."""
        return [r["id"] for r in self._query(
            "SELECT id FROM sessions WHERE status = 'ended' AND mode != 'practice' "
            "AND scorecard IS NULL")]

    def set_listing(self, session_id: str, summary: ListingRow) -> None:
        """Set the listing's columns that follow from a session's log (one commit)."""
        try:
            with self.transaction():
                self._update_listing(session_id, summary)
        except sqlite3.Error as err:
            raise explain_error(self.path, err) from None

    def interviews_since(self, since: float) -> int:
        """Interview sessions (not practice) started here since `since` (epoch seconds)."""
        rows = self._query(
            "SELECT count(*) AS n FROM sessions WHERE mode != 'practice' AND source = 'local' "
            "AND started_at >= ? AND status != 'abandoned'", (iso(since),))
        return int(rows[0]["n"])

    def pending_scorecards(self) -> list[dict[str, Any]]:
        """Ended interview sessions of this database's user whose scorecard is not complete,
        oldest ended first (another interviewer's, imported, is theirs to finish)."""
        return [dict(r) for r in self._query(
            "SELECT * FROM sessions WHERE scorecard = 'pending' AND source = 'local' "
            "ORDER BY ended_at, rowid")]

    def candidates(self, limit: int = 500, scan: int = 5_000) -> list[tuple[str, str]]:
        """(name, stable id or '') of the people of the newest sessions, newest first: at most
        `limit`, from the newest `scan` sessions (a walk of the started_at index from its
        end, never a grouping of every session)."""
        seen: dict[tuple[str, str], None] = {}
        for r in self._query(
                "SELECT candidate, coalesce(candidate_id, '') AS cid FROM sessions "
                "ORDER BY started_at DESC, rowid DESC LIMIT ?", (scan,)):
            seen.setdefault((r["candidate"], r["cid"]))
            if len(seen) >= limit:
                break
        return list(seen)

    # --- flat reads for calibration, the practice trend and --focus-weak -----------------

    def scorecard_rows(self, interviewers: Sequence[str] | None = None
                       ) -> list[dict[str, Any]]:
        """The listing rows (with their digest) of the ended interview scorecards that
        calibrating these interviewers (folded names; None: everyone) needs: theirs and the
        others' on the same candidates (companion.store.listing.scorecard_rows_sql)."""
        sql, params = scorecard_rows_sql(interviewers)
        return [dict(r) for r in self._query(sql, params)]

    def practice_rows(self, candidate: str | None = None, plan_id: str | None = None,
                      limit: int | None = None, *, abandoned: bool = False
                      ) -> list[dict[str, Any]]:
        """Practice sessions (not abandoned unless `abandoned`), newest first, as listing rows
        with their digest (the practice index, then the candidate's or the plan's rows)."""
        sql = (f"SELECT {ROW_COLUMNS} FROM sessions WHERE "
               + ("mode = 'practice'" if abandoned else PRACTICE))
        params: list[Any] = []
        if candidate:
            condition, params = _candidate_filter(candidate)
            sql += f" AND {condition}"
        if plan_id:
            sql += " AND plan_id = ?"
            params.append(plan_id)
        sql += " ORDER BY started_at DESC, rowid DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self._query(sql, params)]

    def practice_names(self) -> tuple[list[str], list[str]]:
        """The candidates' names and the plan ids that practice sessions have."""
        found = self._query("SELECT DISTINCT candidate, plan_id FROM sessions "
                            "WHERE mode = 'practice'")
        return (sorted({r["candidate"] for r in found}), sorted({r["plan_id"] for r in found}))

    def last_interviewer(self) -> str:
        rows = self._query(
            "SELECT interviewer FROM sessions WHERE interviewer IS NOT NULL "
            "AND source = 'local' ORDER BY started_at DESC LIMIT 1"
        )
        return str(rows[0]["interviewer"]) if rows else ""

    # --- search with places, and retention (export, search and purge commands) ----------

    def search_places(self, query: str, candidate: str | None = None, limit: int = 50,
                      latest: int = SEARCH_LATEST) -> PlacedHits:
        """Like `search` (the best among the `latest` newest matches, ties newest first),
        with what a reader needs to place each hit: the event's seq, the section (for an
        edited note, the note's own section) and its title from the plan the session
        snapshotted, the plan title, whether the note was retracted or edited later."""
        match = _fts_words(query)
        if match is None:
            return PlacedHits([], 0, False)
        latest = max(latest, limit)
        sql, params = _best_of_latest(match, candidate, limit, latest)
        # Whether a note was edited or retracted later is looked up in the same query.
        later = ("EXISTS (SELECT 1 FROM events l WHERE l.session_id = h.session_id AND "
                 "l.seq > h.seq AND l.type = '{}' AND json_extract(l.data, '$.note') = h.note)")
        sql += (
            "SELECT h.*, json_extract(st.data, '$.plan.sections[' || h.section || '].title') "
            f"AS section_title, h.note IS NOT NULL AND {later.format('note_retracted')} "
            f"AS retracted, h.note IS NOT NULL AND {later.format('note_edited')} "
            "AS edited_later FROM ("
            " SELECT t.session_id, t.seq, t.kind, s.candidate, s.candidate_id, s.plan_id,"
            "  s.plan_title, s.mode, s.started_at, e.type, e.at,"
            "  max(0, e.t - CASE WHEN e.type = 'note_added'"
            "   THEN coalesce(json_extract(e.data, '$.back'), 0) ELSE 0 END) AS t,"
            "  coalesce(t.section, e.section, n.section) AS section,"
            "  CASE WHEN e.type = 'note_added' THEN e.seq"
            "   WHEN e.type = 'note_edited' THEN json_extract(e.data, '$.note') END AS note,"
            "  b.snippet, b.rank, b.id, b.found"
            " FROM best b JOIN texts t ON t.rowid = b.id"
            " JOIN sessions s ON s.id = t.session_id"
            " JOIN events e ON e.session_id = t.session_id AND e.seq = t.seq"
            " LEFT JOIN events n ON e.type = 'note_edited' AND n.session_id = e.session_id"
            "  AND n.seq = json_extract(e.data, '$.note')"
            ") h JOIN events st ON st.session_id = h.session_id AND st.seq = 1 "
            "ORDER BY h.rank, h.id DESC"
        )
        rows = [dict(r) for r in self._query(sql, params)]
        found = rows[0]["found"] if rows else 0
        for row in rows:
            for key in ("rank", "id", "found"):
                row.pop(key, None)
            row["retracted"] = bool(row["retracted"])
            row["edited_later"] = bool(row["edited_later"])
        return PlacedHits(rows, min(found, latest), found > latest)

    def session_ids_older_than(self, cutoff: float, candidate: str | None = None) -> list[str]:
        """Ids of the sessions started before `cutoff` (epoch seconds), oldest first;
        `candidate` narrows to one candidate (the name, any case, or the stable id)."""
        return [r["id"] for r in self.purge_selection(cutoff, candidate)]

    def purge_selection(self, started_before: float | None = None,
                        candidate: str | None = None,
                        session_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The sessions a purge would erase, oldest first: every condition given narrows
        (AND). `started_before` (epoch seconds) None: any date, the future too; `candidate`
        the name (any case) or the stable id; `session_ids` exact ids (None: any)."""
        where, params = [], []
        if started_before is not None:
            where.append("started_at < ?")
            params.append(iso(started_before))
        if candidate:
            condition, condition_params = _candidate_filter(candidate)
            where.append(condition)
            params += condition_params
        if session_ids is not None:
            ids = list(dict.fromkeys(session_ids))
            if not ids:
                return []
            where.append(f"id IN ({', '.join('?' for _ in ids)})")
            params += ids
        sql = ("SELECT id, started_at, candidate, candidate_id, plan_id, plan_title, mode, "
               "status, source FROM sessions")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at, rowid"
        return [dict(r) for r in self._query(sql, params)]

    def sessions_held_elsewhere(self, session_ids: Sequence[str]) -> dict[str, str]:
        """The sessions among `session_ids` that another process holds open (a lease that is
        not stale), each with words naming the holder. Purge refuses those."""
        from companion.clock import RealClock
        from companion.lease import is_stale

        clock = RealClock()
        held = {}
        for session_id in session_ids:
            lease = self.lease(session_id) if self.version >= 5 else None
            if (lease is not None and session_id not in self.held
                    and not is_stale(lease, clock)):
                held[session_id] = lease.words()
        return held

    def _refuse_held(self, session_ids: Sequence[str]) -> None:
        """Inside purge's delete transaction, so that the check and the delete are one."""
        held = self.sessions_held_elsewhere(session_ids)
        if held:
            sid, words = next(iter(held.items()))
            raise StoreError(f"session {sid} is open in another terminal ({words}); quit it "
                             "there first, then purge again")

    def pending_erasures(self) -> list[dict[str, Any]]:
        """Erasures not finished yet (oldest first): `recorded_at`, `reason` ('purge' or
        'upgrade') and `sessions` (how many the purge deleted)."""
        if self.version < 4:
            return []
        return [dict(r) for r in self._query(
            "SELECT id, recorded_at, reason, sessions FROM pending_erasures ORDER BY id")]

    def purge(self, session_ids: list[str], *, wait: float = PURGE_WAIT_S,
              after_step: Callable[[int], None] | None = None) -> dict[str, Any]:
        """Delete whole sessions with every row that holds their data, then make sure the text
        is gone from the files too. The steps (PURGE_STEPS), each committed before the next:

        1. delete the rows (secure_delete zeroes the freed space; seals, imports and logged
           views go by ON DELETE CASCADE) and record the erasure in `pending_erasures`, in
           one transaction;
        2. rebuild the full-text index from what is left (FTS5 keeps deleted words in its
           segments until then);
        3. VACUUM rewrites the file;
        4. a TRUNCATE checkpoint copies the WAL into the file and empties it;
        5. clear the pending record (and empty the WAL again).

        An interruption after step 1 leaves the record: the next purge, or the next open of
        the database, runs steps 2-5 again (every pending erasure at once). Another
        connection holding a read transaction keeps step 4 from finishing: purge waits up
        to `wait` seconds, then returns with `pending` True and the record kept.
        `after_step(n)` is called after each step (the test hook of `companion purge`).

        Returns the counts of deleted rows, `pending` (and its old name `busy`), and
        `finished_earlier`: how many erasures recorded before this purge it finished."""
        step = after_step or (lambda _n: None)
        counts = {"sessions": 0, "events": 0, "texts": 0, "drafts": 0, "leases": 0}
        ids = list(dict.fromkeys(session_ids))
        earlier = len(self.pending_erasures())
        try:
            self.conn.execute("PRAGMA secure_delete=ON")
            if ids:
                with self._busy_timeout(wait):
                    try:
                        self.conn.execute("BEGIN IMMEDIATE")
                    except sqlite3.OperationalError as err:
                        if "locked" not in str(err).lower() and "busy" not in str(err).lower():
                            raise
                        raise StoreError(
                            f"{self.path} is locked by another program that is writing to "
                            f"it, for more than {wait:g} s; nothing was deleted. Close it (or "
                            "end its session) and purge again.") from None
                    try:
                        self._refuse_held(ids)
                        self._delete_sessions(ids, counts)
                        if counts["sessions"]:
                            self.conn.execute(
                                "INSERT INTO pending_erasures (recorded_at, reason, sessions) "
                                "VALUES (?, 'purge', ?)",
                                (iso(time.time()), counts["sessions"]))
                        self.conn.execute("COMMIT")
                    except BaseException:
                        self._rollback()
                        raise
            step(1)
            finished = True
            if counts["sessions"] or earlier:
                finished = self._finish_erasures(wait, step)
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None
        return {**counts, "pending": not finished, "busy": not finished,
                "finished_earlier": earlier if finished else 0}

    def _delete_sessions(self, ids: list[str], counts: dict[str, int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for table, column in (("texts", "session_id"), ("events", "session_id"),
                                  ("drafts", "session_id"), ("leases", "session_id"),
                                  ("sessions", "id")):
                cursor = self.conn.execute(
                    f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
                counts[table] += cursor.rowcount

    @contextmanager
    def _busy_timeout(self, seconds: float) -> Iterator[None]:
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy * 1000)}")

    def _finish_erasures(self, wait: float, step: Callable[[int], None]) -> bool:
        """Steps 2-5 of a purge for every pending erasure. True when done; False when
        another connection kept the file or its WAL for more than `wait` seconds (a
        reader's snapshot, a writer's lock): the records stay, for the next open or purge."""
        upto = self.conn.execute("SELECT max(id) FROM pending_erasures").fetchone()[0]
        if upto is None:
            return True
        self.conn.execute("PRAGMA secure_delete=ON")
        try:
            with self._busy_timeout(wait):
                self.conn.execute("INSERT INTO texts_fts(texts_fts) VALUES('rebuild')")
                step(2)
                self.conn.execute("VACUUM")
                step(3)
                busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if busy:
                    return False
                step(4)
        except sqlite3.OperationalError as err:
            if "locked" in str(err).lower() or "busy" in str(err).lower():
                return False
            raise
        # A purge recorded meanwhile by another process (after our VACUUM) stays pending.
        with self.transaction():
            self.conn.execute("DELETE FROM pending_erasures WHERE id <= ?", (upto,))
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        step(5)
        return True

    def _finish_pending_on_open(self) -> list[dict[str, Any]]:
        """Finish the erasures left pending (see purge), waiting briefly for other programs;
        the records finished (none when nothing was pending). Maintenance: if it cannot
        finish now (the file is held, the disk is full), the records stay and the database
        opens as usual."""
        try:
            if self.version < 4 or not self.conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM pending_erasures)").fetchone()[0]:
                return []
            pending = self.pending_erasures()
            return pending if self._finish_erasures(OPEN_FINISH_WAIT_S, lambda _n: None) else []
        except (sqlite3.Error, StoreError):
            self._rollback()
            return []

    # --- panel: seals, imports and views (companion.panel.seal, docs/panel.md) ------------------

    def seal(self, session_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM seals WHERE session_id = ?", (session_id,))
        if not rows:
            return None
        row = dict(rows[0])
        row.pop("session_id")
        return row

    def save_seal(self, session_id: str, seal: dict[str, Any], *, replace: bool = False) -> None:
        """Store a seal. A session has one; `replace` only re-signs it (same covers)."""
        columns = SEAL_COLUMNS
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        try:
            with self.transaction():
                self.conn.execute(
                    f"{verb} INTO seals (session_id, {', '.join(columns)}) "
                    f"VALUES (?, {', '.join('?' for _ in columns)})",
                    (session_id, *(seal.get(c) for c in columns)),
                )
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def unsealed_finished(self, candidate: str | None = None) -> list[str]:
        """Ended or abandoned sessions without a seal, oldest first (optionally one
        candidate's: the name, any case, or the stable id)."""
        sql = ("SELECT id FROM sessions WHERE status IN ('ended', 'abandoned') AND "
               "id NOT IN (SELECT session_id FROM seals)")
        params: list[Any] = []
        if candidate:
            condition, condition_params = _candidate_filter(candidate)
            sql += f" AND {condition}"
            params += condition_params
        sql += " ORDER BY started_at, rowid"
        return [r["id"] for r in self._query(sql, params)]

    def views_logged_since(self) -> str:
        rows = self._query("SELECT views_logged_since FROM panel_log_started")
        return str(rows[0]["views_logged_since"]) if rows else ""

    def record_views(self, kind: str, at: float, seen: list[dict[str, Any]],
                     detail: str = "") -> None:
        """Log that the user was shown these scorecards (`session_id`, `interviewer`,
        `candidate`, `candidate_id` each), as one commit."""
        try:
            with self.transaction():
                self._insert_views(kind, at, seen, detail)
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def _insert_views(self, kind: str, at: float, seen: list[dict[str, Any]],
                      detail: str) -> None:
        for row in seen:
            self.conn.execute(
                "INSERT INTO panel_views (at, kind, session_id, interviewer, candidate, "
                "candidate_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (iso(at), kind, row["session_id"], row.get("interviewer") or None,
                 row.get("candidate") or "", row.get("candidate_id") or None, detail),
            )

    def views(self, candidate: str, candidate_id: str = "") -> list[dict[str, Any]]:
        """The logged views of scorecards of this candidate (same stable id when both have
        one, else the same name in any case), oldest first."""
        condition, params = _views_filter(candidate, candidate_id)
        rows = self._query(f"SELECT * FROM panel_views WHERE {condition} ORDER BY at, id",
                           params)
        out = []
        for r in rows:
            row = dict(r)
            if candidate_id and row["candidate_id"]:
                if row["candidate_id"] != candidate_id:
                    continue
            elif fold_name(row["candidate"]) != fold_name(candidate):
                continue
            out.append(row)
        return out

    def import_record(self, session_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM imports WHERE session_id = ?", (session_id,))
        return dict(rows[0]) if rows else None

    def import_session(self, session_id: str, events: list[Event], summary: ListingRow,
                       *, source: str, seal: dict[str, Any], file: str,
                       imported_at: float, log_view: bool = True) -> None:
        """Add another interviewer's sealed session as it is, in one transaction: its row
        (with `source`), its events and texts, its seal, the import record and the view the
        import counts as (`log_view`: a panel sync imports scorecards it keeps hidden, which
        are not seen). A session id already here is refused by the primary key."""
        columns = SEAL_COLUMNS
        first = events[0]
        try:
            with self.transaction():
                self._insert_session(session_id, first, summary)
                self.conn.execute("UPDATE sessions SET source = ? WHERE id = ?",
                                  (source, session_id))
                for event in events:
                    self._insert_event(session_id, event)
                self._update_listing(session_id, summary)
                self.conn.execute(
                    f"INSERT INTO seals (session_id, {', '.join(columns)}) "
                    f"VALUES (?, {', '.join('?' for _ in columns)})",
                    (session_id, *(seal.get(c) for c in columns)),
                )
                self.conn.execute(
                    "INSERT INTO imports (session_id, file, interviewer, digest, algorithm, "
                    "imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (session_id, file, first.data.get("interviewer") or None, seal["digest"],
                     seal["algorithm"], iso(imported_at)),
                )
                if log_view:
                    self._insert_views("import", imported_at, [{
                        "session_id": session_id,
                        "interviewer": first.data.get("interviewer") or "",
                        "candidate": first.data.get("candidate") or "",
                        "candidate_id": first.data.get("candidate_id") or "",
                    }], file)
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    def append_imported(self, session_id: str, events: list[Event],
                        summary: ListingRow) -> None:
        """Add the amendments a newer panel file of an imported session carries (the events
        after those already here), with the listing they give, in one transaction."""
        try:
            with self.transaction():
                for event in events:
                    self._insert_event(session_id, event)
                self._update_listing(session_id, summary)
        except sqlite3.Error as err:
            raise explain_error(self.path, err, self.busy) from None

    # --- the panel's display rule (companion.panel.reveal) -------------------------------------

    def hidden_panel_sessions(self) -> list[dict[str, Any]]:
        """Scorecards a panel sync imported that this database's user may not see yet: no
        ended, sealed session of their own (source 'local') of the same person. The
        condition is HIDDEN_CONDITION, over `sessions s`, for queries that leave them out."""
        # `+s.started_at`: sorting by it must not make the planner walk every session in
        # its start-time index, rather than the few imported ones by theirs.
        return [dict(r) for r in self._query(
            "SELECT s.id, s.candidate, s.candidate_id, s.interviewer FROM sessions s "
            f"WHERE {HIDDEN_CONDITION} ORDER BY +s.started_at, s.rowid")]
