"""Git, run from the command line and never interactively, behind one small class.

No Python dependency: the `git` program does the work. Every call runs with
`GIT_TERMINAL_PROMPT=0`, an askpass that answers nothing and ssh in BatchMode, so a remote
that wants a password or a host key fails at once instead of waiting for a keyboard; stdin is
closed. Each network operation (clone, fetch, push) is bounded by `timeout` seconds (30 by
default, passed in so the tests can make it small). Commits carry the identity given to
`commit`/`merge` (`git -c user.name=... -c user.email=...`), never an unset global git user.

Failures are `GitError`s told in words: git missing (`GitMissing`), the remote out of reach or
the network down (`Unreachable`: the caller works offline and catches up later), the remote
refusing (`Refused`: permissions, a hook), and a push that lost a race (`Behind`: fetch, merge
and push again)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NETWORK_TIMEOUT_S = 30.0
LOCAL_TIMEOUT_S = 120.0  # a local command (add, commit, merge) on a big repository
DEFAULT_BRANCH = "main"

Runner = Callable[..., "subprocess.CompletedProcess[str]"]

# Words in git's own (LC_ALL=C) messages, in the order they are tried.
_REFUSED = ("permission denied", "access denied", "authentication failed", "error: 403",
            "error: 401", "[remote rejected]", "pre-receive hook declined", "denied",
            "could not read username", "terminal prompts disabled")
_UNREACHABLE = ("could not resolve host", "unable to access", "connection refused",
                "connection timed out", "network is unreachable", "does not appear to be a git",
                "could not resolve hostname",
                "could not read from remote", "no such file or directory", "not found",
                "repository not found", "failed to connect", "host key verification",
                "connection reset", "unable to look up", "does not exist")
_BEHIND = ("(fetch first)", "(non-fast-forward)", "[rejected]", "stale info",
           "cannot lock ref")


class GitError(Exception):
    """Something git could not do, in words, with what to do about it."""


class GitMissing(GitError):
    pass


class Unreachable(GitError):
    """The remote cannot be reached now (network down, remote gone, timed out)."""


class Refused(GitError):
    """The remote answered and said no (permissions, a hook, a protected branch)."""


class Behind(GitError):
    """A push rejected because the remote moved on meanwhile: fetch, merge, push again."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who commits: the interviewer's name, and the e-mail of the panel-local config."""

    name: str
    email: str

    def args(self) -> list[str]:
        return ["-c", f"user.name={self.name}", "-c", f"user.email={self.email}"]


def quiet_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: nothing ever prompts, and messages are in English (they
    are matched to tell a refusal from a network failure)."""
    env = dict(os.environ if base is None else base)
    ssh = env.get("GIT_SSH_COMMAND") or "ssh"
    env.update({
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "echo",
        "SSH_ASKPASS": "echo",
        "GIT_SSH_COMMAND": f"{ssh} -o BatchMode=yes -o ConnectTimeout=15",
        "GCM_INTERACTIVE": "never",
        "LC_ALL": "C",
        "LANGUAGE": "C",
        "GIT_EDITOR": "true",
        "GIT_MERGE_AUTOEDIT": "no",
    })
    return env


class GitRepo:
    """One working copy (a clone of the panel's remote, or a repository of its own)."""

    def __init__(self, path: Path, *, timeout: float = NETWORK_TIMEOUT_S,
                 runner: Runner | None = None, git: str = "git",
                 env: dict[str, str] | None = None) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.runner: Runner = runner or subprocess.run
        self.git = git
        self.env = quiet_env(env)
        self._branch: str | None = None

    # --- running git ------------------------------------------------------------------

    def run(self, args: Sequence[str], *, network: bool = False, check: bool = True,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`git ARGS` in the working copy. A network command is bounded by the timeout."""
        command = [self.git, "-c", "commit.gpgsign=false", "-c", "core.quotepath=off",
                   *args]
        limit = self.timeout if network else max(self.timeout, LOCAL_TIMEOUT_S)
        try:
            result = self.runner(command, cwd=str(cwd or self.path), env=self.env,
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=limit)
        except FileNotFoundError as err:
            if cwd is None and not self.path.is_dir():
                raise GitError(f"the panel folder {self.path} is not there; run "
                               "`companion panel init DIR` again") from None
            raise GitMissing(
                f"git is not installed (or not on PATH: {err.filename or self.git}); the "
                "panel shares scorecards through git. Install git (https://git-scm.com), "
                "then run this again") from None
        except subprocess.TimeoutExpired:
            what = args[0] if args else "git"
            raise Unreachable(f"git {what} took more than {limit:g} s and was stopped: the "
                              "remote did not answer in time (network down or slow)") from None
        except OSError as err:
            raise GitError(f"cannot run git: {err.strerror or err}") from None
        if check and result.returncode != 0:
            raise self._explain(args, result, network)
        return result

    def _explain(self, args: Sequence[str], result: subprocess.CompletedProcess[str],
                 network: bool) -> GitError:
        text = (result.stderr or result.stdout or "").strip()
        lower = text.lower()
        # What the remote and git said, without the progress lines around it.
        said = [line.strip() for line in text.splitlines()
                if line.lstrip().startswith(("remote:", "fatal:", "error:", "!", "ssh:"))]
        last = (" ".join(said or text.splitlines()[-3:])[:500].rstrip(". ")
                or f"exit {result.returncode}")
        what = f"git {args[0]}" if args else "git"
        if network:
            if args and args[0] == "push" and any(w in lower for w in _BEHIND) and not any(
                    w in lower for w in ("[remote rejected]", "hook declined", "protected")):
                return Behind(f"{what}: the remote has commits this clone has not fetched "
                              f"yet ({last})")
            if any(w in lower for w in _REFUSED):
                return Refused(f"{what}: the remote refused: {last}")
            if any(w in lower for w in _UNREACHABLE):
                return Unreachable(f"{what}: the remote cannot be reached: {last}")
            return Refused(f"{what} failed: {last}")
        return GitError(f"{what} failed in {self.path}: {last}")

    # --- what the panel needs -----------------------------------------------------------

    def is_repo(self) -> bool:
        if not (self.path / ".git").exists():
            return False
        return self.run(["rev-parse", "--git-dir"], check=False).returncode == 0

    def init(self, branch: str = DEFAULT_BRANCH) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self.run(["init", "-q", "-b", branch])
        self._branch = None

    def clone(self, url: str) -> None:
        """Clone `url` into this (new or empty) folder. An empty remote gives an empty clone
        on DEFAULT_BRANCH."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run(["clone", "-q", "--", url, str(self.path)], network=True,
                 cwd=self.path.parent)
        if not self.has_commits():
            self.run(["symbolic-ref", "HEAD", f"refs/heads/{DEFAULT_BRANCH}"])
        self._branch = None

    def remote_url(self) -> str | None:
        result = self.run(["remote", "get-url", "origin"], check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def set_remote(self, url: str) -> None:
        if self.remote_url() is None:
            self.run(["remote", "add", "origin", url])
        else:
            self.run(["remote", "set-url", "origin", url])

    def branch(self) -> str:
        if self._branch is None:  # asked often in a sync; only clone and init change it
            result = self.run(["symbolic-ref", "--short", "HEAD"], check=False)
            self._branch = result.stdout.strip() or DEFAULT_BRANCH
        return self._branch

    def has_commits(self) -> bool:
        return self.run(["rev-parse", "--verify", "-q", "HEAD"], check=False).returncode == 0

    def _remote_ref(self) -> str:
        return f"refs/remotes/origin/{self.branch()}"

    def has_remote_branch(self) -> bool:
        return self.run(["rev-parse", "--verify", "-q", self._remote_ref()],
                        check=False).returncode == 0

    def add(self, paths: Sequence[str]) -> None:
        if paths:
            self.run(["add", "--", *paths])

    def remove(self, paths: Sequence[str]) -> None:
        if paths:
            self.run(["rm", "-q", "--ignore-unmatch", "--", *paths])

    def staged(self) -> bool:
        return self.run(["diff", "--cached", "--quiet"], check=False).returncode != 0

    def commit(self, message: str, who: Identity) -> bool:
        """Commit what is staged; False when nothing was."""
        if not self.staged():
            return False
        self.run([*who.args(), "commit", "-q", "--no-verify", "-m", message])
        return True

    def fetch(self) -> None:
        self.run(["fetch", "-q", "origin"], network=True)

    def merge_remote(self, who: Identity) -> bool:
        """Merge what was fetched into the working copy. True when anything came in. Panel
        files never change once written, so a merge only adds and removes whole files; a
        conflict means someone edited one, and the merge is undone."""
        if not self.has_remote_branch():
            return False
        ref = self._remote_ref()
        if not self.has_commits():
            self.run(["reset", "-q", "--hard", ref])
            return True
        before = self.head()
        result = self.run([*who.args(), "merge", "-q", "--no-edit", "--no-verify", ref],
                          check=False)
        if result.returncode != 0:
            self.run(["merge", "--abort"], check=False)
            detail = " ".join((result.stdout + result.stderr).split())[:400]
            raise GitError(f"the remote's changes do not merge with this clone's ({detail}): a "
                           "panel file was edited in place. Nothing was changed here; ask "
                           "who edited it to restore it (files are never edited after "
                           "sealing), then sync again")
        return self.head() != before

    def head(self) -> str:
        return self.run(["rev-parse", "HEAD"], check=False).stdout.strip()

    def push(self) -> None:
        self.run(["push", "-q", "origin", f"HEAD:refs/heads/{self.branch()}"], network=True)

    def unpushed(self) -> int:
        """Commits here that the remote (as last fetched) does not have."""
        if not self.has_commits():
            return 0
        if not self.has_remote_branch():
            return int(self.run(["rev-list", "--count", "HEAD"]).stdout.strip() or 0)
        return int(self.run(["rev-list", "--count", f"{self._remote_ref()}..HEAD"])
                   .stdout.strip() or 0)

    def unmerged(self) -> int:
        """Commits the remote had at the last fetch that are not merged here."""
        if not self.has_remote_branch():
            return 0
        base = "HEAD" if self.has_commits() else None
        args = ["rev-list", "--count", self._remote_ref()] + ([f"^{base}"] if base else [])
        return int(self.run(args).stdout.strip() or 0)

    def tracked(self, under: str) -> list[str]:
        """Paths under `under` in the index (relative, '/'-separated)."""
        out = self.run(["ls-files", "-z", "--", under]).stdout
        return [p for p in out.split("\0") if p]

    def describe(self) -> dict[str, Any]:
        return {"path": str(self.path), "remote": self.remote_url(), "branch": self.branch()}
