#!/usr/bin/env python3
"""Soak driver of bench/soak.sh (standard library only): mixed, realistic traffic against a
running `tripgen serve` at a fixed offered rate for a fixed time, then a verdict.

Set-up (not measured): USERS travellers sign up and sign in; each gets two trips in Munich
(2 nights, public transport) with generated schedules.

Traffic (weights of the mix, per request):
  reads      profile 10, trips summary 10, trip detail 15, schedules 20, city list 5
  nearby     nearby search in central Munich, walk/transit, 10 or 30 min 10
  edits      trip rename 10 (a write that invalidates the caches)
  exports    ICS export of a generated schedule 5
  sign-in    login with the right password 1 (Argon2id: the expensive request)
  generation one schedule generation every GEN_EVERY seconds (its 409 while a job of the
             trip runs is an expected answer), its status polled as a read
The rate is open-loop: requests are due at t0 + i/RATE whatever the answers; a request that
cannot start because every worker is busy for over a second is counted as shed, and a run
that sent less than 95 % of RATE × DURATION fails (the server could not keep up).

RSS of the server (/proc/PID/status) is sampled throughout; after the warm-up (first 10 %
of the run) memory is flat when the median of the last 10 % of samples is at most 1.1 × the
median of the first 10 %. Exit status 0 only with no 5xx, no transport error, no unexpected
status, nothing shed and flat memory.

  soak.py BASE PID --rate 300 --duration 1800 [--users 8 --workers 48 --gen-every 10]
"""

import argparse
import http.client
import json
import queue
import random
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "Soak2026!trip"
MEMBERS = [
    {"name": "Minji", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture", "shopping"]},
    {"name": "Grandpa", "age": 74, "gender": "male", "healthStatus": "caution", "preferences": ["sightseeing"]},
]


class Client:
    """One keep-alive connection (per worker thread)."""

    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def call(self, method, path, body=None, token=None):
        headers = {"content-type": "application/json", "accept-language": "en"}
        if token:
            headers["authorization"] = "Bearer " + token
        data = None if body is None else json.dumps(body)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, data, headers)
                r = self.conn.getresponse()
                payload = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, payload
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while idle: retry once on a new one.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def must(status, payload, want, what):
    if status != want:
        sys.exit(f"soak set-up: {what}: HTTP {status} {payload[:300]!r}")
    return json.loads(payload) if payload else None


class User:
    def __init__(self, name):
        self.name = name
        self.token = None
        self.trips = []
        self.lock = threading.Lock()

    def login(self, c):
        s, p = c.call("POST", "/api/v1/users/login", {"username": self.name, "password": PASSWORD})
        self.token = must(s, p, 200, f"login {self.name}")["accessToken"]


def wait_generated(c, user, trip, rid, deadline_s=300):
    until = time.monotonic() + deadline_s
    while time.monotonic() < until:
        s, p = c.call("GET", f"/api/v1/trips/{trip}/schedules/generate/{rid}", token=user.token)
        st = must(s, p, 200, "generation status")["status"]
        if st == "completed":
            return
        if st in ("failed", "cancelled"):
            sys.exit(f"soak set-up: generation {st}: {p[:300]!r}")
        time.sleep(0.2)
    sys.exit("soak set-up: generation did not complete in time")


def set_up(base, n):
    c = Client(base)
    users = []
    for i in range(n):
        u = User("soak" + uuid.uuid4().hex[:10])
        must(*c.call("POST", "/api/v1/users/register", {
            "name": "Soak Traveller", "email": f"{u.name}@example.com", "phone": "010-1234-5678",
            "username": u.name, "password": PASSWORD, "passwordConfirm": PASSWORD, "termsAccepted": True,
        }), 201, "register")
        u.login(c)
        for k in range(2):
            t = must(*c.call("POST", "/api/v1/trips", {
                "tripName": f"Soak {i}-{k}", "transportMode": "public", "members": MEMBERS,
            }, u.token), 201, "create trip")["id"]
            must(*c.call("PUT", f"/api/v1/trips/{t}/destinations/batch", {
                "startDate": "2027-03-01", "destinations": [{"destinationName": "Munich", "nights": 2}],
            }, u.token), 200, "destinations")
            rid = must(*c.call("POST", f"/api/v1/trips/{t}/schedules/generate", {"startTime": "09:00"}, u.token),
                       202, "generate")["requestId"]
            wait_generated(c, u, t, rid)
            u.trips.append(t)
        users.append(u)
        print(f"set-up: user {i + 1}/{n} with 2 generated trips", flush=True)
    return users


# --- the mix ---------------------------------------------------------------------------------

NEARBY_ORIGINS = [(48.1374, 11.5755), (48.1394, 11.5650), (48.1512, 11.5801), (48.1331, 11.5667)]


def op_profile(u, t):
    return "GET", "/api/v1/users/profile", None, (200,)


def op_summary(u, t):
    return "GET", "/api/v1/trips/summary", None, (200,)


def op_trip(u, t):
    return "GET", f"/api/v1/trips/{t}", None, (200,)


def op_schedules(u, t):
    return "GET", f"/api/v1/trips/{t}/schedules", None, (200,)


def op_cities(u, t):
    return "GET", "/api/v1/locations/cities", None, (200,)


def op_nearby(u, t):
    lat, lon = random.choice(NEARBY_ORIGINS)
    body = {"origin": {"lat": lat, "lon": lon}, "mode": random.choice(["walk", "transit"]),
            "budget": random.choice([10, 30]), "limit": 20}
    return "POST", "/api/v1/locations/search/nearby", body, (200,)


def op_edit(u, t):
    return "PUT", f"/api/v1/trips/{t}", {"tripName": f"Soak {random.randrange(10**6)}"}, (200,)


def op_export(u, t):
    # 409 while a generation of the trip has replaced nothing yet is not expected: exports read
    # the current schedule, which set-up generated.
    return "POST", f"/api/v1/trips/{t}/schedules/export", {"format": "ics"}, (200,)


def op_login(u, t):
    return "POST", "/api/v1/users/login", {"username": u.name, "password": PASSWORD}, (200,)


MIX = [
    ("read.profile", op_profile, 10), ("read.summary", op_summary, 10), ("read.trip", op_trip, 15),
    ("read.schedules", op_schedules, 20), ("read.cities", op_cities, 5), ("nearby", op_nearby, 10),
    ("edit.rename", op_edit, 10), ("export.ics", op_export, 5), ("signin", op_login, 1),
]


def op_generate(u, t):
    return "POST", f"/api/v1/trips/{t}/schedules/generate", {"startTime": "09:00"}, (202, 409)


# --- running -------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat = {}  # op -> [seconds]
        self.status = {}  # op -> {status: count}
        self.unexpected = {}  # (op, status) -> first body
        self.relogins = 0

    def add(self, op, status, secs, ok, body):
        with self.lock:
            self.lat.setdefault(op, []).append(secs)
            d = self.status.setdefault(op, {})
            d[status] = d.get(status, 0) + 1
            if not ok and (op, status) not in self.unexpected:
                self.unexpected[(op, status)] = body[:200] if isinstance(body, bytes) else body


def worker(base, jobs, stats, stop):
    c = Client(base)
    while not stop.is_set():
        try:
            item = jobs.get(timeout=0.2)
        except queue.Empty:
            continue
        name, fn, u, t = item
        method, path, body, want = fn(u, t)
        t0 = time.monotonic()
        try:
            used = None if name == "signin" else u.token
            status, payload = c.call(method, path, body, used)
            if status == 401 and used:
                # The access token ran out: sign in again (once per user), as the web app refreshes.
                with u.lock:
                    if u.token == used:
                        u.login(c)
                        with stats.lock:
                            stats.relogins += 1
                status, payload = c.call(method, path, body, u.token)
        except (OSError, http.client.HTTPException) as e:
            status, payload = f"transport:{type(e).__name__}", str(e).encode()
            c.conn = None
        secs = time.monotonic() - t0
        stats.add(name, status, secs, status in want, payload)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pct(xs, q):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run(a, users):
    stats = Stats()
    jobs = queue.Queue(maxsize=a.workers * 2)
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(a.base, jobs, stats, stop), daemon=True) for _ in range(a.workers)]
    for th in threads:
        th.start()
    names = [m[0] for m in MIX]
    fns = {m[0]: m[1] for m in MIX}
    weights = [m[2] for m in MIX]
    rng = random.Random(a.seed)
    samples = []  # (elapsed s, rss MB)
    sample_every = max(1.0, a.duration / 300)
    tty = sys.stdout.isatty()
    report_every = 10 if tty else max(10, a.duration / 20)
    shed = 0
    sent = 0
    t0 = time.monotonic()
    next_sample = t0
    next_report = t0 + report_every
    next_gen = t0 + a.gen_every
    gen_i = 0
    i = 0
    while True:
        now = time.monotonic()
        elapsed = now - t0
        if elapsed >= a.duration:
            break
        if now >= next_sample:
            samples.append((elapsed, rss_mb(a.pid)))
            next_sample += sample_every
        if now >= next_report:
            with stats.lock:
                bad = sum(n for op in stats.status.values() for s, n in op.items() if not (isinstance(s, int) and s < 500))
            line = f"soak: {elapsed:6.0f}/{a.duration:.0f} s  sent {sent}  shed {shed}  5xx/transport {bad}  RSS {samples[-1][1]:.0f} MB"
            print(("\r" + line) if tty else line, end="" if tty else "\n", flush=True)
            next_report += report_every
        if now >= next_gen:
            u = users[gen_i % len(users)]
            item = ("generate", op_generate, u, u.trips[gen_i % 2])
            gen_i += 1
            next_gen += a.gen_every
        else:
            due = t0 + i / a.rate
            if now < due:
                time.sleep(min(due - now, 0.01))
                continue
            i += 1
            name = rng.choices(names, weights)[0]
            u = rng.choice(users)
            item = (name, fns[name], u, rng.choice(u.trips))
        try:
            jobs.put(item, timeout=1.0)
            sent += 1
        except queue.Full:
            shed += 1
    stop.set()
    for th in threads:
        th.join(timeout=65)
    if tty:
        print()
    return stats, samples, shed, sent, time.monotonic() - t0


def verdict(a, stats, samples, shed, sent, wall):
    print(f"\nsoak: {sent} requests in {wall:.0f} s ({sent / wall:.0f} req/s offered {a.rate}/s), {len(stats.lat)} kinds, "
          f"{stats.relogins} sign-ins again after a token ran out")
    print(f"{'kind':<16}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    all_lat = []
    fivexx = 0
    unexpected = 0
    for op in sorted(stats.lat):
        lat = stats.lat[op]
        all_lat += lat
        st = stats.status[op]
        fivexx += sum(n for s, n in st.items() if not isinstance(s, int) or s >= 500)
        print(f"{op:<16}{len(lat):>8}{pct(lat, .5) * 1000:>9.1f}{pct(lat, .99) * 1000:>9.1f}  "
              + ", ".join(f"{s}: {n}" for s, n in sorted(st.items(), key=lambda x: str(x[0]))))
    unexpected = sum(stats.status[op][s] for (op, s) in stats.unexpected)
    print(f"{'all':<16}{len(all_lat):>8}{pct(all_lat, .5) * 1000:>9.1f}{pct(all_lat, .99) * 1000:>9.1f}")
    for (op, s), body in sorted(stats.unexpected.items(), key=str):
        print(f"unexpected {op} → {s}: {body!r}")
    warm = [r for (t, r) in samples if t >= a.duration * 0.1]
    k = max(1, len(warm) // 10)
    first, last = statistics.median(warm[:k]), statistics.median(warm[-k:])
    ratio = last / first
    rss_line = " ".join(f"{r:.0f}" for _, r in samples[:: max(1, len(samples) // 12)])
    print(f"RSS samples (MB, every {a.duration / max(1, len(samples)):.0f} s, 12 shown): {rss_line}")
    print(f"RSS after warm-up: first-10% median {first:.0f} MB, last-10% median {last:.0f} MB, ratio {ratio:.3f} (flat ≤ 1.10)")
    fails = []
    if fivexx:
        fails.append(f"{fivexx} × 5xx/transport error")
    if unexpected:
        fails.append(f"{unexpected} unexpected answers")
    if shed:
        fails.append(f"{shed} requests shed (offered rate not kept)")
    if sent < 0.95 * a.rate * wall:
        fails.append(f"rate not kept: {sent / wall:.0f} of {a.rate:.0f} req/s sent (every worker busy: the server answers slower than offered)")
    if ratio > 1.10:
        fails.append(f"RSS grew {ratio:.2f}×")
    print("soak: FAIL — " + "; ".join(fails) if fails else "soak: PASS — 0 × 5xx, every answer expected, RSS flat")
    return not fails


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("pid", type=int)
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--duration", type=float, default=1800)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--workers", type=int, default=48)
    ap.add_argument("--gen-every", type=float, default=10)
    ap.add_argument("--seed", type=int, default=21)
    a = ap.parse_args()
    if not (0 < a.rate <= 2000 and 0 < a.duration <= 4 * 3600):
        sys.exit("soak: RATE must be in (0, 2000] and DURATION in (0, 4 h]")
    users = set_up(a.base, a.users)
    stats, samples, shed, sent, wall = run(a, users)
    sys.exit(0 if verdict(a, stats, samples, shed, sent, wall) else 1)


if __name__ == "__main__":
    main()
