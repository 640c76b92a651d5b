"""Every page of the console contract (docs/CONSOLE.md), visited as each role, with screenshots.

A role's navigation must list exactly the sections it may open: each section it lists opens (200) and
each one it leaves out is refused by URL (the 403 page). Detail pages are found by following the
first link of their kind on the list pages, as a user would; the operator, who may read everything, must
find every kind.
"""
from results import expect

# (section, path) in the navigation's order.
SECTIONS = [
    ("overview", "/console"), ("pools", "/console/pools"), ("jobs", "/console/jobs"), ("services", "/console/services"),
    ("requests", "/console/requests"), ("approvals", "/console/approvals"), ("grants", "/console/grants"),
    ("reclamation", "/console/reclamation"), ("billing", "/console/billing"), ("reports", "/console/reports"),
    ("planning", "/console/planning"), ("audit", "/console/audit"),
]

# The demo user who signs in for each role, and the sections that role must at least have (docs/ACCESS.md:
# what its scope lets it read; a user of no tenant reads no own-tenant objects).
ROLES = {
    "operator": ("admin", [s for s, _ in SECTIONS]),
    "member": ("nlp-member", ["overview", "pools", "jobs", "services", "requests", "grants", "reclamation", "billing", "reports", "audit"]),
    "approver": ("approver", ["overview", "pools", "approvals", "reports"]),
    "emergency-approver": ("emergency", ["overview", "pools", "approvals", "reports"]),
    "finance": ("finance", ["overview", "pools", "jobs", "billing", "reports", "planning", "audit"]),
}

# Detail pages: (kind, the list page whose links lead there, the link's path pattern).
# A node is found on a pool's page, so pools come first.
DETAILS = [
    ("pool", "/console/pools", r"/console/pools/[^/]+"),
    ("node", "{pool}", r"/console/nodes/[^/]+"),
    ("job", "/console/jobs", r"/console/jobs/(?!new$)[^/]+"),
    ("new-job", "/console/jobs", r"/console/jobs/new"),
    ("service", "/console/services", r"/console/services/[^/]+"),
    ("request", "/console/requests", r"/console/requests/(?!new$)[^/]+"),
    ("new-request", "/console/requests", r"/console/requests/new"),
    ("grant", "/console/grants", r"/console/grants/[^/]+"),
    ("report", "/console/reports", r"/console/reports/[^/]+"),
]


def nav_sections(browser):
    """The sections the navigation lists, by name."""
    paths = {path: section for section, path in SECTIONS}
    listed = [browser.path(a.get_attribute("href")) for a in browser.find_all('nav[aria-label="Console"] a[href]')]
    return [paths[p] for p in listed if p in paths]


def check_navigation(browser, role, login):
    """The navigation lists the sections the role must have, and each section it leaves out is refused."""
    browser.sign_in(login.token)
    listed = nav_sections(browser)
    missing = [s for s in ROLES[role][1] if s not in listed]
    expect(not missing, f"the navigation of {role} lacks {', '.join(missing)} (lists {', '.join(listed) or 'nothing'})")
    for section, path in SECTIONS:
        if section not in listed:
            browser.open(path, status=403)
            expect(browser.text("h1") == "Not allowed", f"{path} as {role}: the 403 page's heading is {browser.text('h1')!r}")
    return listed


def visit_section(browser, role, section, path):
    """A section as the role: it opens, passes the page checks at both sizes; screenshots saved."""
    browser.open(path)
    browser.screenshot(f"{role}-{section}")


def visit_detail(browser, role, kind, source, pattern, found):
    """The first page of `kind` linked from `source` (a list page), opened and screenshotted as the role.
    `found` maps kinds to the paths visited so far (a node's source is the pool visited).
    Returns a note when the role has no such link (only the operator must find every kind)."""
    try:
        source = source.format(**found)
    except KeyError as missing:
        expect(role != "operator", f"no {missing.args[0]} page was opened, so no {kind} page either")
        return f"not opened: no {missing.args[0]} page to find it on"
    browser.open(source)
    links = browser.links(pattern)
    if not links:
        expect(role != "operator", f"no link to a {kind} page on {source}")
        return f"not opened: {source} links none"
    browser.open(links[0])
    browser.screenshot(f"{role}-{kind}")
    found[kind] = links[0]
