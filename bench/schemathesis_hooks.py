"""Schemathesis hooks of bench/schemathesis.sh: signs in whenever a token is needed or an
answer is 401 — the run itself calls logout, password change and account deletion, which
end the session it was using. TripGen signs in again as the same user while it can.

TripGen: registration and password login. HealthSync: the whole OpenID Connect flow against
the server's built-in development issuer (`serve --dev-issuer`): start, the issuer's sign-in
page (its hidden PKCE/state fields plus an e-mail), the code back to the callback.

Environment: ST_PRODUCT (tripgen, healthsync), ST_BASE (the server's base URL).
"""
import html
import json
import os
import re
import urllib.error
import urllib.parse
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


# The TripGen user of the run: signing in again as the same user keeps what the run created
# reachable (a stateful scenario that logs out and then edits its trip must not meet another
# user's 404).
USER = {}


def fresh_tripgen_token():
    if USER:
        try:
            return call("POST", "/api/v1/users/login", USER)["accessToken"]
        except urllib.error.HTTPError:
            pass  # the run changed the password or deleted the account: a new user
    name = "st" + uuid.uuid4().hex[:12]
    pw = "Travel2026!"
    call("POST", "/api/v1/users/register", {
        "name": "Fuzz", "email": name + "@example.com", "phone": "010-1234-5678",
        "username": name, "password": pw, "passwordConfirm": pw, "termsAccepted": True})
    USER.clear()
    USER.update(username=name, password=pw)
    return call("POST", "/api/v1/users/login", USER)["accessToken"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def fresh_healthsync_token():
    start = call("POST", "/api/v1/auth/oidc/start", {})
    with urllib.request.urlopen(start["authorizationUrl"], timeout=60) as r:
        page = r.read().decode()
    form = [(name, html.unescape(value)) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)]
    form += [("email", "st" + uuid.uuid4().hex[:12] + "@example.test"), ("name", "Fuzz")]
    req = urllib.request.Request(BASE + "/dev-oidc/authorize",
                                 data=urllib.parse.urlencode(form).encode(), method="POST")
    req.add_header("content-type", "application/x-www-form-urlencoded")
    try:
        urllib.request.build_opener(_NoRedirect).open(req, timeout=60)
        raise RuntimeError("the dev issuer did not redirect back")
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise
        back = urllib.parse.parse_qs(urllib.parse.urlparse(e.headers["location"]).query)
    answer = call("POST", "/api/v1/auth/oidc/callback",
                  {"code": back["code"][0], "state": back["state"][0]})
    return answer["accessToken"]


@schemathesis.auth(refresh_interval=None, retry_on=[401])
class FreshUser:
    def get(self, case, context):
        if PRODUCT == "healthsync":
            return fresh_healthsync_token()
        return fresh_tripgen_token()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
