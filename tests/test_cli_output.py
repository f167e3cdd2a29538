"""Output a command cannot write, arguments that are not UTF-8, a mistyped command: a clear
message and exit code 2, never a traceback; a reader that stops early (`| head`) ends the
command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_plan, run_cli, stored_session

from companion.clock import FakeClock
from companion.store.database import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "out.db"
    clock = FakeClock()
    with Store(path) as store:
        for n in range(400):
            clock.advance(60)
            stored_session(store, clock, f"s{n:04d}", plan=make_plan(), notes=())
    return path


def _shell(command: str, db: Path) -> subprocess.CompletedProcess[str]:
    """`companion --db DB` in a real process, its output redirected by the shell."""
    script = f"{sys.executable} -m companion --db {db} {command}"
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1])))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("listing", ["sessions --all", "sessions --json"])
def test_a_full_disk_under_the_output_is_said_with_exit_code_2(db: Path, listing: str) -> None:
    result = _shell(f"{listing} > /dev/full", db)
    assert result.returncode == 2
    assert result.stderr == ("error: cannot write the output (No space left on device): "
                             "free some space, or send it somewhere else\n")


def test_a_closed_output_is_said_for_the_json_listing(db: Path) -> None:
    result = _shell("sessions --json >&-", db)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: standard output is closed")


@pytest.mark.parametrize("listing", ["sessions --all", "sessions --json"])
def test_a_reader_that_stops_early_ends_the_listing_quietly(db: Path, listing: str) -> None:
    result = _shell(f"{listing} | head -c 10; exit ${{PIPESTATUS[0]}}", db)
    assert result.returncode == 0 and result.stderr == ""
    assert len(result.stdout) == 10


@pytest.mark.parametrize(("args", "number"), [
    (["sessions", "--json", "--candidate", "a\udc9b"], 6),
    (["search", "x\udcff"], 4),
    (["export", "\udc9b"], 4),
    (["purge", "--session", "a\udc9b", "--yes"], 5),
])
def test_an_argument_that_is_not_utf8_is_refused_before_any_command(
        db: Path, args: list[str], number: int) -> None:
    result = run_cli("--db", str(db), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: argument {number} (")
    assert "is not valid UTF-8" in result.stderr and "Traceback" not in result.output


def test_a_mistyped_command_gets_the_nearest_names_and_exit_code_2(db: Path) -> None:
    typo = run_cli("--db", str(db), "sesions", "--json")
    assert typo.exit_code == 2
    assert typo.stderr.rstrip().endswith("No such command 'sesions'. Did you mean 'sessions'?")
    unknown = run_cli("--db", str(db), "xyzzy")
    assert unknown.exit_code == 2 and "Did you mean" not in unknown.stderr
