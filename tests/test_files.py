"""Every file the app writes is whole or absent (companion.files.write_atomic): an export killed
mid-write leaves no file (or the earlier one) under its name and the next export works; a
full disk, injected or real (a small tmpfs), leaves the earlier export or nothing, and no
temporary file; the same for the team key and the content cache."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli as run
from helpers import stored_session
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import files
from companion.clock import FakeClock
from companion.content.cache import load_library_cached
from companion.content.library import Source
from companion.files import temp_name_prefix, write_atomic
from companion.store.database import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SID = "card0001"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "files.db"
    with Store(path) as store:
        stored_session(store, FakeClock(), SID, candidate="Cara Card",
                       notes=("a long enough note " * 40,))
    return path


def temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".") and n.endswith(".tmp"))


def whole_export(db: Path, fmt: str = "md") -> bytes:
    result = run("--db", str(db), "export", SID, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


# --- the primitive ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=70_000), old=st.binary(max_size=200))
def test_write_atomic_writes_exactly_the_bytes_with_mode_0600(tmp_path_factory: pytest.
                                                              TempPathFactory, data: bytes,
                                                              old: bytes) -> None:
    folder = tmp_path_factory.mktemp("atomic")
    target = folder / "out.bin"
    target.write_bytes(old)
    target.chmod(0o644)
    old_umask = os.umask(0)
    try:
        write_atomic(target, data, overwrite=True)
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert temporaries(folder) == []


def test_write_atomic_never_replaces_without_overwrite(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    for name in (victim, link):
        with pytest.raises(FileExistsError):
            write_atomic(name, b"new")
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"new", overwrite=True)
    assert victim.read_text() == "keep me" and temporaries(tmp_path) == []
    # --force replaces the link itself, never the file it points to.
    write_atomic(link, b"new", overwrite=True)
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert victim.read_text() == "keep me"


def test_a_temporary_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "card.md"
    live = tmp_path / f"{temp_name_prefix(target)}1.abcd.tmp"  # pid 1 always runs
    live.write_bytes(b"someone else's half")
    write_atomic(target, b"mine")
    assert live.exists() and target.read_bytes() == b"mine"


# --- an export killed mid-write ---------------------------------------------------------------

KILL_MID_WRITE = """
import os, signal, sys
import companion.files as files

def half_then_killed(fd, data):
    os.write(fd, bytes(data[: len(data) // 2]))
    os.kill(os.getpid(), signal.SIGKILL)

files._write_all = half_then_killed
from companion.cli.root import main
main(sys.argv[1:])
"""


def export_killed_mid_write(db: Path, target: Path, *extra: str) -> None:
    proc = subprocess.run([sys.executable, "-c", KILL_MID_WRITE, "--db", str(db), "export",
                           SID, "-o", str(target), *extra], capture_output=True, timeout=60)
    assert proc.returncode == -9, proc.stderr


def test_export_killed_mid_write_leaves_no_file_and_the_next_export_works(
        db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "card.md"
    target.parent.mkdir()
    export_killed_mid_write(db, target)
    assert not target.exists()  # never a 0-byte or half file under the final name
    left = temporaries(target.parent)
    assert len(left) == 1 and left[0].startswith(".card.md.")  # the half the kill left
    result = run("--db", str(db), "export", SID, "-o", str(target))
    assert result.exit_code == 0, result.output  # not "already exists"
    assert target.read_bytes() == whole_export(db)
    assert temporaries(target.parent) == []  # the dead writer's half was swept


def test_export_force_killed_mid_write_keeps_the_earlier_export(db: Path,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "card.md"
    assert run("--db", str(db), "export", SID, "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    export_killed_mid_write(db, target, "--format", "html", "--force")
    assert target.read_bytes() == before


# --- a full disk: injected ----------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """os.write writes part of what it is given, then the disk is full."""
    real = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 16:
            real(fd, bytes(data[:16]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "write", write)
    yield


def test_export_onto_a_full_disk_leaves_nothing(db: Path, tmp_path: Path,
                                                full_disk: None) -> None:
    target = tmp_path / "card.html"
    result = run("--db", str(db), "export", SID, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot write {target}: No space left on device")
    assert "nothing was written" in result.stderr and "Free some space" in result.stderr
    assert not target.exists() and temporaries(tmp_path) == []


def test_export_force_onto_a_full_disk_keeps_the_good_earlier_export(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "card.md"
    assert run("--db", str(db), "export", SID, "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    real = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        real(fd, bytes(data[:16]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "write", write)
    result = run("--db", str(db), "export", SID, "-o", str(target), "--format", "html",
                 "--force")
    monkeypatch.setattr(files.os, "write", real)
    assert result.exit_code == 2 and f"{target} was left as it was" in result.stderr
    assert target.read_bytes() == before and temporaries(tmp_path) == []


def test_key_init_on_a_full_disk_writes_no_key_and_force_keeps_the_old_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.panel.seal import key_path, load_key

    path = key_path()
    real = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "write", write)
    result = run("key", "init")
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert not path.exists() and temporaries(path.parent) == []
    monkeypatch.setattr(files.os, "write", real)
    assert run("key", "init").exit_code == 0
    key = load_key()
    monkeypatch.setattr(files.os, "write", write)
    result = run("key", "init", "--force")
    assert result.exit_code == 2 and "old key was kept" in result.stderr
    monkeypatch.setattr(files.os, "write", real)
    assert load_key() == key and temporaries(path.parent) == []


def test_the_content_cache_on_a_full_disk_leaves_no_temporary_file(
        tmp_path: Path, full_disk: None) -> None:
    cache = tmp_path / "cache"
    lib = load_library_cached([Source("fixtures", (FIXTURES / "live",))], cache)
    assert lib.plans  # loaded all the same, only not cached
    assert os.listdir(cache) == []


# --- a full disk: a real one (a small tmpfs) ------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as err:
        assert err.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_exports_onto_a_real_full_disk(db: Path, small_disk: Path) -> None:
    """Skipped only where mounting fails (not root, no tmpfs)."""
    target = small_disk / "card.md"
    assert run("--db", str(db), "export", SID, "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    assert before == whole_export(db)
    filler = fill(small_disk)

    forced = run("--db", str(db), "export", SID, "-o", str(target), "--format", "html",
                 "--force")
    assert forced.exit_code == 2 and "No space left on device" in forced.stderr
    assert target.read_bytes() == before  # the good earlier export
    fresh = run("--db", str(db), "export", SID, "-o", str(small_disk / "new.html"))
    assert fresh.exit_code == 2 and "nothing was written" in fresh.stderr
    assert sorted(os.listdir(small_disk)) == ["card.md", "filler"]  # no temporary file

    filler.unlink()
    again = run("--db", str(db), "export", SID, "-o", str(target), "--format", "html",
                "--force")
    assert again.exit_code == 0 and target.read_bytes() == whole_export(db, "html")
