"""Files private whatever the umask (issue 21): the folders companion creates (data, cache,
config) are 0700, the database and its -wal and -shm, the team key and every export 0600,
also under `umask 000` and when `--db` is a dangling symlink. A database or key others can
read gets a warning naming the file and the chmod that fixes it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli as run
from helpers import stored_session

from companion.clock import FakeClock
from companion.store.database import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_every_folder_and_file_is_private_under_umask_000(isolated_home: Path,
                                                          umask_000: None) -> None:
    env = {"COMPANION_DB": ""}  # the default place, in the user data dir
    assert run("sessions", env=env).exit_code == 0
    assert run("plans", env=env).exit_code == 0  # writes the content cache
    assert run("key", "init", env=env).exit_code == 0
    made = [p for p in isolated_home.rglob("*")]
    folders = [p for p in made if p.is_dir()]
    files = [p for p in made if p.is_file()]
    assert {p.name for p in folders} >= {".local", "share", ".cache", ".config", "companion"}
    assert {p.name for p in files} >= {"companion.db", "team-key"}
    assert any(p.name.startswith("library-") for p in files)
    for folder in folders:
        assert mode(folder) == 0o700, folder
    for file in files:
        assert mode(file) == 0o600, file
    db = isolated_home / ".local" / "share" / "companion" / "companion.db"
    with Store(db) as store:  # the write-ahead log and shared memory, while open
        stored_session(store, FakeClock(), "priv0001")
        assert mode(Path(f"{db}-wal")) == 0o600 and mode(Path(f"{db}-shm")) == 0o600
        out = isolated_home / "card.md"
        result = run("--db", str(db), "export", "priv0001", "-o", str(out))
        assert result.exit_code == 0 and mode(out) == 0o600
    result = run("key", "path")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert result.stdout.strip() == str(isolated_home / ".config" / "companion" / "team-key")


def test_a_dangling_symlink_db_is_created_private(tmp_path: Path, umask_000: None) -> None:
    link = tmp_path / "link.db"
    target = tmp_path / "elsewhere" / "deeper" / "real.db"
    link.symlink_to(target)
    result = run("--db", str(link), "sessions")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"created {link} (a new, empty database")
    assert target.is_file() and mode(target) == 0o600
    assert mode(target.parent) == 0o700 and mode(target.parent.parent) == 0o700
    with Store(link) as store:
        stored_session(store, FakeClock(), "link0001")
        for suffix in ("-wal", "-shm"):
            assert mode(Path(f"{target}{suffix}")) == 0o600
    # An export to a dangling symlink: refused without --force; with it, the link itself is
    # replaced by the export (0600), and nothing is written where it pointed.
    out_link = tmp_path / "out.md"
    out_target = tmp_path / "out-target.md"
    out_link.symlink_to(out_target)
    refused = run("--db", str(link), "export", "link0001", "-o", str(out_link))
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert not out_target.exists()
    forced = run("--db", str(link), "export", "link0001", "-o", str(out_link), "--force")
    assert forced.exit_code == 0 and not out_link.is_symlink() and mode(out_link) == 0o600
    assert not out_target.exists()


def test_files_others_can_read_get_a_warning_with_the_fix(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "open0001")
    db.chmod(0o644)
    result = run("--db", str(db), "sessions")
    assert result.exit_code == 0
    assert (f"warning: the database {db} can be read by other users (mode 644); run "
            f"`chmod 600 {db}`") in result.stderr
    db.chmod(0o620)
    assert "can be written by other users (mode 620)" in run("--db", str(db),
                                                             "sessions").stderr
    db.chmod(0o600)
    assert "warning" not in run("--db", str(db), "sessions").stderr
    assert run("key", "init").exit_code == 0
    key = Path(run("key", "path").stdout.strip())
    key.chmod(0o640)
    result = run("key", "path")
    assert result.exit_code == 0
    assert (f"warning: the team key {key} can be read by other users (mode 640); run "
            f"`chmod 600 {key}`") in result.stderr
