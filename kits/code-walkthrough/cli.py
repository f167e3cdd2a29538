"""Command line: python3 cli.py EVENTS_FILE [--top N] [--window SECONDS]."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

import events
from store import StoreFactory
from tally import Tally, busiest_window, window_counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linetally", description=__doc__)
    parser.add_argument("path", help="a JSON-lines events file")
    parser.add_argument("--top", type=int, default=5, help="how many keys to list")
    parser.add_argument("--window", type=int, default=0,
                        help="also print counts per window of this many seconds")
    args = parser.parse_args(argv)

    store = StoreFactory.create("memory")
    tally = Tally()
    for event in events.read_file(args.path):
        store.add(event)
        tally.add(event)
    if not len(store):
        print("no events", file=sys.stderr)
        return 1

    for key, count in tally.top(args.top):
        print(f"{count:8d}  {key}")
    if args.window:
        start = store.first().ts  # type: ignore[attr-defined]
        end = store.last().ts + timedelta(seconds=1)  # type: ignore[attr-defined]
        for when, counts in window_counts(store, start, end, args.window):
            print(f"{when.isoformat()}  {sum(counts.values()):6d}")
        best = busiest_window(store, start, end, args.window)
        if best:
            print(f"busiest: {best[0].isoformat()} ({best[1]} events)")
    if events.skipped_lines:
        print(f"skipped {events.skipped_lines} line(s) that did not parse", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
