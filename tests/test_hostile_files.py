"""Hostile files, folders, numbers and YAML values: each gets a clear message naming where it
is, a non-zero exit where the input is bad, and never a traceback, a hang or a change to the
database. Real FIFOs, devices, sockets, link loops and unreadable folders where it is the
environment; Hypothesis where the input is data."""

from __future__ import annotations

import json
import marshal
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.cli.export import MAX_DAYS, MAX_LATEST, MAX_LIMIT
from companion.cli.root import main
from companion.clock import FakeClock
from companion.content import cache as content_cache
from companion.content.library import MAX_COUNT, MAX_MINUTES, read_file
from companion.store.database import Store
from tests.helpers import make_plan, stored_session

pytestmark = pytest.mark.timeout(60)  # a hang fails here rather than stalling the run

REPO = Path(__file__).resolve().parent.parent

PLAN = """\
kind: plan
id: my-plan
title: My plan
mode: interview
sections:
  - title: Talk
    minutes: 10
    prompts:
      - text: Tell me about a system you own.
"""


# --- the guard every test runs under ---------------------------------------------------------


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


@pytest.fixture(autouse=True)
def database(isolated_home: Path) -> Iterator[Path]:
    """A database with one ended, sealed session; after the test, its content must be the
    same."""
    db = Path(os.environ["COMPANION_DB"])
    with Store(db) as store:
        stored_session(store, FakeClock(), "s1")
    assert CliRunner().invoke(main, ["export", "s1"]).exit_code == 0  # sealed once, as used
    before = _dump(db)
    yield db
    assert _dump(db) == before, "the database changed"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {result.exception!r}\n{result.output}") from (
            result.exception)
    assert "Traceback" not in result.output
    return result


def lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# --- 1. only regular files are read --------------------------------------------------------


def _hostile(kind: str, path: Path) -> None:
    """Put a FIFO, a device, a socket or a symbolic link loop at `path`."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.close()  # the socket file stays
    else:
        path.symlink_to(path.name)


KINDS = ("fifo", "device", "socket", "loop")
WORDS = {"fifo": "FIFO", "device": "a device", "socket": "a socket", "loop": "link loop"}


def _short_dir() -> Path:
    # An AF_UNIX path must be short (about 100 bytes): pytest's tmp_path can be longer.
    return Path(tempfile.mkdtemp(prefix="hf-", dir="/tmp"))


@pytest.mark.parametrize("kind", KINDS)
def test_validate_names_a_file_that_is_not_regular(kind: str) -> None:
    folder = _short_dir()
    try:
        target = folder / "x.yaml"
        _hostile(kind, target)
        result = run("validate", str(target))
        assert result.exit_code == 2
        assert any(line.startswith(f"{target}:1: cannot read the file: ")
                   and WORDS[kind] in line for line in lines(result)), result.stderr
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", ["validate DIR", "--banks", "--plans", "config sessions/"])
def test_a_hostile_entry_in_a_content_folder_is_named(
    kind: str, how: str, isolated_home: Path
) -> None:
    folder = _short_dir()
    try:
        if how == "config sessions/":
            content = isolated_home / ".config" / "companion" / "sessions"
            content.mkdir(parents=True)
        else:
            content = folder / "content"
            content.mkdir()
        (content / "good.yaml").write_text(PLAN)
        _hostile(kind, content / "bad.yaml")
        args = {"validate DIR": ["validate", str(content)],
                "--banks": ["validate", "--banks", str(content)],
                "--plans": ["plans", "--plans", str(content)],
                "config sessions/": ["plans"]}[how]
        result = run(*args)
        assert result.exit_code == (0 if args[0] == "plans" else 2)
        named = [line for line in lines(result) if line.startswith(f"{content / 'bad.yaml'}:")]
        assert len(named) == 1 and WORDS[kind] in named[0], result.stderr
        if args[0] == "plans":
            assert "my-plan" in result.stdout  # the good file next to it still loads
    finally:
        shutil.rmtree(folder)


def test_a_device_given_directly_is_refused() -> None:
    result = run("validate", "/dev/zero")
    assert result.exit_code == 2
    assert lines(result)[0].startswith("/dev/zero:1: cannot read the file: a device")


def test_reading_stops_at_the_cap_whatever_stat_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is on what is read, not on st_size: a stat that says 0 does not let 64 KiB
    through a 16 KiB cap."""
    import companion.content.library as library

    monkeypatch.setattr(library, "MAX_FILE_BYTES", 16 * 1024)
    big = tmp_path / "big.yaml"
    big.write_text(PLAN + "#" * (64 * 1024) + "\n")
    real_fstat = os.fstat

    def lying_fstat(fd: int) -> Any:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 0, *st[7:]))

    monkeypatch.setattr(os, "fstat", lying_fstat)
    item, problems = read_file(big)
    assert item is None
    assert [str(p) for p in problems] == [
        f"{big}:1: cannot read the file: larger than 16 KiB, the limit for this file; split "
        "it into smaller files"]


def test_a_huge_scalar_is_quoted_short(tmp_path: Path) -> None:
    """A 7 MB id (and a 7 MB unknown key) must not come back as 7 MB of stderr."""
    path = tmp_path / "huge.yaml"
    path.write_text(PLAN.replace("id: my-plan", "id: " + "X" * 7_000_000)
                    + "Y" * 100_000 + ": 1\n")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert len(result.stderr) < 2_000
    assert all(len(line) < 700 for line in lines(result))


def _as_nobody() -> list[str]:
    """The command prefix that runs as an unprivileged user: as root (CI), through setpriv;
    as anyone else, as they are (they cannot read a mode-000 folder either)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test unreadable folders as root"
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    """A home folder an unprivileged user can reach and own."""
    home = Path(tempfile.mkdtemp(prefix="hf-home-", dir="/tmp"))
    home.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(home, 65534, 65534)
    yield home
    for folder, _dirs, _files in os.walk(home):
        os.chmod(folder, 0o755)
    shutil.rmtree(home)


def _run_as_nobody(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8",
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_DATA_HOME": str(home / ".local" / "share"),
           "COMPANION_DB": str(home / "companion.db")}
    return subprocess.run([*_as_nobody(), sys.executable, "-m", "companion", *args],
                          capture_output=True, text=True, env=env, cwd=home, timeout=60)


@pytest.mark.parametrize("folder", ["sessions", "banks"])
@pytest.mark.parametrize("command", [["plans"], ["validate"], ["banks"]])
def test_an_unreadable_config_folder_is_named_never_a_traceback(
    nobody_home: Path, folder: str, command: list[str]
) -> None:
    config = nobody_home / ".config" / "companion"
    unreadable = config / folder
    unreadable.mkdir(parents=True)
    (unreadable / "mine.yaml").write_text(PLAN)
    db = nobody_home / "companion.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "s1")
    before = _dump(db)
    if os.geteuid() == 0:
        for path in (nobody_home / ".config", config, unreadable, db):
            os.chown(path, 65534, 65534)
    unreadable.chmod(0)
    done = _run_as_nobody(nobody_home, *command)
    unreadable.chmod(0o755)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == (2 if command == ["validate"] else 0), done.stderr
    named = [line for line in done.stderr.splitlines() if line.startswith(f"{unreadable}:")]
    assert len(named) == 1, done.stderr
    assert "cannot read this folder (user config): Permission denied" in named[0]
    assert _dump(db) == before


def test_an_unreadable_folder_under_validate_dir_is_named(nobody_home: Path) -> None:
    top = nobody_home / "content"
    (top / "locked").mkdir(parents=True)
    (top / "ok.yaml").write_text(PLAN)
    if os.geteuid() == 0:
        for path in (top, top / "locked"):
            os.chown(path, 65534, 65534)
    (top / "locked").chmod(0)
    done = _run_as_nobody(nobody_home, "validate", str(top))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2
    assert f"{top / 'locked'}: cannot read this folder: Permission denied" in done.stderr


def test_an_injected_permission_error_is_a_problem_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    """The same, without a second user: scandir refused on the config sessions/ folder."""
    sessions = isolated_home / ".config" / "companion" / "sessions"
    sessions.mkdir(parents=True)
    real_scandir = os.scandir

    def refusing(path: Any = ".") -> Any:
        if Path(path) == sessions:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    for command in (["plans"], ["validate"], ["show", "guide-architecture"]):
        result = run(*command)
        assert result.exit_code == (2 if command == ["validate"] else 0)
        assert f"{sessions}: cannot read this folder (user config): Permission denied" in (
            result.stderr)


# --- 2. numbers are finite and in range ----------------------------------------------------

BAD_NUMBERS = st.one_of(
    st.sampled_from([".nan", ".NaN", ".inf", "-.inf", ".Inf", "1.0e+400", "-1.0e+400", "0",
                     "-1", "-0.5", "1e999", str(10**400), "-" + "9" * 5000]),
    st.integers(min_value=MAX_MINUTES + 1).map(str),
    st.integers(max_value=0).map(str),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda x: not 0 < x <= MAX_MINUTES).map(lambda x: repr(x).replace("inf", ".inf")
                                                .replace("nan", ".nan")),
)

NUMBER_PLACES = {
    "section minutes": (PLAN, "minutes: 10", "minutes: {}"),
    "question minutes": ("kind: bank\nid: b\ntitle: B\nquestions:\n  - id: q\n    text: Q\n"
                         "    tags:\n      minutes: 5\n", "minutes: 5", "minutes: {}"),
    "query count": (PLAN.replace("      - text: Tell me about a system you own.",
                                 "      - query: {bank: b, count: 1}"),
                    "count: 1", "count: {}"),
}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(sorted(NUMBER_PLACES)), number=BAD_NUMBERS)
def test_numbers_beyond_their_limits_are_problems_at_their_line(
    tmp_path: Path, place: str, number: str
) -> None:
    text, old, new = NUMBER_PLACES[place]
    if place == "query count" and number.isdigit() and 0 < int(number) <= MAX_COUNT:
        return  # a fine count
    written = text.replace(old, new.format(number))
    path = tmp_path / "n.yaml"
    path.write_text(written)
    _item, problems = read_file(path)
    line = next(n for n, ln in enumerate(written.splitlines(), 1) if new.format(number) in ln)
    key = new.split(":")[0]
    assert [p.line for p in problems] == [line], problems
    assert key in problems[0].message or "too many digits" in problems[0].message
    assert all(len(p.message) < 400 for p in problems)


@given(minutes=st.integers(min_value=1, max_value=MAX_MINUTES))
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_minutes_within_the_limit_load(tmp_path: Path, minutes: int) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(PLAN.replace("minutes: 10", f"minutes: {minutes}"))
    item, problems = read_file(path)
    assert problems == [] and item is not None


@pytest.mark.parametrize("value", [".nan", ".inf", "1.0e+400"])
def test_nan_minutes_never_reach_run_or_json(tmp_path: Path, value: str) -> None:
    (tmp_path / "p.yaml").write_text(PLAN.replace("minutes: 10", f"minutes: {value}"))
    checked = run("validate", str(tmp_path / "p.yaml"))
    assert checked.exit_code == 2 and "must be a finite number" in checked.stderr
    listed = run("plans", "--json", "--plans", str(tmp_path))
    assert listed.exit_code == 0

    def refuse(constant: str) -> None:
        raise AssertionError(f"JSON output wrote {constant}")

    plans = json.loads(listed.stdout, parse_constant=refuse)
    assert "my-plan" not in {p["id"] for p in plans}
    started = run("run", "my-plan", "--candidate", "Sam", "--plans", str(tmp_path))
    assert started.exit_code == 2 and "no plan 'my-plan'" in started.stderr


OPTIONS = [("search", "--limit", 1, MAX_LIMIT), ("search", "--latest", 1, MAX_LATEST),
           ("purge", "--older-than", 0, MAX_DAYS), ("practice", "--think", 0, 3600)]


def _command(name: str, option: str, value: int | str) -> list[str]:
    if name == "search":
        return ["search", "consensus", option, str(value)]
    if name == "purge":
        return ["purge", option, str(value), "--yes", "--candidate", "nobody at all"]
    return ["practice", "no-such-plan", option, str(value)]


@settings(max_examples=60, deadline=None)
@given(choice=st.sampled_from(OPTIONS), value=st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["99999999999999999999", "-99999999999999999999", "1e3", "nan", "inf"])))
def test_every_number_option_has_a_range(
    choice: tuple[str, str, int, int], value: int | str
) -> None:
    name, option, lowest, highest = choice
    result = run(*_command(name, option, value))
    within = isinstance(value, int) and lowest <= value <= highest
    if within:
        assert "Invalid value for" not in result.output
    else:
        assert result.exit_code == 2
        assert f"Invalid value for '{option}'" in result.output


@pytest.mark.parametrize("value", ["99999999999999999999", str(MAX_LATEST + 1)])
def test_search_latest_far_beyond_is_refused_by_click(value: str) -> None:
    result = run("search", "consensus", "--latest", value)
    assert result.exit_code == 2 and "is not in the range 1<=x<=" in result.stderr


def test_search_at_the_maxima_works() -> None:
    result = run("search", "consensus", "--latest", str(MAX_LATEST), "--limit", str(MAX_LIMIT))
    assert result.exit_code == 0 and "consensus" in result.stdout


def test_purge_at_the_maximum_age_deletes_nothing() -> None:
    result = run("purge", "--older-than", str(MAX_DAYS), "--yes")
    assert result.exit_code == 0 and "nothing deleted" in result.stdout


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_an_import_holding_nan_is_refused(tmp_path: Path, number: str) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "companion-session", "format_version": 1, "n": ' + number + "}")
    result = run("import", str(path))
    assert result.exit_code != 0
    assert re.search(r"NaN or Infinity|finite", result.stderr), result.stderr


# --- 3. YAML's implicit types never change a text silently ---------------------------------

# One file per kind, each text field on its own line as `@name@` (a list item: `- @name@`).
TEMPLATES = {
    "bank": """\
kind: bank
id: @bank_id@
title: @bank_title@
description: @bank_description@
tags:
  stage: @bank_stage@
  roles:
    - @bank_role@
  levels:
    - @bank_level@
questions:
  - id: @question_id@
    text: @question_text@
    follow_ups:
      - @follow_up@
    look_for:
      - @look_for@
    tags:
      kind: @question_kind@
      roles:
        - @question_role@
      levels:
        - @question_level@
      topics:
        - @topic@
    criteria:
      - @question_criterion@
""",
    "signals": """\
kind: signals
id: @signals_id@
title: @signals_title@
description: @signals_description@
good:
  - id: @signal_id@
    text: @signal_text@
""",
    "rubric": """\
kind: rubric
id: @rubric_id@
title: @rubric_title@
description: @rubric_description@
advice: @advice@
threshold: 1
criteria:
  - id: @criterion_id@
    title: @criterion_title@
    description: @criterion_description@
    anchors:
      0: @anchor0@
      1: @anchor1@
      2: @anchor2@
""",
    "plan": """\
kind: plan
id: @plan_id@
title: @plan_title@
mode: @plan_mode@
rubric: @plan_rubric@
description: @plan_description@
stage: @plan_stage@
family: @plan_family@
participants:
  - @participant@
recommendation:
  - @recommendation@
tags:
  - @plan_tag@
sections:
  - title: @section_title@
    minutes: 5
    guidance: @guidance@
    signals: @section_signals@
    prompts:
      - text: @prompt_text@
        follow_ups:
          - @prompt_follow_up@
        look_for:
          - @prompt_look_for@
      - @bare_prompt@
      - question: @question_ref@
      - query:
          bank: @query_bank@
          kind: @query_kind@
          topics:
            - @query_topic@
""",
    "loop": """\
kind: loop
id: @loop_id@
title: @loop_title@
description: @loop_description@
plans:
  - @loop_plan@
""",
}
FIELDS = sorted((kind, name) for kind, text in TEMPLATES.items()
                for name in text.split("@")[1::2])

# Plain scalars YAML 1.1 reads as something other than text: int, float, bool, null, date.
IMPLICIT = st.one_of(
    st.sampled_from(["012", "0x1F", "1:30", "190:20:30", "1.10", "1_000", "+5",
                     "-3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "0b101", "0",
                     "yes", "No", "ON", "off", "true", "False", "TRUE", "~", "null", "Null",
                     "NULL", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
                     "2001-12-14 21:59:43.10 -5"]),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr).filter(
        lambda text: "e" not in text or "." in text.split("e")[0]),
    st.dates().map(lambda d: d.isoformat()),
)


def _fill(kind: str, chosen: str, value: str) -> tuple[str, int]:
    """The template with `chosen` set to `value` and every other field a fine text."""
    text = TEMPLATES[kind]
    line = next((n for n, ln in enumerate(text.splitlines(), 1) if f"@{chosen}@" in ln), 0)
    for name in text.split("@")[1::2]:
        fine = "b/q" if name == "question_ref" else f"fine-{name.replace('_', '-')}"
        text = text.replace(f"@{name}@", value if name == chosen else fine)
    return text, line


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=IMPLICIT)
def test_a_typed_value_in_a_text_field_says_to_quote_it(
    tmp_path: Path, field: tuple[str, str], value: str
) -> None:
    kind, name = field
    text, line = _fill(kind, name, value)
    path = tmp_path / "t.yaml"
    path.write_text(text)
    _item, problems = read_file(path)
    quoted = [p for p in problems if "put it in quotes" in p.message]
    assert [p.line for p in quoted] == [line], (text, problems)
    assert f"is written {value}" in quoted[0].message
    # Quoted, the same text is kept as written and nothing says to quote it.
    path.write_text(text.replace(f" {value}\n", f' "{value}"\n', 1)
                    if not text.splitlines()[line - 1].rstrip().endswith(f"- {value}")
                    else text.replace(f"- {value}\n", f'- "{value}"\n', 1))
    _item, problems = read_file(path)
    assert not [p for p in problems if "put it in quotes" in p.message], problems


def test_fine_texts_in_every_field_load(tmp_path: Path) -> None:
    for kind in TEMPLATES:
        text, _line = _fill(kind, "", "")
        path = tmp_path / f"{kind}.yaml"
        path.write_text(text)
        _item, problems = read_file(path)
        assert not [p for p in problems if "quotes" in p.message], problems


@pytest.mark.parametrize(("written", "read_as"), [
    ("1:30", "the number 90"), ("012", "the number 10"), ("0x1F", "the number 31"),
    ("1.10", "the number 1.1"), ("yes", "the boolean true"), ("~", "nothing (null)"),
    ("2024-01-01", "a date")])
def test_validate_names_the_line_and_the_reading(
    tmp_path: Path, written: str, read_as: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(PLAN.replace("title: My plan", f"title: {written}"))
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert (f"{path}:3: 'title' in the plan is written {written}, which YAML reads as "
            f"{read_as}, not as text; put it in quotes (title: \"{written}\")") in result.stderr


# --- 4. the content cache is never stale and never trusted blindly -------------------------


def _cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "companion").glob("library-*"))


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(PLAN)
    assert run("validate", "--plans", str(tmp_path)).exit_code == 0
    assert run("show", "my-plan", "--plans", str(tmp_path)).stdout.count("system you own")
    st = path.stat()
    path.write_text(PLAN.replace("system you own.", "system you OWN."))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert "system you OWN." in run("show", "my-plan", "--plans", str(tmp_path)).stdout
    path.write_text(PLAN.replace("mode: interview", "mode: intervie"))  # same size, invalid
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = run("validate", "--plans", str(tmp_path))
    assert result.exit_code == 2 and f"{path}:4: mode 'intervie'" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "loop"])
def test_a_cache_that_is_not_a_regular_file_never_hangs(isolated_home: Path, kind: str) -> None:
    assert run("plans").exit_code == 0
    (cached,) = _cache_files(isolated_home)
    cached.unlink()
    if kind == "folder":
        cached.mkdir()
    else:
        _hostile(kind, cached)
    result = run("plans")
    assert result.exit_code == 0 and "guide-architecture" in result.stdout
    assert result.stderr == ""
    if kind != "folder":  # replaced by a good cache
        assert cached.is_file() and not cached.is_symlink()
        assert run("plans").stdout == result.stdout


def _corrupt(blob: bytes, change: Any) -> bytes:
    """The cache re-framed with a valid checksum after `change` edits its data."""
    data = marshal.loads(content_cache._payload(blob))
    change(data)
    return content_cache._frame(marshal.dumps(data))


def _set_field(table: str, field_index: int, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        records = list(data[table])
        first = list(records[0])
        first[field_index] = value
        records[0] = tuple(first)
        data[table] = tuple(records)
    return change


CORRUPTIONS = {
    "plan title a number": _set_field("plans", 2, 42),
    "plan sections a text": _set_field("plans", 4, "sections"),
    "rubric threshold a text": _set_field("rubrics", 4, "8"),
    "bank questions a number": _set_field("banks", 7, 7),
    "a problem's line a text": lambda data: data.__setitem__(
        "notices", (("Problem", "p.yaml", "one", "message"),)),
    "files not texts": lambda data: data.__setitem__("files", (1, 2)),
    "a table a number": lambda data: data.__setitem__("loops", 3),
    "minutes NaN": lambda data: data.__setitem__("plans", tuple(
        (*r[:4], tuple((*s[:2], float("nan"), *s[3:]) for s in r[4]), *r[5:])
        for r in data["plans"])),
}


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_a_cache_with_a_valid_checksum_but_wrong_types_is_rebuilt(
    isolated_home: Path, name: str
) -> None:
    good = run("plans", "--json")
    (cached,) = _cache_files(isolated_home)
    bad = _corrupt(cached.read_bytes(), CORRUPTIONS[name])
    cached.write_bytes(bad)
    result = run("plans", "--json")
    assert result.exit_code == 0 and result.stdout == good.stdout
    assert result.stderr == ""
    assert run("show", "guide-architecture").exit_code == 0
    (rebuilt,) = _cache_files(isolated_home)
    assert rebuilt.read_bytes() != bad


# --- 5. validate tells the whole story -----------------------------------------------------


def test_an_anchor_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kind: plan\nid: Bad_Id\ntitle: &t Hello\nmode: exam\nsections:\n"
                    "  - title: *t\n    minutes: -1\n")
    result = run("validate", str(path))
    assert result.exit_code == 2
    at = [line.split(": ", 1)[0] for line in lines(result)[:-1]]
    assert at == [f"{path}:{n}" for n in (2, 3, 4, 6, 7)], result.stderr
    assert "5 problem(s) in 1 file(s)" in lines(result)[-1]


def test_no_notice_for_an_override_that_was_left_out(tmp_path: Path) -> None:
    """A user plan with the id of a built-in one whose reference dangles: the built-in stays,
    and no notice says the user plan overrides it."""
    (tmp_path / "p.yaml").write_text(
        PLAN.replace("id: my-plan", "id: guide-architecture")
        .replace("      - text: Tell me about a system you own.",
                 "      - question: no-such-bank/q"))
    result = run("validate", str(tmp_path / "p.yaml"))
    assert result.exit_code == 2
    assert "overrides" not in result.stderr
    assert "unknown bank 'no-such-bank'" in result.stderr
    listed = run("plans", "--plans", str(tmp_path))
    assert "overrides" not in listed.stderr and "guide-architecture" in listed.stdout


def test_overriding_a_built_in_bank_says_what_it_left_out(tmp_path: Path) -> None:
    (tmp_path / "bank.yaml").write_text(
        "kind: bank\nid: backend-pairing\ntitle: Mine\nquestions:\n  - id: only\n"
        "    text: Something else.\n")
    result = run("validate", str(tmp_path / "bank.yaml"))
    assert result.exit_code == 0
    (notice,) = [line for line in lines(result) if "notice: bank" in line]
    assert any(line.endswith("notice: plan 'backend-pair-programming' (built-in) was left out: "
                             "bank 'backend-pairing' has no question 'password-reset-tokens'")
               for line in lines(result)), result.stderr
    assert any("notice: loop 'mid-backend-loop' (built-in) was left out: plan "
               "'backend-pair-programming' was left out" in line for line in lines(result))
    assert notice.startswith(f"{tmp_path / 'bank.yaml'}:2: notice: bank 'backend-pairing' "
                             "overrides the one at ")
    assert "1 plan and 1 loop" in notice
    assert "built-in plan 'backend-pair-programming'" in notice
    assert "built-in loop 'mid-backend-loop'" in notice
    assert result.stdout.startswith("ok: 1 file(s), ")
    assert result.stdout.rstrip().endswith(
        " loops; left out because what they use is missing or overridden: 1 plan and 1 loop "
        "(see the notices and problems above)")
    # The whole library, with the bank in the user config: every problem and the same story.
    whole = run("validate", "--banks", str(tmp_path))
    assert whole.exit_code == 2
    assert "backend-pair-programming" in whole.stderr and "1 plan and 1 loop" in (
        lines(whole)[-1])


def test_export_to_a_fifo_nobody_reads_is_an_error_not_a_hang() -> None:
    folder = _short_dir()
    try:
        os.mkfifo(folder / "card.md")
        result = run("export", "s1", "-o", str(folder / "card.md"), "--force")
        assert result.exit_code == 2
        assert "it is a FIFO or a device nothing is reading from" in result.stderr
    finally:
        shutil.rmtree(folder)


def test_kind_and_a_scalar_list_field_say_what_yaml_read(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("kind: yes\nid: x\n")
    _item, problems = read_file(path)
    assert [str(p) for p in problems] == [
        f"{path}:1: kind 'yes' is not one of bank, signals, rubric, plan, loop"]
    path.write_text(_fill("bank", "", "")[0].replace("    follow_ups:\n      - fine-follow-up",
                                                    "    follow_ups: 1.10"))
    line = path.read_text().splitlines().index("    follow_ups: 1.10") + 1
    _item, problems = read_file(path)
    assert any(p.line == line and "is written 1.10" in p.message for p in problems), problems


@pytest.mark.parametrize("folder", ["sessions", "banks"])
def test_a_config_folder_that_is_a_link_loop_is_named(isolated_home: Path, folder: str) -> None:
    config = isolated_home / ".config" / "companion"
    config.mkdir(parents=True)
    (config / folder).symlink_to(folder)
    for command in (["plans"], ["validate"]):
        result = run(*command)
        assert result.exit_code == (2 if command == ["validate"] else 0)
        assert (f"{config / folder}: cannot read this folder (user config): a symbolic link "
                "loop (the link points back to itself); fix the link or remove it") in (
            lines(result))


def test_an_unreadable_file_in_a_plans_folder_is_named(nobody_home: Path) -> None:
    plans = nobody_home / "plans"
    plans.mkdir()
    (plans / "secret.yaml").write_text(PLAN)
    if os.geteuid() == 0:
        os.chown(plans, 65534, 65534)
        os.chown(plans / "secret.yaml", 65534, 65534)
    (plans / "secret.yaml").chmod(0)
    done = _run_as_nobody(nobody_home, "validate", "--plans", str(plans))
    assert "Traceback" not in done.stderr and done.returncode == 2
    assert (f"{plans / 'secret.yaml'}:1: cannot read the file: Permission denied; fix its "
            "permissions or remove it") in done.stderr


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_session_with_nan_minutes_from_before_is_refused_not_written(
    tmp_path: Path, fmt: str
) -> None:
    """A database written before minutes were checked may hold NaN in a plan snapshot: the
    export says so and writes nothing, rather than NaN in JSON or a traceback."""
    db = tmp_path / "old.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "nan1", plan=make_plan(minutes=(float("nan"), 5)))
    before = _dump(db)
    result = run("export", "nan1", "--db", str(db), "--format", fmt, "-o",
                 str(tmp_path / f"card.{fmt}"))
    assert result.exit_code == 2
    assert "holds a number that is not finite" in result.stderr
    assert not (tmp_path / f"card.{fmt}").exists()
    assert _dump(db) == before


@given(number=st.integers(min_value=0, max_value=10**6000), unit=st.sampled_from(["", "s", "m"]))
@settings(max_examples=100, deadline=None)
def test_a_back_dated_note_of_any_length_of_number_never_raises(number: int, unit: str) -> None:
    from companion.session import parse_note

    digits = str(number) if number < 10**4000 else "9" * 5000
    text, back = parse_note(f"-{digits}{unit} what they said")
    if len(digits) <= 6 and unit:
        assert (text, back) == ("what they said", number * (60 if unit == "m" else 1))
    else:
        assert (text, back) == (f"-{digits}{unit} what they said", 0.0)


@given(key=IMPLICIT.filter(lambda text: text not in ("0", "1", "2")))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_key_is_the_text_as_written(tmp_path: Path, key: str) -> None:
    """`00:` or `on:` as a key is named as written, never as what YAML made of it."""
    path = tmp_path / "r.yaml"
    text, _line = _fill("rubric", "", "")
    path.write_text(text.replace("      2: fine-anchor2\n", f"      2: fine-anchor2\n"
                                 f"      {key}: extra\n"))
    _item, problems = read_file(path)
    assert [p.message for p in problems if p.line == 15] == [
        f"anchor level '{key}' in criterion 'fine-criterion-id' is not 0, 1 or 2; scores "
        "run 0-2"], problems
