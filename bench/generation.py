#!/usr/bin/env python3
"""HTTP driver of bench/generation.sh (standard library only).

Each trip: 7 days (Munich 2 nights, Porto 2 nights, London 2 nights), 6 members of mixed
ages and health, public transport. Time measured per generation: from sending
`POST …/schedules/generate` (answered 202) to the status poll that sees `completed`
(polled every 50 ms, so figures carry up to 50 ms of polling granularity).

  generation.py BASE latency N          N generations one after the other → p50/p95
  generation.py BASE concurrent N       N trips generated at once → p50/p95, wall time, jobs/s
  generation.py BASE enqueue N FILE     N generations started; (token, trip, rid) saved to FILE
  generation.py BASE running FILE       exit 0 once every job of FILE has started
  generation.py BASE finish FILE        wait for FILE's jobs; check each completed once
"""
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1]
POLL = 0.05


def call(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def user():
    name = "b" + uuid.uuid4().hex[:12]
    pw = "Travel2026!"
    s, _ = call("POST", "/api/v1/users/register", {
        "name": "Bench", "email": name + "@example.com", "phone": "010-1234-5678",
        "username": name, "password": pw, "passwordConfirm": pw, "termsAccepted": True})
    assert s == 201, s
    s, v = call("POST", "/api/v1/users/login", {"username": name, "password": pw})
    assert s == 200, (s, v)
    return v["accessToken"]


MEMBERS = [
    {"name": "Minji", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture", "shopping"]},
    {"name": "Joon", "age": 41, "gender": "male", "healthStatus": "excellent", "preferences": ["sports", "nature"]},
    {"name": "Seoyeon", "age": 9, "gender": "female", "healthStatus": "excellent", "preferences": ["nature"]},
    {"name": "Doyun", "age": 13, "gender": "male", "healthStatus": "good", "preferences": ["sightseeing"]},
    {"name": "Grandma", "age": 71, "gender": "female", "healthStatus": "caution", "preferences": ["rest", "culture"]},
    {"name": "Grandpa", "age": 74, "gender": "male", "healthStatus": "good", "preferences": ["sightseeing"]},
]


def trip(token, i):
    s, v = call("POST", "/api/v1/trips", {"tripName": f"Bench {i}", "transportMode": "public",
                                          "members": MEMBERS}, token)
    assert s == 201, (s, v)
    tid = v["id"]
    s, v = call("PUT", f"/api/v1/trips/{tid}/destinations/batch", {
        "startDate": "2027-06-01", "destinations": [
            {"destinationName": "München", "nights": 2, "accommodation": "Bayerischer Hof"},
            {"destinationName": "Porto", "nights": 2},
            {"destinationName": "London", "nights": 2}]}, token)
    assert s == 200, (s, v)
    return tid


def start(token, tid):
    s, v = call("POST", f"/api/v1/trips/{tid}/schedules/generate", {"startTime": "09:00"}, token)
    assert s == 202, (s, v)
    return v["requestId"]


def status(token, tid, rid):
    s, v = call("GET", f"/api/v1/trips/{tid}/schedules/generate/{rid}", None, token)
    assert s == 200, (s, v)
    return v


def wait(token, tid, rid, timeout=900):
    t0 = time.time()
    while True:
        v = status(token, tid, rid)
        if v["status"] in ("completed", "failed", "cancelled"):
            return v
        if time.time() - t0 > timeout:
            raise SystemExit(f"generation {rid} did not finish: {v}")
        time.sleep(POLL)


def timed(token, tid, out, i):
    t0 = time.time()
    rid = start(token, tid)
    v = wait(token, tid, rid)
    assert v["status"] == "completed" and v["result"]["saved"], v
    assert v["result"]["days"] == 7, v
    out[i] = time.time() - t0


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def report(label, xs, wall=None):
    line = f"{label}: n={len(xs)} p50={pct(xs, 50):.2f}s p95={pct(xs, 95):.2f}s mean={statistics.mean(xs):.2f}s"
    if wall:
        line += f" wall={wall:.1f}s jobs/s={len(xs) / wall:.2f}"
    print(line, flush=True)


def main():
    mode = sys.argv[2]
    if mode == "latency":
        n = int(sys.argv[3])
        token = user()
        trips = [trip(token, i) for i in range(n)]
        out = [0.0] * n
        for i, tid in enumerate(trips):
            timed(token, tid, out, i)
        report("alone", out)
    elif mode == "concurrent":
        n = int(sys.argv[3])
        token = user()
        trips = [trip(token, i) for i in range(n)]
        out = [0.0] * n
        threads = [threading.Thread(target=timed, args=(token, tid, out, i)) for i, tid in enumerate(trips)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report(f"{n} concurrent", out, time.time() - t0)
    elif mode == "enqueue":
        n, path = int(sys.argv[3]), sys.argv[4]
        token = user()
        jobs = []
        for i in range(n):
            tid = trip(token, i)
            jobs.append({"token": token, "trip": tid, "rid": start(token, tid)})
        json.dump(jobs, open(path, "w"))
    elif mode == "running":
        jobs = json.load(open(sys.argv[3]))
        states = [status(j["token"], j["trip"], j["rid"])["status"] for j in jobs]
        print("states:", " ".join(states), flush=True)
        sys.exit(0 if all(s != "queued" for s in states) else 1)
    elif mode == "finish":
        jobs = json.load(open(sys.argv[3]))
        t0 = time.time()
        done = [wait(j["token"], j["trip"], j["rid"]) for j in jobs]
        took = time.time() - t0
        bad = [d for d in done if d["status"] != "completed"]
        attempts = [d["attempts"] for d in done]
        # "None twice": every day of every trip has exactly one stored version.
        versions = []
        for j in jobs:
            for day in range(1, 8):
                s, v = call("GET", f"/api/v1/trips/{j['trip']}/schedules/days/{day}/versions", None, j["token"])
                assert s == 200, (s, v)
                versions.append(len(v["versions"]))
        print(f"after restart: {len(done) - len(bad)}/{len(done)} completed in {took:.1f}s; "
              f"attempts {attempts}; versions per day: max {max(versions)} min {min(versions)}", flush=True)
        if bad or max(versions) != 1 or min(versions) != 1:
            raise SystemExit("recovery check FAILED")
    else:
        raise SystemExit(__doc__)


main()
