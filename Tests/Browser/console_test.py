"""The web console in a real browser (issue 17): run by scripts/console-test.sh, which starts the server.

Environment: CONSOLE_URL (the server), CONSOLE_LOGINS (a JSON file: user → {roles, token}, the operator
as `admin`), SCREENSHOTS (the folder for the PNGs), CONSOLE_SERVER_LOG (the server's JSON log: an error
line there, a 5xx or a crash of a handler, fails the run), CONSOLE_ONLY (comma-separated prefixes of
the checks to run; all by default).
Prints one PASS/FAIL line per check and ends with `N passed, N failed`; exits 1 when any check failed.
"""
import json
import os
import sys
import tempfile
import time
from collections import namedtuple
from pathlib import Path

from api import API
from browser import Browser
from flows import check_cross_tenant, check_csrf, check_invoice, check_job, check_request, check_sign_in
from pages import DETAILS, ROLES, SECTIONS, check_navigation, visit_detail, visit_section
from results import Results, expect

Login = namedtuple("Login", "user roles token")


def server_errors(log):
    """The error lines of the server's log since it started (a 5xx is logged as an error with its path)."""
    if not log or not Path(log).exists():
        return []
    lines = []
    for line in Path(log).read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            lines.append(line)  # not a log line: a crash's output
            continue
        if entry.get("level") in ("error", "critical"):
            lines.append(line)
    return lines


def main():
    started = time.monotonic()
    base = os.environ["CONSOLE_URL"]
    logins = {user: Login(user, v["roles"], v["token"]) for user, v in json.loads(Path(os.environ["CONSOLE_LOGINS"]).read_text()).items()}
    screenshots = Path(os.environ.get("SCREENSHOTS", ".build/console-screenshots"))
    screenshots.mkdir(parents=True, exist_ok=True)
    for old in screenshots.glob("*.png"):
        old.unlink()
    results = Results(os.environ.get("CONSOLE_ONLY", "").split(","))
    api = API(base, logins["admin"].token)
    browser = Browser(base, screenshots, tempfile.mkdtemp(prefix="console-downloads-"))
    try:
        results.run("sign-in: form, wrong token, cookie, sign-out", check_sign_in, browser, logins)
        for role, (user, must_have) in ROLES.items():
            login = logins[user]
            # When the navigation is wrong, the sections the role must have are still visited, each its own check.
            listed = results.run(f"pages: {role} navigation", check_navigation, browser, role, login) or must_have
            for section, path in SECTIONS:
                if section in listed:
                    results.run(f"pages: {role} {path}", visit_section, browser, role, section, path)
            found = {}
            for kind, source, pattern in DETAILS:
                if source.startswith("/console") and _section_of(source) not in listed:
                    continue
                results.run(f"pages: {role} {kind} page", visit_detail, browser, role, kind, source, pattern, found)
        results.run("flow: csrf", check_csrf, browser, logins)
        results.run("flow: job submitted from the form runs", check_job, browser, logins)
        results.run("flow: request routed, approved with changes, grant seen", check_request, browser, logins, api)
        results.run("flow: another tenant's job is the 403 page", check_cross_tenant, browser, logins, api)
        results.run("flow: invoice downloads (CSV, JSON)", check_invoice, browser, logins, api)
    finally:
        browser.quit()
    results.run("server: no error in its log", lambda: expect(not (e := server_errors(os.environ.get("CONSOLE_SERVER_LOG"))),
                                                           f"{len(e)} error lines, the first: {e[0][:400] if e else ''}"))
    print(f"screenshots: {len(list(screenshots.glob('*.png')))} in {screenshots}")
    return results.summary(time.monotonic() - started)


def _section_of(path):
    return next((section for section, p in SECTIONS if p == path), None)


if __name__ == "__main__":
    sys.exit(main())
