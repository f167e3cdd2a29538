"""The panel folder that git carries: sealed scorecards shared between interviewers.

A panel is a git repository (a clone of the team's remote: any git host, or a bare repository
on a shared drive). It holds:

- `panel.json`: the panel's config: a random salt and the organiser's name;
- `scorecards/<key>/<session id>.json`: one sealed scorecard (the JSON export, events and
  seal) per file. `<key>` is opaque: an HMAC of the person's stable id (the identity rule's
  `id:...`, or `session:...` for a session without one) under the panel's salt, so no path
  carries a name or an e-mail. A file is never edited after it is written: amendments made
  after sealing go in a new file, `<session id>+<events>.json`, holding the whole log up to
  then; the file with the most events is the scorecard. So merges only add and remove whole
  files and cannot conflict;
- `erasures/<key>.json` (a person) and `erasures/session-<session id>.json` (one session):
  erasure requests. Every member's next sync purges their imported copies, and nobody's sync
  shares files under an erased key again.

`sync` commits this interviewer's sealed scorecards, pulls, verifies and imports the others',
pushes (a push that loses a race pulls and retries up to 3 times) and says what it did.
Without the network it still commits and imports what is there, and pushes at a later sync.
Git itself runs in companion.panel.gitrepo."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.clock import Clock
from companion.content.safefile import RefusedFile, read_regular
from companion.files import write_atomic
from companion.panel import strictjson
from companion.panel.gitrepo import (
    Behind,
    GitError,
    GitRepo,
    Identity,
    Runner,
    Unreachable,
)
from companion.panel.gitrepo import Refused as RemoteRefused
from companion.panel.seal import Refused, check_file, event_form, import_file, seal_pending
from companion.session import replay, summary_of
from companion.textsafe import fold_name

if TYPE_CHECKING:
    from companion.store.database import Store

PANEL_FILE = "panel.json"
USER_FILE = "panel.json"  # in the user config dir: which folder, and who this user is
SCORECARDS = "scorecards"
ERASURES = "erasures"
PANEL_FORMAT = "companion-panel"
ERASURE_FORMAT = "companion-erasure"
PUSH_RETRIES = 3
KEY_HEX = 32
CONFIG_BYTES = 64 * 1024  # panel.json and the user's panel settings are a few lines
_NAME = re.compile(r"^(?P<sid>[A-Za-z0-9_-]{1,64})(?:\+(?P<n>[0-9]{1,9}))?\.json$")
_KEY = re.compile(r"^[0-9a-f]{32}$")


class PanelError(Exception):
    """A panel problem, in words, with what to do about it."""


# --- the user's side: which folder, and who they are ------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """This user in the panel (kept in the user config dir)."""

    folder: Path
    interviewer: str
    email: str

    @property
    def identity(self) -> Identity:
        return Identity(self.interviewer, self.email)


def user_file(config_dir: Path) -> Path:
    return config_dir / USER_FILE


def load_member(config_dir: Path) -> Member | None:
    path = user_file(config_dir)
    try:
        doc = strictjson.loads(read_regular(path, CONFIG_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RefusedFile, strictjson.JSONRefused) as err:
        raise PanelError(f"{path}: cannot read the panel settings ({err}); run `companion "
                         "panel init DIR` again") from None
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), str) and doc.get(k)
                                            for k in ("folder", "interviewer", "email")):
        raise PanelError(f"{path}: the panel settings lack a folder, an interviewer or an "
                         "e-mail; run `companion panel init DIR` again")
    return Member(Path(doc["folder"]), doc["interviewer"], doc["email"])


def save_member(config_dir: Path, member: Member) -> Path:
    from companion.paths import private_dir

    path = user_file(config_dir)
    private_dir(config_dir)
    text = json.dumps({"folder": str(member.folder), "interviewer": member.interviewer,
                       "email": member.email}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"), overwrite=True)
    return path


def viewer_sees_all(config_dir: Path) -> bool:
    """Whether this user is the organiser named in their panel's config (who sees every
    scorecard). False without a panel, or when its config cannot be read."""
    try:
        member = load_member(config_dir)
        config = read_config(member.folder) if member is not None else None
    except PanelError:
        return False
    return bool(member and config and config.is_organiser(member.interviewer))


def default_email(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", ".", fold_name(name)).strip(".") or "interviewer"
    return f"{slug}@companion.invalid"


# --- the panel's side: its config, keys and paths ---------------------------------------------


@dataclass(frozen=True, slots=True)
class PanelConfig:
    salt: bytes
    organiser: str

    def key(self, person: str) -> str:
        """The opaque folder name of a person (`id:...` or `session:...`)."""
        return hmac.new(self.salt, person.encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_HEX]

    def is_organiser(self, name: str) -> bool:
        return bool(self.organiser) and fold_name(name) == fold_name(self.organiser)


def person_of(candidate_id: str | None, session_id: str) -> str:
    """The identity rule: the stable id, else the session itself."""
    return f"id:{candidate_id}" if candidate_id else f"session:{session_id}"


def read_config(root: Path) -> PanelConfig | None:
    path = root / PANEL_FILE
    if path.is_symlink():
        raise PanelError(f"{path} is a symbolic link, not the panel config; restore it from "
                         "the remote (`git -C FOLDER checkout panel.json`)")
    try:
        doc = strictjson.loads(read_regular(path, CONFIG_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RefusedFile, strictjson.JSONRefused) as err:
        raise PanelError(f"{path}: not a panel config companion can read ({err}); restore it "
                         "from the remote (`git -C FOLDER checkout panel.json`)") from None
    salt = doc.get("salt") if isinstance(doc, dict) else None
    if (not isinstance(doc, dict) or doc.get("format") != PANEL_FORMAT
            or not isinstance(salt, str) or not re.fullmatch(r"[0-9a-f]{64}", salt)):
        raise PanelError(f"{path}: not a companion panel config (format {PANEL_FORMAT!r}, a "
                         "64-hex salt); restore it from the remote")
    organiser = doc.get("organiser")
    return PanelConfig(bytes.fromhex(salt), organiser if isinstance(organiser, str) else "")


def write_config(root: Path, organiser: str) -> PanelConfig:
    config = PanelConfig(secrets.token_bytes(32), organiser)
    text = json.dumps({"format": PANEL_FORMAT, "version": 1, "salt": config.salt.hex(),
                       "organiser": organiser}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(root / PANEL_FILE, text.encode("utf-8"))
    return config


@dataclass(frozen=True, slots=True)
class PanelFile:
    path: str  # relative, '/'-separated
    key: str
    session_id: str
    events: int | None  # None: the first file (`<sid>.json`)


def parse_path(path: str) -> PanelFile | None:
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != SCORECARDS or not _KEY.match(parts[1]):
        return None
    found = _NAME.match(parts[2])
    if not found:
        return None
    n = found.group("n")
    return PanelFile(path, parts[1], found.group("sid"), int(n) if n else None)


def scorecard_path(key: str, session_id: str, events: int | None) -> str:
    name = session_id if events is None else f"{session_id}+{events}"
    return f"{SCORECARDS}/{key}/{name}.json"


@dataclass(slots=True)
class Erasures:
    keys: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)

    def covers(self, key: str, session_id: str) -> bool:
        return key in self.keys or session_id in self.sessions


def read_erasures(repo: GitRepo) -> Erasures:
    found = Erasures()
    for path in repo.tracked(ERASURES):
        name = path.split("/")[-1]
        if name.startswith("session-") and name.endswith(".json"):
            sid = name[len("session-"):-len(".json")]
            if _NAME.match(sid + ".json"):
                found.sessions.add(sid)
        elif name.endswith(".json") and _KEY.match(name[:-len(".json")]):
            found.keys.add(name[:-len(".json")])
    return found


def _erasure_text(what: str, value: str) -> bytes:
    # The same bytes whoever writes it: two members erasing the same person merge cleanly.
    return (json.dumps({"format": ERASURE_FORMAT, "version": 1, what: value},
                       sort_keys=True) + "\n").encode("ascii")


# --- the panel ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SyncReport:
    committed: list[str] = field(default_factory=list)  # own scorecard files added
    held_back: int = 0  # own scorecards not shared: their person has an erasure request
    fetched: bool = False
    merged: bool = False
    imported: list[dict[str, Any]] = field(default_factory=list)
    amended: list[str] = field(default_factory=list)  # imported sessions given amendments
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    erased: list[str] = field(default_factory=list)  # imported sessions purged
    erased_files: list[str] = field(default_factory=list)  # files removed by erasures
    own_erased: list[str] = field(default_factory=list)  # own sessions of erased people
    pushed: bool = False
    retries: int = 0
    offline: str | None = None  # why the remote could not be reached
    remote_refused: str | None = None
    unpushed: int = 0


class Panel:
    """One member's clone of the panel, with the panel's config."""

    def __init__(self, repo: GitRepo, config: PanelConfig, member: Member) -> None:
        self.repo = repo
        self.config = config
        self.member = member

    @property
    def root(self) -> Path:
        return self.repo.path

    @property
    def sees_all(self) -> bool:
        return self.config.is_organiser(self.member.interviewer)

    @classmethod
    def open(cls, member: Member, *, timeout: float | None = None,
             runner: Runner | None = None) -> Panel:
        repo = _repo(member.folder, timeout, runner)
        if not member.folder.is_dir():
            raise PanelError(f"the panel folder {member.folder} is not there; run `companion "
                             "panel init DIR [--remote URL]` again")
        if not repo.is_repo():
            raise PanelError(f"{member.folder} is not a git repository; run `companion panel "
                             "init DIR [--remote URL]` again")
        config = read_config(member.folder)
        if config is None:
            raise PanelError(f"{member.folder} has no {PANEL_FILE}: not a companion panel "
                             "(yet); run `companion panel init` on it")
        return cls(repo, config, member)

    # --- files ------------------------------------------------------------------------------

    def files(self) -> list[PanelFile]:
        out = []
        for path in self.repo.tracked(SCORECARDS):
            parsed = parse_path(path)
            if parsed is not None:
                out.append(parsed)
        return out

    def key_of(self, row: dict[str, Any]) -> str:
        return self.config.key(person_of(row.get("candidate_id"), row["id"]))

    def _latest(self) -> dict[str, PanelFile]:
        latest: dict[str, PanelFile] = {}
        for f in self.files():
            have = latest.get(f.session_id)
            if have is None or (f.events or 0) > (have.events or 0):
                latest[f.session_id] = f
        return latest

    # --- 1. commit this interviewer's sealed scorecards --------------------------------------

    def own_scorecards(self, store: Store) -> list[dict[str, Any]]:
        """This database's own ended, sealed interview sessions."""
        return [r for r in store.sessions(status="ended")
                if r["source"] == "local" and r["mode"] != "practice"
                and _NAME.match(f"{r['id']}.json") and store.seal(r["id"]) is not None]

    def unshared(self, store: Store, erasures: Erasures | None = None
                 ) -> list[tuple[dict[str, Any], str]]:
        """Own sealed scorecards with no file yet, or with amendments no file carries: each
        with the path its new file gets."""
        erasures = erasures or read_erasures(self.repo)
        latest = self._latest()
        out = []
        for row in self.own_scorecards(store):
            key = self.key_of(row)
            if erasures.covers(key, row["id"]):
                continue
            count = len(store.events(row["id"]))
            have = latest.get(row["id"])
            if have is None:
                out.append((row, scorecard_path(key, row["id"], None)))
            elif (have.events or _events_in(self.root / have.path)) < count:
                out.append((row, scorecard_path(key, row["id"], count)))
        return out

    def commit_own(self, store: Store, clock: Clock, key: bytes | None,
                   result: SyncReport) -> None:
        from companion.export.formats import render_session
        from companion.export.report import report

        seal_pending(store, clock, key)
        erasures = read_erasures(self.repo)
        result.held_back = sum(1 for r in self.own_scorecards(store)
                               if erasures.covers(self.key_of(r), r["id"]))
        written = []
        for row, path in self.unshared(store, erasures):
            events = store.events(row["id"])
            text = render_session(report(replay(events), events, seal=store.seal(row["id"])),
                                  "json")
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text.encode("utf-8"))
            written.append(path)
        if written:
            self.repo.add(written)
            self.repo.commit(f"{len(written)} sealed scorecard(s) by "
                             f"{self.member.interviewer}", self.member.identity)
        result.committed = written

    # --- 3. verify and import the others' ----------------------------------------------------

    def apply_erasures(self, store: Store, result: SyncReport) -> None:
        """Purge imported copies an erasure request names; take out of the tree any file
        under an erased key that arrived after the request (a member who had not synced)."""
        erasures = read_erasures(self.repo)
        if not erasures.keys and not erasures.sessions:
            return
        late = [f.path for f in self.files() if erasures.covers(f.key, f.session_id)]
        if late:
            self.repo.remove(late)
            self.repo.commit(f"erasure requests applied to {len(late)} late file(s)",
                             self.member.identity)
            result.erased_files += late
        doomed: list[str] = []
        own: list[str] = []
        for row in store.sessions():
            if row["mode"] == "practice" or not erasures.covers(self.key_of(row), row["id"]):
                continue
            (own if row["source"] == "local" else doomed).append(row["id"])
        if doomed:
            from companion.erasure import delete_kept_files

            delete_kept_files(store.purge_selection(session_ids=doomed))
            store.purge(doomed)
        result.erased += doomed
        result.own_erased = own

    def import_others(self, store: Store, clock: Clock, key: bytes | None,
                      result: SyncReport) -> None:
        by_session: dict[str, list[PanelFile]] = {}
        for f in self.files():
            by_session.setdefault(f.session_id, []).append(f)
        erasures = read_erasures(self.repo)
        for sid, files in sorted(by_session.items()):
            row = store.session(sid)
            if row is not None and row["source"] == "local":
                continue  # our own, written by us
            files.sort(key=lambda f: f.events or 0)
            for f in files:  # each is checked: an edit to an older file is refused too
                if erasures.covers(f.key, sid):
                    continue
                self._take(store, clock, key, f, f is files[-1], result)

    def _take(self, store: Store, clock: Clock, key: bytes | None, f: PanelFile,
              latest: bool, result: SyncReport) -> None:
        path = self.root / f.path
        if path.is_symlink() or path.parent.is_symlink():
            # Git keeps symbolic links: one could point anywhere on this machine.
            result.refused.append((f.path, "a symbolic link, not a scorecard file: ask who "
                                   "committed it to remove it"))
            return
        try:
            doc, events, verdict = check_file(path, key)
        except Refused as err:
            result.refused.append((f.path, str(err)))
            return
        problem = self._misfiled(f, doc, events)
        if problem:
            result.refused.append((f.path, problem))
            return
        row = store.session(f.session_id)
        if row is None:
            if not latest:
                return
            try:
                info = import_file(store, path, clock, key, source_kind="panel",
                                   file_name=f.path, log_view=False,
                                   checked=(doc, events, verdict))
            except Refused as err:
                result.refused.append((f.path, str(err)))
                return
            result.imported.append(info)
            return
        stored = store.events(f.session_id)
        seal = verdict.seal or {}
        record = store.import_record(f.session_id) or {}
        if record.get("digest") != seal.get("digest"):
            result.refused.append((f.path, "its seal is not the one imported from the panel "
                                   f"before ({record.get('file') or 'another file'}): the "
                                   "file was replaced after sealing. Ask its interviewer "
                                   "to sync again, and do not edit panel files"))
            return
        prefix = [event_form(e) for e in events[:len(stored)]]
        if prefix != [event_form(e) for e in stored[:len(events)]]:
            result.refused.append((f.path, "its events differ from the copy imported before: "
                                   "the file was edited after sealing. Ask its interviewer "
                                   "to sync again, and do not edit panel files"))
            return
        if latest and len(events) > len(stored):
            store.append_imported(f.session_id, events[len(stored):],
                                  summary_of(replay(events)))
            result.amended.append(f.session_id)

    def _misfiled(self, f: PanelFile, doc: dict[str, Any], events: list[Any]) -> str | None:
        sid = events[0].data.get("session_id")
        if sid != f.session_id:
            return (f"it holds session {sid}, not the {f.session_id} its name says: files "
                    "are never renamed or edited")
        if f.events is not None and f.events != len(events):
            return (f"it holds {len(events)} events, not the {f.events} its name says: files "
                    "are never renamed or edited")
        state = replay(events)
        if self.config.key(person_of(state.candidate_id, f.session_id)) != f.key:
            return ("it is filed under another person's folder: files are never moved; ask "
                    "its interviewer to sync again")
        return None

    # --- the whole sync ----------------------------------------------------------------------

    def pull(self, store: Store, clock: Clock, key: bytes | None, result: SyncReport) -> None:
        """2 and 3: fetch and merge (offline: what is here), then erasures and imports."""
        if (self.repo.remote_url() is not None and result.offline is None
                and result.remote_refused is None):
            try:
                self.repo.fetch()
                result.fetched = True
            except Unreachable as err:
                result.offline = str(err)
            except RemoteRefused as err:  # no access (any more): what is here still counts
                result.remote_refused = str(err)
        result.merged = self.repo.merge_remote(self.member.identity) or result.merged
        self.apply_erasures(store, result)
        self.import_others(store, clock, key, result)

    def sync(self, store: Store, clock: Clock, key: bytes | None,
             before_push: Callable[[int], None] | None = None) -> SyncReport:
        result = SyncReport()
        self.commit_own(store, clock, key, result)
        self.pull(store, clock, key, result)
        if (self.repo.remote_url() is not None and result.offline is None
                and result.remote_refused is None):
            for attempt in range(PUSH_RETRIES + 1):
                if not self.repo.unpushed():
                    break
                try:
                    if before_push is not None:
                        before_push(attempt)
                    self.repo.push()
                    result.pushed = True
                    break
                except Behind:
                    if attempt == PUSH_RETRIES:
                        result.remote_refused = (
                            f"the push lost the race {PUSH_RETRIES + 1} times: others keep "
                            "pushing; your commits are kept here, sync again in a moment")
                        break
                    result.retries += 1
                    self.pull(store, clock, key, result)
                except Unreachable as err:
                    result.offline = str(err)
                    break
                except RemoteRefused as err:
                    result.remote_refused = str(err)
                    break
        result.unpushed = self.repo.unpushed() if self.repo.has_commits() else 0
        return result

    # --- status ------------------------------------------------------------------------------

    def status(self, store: Store) -> dict[str, Any]:
        """What waits on either side, as of the last fetch (no network)."""
        from companion.panel.reveal import hidden_scorecards

        erasures = read_erasures(self.repo)
        known = {r["id"] for r in store.sessions()}
        not_imported = sorted({f.session_id for f in self.files()
                               if f.session_id not in known
                               and not erasures.covers(f.key, f.session_id)})
        to_erase = [r["id"] for r in store.sessions()
                    if r["source"] != "local" and r["mode"] != "practice"
                    and erasures.covers(self.key_of(r), r["id"])]
        hidden = hidden_scorecards(store, sees_all=lambda: self.sees_all)
        return {
            "folder": str(self.root),
            "remote": self.repo.remote_url(),
            "interviewer": self.member.interviewer,
            "organiser": self.config.organiser,
            "sees_all": self.sees_all,
            "to_share": [p for _row, p in self.unshared(store, erasures)],
            "unsealed": store.unsealed_finished(),
            "unpushed_commits": self.repo.unpushed(),
            "unmerged_commits": self.repo.unmerged(),
            "not_imported": not_imported,
            "to_erase": to_erase,
            "hidden": len(hidden),
            "hidden_words": hidden.words(),
        }

    # --- purge -------------------------------------------------------------------------------

    def erase(self, rows: list[dict[str, Any]], *, whole_person: bool) -> list[str]:
        """Take the files of these sessions out of the working tree and add erasure requests
        (per person when `whole_person`, else per session), in one commit. The paths
        removed; the next sync pushes the commit."""
        ids = {r["id"] for r in rows}
        keys = {self.key_of(r) for r in rows}
        if whole_person:
            gone = [f.path for f in self.files() if f.key in keys or f.session_id in ids]
        else:
            gone = [f.path for f in self.files() if f.session_id in ids]
        requests = []
        for value in sorted(keys if whole_person else ids):
            name = f"{value}.json" if whole_person else f"session-{value}.json"
            path = f"{ERASURES}/{name}"
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, _erasure_text("key" if whole_person else "session", value),
                         overwrite=True)
            requests.append(path)
        self.repo.remove(gone)
        self.repo.add(requests)
        self.repo.commit(f"erasure: {len(gone)} scorecard file(s) removed, "
                         f"{len(requests)} erasure request(s)", self.member.identity)
        return gone


def _events_in(path: Path) -> int:
    """How many events a first file holds (its name does not say)."""
    try:
        doc = strictjson.loads(read_regular(path, strictjson.MAX_BYTES))
    except (OSError, ValueError, RefusedFile, strictjson.JSONRefused):
        return 0
    events = doc.get("events") if isinstance(doc, dict) else None
    return len(events) if isinstance(events, list) else 0


def _repo(folder: Path, timeout: float | None, runner: Runner | None) -> GitRepo:
    from companion.panel.gitrepo import NETWORK_TIMEOUT_S

    return GitRepo(folder, timeout=NETWORK_TIMEOUT_S if timeout is None else timeout,
                   runner=runner)


# --- init ----------------------------------------------------------------------------------------


def init_panel(folder: Path, remote: str | None, member: Member, *, organiser: str = "",
               timeout: float | None = None, runner: Runner | None = None
               ) -> tuple[Panel, list[str]]:
    """Clone the remote into `folder` (or make a repository there, or take the one that is
    there), and give it a panel config when it has none (with a new salt; `organiser`, by
    default this member). Returns the panel and what was done, in words."""
    repo = _repo(folder, timeout, runner)
    done: list[str] = []
    if folder.exists() and not folder.is_dir():
        raise PanelError(f"{folder} is a file, not a folder; give a folder for the panel")
    if folder.is_dir() and repo.is_repo():
        done.append(f"using the git repository in {folder}")
        if remote and repo.remote_url() != remote:
            repo.set_remote(remote)
            done.append(f"its remote is now {remote}")
        if repo.remote_url():
            try:
                repo.fetch()
                repo.merge_remote(member.identity)
            except Unreachable as err:
                done.append(f"could not fetch now ({err}); `companion panel sync` will")
    elif folder.is_dir() and any(folder.iterdir()):
        raise PanelError(f"{folder} has files and is not a git repository; give an empty or "
                         "new folder (or a clone of the panel)")
    elif remote:
        try:
            repo.clone(remote)
        except Unreachable as err:
            raise PanelError(f"cannot clone {remote}: {err}. Check the address, the network "
                             "or the shared drive, then run `companion panel init` again"
                             ) from None
        except RemoteRefused as err:
            raise PanelError(f"cannot clone {remote}: {err}. Ask for access to the panel's "
                             "repository, then run `companion panel init` again") from None
        done.append(f"cloned {remote} into {folder}")
    else:
        repo.init()
        done.append(f"made a new git repository in {folder} (no remote: add one with "
                    "`companion panel init DIR --remote URL`)")
    repo.run(["config", "user.name", member.interviewer])
    repo.run(["config", "user.email", member.email])
    config = read_config(folder)
    if config is None:
        config = write_config(folder, organiser or member.interviewer)
        repo.add([PANEL_FILE])
        repo.commit("panel created", member.identity)
        done.append(f"wrote {PANEL_FILE} (a new salt; organiser: {config.organiser})")
        if repo.remote_url():
            done += _publish_config(repo, member)
            config = read_config(folder) or config
    elif organiser and not config.is_organiser(organiser):
        done.append(f"note: the panel's organiser is {config.organiser} (set when it was "
                    "created); --organiser was not applied")
    return Panel(repo, config, member), done


def _publish_config(repo: GitRepo, member: Member) -> list[str]:
    """Push a new panel config at once: the first member to push wins; a member who lost the
    race takes the remote's config (and salt) instead of theirs."""
    try:
        repo.push()
        return ["pushed it to the remote"]
    except Behind:
        repo.fetch()
        repo.run(["reset", "-q", "--hard", f"refs/remotes/origin/{repo.branch()}"])
        return ["someone made the panel at the same moment: took the remote's config"]
    except Unreachable as err:
        return [f"could not push it now ({err}); `companion panel sync` will"]
    except GitError as err:
        return [f"could not push it ({err}); `companion panel sync` will try again"]
