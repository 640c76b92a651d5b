#!/usr/bin/env python3
"""Fuzzes the web console's pages and forms with bad input, against a running server.

It starts nothing: give it the server's URL and an API token (scripts/console-fuzz.sh starts a demo server
and runs it). It signs in through the form, crawls every /console page reachable from the nav and the
links (bounded per kind of page), finds every <form> (method, action, inputs, selects and their options,
the csrf hidden field), and sends generated values with a seeded random generator: valid options, empty,
huge, unicode and control characters, negative/huge/NaN numbers, missing, extra and repeated fields, broken
encodings and a wrong csrf; it also GETs the list pages with hostile query parameters, the detail pages
with hostile ids in the path, and HEADs every page.

A request fails when the answer is a 5xx, when it is neither HTML nor a redirect nor a download (or a 304),
when a POST with a wrong csrf is not refused, or when the server does not answer. The run fails when any
request failed or the server is not ready at the end. Same seed, same server state: same requests.

    scripts/console-fuzz.py --url http://127.0.0.1:8080 --token rsv_... [--seconds 60] [--seed 42]

Needs python3 (3.9+) only.
"""
import argparse
import http.client
import random
import re
import sys
import time
import urllib.parse
from html.parser import HTMLParser

# Values that break careless parsing: blanks, sizes, encodings, numbers at the edges, markup, paths.
HOSTILE = [
    "", " ", "   \t ", "a" * 5000, "x" * 70000, "ünïcødé ✓ 漢字 🚀", "\u202eevil\u202c", "\u200b", "\ufeff", "𝔘𝔫𝔦",
    "\x00", "a\x00b", "\x01\x02\x1f\x7f", "line\r\nInjected: header", "\t", "-1", "0", "-0", "1e309", "-1e309", "NaN",
    "nan", "inf", "-Infinity", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "99999999999999999999999999999", "1.5", "0.0000001", "1,5", "0x10", "  7  ", "+3", "1_000", "<script>alert(1)</script>",
    "\"><img src=x>", "' OR 1=1 --", "../../../../etc/passwd", "%00", "%", "%zz", "{{csrf}}", "{{{x}}}", "${jndi:x}",
    "2026-13-45", "0000-00-00", "9999-12-31T99:99", "true", "null", "[]", "{}", "\\", "/", "?", "#", "&", "=",
]
# Hostile path segments (already percent-encoded where they need it).
HOSTILE_IDS = [
    "0", "-1", "99999999999999999999999", "NaN", "%00", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%ZZ", "%C3%BC%C3%AF",
    "%F0%9F%9A%80", "a" * 3000, "%3Cscript%3E", "'%20OR%201=1", "%20", "%0D%0AX:%20y", "~", "..",
]
# Query parameters list pages take (besides those their filter forms and links name).
QUERY_NAMES = ["cursor", "state", "tenant", "pool", "limit", "since", "until", "month", "q", "page"]


class PageParser(HTMLParser):
    """Links (a href) and forms (method, action, fields) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self.form, self.select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": []}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag in ("input", "textarea", "button") and a.get("name"):
            kind = "textarea" if tag == "textarea" else (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("submit", "button", "image", "reset") and tag != "button":
                return
            self.form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value") or "", "options": []})
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "type": "select", "value": "", "options": []}
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


class Failure(Exception):
    pass


class Console:
    """An HTTP/1.1 client for one console: the session cookie, the current csrf token, no redirects followed."""

    def __init__(self, url, token, timeout):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.token, self.timeout = parts.hostname, parts.port or 80, token, timeout
        self.cookies, self.csrf, self.connection = {}, None, None
        self.requests = 0

    def send(self, method, path, body=None, content_type="application/x-www-form-urlencoded"):
        """(status, headers with lower-case names, body bytes); raises Failure when nothing comes back."""
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            body = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.requests += 1
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                answer = {k.lower(): v for k, v in response.getheaders()}
                for line in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = line.partition("=")
                    value = rest.split(";", 1)[0]
                    if value == "" or "max-age=0" in line.lower():
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = value
                if response.will_close:
                    self.connection.close()
                    self.connection = None
                return response.status, answer, data
            except (OSError, http.client.HTTPException) as error:
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                # A kept-alive connection the server closed: one retry on a fresh one.
                if attempt == 2 or isinstance(error, TimeoutError):
                    raise Failure(f"no answer: {type(error).__name__}: {error}")

    def sign_in(self):
        """Signs in through the form (waiting out a sign-in throttle once); raises Failure if it cannot."""
        for _ in range(2):
            self.cookies.pop("reservoir_session", None)
            status, headers, _ = self.send("POST", "/sign-in", "token=" + urllib.parse.quote(self.token, safe=""))
            if status == 303 and "reservoir_session" in self.cookies:
                status, _, body = self.send("GET", "/console")
                self.remember_csrf(body)
                return
            if status == 429:
                time.sleep(min(int(headers.get("retry-after", "5")), 65))
                continue
            break
        raise Failure(f"sign-in with the token answered {status}")

    def remember_csrf(self, body):
        found = re.search(rb'name="csrf" value="([^"]*)"', body)
        if found:
            self.csrf = found.group(1).decode()


def encode(pairs):
    return "&".join(f"{urllib.parse.quote(str(k), safe='')}={urllib.parse.quote(str(v), safe='', errors='surrogatepass')}" for k, v in pairs)


class Fuzzer:
    def __init__(self, console, rng, deadline, max_pages, per_kind):
        self.console, self.rng, self.deadline = console, rng, deadline
        self.max_pages, self.per_kind = max_pages, per_kind
        self.pages, self.forms, self.query_names = [], {}, set(QUERY_NAMES)
        self.passed, self.failures = 0, []

    # -- judging -----------------------------------------------------------------------------------------------

    def check(self, method, path, what, body=None, content_type="application/x-www-form-urlencoded", csrf_wrong=False):
        """Sends one request and judges its answer; returns (status, headers, body) or None when it failed."""
        try:
            status, headers, data = self.console.send(method, path, body, content_type)
        except Failure as failure:
            self.fail(method, path, what, None, str(failure))
            return None
        kind = headers.get("content-type", "")
        reason = None
        if status >= 500:
            reason = "server error"
        elif status in (301, 302, 303, 307, 308):
            if not headers.get("location"):
                reason = "redirect without Location"
            elif csrf_wrong and headers["location"] != "/sign-in":
                reason = "a POST with a wrong csrf went through"
        elif status == 304:
            pass
        elif "attachment" in headers.get("content-disposition", ""):
            pass
        elif not kind.startswith("text/html"):
            reason = f"not HTML ({kind or 'no Content-Type'})"
        elif csrf_wrong and status < 400:
            reason = "a POST with a wrong csrf went through"
        if reason:
            self.fail(method, path, what, status, reason, data)
            return None
        self.passed += 1
        if kind.startswith("text/html"):
            self.console.remember_csrf(data)
        if "reservoir_session" not in self.console.cookies:
            self.console.sign_in()  # the session ended (the sign-out form, sent right): sign in again
        return status, headers, data

    def fail(self, method, path, what, status, reason, data=b""):
        snippet = re.sub(rb"\s+", b" ", data or b"")[:200].decode("utf-8", "replace")
        self.failures.append(f"{method} {path[:160]} [{what}] -> {status}: {reason} {snippet}".rstrip())

    def time_left(self):
        return time.monotonic() < self.deadline

    # -- crawling ----------------------------------------------------------------------------------------------

    @staticmethod
    def kind_of(path):
        """Pages of one kind share a cap: /console/jobs/j-1 and /console/jobs/j-2 are both /console/jobs/*."""
        parts = urllib.parse.urlsplit(path)
        segments = parts.path.strip("/").split("/")
        shape = "/".join(segments[:2] + ["*"] * (len(segments) > 2) + segments[3:])
        return shape + "?" + ",".join(sorted(urllib.parse.parse_qs(parts.query, keep_blank_values=True)))

    def crawl(self):
        queue, seen, kinds = ["/console"], {"/console"}, {}
        while queue and len(self.pages) < self.max_pages and self.time_left():
            path = queue.pop(0)
            answer = self.check("GET", path, "crawl")
            self.check("HEAD", path, "HEAD")
            if answer is None or answer[0] != 200 or not answer[1].get("content-type", "").startswith("text/html"):
                continue
            self.pages.append(path)
            parser = PageParser()
            parser.feed(answer[2].decode("utf-8", "replace"))
            for form in parser.forms:
                action = urllib.parse.urljoin(path, form["action"] or path)
                names = tuple(sorted(f["name"] for f in form["fields"]))
                self.forms.setdefault((form["method"], urllib.parse.urlsplit(action).path, names), dict(form, action=action, page=path))
                if form["method"] == "get":
                    self.query_names.update(names)
            for href in parser.links:
                link = urllib.parse.urljoin(path, href.split("#")[0])
                parts = urllib.parse.urlsplit(link)
                if parts.netloc or not parts.path.startswith("/console") or parts.path.startswith("/console/assets"):
                    continue
                self.query_names.update(urllib.parse.parse_qs(parts.query))
                local = parts.path + ("?" + parts.query if parts.query else "")
                kind = self.kind_of(local)
                if local not in seen and kinds.get(kind, 0) < self.per_kind:
                    seen.add(local)
                    kinds[kind] = kinds.get(kind, 0) + 1
                    queue.append(local)

    # -- cases -------------------------------------------------------------------------------------------------

    def valid_value(self, field):
        if field["type"] == "select" and field["options"]:
            return self.rng.choice(field["options"])
        if field["type"] == "checkbox":
            return field["value"] or "on"
        return field["value"]

    def form_cases(self, form):
        """Every case for one form, as (label, pairs, wrong csrf?, raw body or None, content type)."""
        fields = [f for f in form["fields"] if f["name"] != "csrf"]
        has_csrf = any(f["name"] == "csrf" for f in form["fields"])

        def base():
            pairs = [(f["name"], self.valid_value(f)) for f in fields]
            return ([("csrf", self.console.csrf or "")] if has_csrf else []) + pairs

        def with_value(name, value):
            return [(k, value if k == name else v) for k, v in base()]

        cases = [("valid values", base, False)]
        for field in fields:
            for value in self.rng.sample(HOSTILE, 6) + (field["options"][:3] if field["type"] == "select" else []):
                cases.append((f"{field['name']}={value[:40]!r}", lambda n=field["name"], v=value: with_value(n, v), False))
            cases.append((f"without {field['name']}", lambda n=field["name"]: [(k, v) for k, v in base() if k != n], False))
            cases.append((f"{field['name']} twice", lambda n=field["name"]: base() + [(n, "again")], False))
        cases.append(("an extra field", lambda: base() + [("zz_extra", "1")], False))
        cases.append(("every field hostile", lambda: [(k, k == "csrf" and v or self.rng.choice(HOSTILE)) for k, v in base()], False))
        if has_csrf:
            cases.append(("wrong csrf", lambda: [(k, "forged" if k == "csrf" else v) for k, v in base()], True))
            cases.append(("no csrf", lambda: [(k, v) for k, v in base() if k != "csrf"], True))
            cases.append(("csrf twice", lambda: base() + [("csrf", self.console.csrf or "")], False))
        out = [(label, make, wrong, None, "application/x-www-form-urlencoded") for label, make, wrong in cases]
        raw = [
            ("broken percent-encoding", "%zz=%", None), ("a field without a name", "=x", None), ("an empty body", "", None),
            ("a 100 KiB body", "a=" + "b" * 100_000, None), ("a text/plain body", None, "text/plain"),
            ("a multipart body", None, "multipart/form-data; boundary=x"), ("invalid UTF-8", b"csrf=%FF%FE&x=\xff\xfe", None),
        ]
        for label, body, kind in raw:
            out.append((label, base, False, body, kind or "application/x-www-form-urlencoded"))
        return out

    def run_form_case(self, form, case):
        label, make, wrong, raw, content_type = case
        action = form["action"]
        if form["method"] == "get":
            query = encode(make())
            self.check("GET", urllib.parse.urlsplit(action).path + "?" + query, f"filter {label}")
            return
        body = raw if raw is not None else encode(make())
        self.check("POST", urllib.parse.urlsplit(action).path, label, body, content_type, csrf_wrong=wrong)

    def id_cases(self):
        """Detail pages and form actions with a hostile id in place of theirs."""
        pages = sorted({p.split("?")[0] for p in self.pages if p.split("?")[0].count("/") >= 3})
        actions = sorted({k[1] for k in self.forms if k[0] == "post" and k[1].count("/") >= 4})
        cases = []
        # A page's id is its last segment (an extension such as .csv kept); an action's is the one after the section.
        for method, targets in (("GET", pages), ("POST", actions)):
            for target in targets:
                segments = target.split("/")
                at = len(segments) - 1 if method == "GET" else 3
                extension = "." + segments[at].rsplit(".", 1)[1] if method == "GET" and "." in segments[at] else ""
                for hostile in self.rng.sample(HOSTILE_IDS, 8):
                    path = "/".join(segments[:at] + [hostile + extension] + segments[at + 1:])
                    cases.append((method, path, f"id {hostile[:30]!r}"))
        return cases

    def query_cases(self):
        """List pages with hostile query parameters (and a parameter sent twice)."""
        lists = sorted({p.split("?")[0] for p in self.pages if p.split("?")[0].count("/") <= 2})
        cases = []
        for page in lists:
            for name in sorted(self.query_names):
                for value in self.rng.sample(HOSTILE, 3):
                    cases.append(("GET", page + "?" + encode([(name, value)]), f"{name}={value[:30]!r}"))
            cases.append(("GET", page + "?" + encode([("cursor", "a"), ("cursor", "b"), ("state", "queued"), ("state", "")]), "repeated parameters"))
            cases.append(("GET", page + "?%zz=%&=&&", "broken query"))
        return cases

    def run(self):
        self.crawl()
        forms = [f for f in self.forms.values() if f["action"] != "/sign-in"]
        systematic = [("form", form, case) for form in forms for case in self.form_cases(form)]
        systematic += [("get",) + c for c in self.id_cases() + self.query_cases()]
        self.rng.shuffle(systematic)
        # A few bad tokens on the sign-in form: fewer than the throttle allows, so the fuzzer can sign in again.
        for value in self.rng.sample(HOSTILE, 3):
            self.check("POST", "/sign-in", f"token={value[:30]!r}", encode([("token", value)]))
        done = 0
        for item in systematic:
            if not self.time_left():
                break
            self.run_item(item)
            done += 1
        random_cases = 0
        while self.time_left() and systematic:
            self.run_item(self.rng.choice(systematic))
            random_cases += 1
        return done, len(systematic), random_cases

    def run_item(self, item):
        if item[0] == "form":
            self.run_form_case(item[1], item[2])
        else:
            _, method, path, label = item
            if method == "POST":
                self.check(method, path, label, encode([("csrf", self.console.csrf or "")]))
            else:
                self.check(method, path, label)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--token", required=True, help="an API token to sign in with (an operator's reaches every page)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to send cases after the crawl (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (default: from the time; printed)")
    parser.add_argument("--max-pages", type=int, default=200, help="pages crawled at most (default 200)")
    parser.add_argument("--per-kind", type=int, default=3, help="pages of one kind crawled at most, e.g. job pages (default 3)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for one answer (default 60)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    console = Console(args.url.rstrip("/"), args.token, args.timeout)
    start = time.monotonic()
    try:
        console.sign_in()
    except Failure as failure:
        print(f"console-fuzz: FAIL: {failure}", file=sys.stderr)
        return 1
    fuzzer = Fuzzer(console, random.Random(seed), start + args.seconds, args.max_pages, args.per_kind)
    try:
        done, total, random_cases = fuzzer.run()
    except Failure as failure:  # signing in again failed
        fuzzer.fail("POST", "/sign-in", "sign in again", None, str(failure))
        done, total, random_cases = 0, 0, 0
    alive = True
    try:
        status, _, _ = console.send("GET", "/readyz")
        alive = status == 200
    except Failure:
        alive = False
    elapsed = time.monotonic() - start
    for line in fuzzer.failures[:60]:
        print("console-fuzz: FAILED " + line)
    if len(fuzzer.failures) > 60:
        print(f"console-fuzz: … and {len(fuzzer.failures) - 60} more failures")
    print(f"console-fuzz: seed {seed}: {len(fuzzer.pages)} pages, {len(fuzzer.forms)} forms, {console.requests} requests in {elapsed:.0f} s "
          f"({done} of {total} systematic cases, {random_cases} repeated at random)")
    print(f"console-fuzz: {fuzzer.passed} passed, {len(fuzzer.failures)} failed; server {'alive' if alive else 'DEAD or not ready'}")
    print(f"console-fuzz: to repeat: scripts/console-fuzz.py --url {args.url} --token … --seed {seed} --seconds {args.seconds:g}")
    return 0 if alive and not fuzzer.failures else 1


if __name__ == "__main__":
    sys.exit(main())
