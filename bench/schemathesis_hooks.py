"""Schemathesis hooks of bench/schemathesis.sh: signs in as a fresh user whenever a token is
needed or an answer is 401 — the run itself calls logout, password change and account
deletion, which end the session it was using.

Environment: ST_PRODUCT (tripgen), ST_BASE (the server's base URL).
"""
import json
import os
import urllib.request
import uuid

import schemathesis

BASE = os.environ["ST_BASE"]
PRODUCT = os.environ.get("ST_PRODUCT", "tripgen")


def call(method, path, body):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method=method)
    req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")


def fresh_tripgen_token():
    name = "st" + uuid.uuid4().hex[:12]
    pw = "Travel2026!"
    call("POST", "/api/v1/users/register", {
        "name": "Fuzz", "email": name + "@example.com", "phone": "010-1234-5678",
        "username": name, "password": pw, "passwordConfirm": pw, "termsAccepted": True})
    return call("POST", "/api/v1/users/login", {"username": name, "password": pw})["accessToken"]


@schemathesis.auth(refresh_interval=None, retry_on=[401])
class FreshUser:
    def get(self, case, context):
        if PRODUCT != "tripgen":
            raise RuntimeError(f"no sign-in for {PRODUCT}")
        return fresh_tripgen_token()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
