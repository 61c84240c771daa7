#!/usr/bin/env python3
"""Signs a fresh user in and prints an access token (bench/schemathesis.sh).

  schemathesis_token.py tripgen BASE      register + login
"""
import json
import sys
import urllib.request
import uuid

PRODUCT, BASE = sys.argv[1], sys.argv[2]


def call(method, path, body=None):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method=method)
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")


if PRODUCT == "tripgen":
    name = "st" + uuid.uuid4().hex[:12]
    pw = "Travel2026!"
    call("POST", "/api/v1/users/register", {
        "name": "Fuzz", "email": name + "@example.com", "phone": "010-1234-5678",
        "username": name, "password": pw, "passwordConfirm": pw, "termsAccepted": True})
    print(call("POST", "/api/v1/users/login", {"username": name, "password": pw})["accessToken"])
else:
    sys.exit(f"no sign-in for {PRODUCT}")
