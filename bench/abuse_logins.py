#!/usr/bin/env python3
"""Sign-in abuse against a running `tripgen serve` (issue 21, items 1 and 2).

1. Memory: BURSTS bursts of CONCURRENT simultaneous logins for unknown usernames, each from
   its own loopback address (127.1.x.y) so the per-IP limit does not hide the load; prints
   the server's RSS (from /proc/PID/status) before and after each burst and the answers
   (401 = checked, 503 = refused busy with Retry-After, 429 = rate-limited).
   Target: RSS ≤ 300 MB.
2. Lockout race: TRIALS trials, each on a fresh account: 39 wrong passwords in parallel,
   then the right one 150 ms later. The lockout holds when the right one is refused (423).
   Target: 100 % of trials.

Standard library only. Usage: abuse_logins.py BASE_URL PID [--concurrent N --bursts B --trials T]
"""

import argparse
from concurrent.futures import ThreadPoolExecutor
import http.client
import json
import sys
import time
import urllib.parse

PASSWORD = "Travel2026!"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def post(base, path, body, source):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60, source_address=(source, 0))
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def address(i):
    return f"127.1.{(i // 250) % 250 + 1}.{i % 250 + 1}"


def register(base, username, source):
    body = {
        "name": "Bench User",
        "email": f"{username}@example.com",
        "phone": "010-1234-5678",
        "username": username,
        "password": PASSWORD,
        "passwordConfirm": PASSWORD,
        "termsAccepted": True,
    }
    status = post(base, "/api/v1/users/register", body, source)
    if status != 201:
        sys.exit(f"register {username}: HTTP {status}")


def login(base, username, password, source):
    return post(base, "/api/v1/users/login", {"username": username, "password": password}, source)


def memory(base, pid, concurrent, bursts):
    print(f"RSS at start: {rss_mb(pid):.0f} MB")
    peak = 0.0
    with ThreadPoolExecutor(max_workers=concurrent) as pool:
        for b in range(bursts):
            t = time.monotonic()
            futures = [
                pool.submit(login, base, f"ghost{b}x{i}", "Wrong2026!", address(b * concurrent + i))
                for i in range(concurrent)
            ]
            counts = {}
            for f in futures:
                try:
                    s = f.result()
                except OSError as e:
                    s = type(e).__name__
                counts[s] = counts.get(s, 0) + 1
            rss = rss_mb(pid)
            peak = max(peak, rss)
            print(
                f"burst {b + 1}: {concurrent} logins in {time.monotonic() - t:.1f} s, answers {dict(sorted(counts.items(), key=str))}, RSS {rss:.0f} MB"
            )
    print(f"RSS peak after bursts: {peak:.0f} MB (target ≤ 300 MB)")
    return peak


def lockout(base, trials):
    held = 0
    with ThreadPoolExecutor(max_workers=48) as pool:
        for t in range(trials):
            user = f"racer{t:03d}{int(time.time()) % 100000}"
            register(base, user, address(60000 + t))
            wrong = [
                pool.submit(login, base, user, "Wrong2026!", address(40000 + t * 40 + i)) for i in range(39)
            ]
            time.sleep(0.15)
            right = login(base, user, PASSWORD, address(40000 + t * 40 + 39))
            for f in wrong:
                f.result()
            held += right == 423
    print(f"lockout held in {held}/{trials} racing trials ({100 * held / trials:.0f} %, target 100 %)")
    return held == trials


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("pid", type=int)
    ap.add_argument("--concurrent", type=int, default=500)
    ap.add_argument("--bursts", type=int, default=3)
    ap.add_argument("--trials", type=int, default=50)
    a = ap.parse_args()
    peak = memory(a.base, a.pid, a.concurrent, a.bursts)
    ok = lockout(a.base, a.trials)
    sys.exit(0 if ok and peak <= 300 else 1)


if __name__ == "__main__":
    main()
