"""Local mock of the cloud provider's API for the cloud operations pairing interview.

Run it before the call with any Python 3.9+ (standard library only):
    python3 mock-api.py                          # serves http://127.0.0.1:8700
    python3 mock-api.py --host 0.0.0.0 --port 8700   # reachable from other machines
The data is the same on every run and for every candidate: three projects, 5,000 resources,
about one in six without an `owner` label. Where it runs: on a machine the candidate's code
can reach (`--host 0.0.0.0` on a shared development host; give the candidate its address),
or, simplest, send the candidate this file at the start of the call to run on their own
machine (then the address is http://127.0.0.1:8700). The endpoints are listed in the
candidate's brief (brief.md in the kit). Restart it between candidates, so that every candidate
meets the same slow and failing calls.

Endpoints (JSON):
  GET  /projects
  GET  /projects/{project}/resources?page_token=T    500 results a page, next_page_token
  GET  /projects/{project}/resources/{id}/labels
  PUT  /projects/{project}/resources/{id}/labels     body: {"labels": {...}}
More than 10 calls in any second: 429 with a Retry-After header (seconds).
Every 97th labels read is slow (3 s); every 211th answers 503. Both are fixed, not random.
"""
import argparse
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PROJECTS = ["shop-prod", "shop-staging", "internal-tools"]
KINDS = [("vm", 41.0), ("container", 9.5), ("database", 120.0), ("dns-record", 0.5),
         ("disk", 6.0)]
PAGE = 500
LIMIT = 10

rng = random.Random(2026)
RESOURCES = {p: [] for p in PROJECTS}
for n in range(5000):
    project = PROJECTS[n % 3]
    kind, cost = KINDS[rng.randrange(len(KINDS))]
    labels = {"env": project.split("-")[-1]}
    if rng.random() > 1 / 6:
        labels["owner"] = rng.choice(["team-billing", "team-search", "team-ops", "team-web"])
    elif rng.random() < 0.5:
        labels["created-by"] = rng.choice(["ci-runner", "a.user", "terraform"])
    RESOURCES[project].append({
        "id": f"{kind}-{n:05d}", "kind": kind, "project": project,
        "region": rng.choice(["eu-west", "us-east", "ap-south"]),
        "created": f"20{rng.randint(21, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "monthly_cost_usd": round(cost * rng.uniform(0.5, 2.0), 2), "labels": labels})
INDEX = {(r["project"], r["id"]): r for rs in RESOURCES.values() for r in rs}
lock = threading.Lock()
calls = []
label_reads = [0]


class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _limited(self):
        now = time.monotonic()
        with lock:
            calls[:] = [t for t in calls if now - t < 1.0]
            if len(calls) >= LIMIT:
                return True
            calls.append(now)
        return False

    def _route(self, method):
        if self._limited():
            return self._send(429, {"error": "rate limited"}, [("Retry-After", "1")])
        parts = [p for p in urlparse(self.path).path.split("/") if p]
        query = parse_qs(urlparse(self.path).query)
        if method == "GET" and parts == ["projects"]:
            return self._send(200, {"projects": PROJECTS})
        if len(parts) >= 3 and parts[0] == "projects" and parts[2] == "resources":
            project = parts[1]
            if project not in RESOURCES:
                return self._send(404, {"error": "no such project"})
            if method == "GET" and len(parts) == 3:
                start = int(query.get("page_token", ["0"])[0] or 0)
                items = RESOURCES[project][start:start + PAGE]
                token = str(start + PAGE) if start + PAGE < len(RESOURCES[project]) else None
                return self._send(200, {"resources": [{k: v for k, v in r.items()
                                                       if k != "labels"} for r in items],
                                        "next_page_token": token})
            if len(parts) == 5 and parts[4] == "labels":
                resource = INDEX.get((project, parts[3]))
                if resource is None:
                    return self._send(404, {"error": "no such resource"})
                if method == "GET":
                    with lock:
                        label_reads[0] += 1
                        n = label_reads[0]
                    if n % 211 == 0:
                        return self._send(503, {"error": "unavailable"})
                    if n % 97 == 0:
                        time.sleep(3)
                    return self._send(200, {"labels": resource["labels"]})
                if method == "PUT":
                    length = int(self.headers.get("Content-Length", 0))
                    body = json.loads(self.rfile.read(length) or b"{}")
                    resource["labels"] = dict(body.get("labels", {}))
                    return self._send(200, {"labels": resource["labels"]})
        return self._send(404, {"error": "not found"})

    def do_GET(self):
        self._route("GET")

    def do_PUT(self):
        self._route("PUT")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The cloud operations pairing's mock API.")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--host", default="127.0.0.1",
                        help="0.0.0.0 to let the candidate's machine reach it")
    args = parser.parse_args()
    print(f"mock cloud API on http://{args.host}:{args.port}")
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
