"""Writes the sample access logs of the access-log-summary pairing exercise (Python 3.11+).

    python3 make-access-log.py               # access.log: 2,000 well-formed lines
    python3 make-access-log.py --malformed   # access-malformed.log: the same 2,000 lines,
                                             # with 6 truncated and 4 with an extra field

The output is the same on every run (a fixed seed), so every candidate gets the same file;
the kit already holds both files. One line per request, separated by single spaces:
time (UTC, ISO 8601), method, path, status, duration in milliseconds.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

LINES = 2000
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
# path: (methods, typical duration in ms, weight)
PATHS = {
    "/": (["GET"], 12, 30),
    "/login": (["GET", "POST"], 45, 12),
    "/logout": (["POST"], 8, 4),
    "/api/items": (["GET"], 35, 60),
    "/api/items/search": (["GET"], 180, 25),
    "/api/cart": (["GET", "POST", "DELETE"], 40, 30),
    "/api/checkout": (["POST"], 420, 8),
    "/api/orders": (["GET"], 90, 20),
    "/api/orders/export": (["GET"], 2400, 2),
    "/api/reports/daily": (["GET"], 1300, 3),
    "/api/profile": (["GET", "PUT"], 30, 10),
    "/api/recommendations": (["GET"], 260, 15),
    "/static/app.js": (["GET"], 5, 40),
    "/static/app.css": (["GET"], 4, 40),
    "/health": (["GET"], 2, 20),
}
# method: (status, weight)
STATUSES = {
    "GET": [(200, 82), (304, 8), (301, 1), (401, 2), (403, 1), (404, 4), (500, 2)],
    "POST": [(200, 40), (201, 45), (400, 8), (401, 4), (500, 3)],
    "PUT": [(200, 88), (400, 10), (500, 2)],
    "DELETE": [(204, 90), (404, 8), (500, 2)],
}


def lines(rng: random.Random) -> list[str]:
    out = []
    when = START
    names = list(PATHS)
    weights = [PATHS[p][2] for p in names]
    for _ in range(LINES - 2):
        when += timedelta(milliseconds=rng.randint(50, 3000))
        path = rng.choices(names, weights)[0]
        methods, typical, _ = PATHS[path]
        duration = max(1, round(rng.lognormvariate(0, 0.5) * typical))
        method = rng.choice(methods)
        codes, code_weights = zip(*STATUSES[method], strict=True)
        status = rng.choices(codes, code_weights)[0]
        out.append(f"{when.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} "
                   f"{method} {path} {status} {duration}")
    # Two paths seen exactly once, with the same duration: a tie, and single requests.
    for path in ("/api/admin/reindex", "/api/admin/rebuild-cache"):
        when += timedelta(milliseconds=700)
        out.append(f"{when.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} "
                   f"POST {path} 202 5000")
    return out


def malformed(good: list[str], rng: random.Random) -> list[str]:
    bad = list(good)
    picks = rng.sample(range(len(bad)), 10)
    for n, i in enumerate(picks):
        if n < 6:  # truncated mid-line, as when a writer is killed
            bad[i] = bad[i][: rng.randint(10, len(bad[i]) - 4)]
        else:  # an extra field at the end: a request id added by a newer server
            bad[i] = f"{bad[i]} req-{rng.randrange(16**8):08x}"
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--malformed", action="store_true",
                        help="write access-malformed.log instead of access.log")
    args = parser.parse_args()
    good = lines(random.Random(2026))
    text = malformed(good, random.Random(7)) if args.malformed else good
    name = "access-malformed.log" if args.malformed else "access.log"
    Path(name).write_text("\n".join(text) + "\n", encoding="utf-8")
    print(f"wrote {name}: {len(text)} lines")


if __name__ == "__main__":
    main()
