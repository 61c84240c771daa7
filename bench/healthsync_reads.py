#!/usr/bin/env python3
"""Read latency of HealthSync's API at a fixed request rate (spec §10: reads p95 ≤ 200 ms).

Signs USERS users in through the server's development issuer (`serve --dev-issuer`: the
real OIDC flow, no Google), completes their profiles and syncs their checkups, then sends
GETs of the read endpoints at RATE requests/s for SECS seconds (open loop: latency counts
from the scheduled send time, so a slow server cannot hide behind fewer requests) and
prints per-endpoint and overall p50/p95/p99 and the count of 5xx.

Each user talks from its own loopback address (127.0.0.x), like separate clients, so the
per-IP sign-in budget of the rate limiter applies per client, not to the whole benchmark.
Standard library only. Usage: healthsync_reads.py BASE_URL [--users N --rate R --secs S]
"""

import argparse
import concurrent.futures
import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse

READS = [
    "/api/v1/users/me",
    "/api/v1/health/checkups/latest",
    "/api/v1/health/checkups?limit=5",
    "/api/v1/health/ranges?sex=female",
    "/api/v1/users/occupations",
    "/api/v1/goals/current",
    "/api/v1/goals/history",
    "/api/v1/intelligence/diagnosis",
    "/api/v1/intelligence/encouragement",
    "/api/v1/intelligence/notifications/unread-count",
]

# The first diagnosis of each user (computed by the rules, then kept): its latency.
FIRST_DIAGNOSIS = []


class Client:
    def __init__(self, base, source_ip):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.source = (source_ip, 0)
        self.conn = None

    def request(self, method, path, body=None, token=None, form=False):
        headers = {"Accept-Language": "en"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body)
                headers["Content-Type"] = "application/json"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=30, source_address=self.source
                )
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, dict(resp.getheaders()), resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")


def path_of(url):
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def sign_in(client, n):
    st, _, body = client.request("POST", "/api/v1/auth/oidc/start", {})
    assert st == 200, (st, body)
    start = json.loads(body)
    st, _, page = client.request("GET", path_of(start["authorizationUrl"]))
    assert st == 200, st
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.decode()))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    fields.update(email=f"bench-{n}@example.test", name=f"Bench {n}")
    st, headers, _ = client.request("POST", "/dev-oidc/authorize", fields, form=True)
    assert st in (302, 303), st
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["location"]).query))
    st, _, body = client.request(
        "POST", "/api/v1/auth/oidc/callback", {"code": q["code"], "state": q["state"]}
    )
    assert st == 200, (st, body)
    token = json.loads(body)["accessToken"]
    rnd = random.Random(n)
    profile = {
        "name": f"Bench {n}",
        "birthDate": f"{rnd.randint(1960, 2000)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "sex": rnd.choice(["male", "female"]),
        "occupationCode": rnd.choice(["developer", "sales", "marketing", "other"]),
        "healthDataConsent": True,
        "aiConsent": False,
    }
    st, _, body = client.request("PUT", "/api/v1/users/me/profile", profile, token)
    assert st == 200, (st, body)
    st, _, body = client.request("POST", "/api/v1/health/checkups/sync", {}, token)
    assert st == 200, (st, body)
    t = time.monotonic()
    st, _, body = client.request("GET", "/api/v1/intelligence/diagnosis", None, token)
    FIRST_DIAGNOSIS.append((time.monotonic() - t) * 1000)
    assert st == 200, (st, body)
    st, _, body = client.request("POST", "/api/v1/intelligence/recommendations", {}, token)
    assert st == 200, (st, body)
    rec = json.loads(body)
    missions = [m["missionId"] for m in rec["missions"]][:3]
    goal = {"recommendationId": rec["recommendationId"], "missionIds": missions}
    st, _, body = client.request("POST", "/api/v1/goals", goal, token)
    assert st == 201, (st, body)
    st, _, body = client.request(
        "PUT", f"/api/v1/goals/current/missions/{missions[0]}/completion", {}, token
    )
    assert st == 200, (st, body)
    return token


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--secs", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=32)
    a = ap.parse_args()

    ips = [f"127.0.{1 + n // 200}.{2 + n % 200}" for n in range(a.users)]
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda n: sign_in(Client(a.base, ips[n]), n), range(a.users)))
    print(f"signed in, profiled, synced and gave a goal to {a.users} users in {time.monotonic() - t0:.1f} s", flush=True)
    print(
        f"first diagnosis per user (rules, computed and stored; 8 users setting up at once): "
        f"n={len(FIRST_DIAGNOSIS)} p50={pct(FIRST_DIAGNOSIS, 50):.1f} ms p95={pct(FIRST_DIAGNOSIS, 95):.1f} ms "
        f"(target p95 ≤ 300 ms: {'met' if pct(FIRST_DIAGNOSIS, 95) <= 300 else 'NOT met'})",
        flush=True,
    )

    local = threading.local()

    def client_for(n):
        cache = getattr(local, "clients", None)
        if cache is None:
            cache = local.clients = {}
        if n not in cache:
            cache[n] = Client(a.base, ips[n])
        return cache[n]

    total = int(a.rate * a.secs)
    start = time.monotonic() + 0.5
    results = []
    lock = threading.Lock()

    def one(i):
        due = start + i / a.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        n = i % a.users
        path = READS[(i // a.users) % len(READS)]
        try:
            st, _, _ = client_for(n).request("GET", path, token=tokens[n])
        except OSError:
            st = 599
        ms = (time.monotonic() - due) * 1000
        with lock:
            results.append((path, st, ms))

    with concurrent.futures.ThreadPoolExecutor(a.workers) as pool:
        list(pool.map(one, range(total)))
    elapsed = time.monotonic() - start

    print(f"{total} GETs at {a.rate:.0f}/s target ({total / elapsed:.0f}/s achieved) over {a.users} users")
    print(f"{'endpoint':40} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'5xx':>5} {'other':>6}")
    rows = sorted(set(p for p, _, _ in results)) + ["all"]
    worst = 0.0
    for p in rows:
        sel = [r for r in results if p == "all" or r[0] == p]
        ms = [r[2] for r in sel]
        five = sum(1 for r in sel if r[1] >= 500)
        other = sum(1 for r in sel if r[1] < 500 and not 200 <= r[1] < 300)
        print(f"{p:40} {len(sel):>6} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f} {pct(ms, 99):>8.1f} {five:>5} {other:>6}")
        if p == "all":
            worst = pct(ms, 95)
            fives = five
    print(f"target p95 ≤ 200 ms: {'met' if worst <= 200 and fives == 0 else 'NOT met'}")
    return 0 if fives == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
