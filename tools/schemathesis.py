#!/usr/bin/env python3
"""Fuzz Hearth's API against its own OpenAPI document with schemathesis, as CI does.

    tools/schemathesis.py [--examples 25] [--bin target/debug/hearth]

It fills a fresh demo region into a temporary SQLite file, serves it on a loopback port, and runs
schemathesis (pinned, installed into target/schemathesis-venv on first use) once per caller:

- a council's API token, issued by Coventry's administrator with every scope that role may grant;
- a provider's API token, issued by a provider manager with every scope that role may grant;
- a placement officer's browser session (cookie and CSRF header), for the council's own routes that no
  council token reaches; signing out and ending sessions are left out so the run keeps its session.

Every run fails on a 5xx, a status the document does not list for the route, a body that does not
match the documented schema, or a wrong content type. Exit status: 0 when every run passed.
Standard library only, so it runs wherever Python 3.9+ does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

SCHEMATHESIS = "schemathesis==4.32.5"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "hearth-demo-password"
COUNCIL_ISSUER = "administrator.coventry@hearth.test"
PROVIDER_ISSUER = "provider-manager.5ab-care-ltd@hearth.test"
SESSION_USER = "placement-officer.coventry@hearth.test"
# Never granted to tokens (people and tokens are managed by people who signed in).
NOT_FOR_TOKENS = {"users:write", "tokens:write", "organisations:write"}
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"


def say(text: str) -> None:
    print(f"schemathesis.py: {text}", flush=True)


def venv() -> Path:
    """The pinned schemathesis in a virtual environment of its own under target/."""
    env = ROOT / "target" / "schemathesis-venv"
    exe = env / "bin" / "schemathesis"
    if not exe.exists():
        say(f"installing {SCHEMATHESIS} into {env}")
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        subprocess.run([str(env / "bin" / "pip"), "install", "-q", SCHEMATHESIS], check=True)
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A tiny JSON client with a cookie jar of one cookie."""

    def __init__(self, base: str):
        self.base = base
        self.cookie: str | None = None
        self.csrf: str | None = None

    def call(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if self.cookie:
            req.add_header("cookie", self.cookie)
        if self.csrf:
            req.add_header("x-csrf-token", self.csrf)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, raw, headers = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            status, raw, headers = e.code, e.read(), e.headers
        cookie = headers.get("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return status, (json.loads(raw) if raw else None)

    def sign_in(self, email: str) -> dict:
        status, me = self.call("POST", "/api/v1/session", {"email": email, "password": PASSWORD})
        if status not in (200, 201) or not isinstance(me, dict):
            raise SystemExit(f"cannot sign in as {email}: {status} {me}")
        self.csrf = me.get("csrf_token")
        return me


def issue_token(base: str, issuer: str) -> str:
    """A token with every scope the issuer's role may grant: ask for all it holds, then drop what is refused."""
    client = Client(base)
    me = client.sign_in(issuer)
    scopes = [c for c in me["capabilities"] if c not in NOT_FOR_TOKENS]
    while True:
        status, body = client.call("POST", "/api/v1/tokens", {"name": "schemathesis", "scopes": scopes})
        if status == 201:
            say(f"token for {issuer}: {', '.join(scopes)}")
            return body["secret"]
        refused = {f.get("value") for f in (body or {}).get("error", {}).get("fields", []) if f.get("value")}
        refused |= {s for s in scopes if s in json.dumps(body)}
        kept = [s for s in scopes if s not in refused]
        if status != 422 or not kept or kept == scopes:
            raise SystemExit(f"cannot issue a token as {issuer}: {status} {body}")
        scopes = kept


def passed(junit: Path, name: str) -> bool:
    """Whether a run found no failure in Hearth. Schemathesis's own crashes while generating data (a
    JUnit <error>, e.g. a recursion limit inside Hypothesis) are reported but are not Hearth's fault;
    a run that produced no report at all failed."""
    if not junit.exists():
        say(f"{name}: schemathesis wrote no report")
        return False
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    failures, errors, total = [], [], 0
    for case in cases:
        total += 1
        if case.find("failure") is not None:
            failures.append(case.get("name"))
        elif case.find("error") is not None:
            errors.append(case.get("name"))
    if errors:
        say(f"{name}: schemathesis could not generate data for {len(errors)} operation(s): {', '.join(errors)}")
    passed_ = total - len(failures) - len(errors)
    say(f"{name}: {passed_} passed, {len(failures)} failed, {len(errors)} not generated")
    return total > 0 and not failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "25")))
    parser.add_argument("--bin", default=os.environ.get("HEARTH_BIN", str(ROOT / "target" / "debug" / "hearth")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    exe = venv()
    binary = Path(args.bin)
    if not binary.exists():
        subprocess.run(["cargo", "build", "-p", "hearth"], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="hearth-schemathesis-"))
    db = f"sqlite://{work}/hearth.sqlite"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    subprocess.run(
        [str(binary), "demo", "--no-serve", "--database", db, "--today", "2026-11-25"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    log = open(work / "serve.log", "w")
    server = subprocess.Popen(
        [str(binary), "serve", "--database", db, "--listen", f"127.0.0.1:{port}"], stdout=log, stderr=log
    )
    failed = []
    try:
        for _ in range(600):  # at most a minute for the matching index to be built
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    raise SystemExit(f"hearth serve stopped: see {work / 'serve.log'}")
                time.sleep(0.1)
        runs = [
            ("council token", ["-H", f"Authorization: Bearer {issue_token(base, COUNCIL_ISSUER)}"]),
            ("provider token", ["-H", f"Authorization: Bearer {issue_token(base, PROVIDER_ISSUER)}"]),
        ]
        officer = Client(base)
        officer.sign_in(SESSION_USER)
        runs.append(
            (
                "placement officer's session",
                [
                    "-H", f"Cookie: {officer.cookie}",
                    "-H", f"x-csrf-token: {officer.csrf}",
                    # These would end the session the rest of the run depends on.
                    "--exclude-path-regex", "^/api/v1/(session|sessions)",
                ],
            )
        )
        for name, extra in runs:
            say(f"run: {name}, {args.examples} examples per operation")
            command = [
                str(exe), "run", f"{base}/api/v1/openapi.json", "--url", base,
                "--checks", CHECKS, "--max-examples", str(args.examples), "--seed", str(args.seed),
                "--phases", "examples,coverage,fuzzing", "--workers", "2", "--request-timeout", "30",
                "--suppress-health-check", "all", "--no-color",
                *extra,
            ]  # fmt: skip
            junit = work / f"run-{len(failed)}-{name.split()[0]}.xml"
            subprocess.run([*command, "--report", "junit", "--report-junit-path", str(junit)], cwd=work)
            if not passed(junit, name):
                failed.append(name)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    if failed:
        say(f"FAILED: {', '.join(failed)} (server log: {work / 'serve.log'})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    say("every run passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
