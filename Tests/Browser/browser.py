"""Headless Chromium driven through selenium, watching every response and every console error.

Each page the test shows is checked the same way (`Browser.loaded`): the document's HTTP status is the
expected one, no response of the page (document, asset, fetch) is a 5xx or a failed asset, the browser
logged no error (level SEVERE: a JavaScript exception, a CSP violation, a failed load), and the page
meets the console's contract (page_checks.js). Statuses come from Chrome's own network log
(performance log, Network.responseReceived), so a redirect's target, an asset or a script's fetch
answering 5xx is seen as well as the page itself.
"""
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from results import expect

DESKTOP = (1366, 900)
PHONE = (390, 844)
CHECKS = (Path(__file__).with_name("page_checks.js")).read_text()


@dataclass
class Response:
    url: str
    status: int
    kind: str  # Chrome's resource type: Document, Stylesheet, Script, Fetch, …


class Browser:
    """One headless Chromium; `base` is the server's URL, screenshots and downloads go to the folders named."""

    def __init__(self, base, screenshots, downloads):
        self.base = base.rstrip("/")
        self.screenshots = Path(screenshots)
        self.downloads = Path(downloads)
        self.signed_in = False
        options = Options()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--disable-extensions", "--no-first-run", "--window-size=%d,%d" % DESKTOP):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        options.add_experimental_option("prefs", {
            "download.default_directory": str(self.downloads), "download.prompt_for_download": False})
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": str(self.downloads), "eventsEnabled": True})
        self.resize(DESKTOP)

    def quit(self):
        self.driver.quit()

    # -- what the browser saw ---------------------------------------------------------------------

    def drain(self):
        """Every response and console error since the last call (reading Chrome's logs empties them)."""
        responses = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.responseReceived":
                r = params["response"]
                responses.append(Response(r["url"], int(r["status"]), params.get("type", "")))
            elif message["method"] == "Network.requestWillBeSent" and "redirectResponse" in params:
                r = params["redirectResponse"]
                responses.append(Response(r["url"], int(r["status"]), "Redirect"))
        errors = [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        return responses, errors

    def settle(self):
        """Fails on anything wrong the browser saw since the last page check (a script's late fetch or error)."""
        responses, errors = self.drain()
        self._judge(responses, errors, document=None, status=None)

    def _judge(self, responses, errors, document, status):
        server_errors = [f"{r.status} {self.path(r.url)}" for r in responses if r.status >= 500]
        expect(not server_errors, "5xx: " + ", ".join(server_errors))
        broken = [f"{r.status} {self.path(r.url)}" for r in responses
                  if r.status >= 400 and r.kind in ("Stylesheet", "Script", "Image", "Font", "Fetch", "XHR")]
        expect(not broken, "failed subresources: " + ", ".join(broken))
        if document is not None and status is not None and status >= 400:
            # Chrome logs the expected refusal itself ("Failed to load resource: … status of 403"): not an error.
            errors = [e for e in errors if not (e.startswith(document.url) and f"status of {status}" in e)]
        expect(not errors, "console errors: " + " | ".join(e[:300] for e in errors))

    def loaded(self, status=200, path=None):
        """Checks the page now shown (see the module's doc): its status is `status` (or one of them); `path`
        is the one it must be at (query aside)."""
        statuses = (status,) if isinstance(status, int) else tuple(status)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        responses, errors = self.drain()
        documents = [r for r in responses if r.kind == "Document"]
        document = documents[-1] if documents else None
        here = self.path(self.driver.current_url)
        expect(document is not None, f"no document loaded at {here}")
        expect(document.status in statuses, f"{here} answered {document.status}, expected {' or '.join(map(str, statuses))}")
        self._judge(responses, errors, document, document.status)
        if path is not None:
            expect(here.split("?")[0] == path, f"at {here}, expected {path}")
        problems = self.driver.execute_script(CHECKS, self.signed_in, False)
        expect(not problems, f"{here}: " + "; ".join(problems))
        return self

    # -- moving around ----------------------------------------------------------------------------

    def path(self, url):
        """The path and query of a URL of the server (other URLs whole)."""
        parsed = urlparse(url)
        if f"{parsed.scheme}://{parsed.netloc}" != self.base:
            return url
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")

    def open(self, path, status=200, at=None):
        """Opens `path` and checks the page (the status expected, and the path it ends at after redirects)."""
        self.driver.get(self.base + path)
        return self.loaded(status, at if at is not None else (path.split("?")[0] if status == 200 else None))

    def submit(self, button, status=200, at=None):
        """Clicks a form's submit button, waits for the next page and checks it."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        button.click()

        def replaced(_):
            # The old document is gone: chromedriver says so as a stale element, or as an inspector error
            # ("Node with given id does not belong to the document") when the swap is caught midway.
            try:
                page.is_enabled()
                return False
            except WebDriverException:
                return True
        self.wait_for(replaced, 30, f"no new page 30 s after submitting a form on {self.path(self.driver.current_url)}")
        return self.loaded(status, at)

    def refresh(self, status=200):
        self.driver.refresh()
        return self.loaded(status)

    def sign_in(self, token):
        """Signs in through the form, as a fresh visitor (the old session's cookie dropped first)."""
        self.driver.delete_all_cookies()
        self.signed_in = False
        self.open("/sign-in", at="/sign-in")
        self.wait_for(lambda d: self.find_all("#token"), 10, "no #token field on /sign-in")
        self.find("#token").send_keys(token)
        self.signed_in = True
        return self.submit(self.find("#sign-in"), at="/console")

    def fill(self, form, values):
        """Fills the fields of `form` named in `values` (a select by an option's value, a checkbox by a bool)."""
        for name, value in values.items():
            fields = form.find_elements(By.CSS_SELECTOR, f'[name="{name}"]')
            expect(fields, f"the form to {form.get_attribute('action')} has no field {name!r}")
            field = fields[0]
            if field.tag_name == "select":
                Select(field).select_by_value(str(value))
            elif field.get_attribute("type") in ("checkbox", "radio"):
                if field.is_selected() != bool(value):
                    field.click()
            else:
                field.clear()
                field.send_keys(str(value))

    def form(self, action):
        """The form posting to `action` (a path, or a regular expression over it)."""
        for form in self.find_all("main form"):
            if re.fullmatch(action, self.path(form.get_attribute("action") or "")):
                return form
        expect(False, f"no form to {action} on {self.path(self.driver.current_url)}")

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector="main"):
        return self.find(selector).text

    def page_id(self):
        """The page's `<meta name="reservoir-page">`."""
        found = self.find_all('meta[name="reservoir-page"]')
        return found[0].get_attribute("content") if found else "unknown"

    def links(self, pattern, within="main"):
        """The distinct paths of links under `within` whose path matches the regular expression `pattern`."""
        paths = []
        for link in self.find_all(f"{within} a[href]"):
            path = self.path(link.get_attribute("href"))
            if re.fullmatch(pattern, path.split("?")[0]) and path not in paths:
                paths.append(path)
        return paths

    def wait_for(self, condition, seconds, message):
        """Waits until `condition(driver)` is truthy; fails with `message` after `seconds`."""
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.25).until(condition)
        except TimeoutException:
            expect(False, message)

    # -- sizes, screenshots, downloads ------------------------------------------------------------

    def resize(self, size):
        width, height = size
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def screenshot(self, name, showing=None, fits=True):
        """Saves the page at 1366×900 and at 390×844 (`NAME-1366x900.png`, …), from its top or scrolled to
        the element `showing`; checks that the page fits the phone (unless `fits` is False: the flows' pages
        are checked where the page visits open them, so a layout fault fails one check, not every flow too)."""
        for size in (DESKTOP, PHONE):
            self.resize(size)
            if showing is None:
                self.driver.execute_script("window.scrollTo(0, 0)")
            else:
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", showing)
            time.sleep(0.05)  # one frame for the new layout
            self.driver.save_screenshot(str(self.screenshots / f"{name}-{size[0]}x{size[1]}.png"))
            if size == PHONE:
                problems = self.driver.execute_script(CHECKS, self.signed_in, True)
        self.resize(DESKTOP)
        expect(not fits or not problems, f"{self.path(self.driver.current_url)} at 390 px: " + "; ".join(problems))

    def download(self, link, suffix, seconds=20):
        """Clicks a download link; returns the bytes of the file it saved (ending in `suffix`)."""
        for old in self.downloads.glob("*"):
            old.unlink()
        link.click()
        def saved(_):
            files = [f for f in self.downloads.glob(f"*{suffix}") if not f.name.endswith(".crdownload")]
            return files[0] if files else None
        file = self.wait_for(saved, seconds, f"no {suffix} file downloaded from {link.get_attribute('href')}")
        self.settle()
        return file.read_bytes()
