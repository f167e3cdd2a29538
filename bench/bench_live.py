"""The live screen against a bare one-label Textual app, both in a real terminal (tmux):

- first frame: launch to the first screen drawn (target: at most 1.4x the bare app);
- peak memory (VmHWM) after the first frame (target: at most 1.2x);
- CPU over an idle stretch of a running session with its timer ticking (target: at most
  0.5 % of one core), beside the bare app's idle CPU.

    python bench/bench_live.py [--runs 7] [--idle 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed import compile_package

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "live"
COMPANION = Path(sys.executable).parent / "companion"
TICKS = os.sysconf("SC_CLK_TCK")


def tmux(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def app_pid(env: dict[str, str], name: str) -> int:
    shell = tmux(env, "display-message", "-p", "-t", name, "#{pane_pid}").strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True,
                              text=True).stdout.split()
    return int(children[0]) if children else int(shell)


def launch(command: str, marker: str) -> tuple[float, dict[str, str], str]:
    """Start `command` in a fresh tmux server; seconds until `marker` is written to the
    terminal. The pane's output is piped to a file that this process reads as it grows:
    polling with `tmux capture-pane` spawned a process every few ms, on the same two cores
    as the app, and that noise swamped the figure."""
    tmp = Path(tempfile.mkdtemp())
    env = dict(os.environ, TMUX_TMPDIR=str(tmp))
    env.pop("TMUX", None)
    tmux(env, "new-session", "-d", "-s", "keeper", "cat")
    tmux(env, "new-session", "-d", "-s", "app", "-x", "100", "-y", "30", "cat")
    out = tmp / "pane.out"
    out.touch()
    tmux(env, "pipe-pane", "-t", "app", "-o", f"cat >> {out}")
    wanted = marker.encode()
    seen = b""
    with out.open("rb") as pane:
        start = time.perf_counter()
        tmux(env, "respawn-pane", "-k", "-t", "app", command)
        deadline = start + 30
        while time.perf_counter() < deadline:
            seen = seen[-len(wanted):] + pane.read()
            if wanted in seen:
                return time.perf_counter() - start, env, "app"
            time.sleep(0.001)
    raise SystemExit(f"no first frame for {command!r}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(command: str, marker: str, idle: float) -> tuple[float, int, float | None]:
    seconds, env, name = launch(command, marker)
    pid = app_pid(env, name)
    time.sleep(0.5)  # let start-up settle before reading memory
    rss = peak_rss_kib(pid)
    cpu = None
    if idle:
        before = cpu_seconds(pid)
        time.sleep(idle)
        cpu = (cpu_seconds(pid) - before) / idle * 100
    subprocess.run(["tmux", "kill-server"], env=env, capture_output=True)
    return seconds, rss, cpu


def summary(values: list[float]) -> str:
    spread = f"{min(values):.3f}-{max(values):.3f}" if len(values) > 1 else "-"
    return f"median {statistics.median(values):.3f} (spread {spread})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--idle", type=float, default=30.0,
                        help="seconds of idle CPU to measure (0 to skip)")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("tmux is needed")
    compile_package()
    db_dir = Path(tempfile.mkdtemp())
    bare = f"{sys.executable} {HERE / 'bare_app.py'}"
    ours = (f"{COMPANION} --db {db_dir / 'bench.db'} --plans {FIXTURES} run t-live "
            "--candidate Bench --role backend")
    results: dict[str, list[tuple[float, int, float | None]]] = {"bare": [], "companion": []}
    for run in range(args.runs):
        # Alternate, so drift on the machine hits both alike; idle CPU on the last run only.
        idle = args.idle if run == args.runs - 1 else 0
        results["bare"].append(measure(bare, "BARE READY", idle))
        results["companion"].append(measure(ours, "TYPING", idle))
    print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs; Python "
          f"{platform.python_version()}; runs: {args.runs}")
    frame = {k: [r[0] for r in v] for k, v in results.items()}
    rss = {k: [r[1] / 1024 for r in v] for k, v in results.items()}
    print(f"first frame, bare Textual app: {summary(frame['bare'])} s")
    print(f"first frame, companion run:    {summary(frame['companion'])} s")
    print(f"  ratio {statistics.median(frame['companion']) / statistics.median(frame['bare']):.2f}x"
          " of the medians (target at most 1.4x); of the fastest runs "
          f"{min(frame['companion']) / min(frame['bare']):.2f}x")
    print(f"peak RSS, bare: {statistics.median(rss['bare']):.1f} MiB; companion: "
          f"{statistics.median(rss['companion']):.1f} MiB; ratio "
          f"{statistics.median(rss['companion']) / statistics.median(rss['bare']):.2f}x "
          "(target at most 1.2x)")
    if args.idle:
        bare_cpu = results["bare"][-1][2]
        ours_cpu = results["companion"][-1][2]
        print(f"idle CPU over {args.idle:g} s: bare {bare_cpu:.2f} %, companion with a "
              f"running timer {ours_cpu:.2f} % of one core (target at most 0.5 %)")


if __name__ == "__main__":
    main()
