"""The panel folder git carries (docs/panel.md, "Sharing through git"): real git, bare
repositories in tmp_path, one HOME, config dir and database per interviewer. Syncs in every
order, a push that loses a race, a tampered file, git missing, a remote that is gone and comes
back, a remote that refuses, a purge that reaches the others' copies, and the display rule:
others' scorecards counted, not shown, until yours is sealed."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from helpers import make_plan
from helpers import run_cli as run
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.panel.gitrepo import GitRepo, Identity
from companion.panel.sharing import Panel, load_member
from companion.session import Session
from companion.store.database import Store

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

KEY = bytes(range(32))
CANDIDATE = "Sam Lee"
CANDIDATE_ID = "sam@example.org"


@dataclass
class Interviewer:
    """One interviewer's machine: their HOME (config dir and team key in it), database and
    panel clone."""

    name: str
    home: Path

    @property
    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config"),
                "XDG_DATA_HOME": str(self.home / ".local/share"),
                "XDG_CACHE_HOME": str(self.home / ".cache"),
                "COMPANION_DB": str(self.db)}

    @property
    def db(self) -> Path:
        return self.home / "companion.db"

    @property
    def config_dir(self) -> Path:
        return self.home / ".config" / "companion"

    @property
    def clone(self) -> Path:
        return self.home / "panel"

    def cli(self, *args: str) -> Result:
        return run(*args, env=self.env)

    def interview(self, sid: str, scores: dict[str, int], *, end: bool = True,
                  candidate: str = CANDIDATE, candidate_id: str = CANDIDATE_ID,
                  recommendation: str = "yes") -> Session:
        clock = FakeClock(wall=1_790_000_000.0)
        with Store(self.db) as store:
            s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                              candidate=candidate, candidate_id=candidate_id,
                              interviewer=self.name)
            clock.advance(600)
            s.add_note(f"note by {self.name}")
            for criterion, score in scores.items():
                s.set_score(criterion, score, f"{self.name} saw {criterion}")
            s.set_recommendation(recommendation)
            clock.advance(60)
            if end:
                s.end()
        return s

    def panel(self, **kwargs: Any) -> Panel:
        member = load_member(self.config_dir)
        assert member is not None
        return Panel.open(member, **kwargs)

    def store(self) -> Store:
        return Store(self.db)

    def session_ids(self) -> set[str]:
        with self.store() as store:
            return {r["id"] for r in store.sessions()}


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    return bare


def person(tmp_path: Path, name: str, remote: Path | None, *, organiser: str = "",
           key: bytes = KEY) -> Interviewer:
    who = Interviewer(name, tmp_path / name.lower())
    who.config_dir.mkdir(parents=True)
    (who.config_dir / "team-key").write_text(key.hex() + "\n")
    (who.config_dir / "team-key").chmod(0o600)
    args = ["panel", "init", str(who.clone), "--name", name]
    if remote is not None:
        args += ["--remote", str(remote)]
    if organiser:
        args += ["--organiser", organiser]
    result = who.cli(*args)
    assert result.exit_code == 0, result.output
    return who


def sync(who: Interviewer, code: int = 0) -> Result:
    result = who.cli("panel", "sync")
    assert result.exit_code == code, result.output
    return result


def remote_files(remote: Path) -> list[str]:
    out = subprocess.run(["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only",
                          "main"], capture_output=True, text=True, check=True).stdout
    return out.split()


# --- init, file names, the display rule --------------------------------------------------------


def test_two_interviewers_share_and_see_each_other_only_after_sealing(
        tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    config = json.loads((bob.clone / "panel.json").read_text())
    assert config["organiser"] == "Ada" and len(config["salt"]) == 64  # Ada made it

    ada.interview("a1", {"c1": 2, "c2": 1})
    out = sync(ada).output
    assert "committed 1 sealed scorecard(s) of yours" in out and "pushed" in out
    files = [f for f in remote_files(remote) if f.startswith("scorecards/")]
    assert len(files) == 1 and files[0].endswith("/a1.json")
    # Nothing personal in the path: no name, no e-mail, not even hashed without the salt.
    assert "sam" not in files[0].lower() and "example" not in files[0]

    bob.interview("b1", {"c1": 0}, end=False)  # Bob is still interviewing
    out = sync(bob).output
    assert "imported a1 by Ada (hidden until yours is sealed)" in out
    assert "1 scorecard waiting until yours is sealed" in out
    listing = bob.cli("sessions")
    assert "a1" not in listing.stdout and "Ada" not in listing.stdout
    assert "1 scorecard waiting until yours is sealed" in listing.stderr
    assert [r["id"] for r in json.loads(bob.cli("sessions", "--json").stdout)] == ["b1"]
    refused = bob.cli("export", "a1")
    assert refused.exit_code == 2 and "waiting until yours" in refused.output
    assert "saw c1" not in refused.output
    debrief = bob.cli("export", "--candidate", CANDIDATE_ID)
    assert "Ada" not in debrief.stdout and "1 scorecard waiting" in debrief.stderr
    assert "**Waiting until yours is sealed:** 1 scorecard(s) of the panel" in debrief.stdout
    html = bob.cli("export", "--candidate", CANDIDATE_ID, "--format", "html").stdout
    assert "1 waiting until yours is sealed (not shown)" in html and "Ada" not in html
    assert bob.cli("search", "Ada").stdout.startswith("No matches")
    calibration = bob.cli("calibration", "--json")
    assert [i["interviewer"] for i in json.loads(calibration.stdout)["interviewers"]] == []

    # Bob ends: his seal reveals Ada's scorecard to him, and his goes to the panel.
    with bob.store() as store:
        Session(store.events("b1"), FakeClock(wall=1_790_001_000.0),
                store.sink("b1")).end()
    out = sync(bob).output
    assert "committed 1" in out and "waiting" not in out
    assert "a1" in bob.cli("sessions").stdout
    debrief = bob.cli("export", "--candidate", CANDIDATE_ID).stdout
    assert "Ada" in debrief and "Bob" in debrief
    assert "Ada saw c1" in bob.cli("export", "a1").stdout
    assert "imported b1 by Bob" in sync(ada).output
    assert ada.session_ids() == bob.session_ids() == {"a1", "b1"}
    # The organiser's own scorecard is sealed anyway; verify works on panel copies.
    verified = bob.cli("verify", "a1")
    assert verified.exit_code == 0 and verified.stdout.startswith("intact: session a1")


def test_organiser_sees_everything_before_sealing(tmp_path: Path, remote: Path) -> None:
    org = person(tmp_path, "Olive", remote)  # first: the panel's organiser
    ada = person(tmp_path, "Ada", remote)
    ada.interview("a1", {"c1": 2})
    sync(ada)
    out = sync(org).output
    assert "imported a1 by Ada (Sam Lee)" in out and "waiting" not in out
    assert "a1" in org.cli("sessions").stdout
    assert "Ada saw c1" in org.cli("export", "--candidate", CANDIDATE_ID).stdout
    calibration = json.loads(org.cli("calibration", "--json").stdout)
    assert [i["interviewer"] for i in calibration["interviewers"]] == ["Ada"]


@pytest.mark.parametrize("order", list(itertools.permutations("abc")))
def test_three_interviewers_in_every_order(tmp_path: Path, remote: Path,
                                           order: tuple[str, ...]) -> None:
    people = {"a": person(tmp_path, "Ada", remote), "b": person(tmp_path, "Bob", remote),
              "c": person(tmp_path, "Cy", remote)}
    for letter, who in people.items():
        who.interview(f"{letter}1", {"c1": 1, "c2": 2})
    for letter in order:  # the first round: each gets those who synced before
        sync(people[letter])
    for letter in order[:2]:  # the second: everyone has everyone
        sync(people[letter])
    for who in people.values():
        assert who.session_ids() == {"a1", "b1", "c1"}, who.name
    assert len([f for f in remote_files(remote) if f.startswith("scorecards/")]) == 3
    assert sync(people[order[0]]).output == "pulled from the remote (nothing new)\n"


def test_a_push_that_loses_a_race_pulls_and_retries(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    bob.interview("b1", {"c1": 1})

    def bob_pushes_first(attempt: int) -> None:
        if attempt == 0:  # between Ada's pull and her push
            sync(bob)

    with ada.store() as store:
        result = ada.panel().sync(store, FakeClock(wall=1_790_010_000.0), KEY,
                                  before_push=bob_pushes_first)
    assert result.pushed and result.retries == 1
    assert [i["session_id"] for i in result.imported] == ["b1"]  # taken in the retry
    assert sorted(f.split("/")[-1] for f in remote_files(remote)
                  if f.startswith("scorecards/")) == ["a1.json", "b1.json"]
    assert "imported a1 by Ada" in sync(bob).output


def test_a_race_lost_every_time_keeps_the_commits(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    n = 0

    def someone_always_pushes(_attempt: int) -> None:
        nonlocal n
        n += 1
        bob.interview(f"b{n}", {"c1": 1})
        sync(bob)

    with ada.store() as store:
        result = ada.panel().sync(store, FakeClock(wall=1_790_010_000.0), KEY,
                                  before_push=someone_always_pushes)
    assert not result.pushed and result.retries == 3 and n == 4
    assert result.remote_refused and "4 times" in result.remote_refused
    assert result.unpushed >= 1
    assert "pushed" in sync(ada).output  # a calm moment later


# --- tampering --------------------------------------------------------------------------------


def _edit_in_remote(tmp_path: Path, remote: Path, change: Any) -> str:
    """Someone with write access edits a scorecard file in place and pushes."""
    work = tmp_path / "editor"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    path = next(p for p in work.rglob("*.json") if "scorecards" in p.parts)
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2))
    git = ["git", "-C", str(work), "-c", "user.name=Mallory", "-c", "user.email=m@x"]
    subprocess.run([*git, "commit", "-qam", "better score"], check=True)
    subprocess.run([*git, "push", "-q"], check=True)
    return str(path.relative_to(work))


def _raise_score(doc: dict[str, Any]) -> None:
    for event in doc["events"]:
        if event["type"] == "score_set":
            event["data"]["score"] = 2
    for score in doc["rubric"]["scores"]:
        if score["score"] is not None:
            score["score"] = 2


def test_a_tampered_file_is_refused_with_its_path_and_reason(tmp_path: Path,
                                                             remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 0, "c2": 0})
    sync(ada)
    edited = _edit_in_remote(tmp_path, remote, _raise_score)
    result = sync(bob, code=1)
    assert f"refused: {bob.clone / edited}: broken seal:" in result.stderr
    assert "changed after it was sealed" in result.stderr
    assert "Traceback" not in result.output
    assert "a1" not in bob.session_ids()


def test_a_file_edited_after_it_was_imported_is_refused(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 0})
    sync(ada)
    sync(bob)
    assert "a1" in bob.session_ids()
    _edit_in_remote(tmp_path, remote, _raise_score)
    result = sync(bob, code=1)
    assert "a1.json: broken seal" in result.stderr
    with bob.store() as store:  # the copy imported before is left as it was
        assert [e.data.get("score") for e in store.events("a1") if e.type == "score_set"] == [0]


# --- git missing, the remote gone, the remote refusing -------------------------------------------


def test_git_missing_is_a_clear_message(tmp_path: Path, remote: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ada = person(tmp_path, "Ada", remote)
    empty = tmp_path / "nogit"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for args in (("panel", "sync"), ("panel", "status"),
                 ("panel", "init", str(tmp_path / "other"), "--name", "Ada")):
        result = ada.cli(*args)
        assert result.exit_code == 2, result.output
        assert "git is not installed" in result.stderr and "Install git" in result.stderr


def test_a_remote_that_is_gone_then_catches_up(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    away = remote.with_name("away.git")
    remote.rename(away)
    out = sync(ada).output  # offline: committed here, nothing lost, exit 0
    assert "committed 1" in out and "offline:" in out and "does not appear" in out
    assert "Nothing is lost: committed here; the next `companion panel sync` pushes 1 " \
        "commit(s)" in out
    status = ada.cli("panel", "status").stdout
    assert "1 commit(s) not pushed" in status
    away.rename(remote)
    out = sync(ada).output
    assert "pushed" in out and "offline" not in out
    assert "imported a1" in sync(bob).output


def test_a_network_that_does_not_answer_times_out(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    ada.interview("a1", {"c1": 2})
    calls: list[list[str]] = []

    def hangs_on_the_network(command: list[str], **kwargs: Any) -> Any:
        calls.append(command)
        if any(word in command for word in ("fetch", "push")):
            assert kwargs["timeout"] == 0.5  # the injected bound, for network calls only
            raise subprocess.TimeoutExpired(command, kwargs["timeout"])
        assert kwargs["env"]["GIT_TERMINAL_PROMPT"] == "0"
        assert kwargs["stdin"] == subprocess.DEVNULL
        return subprocess.run(command, **kwargs)

    with ada.store() as store:
        result = ada.panel(timeout=0.5, runner=hangs_on_the_network).sync(
            store, FakeClock(wall=1_790_010_000.0), KEY)
    assert result.offline and "more than 0.5 s" in result.offline
    assert result.committed and not result.pushed
    assert "pushed" in sync(ada).output


def test_a_remote_that_refuses_the_push(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'no pushes today' >&2\nexit 1\n")
    hook.chmod(0o755)
    ada.interview("a1", {"c1": 2})
    result = sync(ada, code=1)
    assert "the remote refused" in result.stdout and "no pushes today" in result.stdout
    assert "commits are kept here" in result.stdout
    hook.unlink()
    assert "pushed" in sync(ada).output


def test_commits_never_use_the_global_git_identity(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    ada.interview("a1", {"c1": 2})
    sync(ada)
    log = subprocess.run(["git", "--git-dir", str(remote), "log", "--format=%an <%ae>",
                          "main"], capture_output=True, text=True, check=True).stdout
    assert set(log.split("\n")) - {""} == {"Ada <ada@companion.invalid>"}


# --- purge -------------------------------------------------------------------------------------


def test_a_purge_reaches_the_others_copies(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    bob.interview("b1", {"c1": 1})
    ada.interview("a2", {"c1": 1}, candidate="Kim Roe", candidate_id="kim@example.org")
    for who in (ada, bob, ada):
        sync(who)
    assert bob.session_ids() == {"a1", "a2", "b1"}

    purged = ada.cli("purge", "--candidate", CANDIDATE_ID, "--yes")
    assert purged.exit_code == 0, purged.output
    assert "took 2 scorecard file(s) out of the working tree" in purged.stdout
    assert "Git history still holds the old commits" in purged.stdout
    assert ada.session_ids() == {"a2"}
    files = remote_files(remote)  # not pushed yet: the next sync shares it
    assert sum(f.startswith("scorecards/") for f in files) == 3
    sync(ada)
    files = remote_files(remote)
    assert [f.split("/")[-1] for f in files if f.startswith("scorecards/")] == ["a2.json"]
    erasures = [f for f in files if f.startswith("erasures/")]
    assert len(erasures) == 1 and "sam" not in erasures[0]

    out = sync(bob).output
    assert "purged 1 imported scorecard(s)" in out
    assert "1 session(s) of your own are of a person with an erasure request" in out
    assert bob.session_ids() == {"a2", "b1"}  # his own is his to purge, and is not re-shared
    assert "not shared: 1" in sync(bob).output
    assert [f.split("/")[-1] for f in remote_files(remote)
            if f.startswith("scorecards/")] == ["a2.json"]


def test_a_file_pushed_late_under_an_erased_person_is_taken_out(tmp_path: Path,
                                                                remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    sync(ada)
    sync(bob)
    assert ada.cli("purge", "--candidate", CANDIDATE_ID, "--yes").exit_code == 0
    sync(ada)
    # Bob interviewed Sam meanwhile and syncs without having pulled the erasure yet.
    bob.interview("b1", {"c1": 1})
    out = sync(bob).output
    assert "purged 1 imported" in out and "took 1 late file(s) out" in out
    assert not [f for f in remote_files(remote) if f.startswith("scorecards/")]


# --- amendments -----------------------------------------------------------------------------


def test_an_amendment_after_sealing_is_a_new_file(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    bob.interview("b1", {"c1": 2})
    sync(ada)
    sync(bob)
    with ada.store() as store:
        Session(store.events("a1"), FakeClock(wall=1_790_020_000.0),
                store.sink("a1")).set_summary("Strong on design, amended after the debrief")
        count = len(store.events("a1"))
    assert "committed 1" in sync(ada).output
    names = sorted(name for name in (f.split("/")[-1] for f in remote_files(remote))
                   if name.startswith("a1"))
    assert names == [f"a1+{count}.json", "a1.json"]
    assert "took the amendments to a1" in sync(bob).output
    shown = bob.cli("verify", "a1")
    assert shown.stdout.startswith("amended: session a1") and "summary" in shown.stdout
    assert sync(bob).output == "pulled from the remote (nothing new)\n"


# --- status and the team key --------------------------------------------------------------------


def test_status_shows_what_waits_on_either_side(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    status = ada.cli("panel", "status").stdout
    assert "your side: 1 ended session(s) not sealed yet (sync seals them)" in status
    with ada.store() as store:
        from companion.panel.seal import seal_pending

        seal_pending(store, FakeClock(), KEY)
    assert "your side: 1 sealed scorecard(s) to commit" in ada.cli("panel", "status").stdout
    sync(ada)
    assert "your side: nothing waiting" in ada.cli("panel", "status").stdout
    bob_panel = bob.panel()
    bob_panel.repo.fetch()
    bob_panel.repo.merge_remote(bob_panel.member.identity)
    status = bob.cli("panel", "status").stdout
    assert "their side: 1 scorecard(s) in the folder not imported" in status
    sync(bob)
    assert "1 scorecard waiting until yours is sealed" in bob.cli("panel", "status").stdout


def test_sync_without_a_panel_says_what_to_do(tmp_path: Path) -> None:
    result = run("panel", "sync")
    assert result.exit_code == 2 and "companion panel init DIR" in result.stderr


def test_a_panel_with_no_remote_works_locally(tmp_path: Path) -> None:
    ada = person(tmp_path, "Ada", None)
    ada.interview("a1", {"c1": 2})
    out = sync(ada).output
    assert "committed 1" in out and "offline" not in out
    assert GitRepo(ada.clone).tracked("scorecards")


def test_key_fingerprint_and_rotation(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    printed = {ada.cli("key", "fingerprint").stdout, bob.cli("key", "fingerprint").stdout}
    assert len(printed) == 1 and printed.pop().startswith("fingerprint ")
    ada.interview("a1", {"c1": 2})
    sync(ada)
    rotated = ada.cli("key", "rotate")
    assert rotated.exit_code == 0 and "old key" in rotated.stdout
    new_file = tmp_path / "new-key"
    shutil.copy(ada.config_dir / "team-key", new_file)
    assert bob.cli("key", "rotate", "--from", str(new_file)).exit_code == 0
    assert ada.cli("key", "fingerprint").stdout == bob.cli("key", "fingerprint").stdout
    ada.interview("a2", {"c1": 1})
    out = sync(ada).output
    assert "committed 1" in out
    out = sync(bob).output  # a1 sealed with the old key, a2 with the new: both verify
    assert "imported a1" in out and "imported a2" in out
    assert bob.cli("verify", "a1").exit_code == 0
    assert "older keys kept by rotations" in bob.cli("key", "fingerprint").stdout
    again = bob.cli("key", "rotate", "--from", str(new_file))
    assert again.exit_code == 2 and "already the team key" in again.stderr


def test_init_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "stuff"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = run("panel", "init", str(folder), "--name", "Ada")
    assert result.exit_code == 2 and "is not a git repository" in result.stderr


def test_git_runs_without_prompts_and_with_the_given_identity(tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []

    def record(command: list[str], **kwargs: Any) -> Any:
        seen.append({"command": command, **kwargs})
        return subprocess.run(command, **kwargs)

    repo = GitRepo(tmp_path / "r", runner=record)
    repo.init()
    (repo.path / "f").write_text("x")
    repo.add(["f"])
    assert repo.commit("one", Identity("Ada", "ada@companion.invalid"))
    env = seen[-1]["env"]
    assert env["GIT_TERMINAL_PROMPT"] == "0" and "BatchMode=yes" in env["GIT_SSH_COMMAND"]
    assert "user.name=Ada" in seen[-1]["command"]
    assert all(call["stdin"] == subprocess.DEVNULL for call in seen)
    assert os.environ.get("GIT_TERMINAL_PROMPT") != "0" or True  # ours, not the caller's


def test_two_members_making_the_panel_at_once_end_with_one_salt(tmp_path: Path,
                                                                 remote: Path) -> None:
    from companion.panel.sharing import Member, init_panel

    bob_home = tmp_path / "bob"
    ada_done: list[str] = []

    def ada_first(command: list[str], **kwargs: Any) -> Any:
        if "push" in command and not ada_done:  # Bob cloned the empty remote; Ada pushes
            ada_done.append("yes")
            person(tmp_path, "Ada", remote)
        return subprocess.run(command, **kwargs)

    bob = Member(bob_home / "panel", "Bob", "bob@companion.invalid")
    panel, done = init_panel(bob.folder, str(remote), bob, runner=ada_first)
    assert "took the remote's config" in " ".join(done)
    ada_config = json.loads((tmp_path / "ada" / "panel" / "panel.json").read_text())
    assert panel.config.salt.hex() == ada_config["salt"] and panel.config.organiser == "Ada"
    assert remote_files(remote) == ["panel.json"]


def test_a_symbolic_link_in_the_panel_is_refused_unread(tmp_path: Path, remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    bob = person(tmp_path, "Bob", remote)
    ada.interview("a1", {"c1": 2})
    sync(ada)
    secret = tmp_path / "secret.json"
    secret.write_text('{"format": "not yours"}')
    work = tmp_path / "editor"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    folder = next(p for p in (work / "scorecards").iterdir())
    (folder / "zz99.json").symlink_to(secret)
    git = ["git", "-C", str(work), "-c", "user.name=M", "-c", "user.email=m@x"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "link"], check=True)
    subprocess.run([*git, "push", "-q"], check=True)
    result = sync(bob, code=1)
    assert "zz99.json: a symbolic link, not a scorecard file" in result.stderr
    assert "not yours" not in result.output
    assert bob.session_ids() == {"a1"}


@settings(deadline=None, max_examples=300)
@given(folder=st.sampled_from(["scorecards", "erasures", "scorecard", "../scorecards"]),
       key=st.text(alphabet="0123456789abcdefA/.", min_size=30, max_size=34),
       sid=st.text(alphabet="0123456789abcdef-_/.\\ é", min_size=0, max_size=10),
       events=st.one_of(st.none(), st.integers(0, 10**10)),
       suffix=st.sampled_from([".json", ".JSON", ".json.bak", ""]))
def test_only_well_formed_panel_paths_are_read(folder: str, key: str, sid: str,
                                               events: int | None, suffix: str) -> None:
    """What git brings in is read only under a name companion writes: the folder, an
    opaque key of 32 hex digits, a session id of safe characters, an event count."""
    import re

    from companion.panel.sharing import parse_path

    name = sid + ("" if events is None else f"+{events}") + suffix
    parsed = parse_path(f"{folder}/{key}/{name}")
    well_formed = (folder == "scorecards" and re.fullmatch(r"[0-9a-f]{32}", key) is not None
                   and re.fullmatch(r"[0-9a-f_-]{1,64}", sid) is not None
                   and suffix == ".json" and (events is None or events < 10**9))
    assert (parsed is not None) == well_formed
    if parsed is not None:
        assert (parsed.key, parsed.session_id, parsed.events) == (key, sid, events)


@given(st.text(min_size=1, max_size=40))
def test_folder_keys_are_opaque_and_stable(stable_id: str) -> None:
    from companion.panel.sharing import PanelConfig

    one, other = PanelConfig(bytes(32), ""), PanelConfig(bytes([1]) * 32, "")
    key = one.key(f"id:{stable_id}")
    assert key == one.key(f"id:{stable_id}") and len(key) == 32
    assert key != other.key(f"id:{stable_id}")  # another panel, another folder
    if len(stable_id) >= 8:
        assert stable_id not in key  # nothing of the id shows in the path


def test_a_remote_that_refuses_the_fetch_still_imports_what_is_here(tmp_path: Path,
                                                                   remote: Path) -> None:
    ada = person(tmp_path, "Ada", remote)
    ada.interview("a1", {"c1": 2})

    def no_access(command: list[str], **kwargs: Any) -> Any:
        if "fetch" in command:
            return subprocess.CompletedProcess(command, 128, "", "remote: Permission to "
                                               "team/panel denied to ada.\nfatal: unable to "
                                               "access 'https://host/team/panel.git/': The "
                                               "requested URL returned error: 403\n")
        return subprocess.run(command, **kwargs)

    with ada.store() as store:
        result = ada.panel(runner=no_access).sync(store, FakeClock(), KEY)
    assert result.committed and not result.pushed and not result.offline
    assert result.remote_refused and "denied to ada" in result.remote_refused
