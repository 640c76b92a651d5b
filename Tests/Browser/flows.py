"""The console's flows, as the issue names them (issue 17, "Tests that must exist"), each through the
pages and their forms as a user would click them; the JSON API only finds what a flow needs to know."""
import csv
import io
import json
import re
import time

from results import expect

JOB_RUNS_WITHIN = 90  # seconds: the demo's simulator places a small test job in a free pool at its next pass

def check_sign_in(browser, logins):
    """`/` sends a visitor to the form; a wrong token is refused next to the field; the right one signs in
    with a HttpOnly, SameSite=Strict session cookie; signing out ends the session."""
    browser.driver.delete_all_cookies()
    browser.signed_in = False
    browser.open("/", at="/sign-in")
    browser.screenshot("signed-out-sign-in")
    browser.find("#token").send_keys("rsv_not_a_token")
    browser.submit(browser.find("#sign-in"), status=(400, 401, 403, 422), at="/sign-in")
    expect(browser.find_all("#error-token"), "a wrong token: no #error-token next to the field")
    expect(browser.find("#token").get_attribute("aria-invalid") == "true", 'a wrong token: the field is not aria-invalid="true"')
    browser.screenshot("signed-out-sign-in-error")

    browser.sign_in(logins["nlp-member"].token)
    cookie = browser.driver.get_cookie("reservoir_session")
    expect(cookie is not None, "no reservoir_session cookie after signing in")
    expect(cookie.get("httpOnly") is True, "the session cookie is not HttpOnly")
    expect(cookie.get("sameSite") == "Strict", f"the session cookie's SameSite is {cookie.get('sameSite')}, expected Strict")
    expect(cookie.get("path") == "/", f"the session cookie's path is {cookie.get('path')}, expected /")
    browser.open("/", at="/console")

    sign_out = browser.find('form[action="/sign-out"] [type="submit"]')
    browser.signed_in = False  # the page after it is the signed-out form
    browser.submit(sign_out, at="/sign-in")
    browser.open("/console", at="/sign-in")


def check_csrf(browser, logins):
    """A POST whose csrf field is not the session's answers the 403 page (the form's token altered in the page)."""
    browser.sign_in(logins["nlp-member"].token)
    browser.open("/console/jobs/new")
    form = browser.form(r"/console/jobs")
    browser.fill(form, {"name": "forged-csrf"})  # the required field, or the browser keeps the form
    browser.driver.execute_script('arguments[0].querySelector("input[name=csrf]").value = "forged"', form)
    browser.submit(submit_button(form), status=403)
    expect(browser.text("h1") == "Not allowed", f"a forged csrf: the page's heading is {browser.text('h1')!r}")


def job_state(browser):
    """The job's state as its page shows it (`[data-state]`, else the element with class `state`)."""
    for element in browser.find_all("main [data-state]"):
        return element.get_attribute("data-state").lower()
    for element in browser.find_all("main .state"):
        return element.text.strip().lower()
    expect(False, f"{browser.path(browser.driver.current_url)} shows no job state ([data-state] or .state)")


def wait_for_state(browser, states, seconds):
    """Refreshes the job's page (once a second) until it shows one of `states`; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while (state := job_state(browser)) not in states:
        expect(time.monotonic() < deadline, f"the job at {browser.path(browser.driver.current_url)} is {state!r} after {seconds} s, "
                                            f"expected {' or '.join(states)}")
        time.sleep(1)
        browser.refresh()


def submit_button(form):
    return form.find_element("css selector", '[type="submit"]')


def check_job(browser, logins):
    """A member submits a job from the form: a bad field is named next to it; a good one lands on the job's
    page, which shows it running within JOB_RUNS_WITHIN seconds of refreshes; cancelling it ends it."""
    browser.sign_in(logins["nlp-member"].token)
    browser.open("/console/jobs/new")
    values = {"name": "browser-test", "pool": "bj-testing", "kind": "test", "gpus": "1", "runtimeMinutes": "60"}
    form = browser.form(r"/console/jobs")
    browser.fill(form, {**values, "gpus": "-1"})
    browser.submit(submit_button(form), status=(400, 409, 422), at="/console/jobs")
    expect(browser.find_all("#error-gpus"), "a job with -1 GPUs: no #error-gpus next to the field")
    expect(browser.find('[name="gpus"]').get_attribute("aria-invalid") == "true", 'a job with -1 GPUs: gpus is not aria-invalid="true"')
    browser.screenshot("member-new-job-error", fits=False)

    form = browser.form(r"/console/jobs")
    browser.fill(form, values)
    browser.submit(submit_button(form))
    page = browser.path(browser.driver.current_url)
    expect(re.fullmatch(r"/console/jobs/[^/]+", page) and page != "/console/jobs/new", f"submitting a job landed on {page}, not its page")
    wait_for_state(browser, ("running",), JOB_RUNS_WITHIN)
    browser.screenshot("member-job-running", fits=False)

    browser.submit(submit_button(browser.form(r"/console/jobs/[^/]+/cancel")), at=page)
    wait_for_state(browser, ("cancelled",), 30)


def check_cross_tenant(browser, logins, api):
    """A member opening another tenant's job page by its URL gets the 403 page."""
    others = api.items("/v1/jobs?tenant=vision&limit=1")
    expect(others, "the demo has no vision job to try")
    browser.sign_in(logins["nlp-member"].token)
    browser.open(f"/console/jobs/{others[0]['id']}", status=403)
    expect(browser.text("h1") == "Not allowed", f"another tenant's job: the page's heading is {browser.text('h1')!r}")
    expect(others[0]["name"] not in browser.text("main"), "the 403 page shows the other tenant's job name")
    browser.screenshot("member-forbidden")


# Four A100 for a day: at the auto-approval limit (docs/REQUESTS.md), so routed to nlp's manager.
REQUEST = {
    "kind": "training", "category": "fine-tuning", "department": "Grid AI", "project": "browser-test",
    "contact": "browser-test@example.com", "businessGoal": "Fine-tune a small model from the browser test",
    "businessValue": "Proves the console's intake form", "pool": "bj-training", "modelName": "browser-test-ft",
    "modelType": "llm", "framework": "PyTorch", "parameters": "1e9", "tokens": "1e8", "datasetType": "text",
    "gpuModel": "A100-80GB", "gpus": "4", "durationHours": "24",
}


def check_request(browser, logins, api):
    """A member fills in a request (the estimator answers as it is typed), it is routed; the reviewer it was
    routed to approves it with changes from the inbox; the member then sees the grant, with the changed terms."""
    browser.sign_in(logins["nlp-member"].token)
    browser.open("/console/requests/new")
    form = browser.form(r"/console/requests")
    browser.fill(form, REQUEST)
    browser.wait_for(lambda d: browser.find_all("main [data-estimate]") and browser.find("main [data-estimate]").text.strip(),
                     15, "the estimator shows no answer ([data-estimate]) after the form was filled in")
    browser.settle()  # the estimator's fetches: no 5xx, no console error
    browser.screenshot("member-new-request-filled", showing=browser.find("main [data-estimate]"), fits=False)
    browser.submit(submit_button(form))
    page = browser.path(browser.driver.current_url)
    expect(re.fullmatch(r"/console/requests/[^/]+", page) and page != "/console/requests/new", f"submitting a request landed on {page}")
    request_id = page.rsplit("/", 1)[1]
    routed = _request(api, request_id)
    reviewers = (routed.get("routing") or {}).get("reviewers") or []
    expect(reviewers, f"request {request_id} is {routed.get('state')}, not routed to a reviewer")
    reviewer = next((r for r in reviewers if r in logins), None)
    expect(reviewer, f"request {request_id} is routed to {reviewers}, none of them a demo login")
    expect(reviewer in browser.text("main"), f"the request's page does not name the reviewer it was routed to ({reviewer})")
    browser.screenshot("member-request-routed", fits=False)

    browser.sign_in(logins[reviewer].token)
    browser.open("/console/approvals")
    form = browser.form(rf"/console/approvals/{re.escape(request_id)}")
    browser.screenshot(f"{reviewer}-approvals-inbox", fits=False)
    browser.fill(form, {"decision": "approve-with-changes", "reason": "two A100 are enough for the browser test", "gpus": "2"})
    browser.submit(submit_button(form))
    decided = _request(api, request_id)
    expect(decided.get("grant"), f"request {request_id} is {decided.get('state')} after the approval, with no grant")
    expect((decided.get("approved") or {}).get("gpus") == 2, f"request {request_id} was approved with {decided.get('approved')}, not 2 GPUs")

    browser.sign_in(logins["nlp-member"].token)
    browser.open("/console/grants")
    grant = f"/console/grants/{decided['grant']}"
    expect(grant in browser.links(r"/console/grants/[^/]+"), f"the member's grants page does not link {grant}")
    browser.open(grant)
    expect(request_id in browser.text("main"), f"the grant's page does not name its request {request_id}")
    browser.screenshot("member-grant-approved-with-changes", fits=False)


def _request(api, request_id):
    """The API's record of a request (`GET /v1/requests/{id}`: the request, or a view holding it as `request`)."""
    body = api.json(f"/v1/requests/{request_id}")
    return body["request"] if isinstance(body.get("request"), dict) else body


INVOICE_HEADER = ["tenant", "period", "status", "currency", "model", "rate_class", "project", "hours", "unit_price", "discount", "amount"]


def check_invoice(browser, logins, api):
    """Finance downloads an invoice as CSV and as JSON from the billing page: the CSV has the documented
    header, lines that add up to its total row, and the same tenant, period and total as the JSON; a month
    that is over is byte-identical to the API's export."""
    browser.sign_in(logins["finance"].token)
    browser.open("/console/billing")
    csv_links = browser.find_all('main a[href$=".csv"][href*="/console/billing/invoices/"]')
    json_links = browser.find_all('main a[href$=".json"][href*="/console/billing/invoices/"]')
    expect(csv_links and json_links, "the billing page links no invoice download (.csv and .json under /console/billing/invoices/)")
    href = csv_links[0].get_attribute("href")
    pair = [j for j in json_links if j.get_attribute("href") == href[: -len(".csv")] + ".json"]
    expect(pair, f"no JSON download beside {browser.path(href)}")
    text = browser.download(csv_links[0], ".csv").decode("utf-8")
    document = json.loads(browser.download(pair[0], ".json"))

    rows = list(csv.reader(io.StringIO(text, newline="")))
    expect(rows and rows[0] == INVOICE_HEADER, f"the CSV's header is {rows[0] if rows else None}")
    expect(len(rows) >= 2 and rows[-1][4] == "total", "the CSV has no total row")
    total = rows[-1][10]
    lines = sum(_cents(r[10]) for r in rows[1:-1])
    expect(lines == _cents(total), f"the CSV's lines add up to {lines / 100:.2f}, its total row says {total}")
    tenant, period, status = rows[1][0], rows[1][1], rows[1][2]
    expect((document.get("tenant"), document.get("period")) == (tenant, period),
           f"the JSON is for {document.get('tenant')} {document.get('period')}, the CSV for {tenant} {period}")
    expect(_cents(str(document.get("total"))) == _cents(total), f"the JSON's total {document.get('total')} is not the CSV's {total}")
    if status == "closed":
        issued = api.get(f"/v1/invoices?tenant={tenant}&month={period}&format=csv").decode("utf-8")
        expect(issued == text, f"the console's CSV of the issued invoice {tenant} {period} differs from the API's")


def _cents(amount):
    """An amount's exact cents from its fixed-point text (`1234.56`, `-0.05`)."""
    text = amount.strip().strip('"')
    sign = -1 if text.startswith("-") else 1
    whole, _, fraction = text.lstrip("-").partition(".")
    expect(re.fullmatch(r"\d+", whole) and re.fullmatch(r"\d{0,2}", fraction), f"not an amount: {amount!r}")
    return sign * (int(whole) * 100 + int((fraction + "00")[:2]))
