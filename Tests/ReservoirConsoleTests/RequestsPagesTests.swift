import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import Testing

/// The intake form, the estimator beside it, the request's page, the approver's inbox and the grant that
/// follows, through the real server: a member fills in a request, it is routed to its tenant's manager,
/// who approves it with changes; the member sees the grant with the changed terms. Members never see
/// another tenant's requests or grants.
@Suite struct RequestsPagesTests {
    /// A training request of alice's (tenant alpha) on pool p1, as the console's form sends it.
    static func form(gpus: String = "4", hours: String = "24", department: String = "Grid AI", csrf: String) -> [(String, String)] {
        [
            ("csrf", csrf), ("kind", "training"), ("category", "fine-tuning"), ("department", department), ("project", "console-test"),
            ("contact", "alice@example.com"), ("businessGoal", "Fine-tune a small model"), ("businessValue", "Tests the console"), ("pool", "p1"),
            ("modelName", "console-ft"), ("modelType", "llm"), ("framework", "PyTorch"), ("parameters", "1e9"), ("tokens", "1e8"),
            ("datasetType", "text"), ("gpuModel", "A100-80GB"), ("gpus", gpus), ("durationHours", hours), ("intent", "submit"),
        ]
    }

    /// Adds alpha's manager (an approver of tenant alpha) and returns its token.
    static func alphaLead(_ reservoir: Reservoir) throws -> String {
        let admin = try reservoir.access.authenticate(bearer: ConsoleServer.operatorToken)
        _ = try reservoir.tenancy.createUser(User(id: "alpha-lead", tenant: "alpha", roles: [.approver]), by: admin)
        return try reservoir.access.issueToken(for: "alpha-lead", by: admin).1
    }

    /// Submits `form` as the browser's user from the new-request page; returns the request id of the 303.
    static func submit(_ browser: ConsoleBrowser, gpus: String = "4", hours: String = "24") async throws -> String {
        let new = try await browser.get("/console/requests/new")
        let answer = try await browser.post("/console/requests", form(gpus: gpus, hours: hours, csrf: try #require(new.csrf)))
        try #require(answer.status == 303, "submit: \(answer.status) \(answer.html)")
        let location = try #require(answer.location)
        #expect(location.hasPrefix("/console/requests/req-"))
        return String(location.dropFirst("/console/requests/".count))
    }

    @Test func aRequestIsRoutedApprovedWithChangesAndTheApplicantSeesTheGrant() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let leadToken = try Self.alphaLead(reservoir)
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let new = try await alice.get("/console/requests/new")
            #expect(new.status == 200 && new.pageID == "new-request")
            #expect(new.html.contains(#"data-estimate-src="/console/requests/new/estimate""#))
            #expect(new.html.contains(#"<option value="fine-tuning">"#) && new.html.contains(#"<option value="A100-80GB">"#))

            // The estimator answers for the values typed so far (what the script fetches).
            let estimate = try await alice.get(
                "/console/requests/new/estimate?kind=training&category=fine-tuning&parameters=1e9&tokens=1e8&gpuModel=A100-80GB&gpus=4&durationHours=24&pool=p1")
            #expect(estimate.status == 200 && !estimate.html.contains("<html"))
            #expect(estimate.html.contains("<dt>GPU-hours</dt>") && estimate.html.contains("<dt>GPUs</dt><dd>4 × A100-80GB</dd>"))
            #expect(estimate.html.contains(#"class="verdict verdict-fits-now""#), "\(estimate.html)")

            let id = try await Self.submit(alice)
            let page = try await alice.get("/console/requests/\(id)")
            #expect(page.status == 200 && page.pageID == "request")
            #expect(page.html.contains("alpha-lead (manager"), "routed to alpha's manager: \(page.html)")
            #expect(page.html.contains("under-review"))
            #expect(page.html.contains(#"action="/console/requests/\#(id)/withdraw""#))

            let lead = try await ConsoleBrowser.signedIn(port: port, token: leadToken)
            let inbox = try await lead.get("/console/approvals")
            #expect(inbox.status == 200 && inbox.pageID == "approvals")
            #expect(inbox.html.contains(#"<form method="post" action="/console/approvals/\#(id)""#))
            let decided = try await lead.post("/console/approvals/\(id)", [
                ("csrf", try #require(inbox.csrf)), ("decision", "approve-with-changes"), ("reason", "two are enough"), ("gpus", "2"),
                ("durationHours", ""), ("pool", ""), ("model", ""),
            ])
            #expect(decided.status == 303 && decided.location == "/console/approvals", "\(decided.status) \(decided.html)")
            let after = try await lead.get("/console/approvals")
            #expect(after.html.contains("Nothing waits for your decision."))

            let grantID = try #require(try reservoir.requests.request(RequestID(id), by: reservoir.access.authenticate(bearer: tokens.alice)).request.grant)
            let grants = try await alice.get("/console/grants")
            #expect(grants.status == 200 && grants.html.contains(#"<a href="/console/grants/\#(grantID)">"#))
            let grant = try await alice.get("/console/grants/\(grantID)")
            #expect(grant.status == 200 && grant.pageID == "grant")
            #expect(grant.html.contains("2 × A100-80GB on p1"), "the changed terms: \(grant.html)")
            #expect(grant.html.contains(#"action="/console/grants/\#(grantID)/extensions""#), "the owner may ask for an extension")
        }
    }

    @Test func aRefusedFormShowsEachErrorNextToItsFieldWithTheValuesKept() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let csrf = try #require(try await alice.get("/console/requests/new").csrf)
            // Not a number: named before anything is asked of the use case.
            let typo = try await alice.post("/console/requests", Self.form(gpus: "four", csrf: csrf))
            #expect(typo.status == 400 && typo.pageID == "new-request")
            #expect(typo.fieldError("gpus")?.contains("whole number") == true)
            #expect(typo.html.contains(#"name="gpus" type="number" value="four""#), "the value typed is kept")
            // Missing department and too long a lease: the use case names both, each lands on its field.
            let incomplete = try await alice.post("/console/requests", Self.form(hours: "1000", department: "", csrf: csrf))
            #expect(incomplete.status == 400)
            #expect(incomplete.fieldError("department")?.contains("is required") == true, "\(incomplete.html)")
            #expect(incomplete.fieldError("durationHours")?.contains("longer than") == true)
            #expect(incomplete.html.contains(#"aria-invalid="true" aria-describedby="error-department""#))
            // The Estimate button (no script) answers on the same page.
            var estimate = Self.form(csrf: csrf)
            estimate[estimate.count - 1] = ("intent", "estimate")
            let answered = try await alice.post("/console/requests", estimate)
            #expect(answered.status == 200 && answered.html.contains("<dt>GPU-hours</dt>"))
        }
    }

    @Test func aReviewBeyondTheAskedTermsIsRefusedAtItsField() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let leadToken = try Self.alphaLead(reservoir)
            let id = try await Self.submit(try await ConsoleBrowser.signedIn(port: port, token: tokens.alice))
            let lead = try await ConsoleBrowser.signedIn(port: port, token: leadToken)
            let csrf = try #require(try await lead.get("/console/approvals").csrf)
            let more = try await lead.post("/console/approvals/\(id)", [("csrf", csrf), ("decision", "approve-with-changes"), ("reason", "more"), ("gpus", "9")])
            #expect(more.status == 400 && more.pageID == "approvals")
            #expect(more.fieldError("gpus")?.contains("more than the 4 asked") == true, "\(more.html)")
            let noReason = try await lead.post("/console/approvals/\(id)", [("csrf", csrf), ("decision", "reject"), ("reason", "")])
            #expect(noReason.status == 400 && noReason.fieldError("reason") != nil)
            #expect(try reservoir.requests.request(RequestID(id), by: reservoir.access.authenticate(bearer: ConsoleServer.operatorToken)).request.state == .underReview)
        }
    }

    @Test func aMemberSeesOnlyItsTenantsRequestsAndGrants() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let id = try await Self.submit(alice, gpus: "2")  // small: approved at once, with its grant
            let grantID = try #require(try reservoir.requests.request(RequestID(id), by: reservoir.access.authenticate(bearer: tokens.alice)).request.grant)
            #expect(try await alice.get("/console/requests").html.contains(#"<a href="/console/requests/\#(id)">"#))

            let bob = try await ConsoleBrowser.signedIn(port: port, token: tokens.bob)
            let list = try await bob.get("/console/requests")
            #expect(list.status == 200 && !list.html.contains(id) && list.html.contains("No request matches."))
            #expect(try await bob.get("/console/requests/\(id)").status == 404)
            #expect(try await bob.get("/console/grants/\(grantID)").status == 404)
            #expect(!(try await bob.get("/console/grants")).html.contains(grantID.rawValue))
            let inbox = try await bob.get("/console/approvals")
            #expect(inbox.status == 403 && inbox.html.contains("<h1>Not allowed</h1>"), "members review nothing")
            #expect(!inbox.html.contains(#"href="/console/approvals""#), "and the nav does not offer it")

            let admin = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            #expect(try await admin.get("/console/requests").html.contains(id))
            let adminNew = try await admin.get("/console/requests/new")
            #expect(adminNew.html.contains(#"<select id="tenant" name="tenant""#), "an operator names the tenant")
        }
    }

    @Test func eachRoleOpensThePagesItsPolicyAllowsAndNoOther() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: ConsoleServer.operatorToken)
            var secrets: [String: String] = [:]
            for user in [User(id: "fin", roles: [.finance]), User(id: "hq", roles: [.approver])] {
                _ = try reservoir.tenancy.createUser(user, by: admin)
                secrets[user.id.rawValue] = try reservoir.access.issueToken(for: user.id, by: admin).1
            }
            let id = try await Self.submit(try await ConsoleBrowser.signedIn(port: port, token: tokens.alice), gpus: "2")

            let finance = try await ConsoleBrowser.signedIn(port: port, token: try #require(secrets["fin"]))
            let listed = try await finance.get("/console/requests")
            #expect(listed.status == 200 && listed.html.contains(id) && !listed.html.contains("/console/requests/new"), "finance reads, never submits")
            #expect(try await finance.get("/console/requests/new").status == 403)
            #expect(try await finance.get("/console/approvals").status == 403)
            #expect(try await finance.get("/console/grants").status == 200)
            #expect(try await finance.get("/console/reclamation").status == 200)

            // An approver of no tenant has no tenant's objects: the pages say so instead of failing.
            let hq = try await ConsoleBrowser.signedIn(port: port, token: try #require(secrets["hq"]))
            let routed = try await hq.get("/console/requests")
            #expect(routed.status == 200 && routed.html.contains("belongs to no tenant") && !routed.html.contains(id))
            #expect(try await hq.get("/console/approvals").html.contains("Nothing waits for your decision."))
            #expect(try await hq.get("/console/grants").html.contains("belongs to no tenant"))
            #expect(try await hq.get("/console/reclamation").html.contains("belongs to no tenant"))
        }
    }
}
