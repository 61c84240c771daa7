#!/usr/bin/env python3
"""HTTP side of bench/faults.sh (standard library only).

  faults.py user BASE FILE              sign up and sign in a fresh traveller; token to FILE
  faults.py writer BASE TOKEN LOG SECS [THREADS] [STOPFILE]
        acknowledged-write load: THREADS (4) threads create trips (POST /api/v1/trips, each
        with a unique name) and rename one trip with a rising counter, for SECS seconds or
        until STOPFILE exists. Every attempt is a line of LOG:
        {"t": sent, "d": done, "op", "status", "id", "name"} — written after the answer, so a
        line with status 201/200 is an acknowledged write.
  faults.py check BASE TOKEN LOG        read every acknowledged write back: each created trip
        exists once (by id, and its name once in the list), the renamed trip carries the last
        acknowledged name or a later one sent; prints counts, exit 1 on a loss or duplicate.
  faults.py recovery LOG                the outage as the writer saw it: last acknowledged
        write before the first failure, first one after the last failure (seconds), and the
        answers by status in between.
  faults.py ready BASE SECS             wait until /health/ready answers 200; print seconds.
"""

import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "Fault2026!trip"
MEMBER = {"name": "Kim", "age": 40, "gender": "female", "healthStatus": "good", "preferences": ["culture"]}


def call(base, method, path, body=None, token=None, timeout=10):
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    try:
        c.request(method, path, None if body is None else json.dumps(body), headers)
        r = c.getresponse()
        data = r.read()
        try:
            return r.status, json.loads(data) if data else None
        except ValueError:
            return r.status, data[:200].decode(errors="replace")
    finally:
        c.close()


def user(base, out):
    name = "f" + uuid.uuid4().hex[:11]
    s, v = call(base, "POST", "/api/v1/users/register", {
        "name": "Fault Test", "email": f"{name}@example.com", "phone": "010-1234-5678", "username": name,
        "password": PASSWORD, "passwordConfirm": PASSWORD, "termsAccepted": True})
    if s != 201:
        sys.exit(f"register: {s} {v}")
    s, v = call(base, "POST", "/api/v1/users/login", {"username": name, "password": PASSWORD})
    if s != 200:
        sys.exit(f"login: {s} {v}")
    with open(out, "w") as f:
        json.dump({"token": v["accessToken"], "username": name}, f)


def token_of(path):
    with open(path) as f:
        return json.load(f)["token"]


def writer(base, token, log, secs, threads=4, stopfile=None):
    token = token_of(token)
    s, v = call(base, "POST", "/api/v1/trips", {"tripName": "renamed-0", "transportMode": "car", "members": [MEMBER]}, token)
    if s != 201:
        sys.exit(f"writer: first trip: {s} {v}")
    renamed = v["id"]
    lock = threading.Lock()
    counter = [0]
    out = open(log, "a")
    out.write(json.dumps({"t": time.time(), "d": time.time(), "op": "create", "status": 201, "id": renamed, "name": "renamed-0"}) + "\n")
    end = time.monotonic() + secs

    def loop(k):
        i = 0
        while time.monotonic() < end and not (stopfile and os.path.exists(stopfile)):
            i += 1
            if k == 0 and i % 2 == 0:
                with lock:
                    counter[0] += 1
                    n = counter[0]
                op, name, method, path, body = "rename", f"renamed-{n}", "PUT", f"/api/v1/trips/{renamed}", {"tripName": f"renamed-{n}"}
            else:
                name = f"f-{uuid.uuid4().hex[:12]}"  # trip names have at most 16 characters
                op, method, path, body = "create", "POST", "/api/v1/trips", {"tripName": name, "transportMode": "car", "members": [MEMBER]}
            t = time.time()
            try:
                s, v = call(base, method, path, body, token, timeout=15)
                tid = v.get("id") if isinstance(v, dict) else None
                code = v.get("code") if isinstance(v, dict) else None
            except OSError as e:
                s, tid, code = f"transport:{type(e).__name__}", None, None
            rec = {"t": t, "d": time.time(), "op": op, "status": s, "id": tid or (renamed if op == "rename" else None), "name": name}
            if code:
                rec["code"] = code
            with lock:
                out.write(json.dumps(rec) + "\n")
                out.flush()
            if not isinstance(s, int) or s >= 500:
                time.sleep(0.05)  # a client backs off a little

    ts = [threading.Thread(target=loop, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.close()


def records(log):
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def check(base, token, log):
    token = token_of(token)
    recs = records(log)
    created = [r for r in recs if r["op"] == "create" and r["status"] == 201]
    lost = 0
    for r in created:
        s, v = call(base, "GET", f"/api/v1/trips/{r['id']}", token=token)
        if s != 200:
            lost += 1
            print(f"LOST: {r['name']} ({r['id']}): {s}")
    # Every trip in the list, to find duplicates (a create stored twice) by name.
    names = {}
    page = 1
    while True:
        s, v = call(base, "GET", f"/api/v1/trips?page={page}&size=50&sort=oldest", token=token)
        if s != 200:
            sys.exit(f"check: list page {page}: {s} {v}")
        for item in v["items"]:
            names[item["tripName"]] = names.get(item["tripName"], 0) + 1
        if page * 50 >= v["total"]:
            break
        page += 1
    dups = {n: c for n, c in names.items() if c > 1 and not n.startswith("renamed-")}
    stored = sum(c for n, c in names.items() if n.startswith("f-"))
    unacked_stored = stored - sum(1 for r in created if r["name"].startswith("f-"))
    # The renamed trip: its name is the last acknowledged rename or one sent after it.
    renames = [r for r in recs if r["op"] == "rename"]
    acked = [int(r["name"].split("-")[1]) for r in renames if r["status"] == 200]
    last_acked = max(acked, default=0)
    rid = next((r["id"] for r in recs if r["name"] == "renamed-0"), None)
    s, v = call(base, "GET", f"/api/v1/trips/{rid}", token=token)
    now = int(v["tripName"].split("-")[1]) if s == 200 else -1
    rename_ok = now >= last_acked
    print(f"acknowledged creates {len(created)}, lost {lost}, duplicated {len(dups)}, "
          f"stored without acknowledgement {unacked_stored} (answer lost in flight); "
          f"renames acknowledged {len(acked)}, last renamed-{last_acked}, stored renamed-{now}")
    if dups:
        print(f"DUPLICATES: {dups}")
    ok = lost == 0 and not dups and rename_ok
    sys.exit(0 if ok else 1)


def recovery(log):
    recs = sorted(records(log), key=lambda r: r["t"])
    bad = [r for r in recs if r["status"] not in (200, 201)]
    if not bad:
        print(json.dumps({"outage_s": 0.0, "failed": 0, "statuses": {}}))
        return
    first_bad, last_bad = bad[0]["t"], bad[-1]["d"]
    before = [r["d"] for r in recs if r["status"] in (200, 201) and r["d"] <= first_bad]
    after = [r["d"] for r in recs if r["status"] in (200, 201) and r["t"] >= last_bad]
    statuses = {}
    codes = {}
    for r in bad:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
        if "code" in r:
            codes[r["code"]] = codes.get(r["code"], 0) + 1
    print(json.dumps({
        "first_failure": first_bad, "last_failure": last_bad,
        "last_ack_before": max(before, default=None), "first_ack_after": min(after, default=None),
        "failed": len(bad), "statuses": statuses, "codes": codes,
    }))


def ready(base, secs):
    t0 = time.monotonic()
    while time.monotonic() - t0 < secs:
        try:
            s, _ = call(base, "GET", "/health/ready", timeout=2)
            if s == 200:
                print(f"{time.monotonic() - t0:.2f}")
                return
        except OSError:
            pass
        time.sleep(0.02)
    print("timeout")
    sys.exit(1)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "user":
        user(*args)
    elif cmd == "writer":
        base, token, log, secs = args[:4]
        writer(base, token, log, float(secs), int(args[4]) if len(args) > 4 else 4, args[5] if len(args) > 5 else None)
    elif cmd == "check":
        check(*args)
    elif cmd == "recovery":
        recovery(*args)
    elif cmd == "ready":
        ready(args[0], float(args[1]))
    else:
        sys.exit(__doc__)
