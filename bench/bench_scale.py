"""Growth: what 10x more data costs. Builds databases of 1,000, 10,000 and 100,000 sessions
(raw SQL with executemany, in one transaction each: listing rows with their digests, a start
and an end event per session), plus, through the app, one candidate with 20 interview
sessions by five interviewers who also sit on the bulk panels, 1,000 practice sessions for
`stats`, and live sessions of 0, 1,000 and 10,000 notes. Then, alternating between sizes,
medians over the runs:

- home's first frame in tmux (`companion` with no command) at 1,000 and 100,000 sessions
  (target: at most 1.2x);
- `companion sessions` (the newest 50) at 1,000 and 100,000 (at most 1.2x);
  `sessions --json` writing all 10,000 rows against the bare import of its dependencies
  (at most 1.3x), and its peak memory at 100,000 against 1,000;
- the one-candidate debrief with calibration (`export --candidate ... --format md`) at
  1,000, 10,000 and 100,000 (at most 0.5 s, and flat: at most 1.2x per 10x);
- `companion stats` with 1,000 practice sessions (at most 0.2 s), and with none in
  100,000 sessions against none in 1,000 (at most 1.2x);
- what `--focus-weak` adds to drawing a practice plan, at 1,000 and 100,000 (flat);
- pause + resume of a session with 10,000 notes against an empty one (flat: at most 1.2x);
- the notes pane, in tmux as bench_live.py measures the app: Enter then keys shown at 0,
  1,000 and 10,000 notes (at most 1.2x of 0), `companion resume` of the 10,000-note session
  against an empty one (first frame at most 1.5x; peak memory at most 20 MiB more), and the
  live session's peak memory against a bare Textual app (at most 1.2x).

Each figure is printed with its growth factor (per 10x more data) and whether its target is
met. The commands' figures are wall-clock medians, with their CPU time beside: on a machine
shared with other work, wall time measures the others too, so the absolute targets (debrief,
stats) are judged on CPU time.
Run: python bench/bench_scale.py [--runs 5] [--keep DIR] [--skip-tmux]
A figure printer, not a timed test."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_live import app_pid, peak_rss_kib, tmux
from installed import compile_package

from companion.clock import FakeClock, iso
from companion.content.library import builtin_sources, load_library
from companion.digest import digest_json
from companion.events import Event
from companion.model import (
    Criterion,
    Prompt,
    Rubric,
    SectionPlan,
    SessionPlan,
    Signal,
    SignalSet,
)
from companion.session import Session, replay
from companion.store.database import Store

HERE = Path(__file__).resolve().parent
COMPANION = Path(sys.executable).parent / "companion"
BARE_APP = HERE / "bare_app.py"
BARE_DEPENDENCIES = "click, sqlite3, platformdirs, json"
BASE = 1_700_000_000.0
CANDIDATE = "bench@example.org"
PANEL = [f"Interviewer {k}" for k in range(5)]
SIZES = (1_000, 10_000, 100_000)
PRACTICE_PLAN = "practice-coding"


def small_plan(plan_id: str, mode: str) -> SessionPlan:
    """A plan of three sections and a three-criterion rubric: a start event of ~1 KB."""
    anchors = ("missing", "partial", "strong")
    return SessionPlan(
        id=plan_id, title=f"Plan {plan_id}", mode=mode,
        sections=(SectionPlan("Intro", 5, prompts=(Prompt("q1", "Tell me about a project."),),
                              signals=SignalSet("s", "Signals", good=(Signal("g1", "clear"),),
                                                bad=(Signal("b1", "vague"),))),
                  SectionPlan("Main", 30), SectionPlan("Wrap-up", 5)),
        rubric=Rubric("rub", "Rubric", (Criterion("c1", "Communication", anchors),
                                        Criterion("c2", "Design", anchors),
                                        Criterion("c3", "Testing", anchors)), threshold=4),
    )


def variants(plan: SessionPlan, count: int, candidate: str = "x",
             interviewer: str = "x") -> list[tuple[Any, ...]]:
    """(digest, score, recommendation, completed_in) of `count` ended sessions of `plan`,
    each with its own scores and timings, worked out by the app itself (Session, replay)."""
    out = []
    rng = random.Random(3)
    for n in range(count):
        clock = FakeClock(wall=BASE)
        written: list[Event] = []
        session = Session.start(plan, clock, lambda e, _row, w=written: w.append(e),
                                candidate=candidate, interviewer=interviewer)
        for criterion in ("c1", "c2", "c3"):
            session.set_score(criterion, rng.randrange(3))
        clock.advance(300 + 60 * n)
        session.next_section()
        clock.advance(1200)
        session.set_recommendation(("no", "yes", "strong yes")[n % 3])
        session.set_summary("fine")
        session.end()
        state = replay(written)
        out.append((digest_json(state), state.total, state.recommendation))
    return out


def build(path: Path, sessions: int, practice: int = 0) -> None:
    """A database of `sessions` ended interview scorecards (plus `practice` practice sessions
    of "Me" on PRACTICE_PLAN) by raw SQL, and the bench candidate's 20 through the app."""
    Store(path).close()  # the schema, by the migrations
    interview = small_plan("bench-interview", "interview")
    drill = small_plan(PRACTICE_PLAN, "practice")
    kinds = variants(interview, 9)
    drills = variants(drill, 9)
    interviewers = max(10, sessions // 20)  # about 20 scorecards each
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    rows, events = [], []
    start_data = {"plan": interview.to_dict(), "candidate": "", "candidate_id": "",
                  "role": "", "level": "", "interviewer": ""}
    for n in range(sessions + practice):
        is_practice = n >= sessions
        sid = f"b{n:07d}"
        started = BASE + n * 600
        ended = started + 3000
        digest, score, recommendation = (drills if is_practice else kinds)[n % 9]
        if is_practice:
            cand, cid, who = "Me", None, None
        else:
            cand, cid = f"Candidate {n // 4}", f"c{n // 4}@example.org"
            who = PANEL[n % 5] if n < 100 * 4 else f"Interviewer {5 + n * 7919 % interviewers}"
        rows.append((sid, drill.id if is_practice else interview.id,
                     (drill if is_practice else interview).title,
                     "practice" if is_practice else "interview", cand, cid, who, iso(started),
                     iso(ended), iso(ended), "ended", score, 9,
                     None if is_practice else recommendation, "local",
                     None if is_practice else iso(ended + 600),
                     None if is_practice else "complete", cand.casefold(),
                     who.casefold() if who else None, digest))
        data = dict(start_data, session_id=sid, candidate=cand, candidate_id=cid or "",
                    interviewer=who or "",
                    plan=(drill if is_practice else interview).to_dict())
        events.append((sid, 1, "session_started", iso(started), 0.0, None, json.dumps(data)))
        events.append((sid, 2, "session_ended", iso(ended), 3000.0, None, "{}"))
    conn.executemany(
        "INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, candidate_id, "
        "interviewer, started_at, ended_at, last_event_at, status, score, max_score, "
        "recommendation, source, completed_at, scorecard, candidate_key, interviewer_key, "
        "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO events (session_id, seq, type, at, t, section, data) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.close()
    # The debriefed candidate: 20 interviews through the app, by the five panel interviewers.
    clock = FakeClock(wall=BASE + (sessions + practice + 10) * 600)
    with Store(path) as store:
        for k in range(20):
            session = Session.start(interview, clock, store.sink(f"cand{k:02d}"),
                                    candidate="Bench Candidate", candidate_id=CANDIDATE,
                                    interviewer=PANEL[k % 5], session_id=f"cand{k:02d}")
            for criterion in ("c1", "c2", "c3"):
                session.set_score(criterion, (k + len(criterion)) % 3, "evidence")
            clock.advance(600)
            session.add_note("a note")
            session.set_recommendation("yes")
            session.set_summary("summary")
            session.end()
            clock.advance(60)


def notes_session(path: Path, notes: int) -> str:
    """A paused live session with `notes` notes in its first section, through the app."""
    clock = FakeClock(wall=time.time() - notes - 100)
    sid = f"n{notes}"
    with Store(path) as store:
        session = Session.start(small_plan("bench-live", "interview"), clock, store.sink(sid),
                                candidate="Note Taker", session_id=sid)
        for n in range(notes):
            clock.advance(1)
            session.add_note(f"note {n} about the candidate's answer and what it showed")
        session.pause()
    return sid


# --- measuring ---------------------------------------------------------------------------------


def env_for(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"), XDG_CACHE_HOME=str(tmp / "cache"))
    env.pop("COMPANION_DB", None)
    return env


# Spawns the command from a small Python process and reports its time and peak memory: a
# child of this (large) bench process would inherit its memory high-water mark at exec.
SPAWN = """
import os, sys, time
argv = sys.argv[1:]
began = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_pid, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - began, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
      usage.ru_utime + usage.ru_stime)
"""


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak memory (MiB) and CPU seconds of one process, its output thrown away.
    CPU time says the same as wall time on a quiet machine, and much less noisily on a
    loaded one."""
    done = subprocess.run([sys.executable, "-S", "-c", SPAWN, *argv], env=env,
                          capture_output=True, text=True, check=True)
    seconds, kib, code, cpu = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{argv} failed ({code}): {done.stderr}")
    return float(seconds), int(kib) / 1024, float(cpu)


def alternate(commands: dict[str, Callable[[], tuple[float, float, float]]],
              runs: int) -> dict[str, tuple[float, float, float]]:
    """Each command `runs` times, alternating (drift hits all alike), after one warm-up:
    the median seconds, peak memory and CPU seconds."""
    for command in commands.values():
        command()
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, command in commands.items():
            results[key].append(command())
    return {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
                statistics.median(r[2] for r in v)) for k, v in results.items()}


def cpu_note(a: tuple[float, float, float], b: tuple[float, float, float]) -> str:
    return f" (CPU {b[2] / a[2]:.2f}x)"


class Pane:
    """A fresh tmux server with one 100x30 pane whose output is piped to a file read as it
    grows (as bench_live.launch does: no capture-pane polling on the same two cores)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.env = dict(env, TMUX_TMPDIR=str(self.tmp))
        self.env.pop("TMUX", None)
        tmux(self.env, "new-session", "-d", "-s", "keeper", "cat")
        tmux(self.env, "new-session", "-d", "-s", "app", "-x", "100", "-y", "30", "cat")
        out = self.tmp / "pane.out"
        out.touch()
        tmux(self.env, "pipe-pane", "-t", "app", "-o", f"cat >> {out}")
        self.file = out.open("rb")
        self.seen = b""

    def wait(self, marker: str, start: float, timeout: float = 30) -> float | None:
        wanted = marker.encode()
        deadline = start + timeout
        while time.perf_counter() < deadline:
            self.seen = self.seen[-4096:] + self.file.read()
            if wanted in self.seen:
                self.seen = b""
                return time.perf_counter() - start
            time.sleep(0.001)
        return None

    def launch(self, command: str, marker: str) -> float | None:
        start = time.perf_counter()
        tmux(self.env, "respawn-pane", "-k", "-t", "app", command)
        return self.wait(marker, start)

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux(self.env, "send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def rss_mib(self) -> float:
        return peak_rss_kib(app_pid(self.env, "app")) / 1024

    def close(self) -> None:
        self.file.close()
        subprocess.run(["tmux", "kill-server"], env=self.env, capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def enter_to_keys(pane: Pane, tries: int) -> float | None:
    """Median seconds from Enter (a note saved) to the keys typed right after it shown."""
    times = []
    for k in range(tries):
        text = f"bench note {k} qx"
        pane.keys(text, literal=True)
        if pane.wait(text, time.perf_counter()) is None:
            return None
        mark = f"zz{k}y"
        start = time.perf_counter()
        pane.keys("Enter")
        pane.keys(mark, literal=True)
        took = pane.wait(mark, start)
        if took is None:
            return None
        times.append(took)
        pane.keys("C-u")  # clear the line for the next try
        time.sleep(0.2)
    return statistics.median(times)


def tmux_figures(db: Path, env: dict[str, str], sids: dict[int, str], home_dbs: dict[int, Path],
                 runs: int) -> dict[str, Any]:
    """Home's first frame per size; resume, Enter and memory per note count; bare app."""
    out: dict[str, Any] = {"home": {n: [] for n in home_dbs}, "resume": {n: [] for n in sids},
                           "resume_rss": {n: [] for n in sids}, "enter": {n: [] for n in sids},
                           "bare": [], "bare_rss": []}
    for _ in range(runs):
        for size, path in home_dbs.items():
            pane = Pane(env)
            out["home"][size].append(pane.launch(f"{COMPANION} --db {path}", "Ctrl+S starts"))
            pane.close()
        pane = Pane(env)
        out["bare"].append(pane.launch(f"{sys.executable} {BARE_APP}", "BARE READY"))
        time.sleep(0.5)
        out["bare_rss"].append(pane.rss_mib())
        pane.close()
        for notes, sid in sids.items():
            pane = Pane(env)
            frame = pane.launch(f"{COMPANION} --db {db} resume {sid}", "TYPING")
            out["resume"][notes].append(frame)
            if frame is not None:
                time.sleep(0.5)
                out["resume_rss"][notes].append(pane.rss_mib())
                pane.keys("i")  # back to typing, should the screen open in command mode
                out["enter"][notes].append(enter_to_keys(pane, 3))
            pane.close()
    return out


def med(values: list[Any]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


# --- the table ---------------------------------------------------------------------------------

ROWS: list[tuple[str, str, str, str, str]] = []


def row(what: str, figure: str, growth: str, target: str, met: bool | None) -> None:
    verdict = "-" if met is None else ("met" if met else "MISSED")
    ROWS.append((what, figure, growth, target, verdict))


def per_10x(small: float, large: float, factor: float) -> float:
    """The growth per 10x more data, from two sizes `factor` apart."""
    import math

    return float((large / small) ** (1 / math.log10(factor)))


def print_table() -> None:
    headers = ("what", "figure", "per 10x data", "target", "")
    widths = [max(len(r[i]) for r in [headers, *ROWS]) for i in range(5)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in ROWS:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the databases here")
    parser.add_argument("--skip-tmux", action="store_true")
    args = parser.parse_args()
    compile_package()
    root = args.keep or Path(tempfile.mkdtemp())
    root.mkdir(parents=True, exist_ok=True)
    env = env_for(root)
    dbs = {n: root / f"s{n}.db" for n in SIZES}
    practice_db = root / "practice.db"
    practice_large = root / "practice100k.db"
    live_db = root / "live.db"
    for n, path in dbs.items():
        if not path.exists():
            began = time.perf_counter()
            build(path, n)
            print(f"built {n:,} sessions in {time.perf_counter() - began:.1f} s")
    for path, size in ((practice_db, 1_000), (practice_large, 100_000)):
        if not path.exists():
            build(path, size, practice=1_000)
    for path in (*dbs.values(), practice_db, practice_large, live_db):
        if path.exists():
            with Store(path):  # a kept database of an older schema migrates now, untimed
                pass
    sids = {}
    for notes in (0, 1_000, 10_000):
        sid = f"n{notes}"
        with Store(live_db) as store:
            known = store.session(sid) is not None
        sids[notes] = sid if known else notes_session(live_db, notes)
    print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs; Python "
          f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}; runs: {args.runs} "
          "(medians, alternating)")
    c = str(COMPANION)

    def cmd(*argv: str) -> Callable[[], tuple[float, float, float]]:
        return lambda: run_process([c, *argv], env)

    small, large = dbs[1_000], dbs[100_000]
    listing = alternate({
        "1k": cmd("--db", str(small), "sessions"),
        "100k": cmd("--db", str(large), "sessions"),
        "json10k": cmd("--db", str(dbs[10_000]), "sessions", "--json"),
        "json1k": cmd("--db", str(small), "sessions", "--json"),
        "json100k": cmd("--db", str(large), "sessions", "--json"),
        "bare": lambda: run_process([sys.executable, "-c", f"import {BARE_DEPENDENCIES}"],
                                    env),
    }, args.runs)
    ratio = listing["100k"][0] / listing["1k"][0]
    row("`sessions` (newest 50), 1,000 -> 100,000 sessions",
        f"{ms(listing['1k'][0])} -> {ms(listing['100k'][0])}: {ratio:.2f}x"
        + cpu_note(listing["1k"], listing["100k"]),
        f"{per_10x(listing['1k'][0], listing['100k'][0], 100):.2f}x", "<= 1.2x", ratio <= 1.2)
    ratio = listing["json10k"][0] / listing["bare"][0]
    row("`sessions --json`, all 10,000 rows, vs bare imports",
        f"{ms(listing['json10k'][0])} vs {ms(listing['bare'][0])}: {ratio:.2f}x"
        + cpu_note(listing["bare"], listing["json10k"]), "-",
        "<= 1.3x", ratio <= 1.3)
    row("`sessions --json` peak memory, 1,000 -> 100,000",
        f"{listing['json1k'][1]:.0f} -> {listing['json100k'][1]:.0f} MiB",
        f"{per_10x(listing['json1k'][1], listing['json100k'][1], 100):.2f}x", "streamed", None)

    debrief = alternate({str(n): cmd("--db", str(p), "export", "--candidate", CANDIDATE,
                                     "--format", "md") for n, p in dbs.items()}, args.runs)
    d1, d3 = debrief["1000"][2], debrief["100000"][2]
    row("debrief with calibration (20 sessions), 1,000 -> 10,000 -> 100,000",
        " -> ".join(ms(debrief[str(n)][0]) for n in SIZES) + "; CPU "
        + " -> ".join(ms(debrief[str(n)][2]) for n in SIZES),
        f"{per_10x(d1, d3, 100):.2f}x", "<= 0.5 s, flat (<= 1.2x)",
        d3 <= 0.5 and d3 / d1 <= 1.2)
    row("debrief peak memory, 1,000 -> 100,000",
        f"{debrief['1000'][1]:.0f} -> {debrief['100000'][1]:.0f} MiB",
        f"{per_10x(debrief['1000'][1], debrief['100000'][1], 100):.2f}x", "-", None)

    stats = alternate({
        "practice": cmd("--db", str(practice_db), "stats"),
        "practice100k": cmd("--db", str(practice_large), "stats"),
        "none1k": cmd("--db", str(small), "stats"),
        "none100k": cmd("--db", str(large), "stats"),
    }, args.runs)
    row("`stats`, 1,000 practice sessions, among 1,000 -> 100,000",
        f"{ms(stats['practice'][0])} -> {ms(stats['practice100k'][0])}; CPU "
        f"{ms(stats['practice'][2])} -> {ms(stats['practice100k'][2])}",
        f"{per_10x(stats['practice'][2], stats['practice100k'][2], 100):.2f}x", "<= 0.2 s",
        max(stats["practice"][2], stats["practice100k"][2]) <= 0.2)
    ratio = stats["none100k"][0] / stats["none1k"][0]
    row("`stats`, no practice, 1,000 -> 100,000 sessions",
        f"{ms(stats['none1k'][0])} -> {ms(stats['none100k'][0])}: {ratio:.2f}x",
        f"{per_10x(stats['none1k'][0], stats['none100k'][0], 100):.2f}x", "<= 1.2x",
        ratio <= 1.2)

    focus = focus_weak_cost({1_000: practice_db, 100_000: practice_large}, args.runs)
    ratio = focus[100_000] / focus[1_000]
    row("what --focus-weak adds to a draw (1,000 practice), 1,000 -> 100,000 sessions",
        f"{focus[1_000] * 1000:.1f} -> {focus[100_000] * 1000:.1f} ms: {ratio:.2f}x",
        f"{per_10x(focus[1_000], focus[100_000], 100):.2f}x", "flat (<= 1.2x)", ratio <= 1.2)

    pause = pause_resume(live_db, sids, args.runs)
    ratio = pause[10_000][0] / pause[0][0]
    row("pause + resume, 0 -> 10,000 notes (p50, p95)",
        f"{pause[0][0] * 1000:.2f}/{pause[0][1] * 1000:.2f} -> "
        f"{pause[10_000][0] * 1000:.2f}/{pause[10_000][1] * 1000:.2f} ms: {ratio:.2f}x",
        f"{per_10x(pause[0][0], pause[10_000][0], 10_000):.2f}x", "flat (<= 1.2x)",
        ratio <= 1.2)

    if not args.skip_tmux and shutil.which("tmux"):
        t = tmux_figures(live_db, env, sids, {1_000: small, 100_000: large}, args.runs)
        h1, h3 = med(t["home"][1_000]), med(t["home"][100_000])
        if h1 and h3:
            row("home first frame, 1,000 -> 100,000 sessions", f"{ms(h1)} -> {ms(h3)}: "
                f"{h3 / h1:.2f}x", f"{per_10x(h1, h3, 100):.2f}x", "<= 1.2x", h3 / h1 <= 1.2)
        e = {n: med(v) for n, v in t["enter"].items()}
        if all(e.values()):
            ratio = e[10_000] / e[0]  # type: ignore[operator]
            row("Enter -> keys shown, 0 -> 1,000 -> 10,000 notes",
                " -> ".join(ms(e[n]) for n in (0, 1_000, 10_000)) + f": {ratio:.2f}x",
                f"{per_10x(e[1_000], e[10_000], 10):.2f}x",  # type: ignore[arg-type]
                "<= 1.2x", ratio <= 1.2)
        else:
            row("Enter -> keys shown", "not seen within 30 s", "-", "<= 1.2x", False)
        r0, r3 = med(t["resume"][0]), med(t["resume"][10_000])
        m0, m3 = med(t["resume_rss"][0]), med(t["resume_rss"][10_000])
        if r0 and r3 and m0 and m3:
            row("`resume` first frame, empty -> 10,000 notes", f"{ms(r0)} -> {ms(r3)}: "
                f"{r3 / r0:.2f}x", "-", "<= 1.5x", r3 / r0 <= 1.5)
            row("`resume` peak memory, empty -> 10,000 notes", f"{m0:.1f} -> {m3:.1f} MiB",
                "-", "<= +20 MiB", m3 - m0 <= 20)
            bare = med(t["bare_rss"])
            if bare:
                row("live session peak memory vs a bare Textual app",
                    f"{m0:.1f} vs {bare:.1f} MiB: {m0 / bare:.2f}x", "-", "<= 1.2x",
                    m0 / bare <= 1.2)
    print()
    print_table()


def focus_weak_cost(dbs: dict[int, Path], runs: int) -> dict[int, float]:
    """Median seconds practice_plan(focus_weak=True) takes beyond focus_weak=False."""
    from companion.practice.draws import practice_plan

    lib = load_library(builtin_sources())
    out = {}
    for size, path in dbs.items():
        with Store(path) as store:
            def draw(focus: bool, store: Store = store) -> float:
                began = time.perf_counter()
                practice_plan(lib, store, PRACTICE_PLAN, candidate="Me", rng=random.Random(1),
                              focus_weak=focus)
                return time.perf_counter() - began

            draw(True)
            extra = [draw(True) - draw(False) for _ in range(runs * 3)]
        out[size] = max(0.0, statistics.median(extra))
    return out


def pause_resume(path: Path, sids: dict[int, str], runs: int) -> dict[int, tuple[float, float]]:
    """Pause + resume (two listing-changing events, two commits) on the paused sessions,
    alternating between them after a checkpoint (a WAL left long by the build would count
    against whichever went first): median and p95 seconds, through the Store."""
    from companion.clock import RealClock

    with Store(path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        sessions = {n: Session(store.events(sids[n]), RealClock(), store.sink(sids[n]))
                    for n in (0, 10_000)}
        times: dict[int, list[float]] = {n: [] for n in sessions}
        for _ in range(runs * 20):
            for notes, session in sessions.items():
                began = time.perf_counter()
                session.resume()
                session.pause()
                times[notes].append(time.perf_counter() - began)
    out = {}
    for notes, values in times.items():
        values.sort()
        out[notes] = (statistics.median(values), values[int(len(values) * 0.95) - 1])
    return out


if __name__ == "__main__":
    main()
