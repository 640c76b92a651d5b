import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/jobs…`: the list with its filters and pages, the submission form (success and a field error),
/// a job's page, cancel and change of class, and a member kept to its own tenant's jobs.
@Suite struct JobsPagesTests {
    /// Submits a job through the use case, as `principal`, that holds `gpus` GPUs of p1 for a long time.
    static func submit(_ reservoir: Reservoir, _ principal: Principal, name: String, gpus: Int = 1) throws -> Job {
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(#"""
            {"name": "\#(name)", "pool": "p1", "runtimeSeconds": 30000000, "request": {"gpus": \#(gpus)}}
            """#.utf8))
        return try reservoir.jobs.submit(submission, by: principal)
    }

    @Test func theListShowsTheMembersOwnJobsAndTheOperatorFiltersByTenant() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let bob = try reservoir.access.authenticate(bearer: tokens.bob)
            let mine = try Self.submit(reservoir, alice, name: "alice-train")
            let theirs = try Self.submit(reservoir, bob, name: "bob-train")

            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let list = try await member.get("/console/jobs")
            #expect(list.status == 200 && list.pageID == "jobs")
            #expect(list.html.contains(#"<a href="/console/jobs/\#(mine.id)">"#))
            #expect(!list.html.contains("bob-train") && !list.html.contains(theirs.id.rawValue), "a member sees only its tenant's jobs")
            #expect(!list.html.contains(#"<select id="tenant""#), "a member does not filter by tenant")
            #expect(list.html.contains(#"<a href="/console/jobs/new" id="new-job">"#))

            let op = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let filtered = try await op.get("/console/jobs?tenant=beta")
            #expect(filtered.status == 200)
            #expect(filtered.html.contains(#"<option value="beta" selected>beta</option>"#))
            #expect(filtered.html.contains("bob-train") && !filtered.html.contains("alice-train"))
            let byState = try await op.get("/console/jobs?state=succeeded")
            #expect(byState.html.contains("No job matches."))
            let bad = try await op.get("/console/jobs?state=sleeping")
            #expect(bad.status == 400 && bad.html.contains("one of queued"))
        }
    }

    @Test func theListPagesWithTheCursorKeepingItsFilters() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            for i in 0..<51 { _ = try Self.submit(reservoir, alice, name: "batch-\(i)") }
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let first = try await member.get("/console/jobs?pool=p1")
            let next = try #require(first.html.firstMatch(of: /<a href="(\/console\/jobs\?pool=p1&amp;cursor=[0-9a-f]+)" rel="next">Next page<\/a>/))
            #expect(first.html.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == 50)
            let second = try await member.get(String(next.1).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.status == 200)
            #expect(second.html.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == 1)
            #expect(second.html.contains("batch-0") && !second.html.contains("rel=\"next\""))
            #expect(second.html.contains(#"<a href="/console/jobs?pool=p1">First page</a>"#))
        }
    }

    @Test func aMemberSubmitsAJobFromTheFormAndSeesItsPage() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let form = try await member.get("/console/jobs/new")
            #expect(form.status == 200 && form.pageID == "new-job")
            #expect(form.html.contains(#"<option value="p1">p1</option>"#) && form.html.contains(#"<option value="A100-80GB">A100-80GB</option>"#))
            #expect(!form.html.contains(#"<option value="P0""#), "a member may not choose the emergency class")
            #expect(!form.html.contains(#"<select id="tenant""#) && form.html.contains("The job goes to tenant alpha."))
            let csrf = try #require(form.csrf)

            let answer = try await member.post("/console/jobs", [
                ("csrf", csrf), ("name", "from-the-form"), ("pool", "p1"), ("kind", "test"), ("model", "A100-80GB"), ("gpus", "2"),
                ("share", ""), ("replicas", "1"), ("priority", "P3"), ("runtimeMinutes", "60"), ("script", "echo hello"),
            ])
            #expect(answer.status == 303)
            let location = try #require(answer.location)
            let id = JobID(String(location.dropFirst("/console/jobs/".count)))
            let job = try reservoir.jobs.job(id, by: try reservoir.access.authenticate(bearer: tokens.alice))
            #expect(job.name == "from-the-form" && job.tenant == "alpha" && job.kind == .test && job.priority == .p3)
            #expect(job.request.gpus == 2 && job.request.models == ["A100-80GB"] && job.runtimeSeconds == 3600 && job.command?.script == "echo hello")

            let page = try await member.get(location)
            #expect(page.status == 200 && page.pageID == "job")
            #expect(page.html.contains(#"data-state=""#) && page.html.contains(#"id="timeline""#))
            #expect(page.html.contains(#"<form method="post" action="/console/jobs/\#(id)/cancel""#))
        }
    }

    @Test func aRefusedSubmissionShowsTheErrorNextToItsFieldAndKeepsTheValues() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let csrf = try #require(try await member.get("/console/jobs/new").csrf)
            let refused = try await member.post("/console/jobs", [
                ("csrf", csrf), ("name", "too-few"), ("pool", "p1"), ("kind", "training"), ("gpus", "-1"), ("runtimeMinutes", "60"),
            ])
            #expect(refused.status == 400 && refused.pageID == "new-job")
            #expect(refused.fieldError("gpus") != nil)
            #expect(refused.html.contains(#"name="gpus" type="number" value="-1" required aria-invalid="true""#))
            #expect(refused.html.contains(#"value="too-few""#) && refused.html.contains(#"<option value="p1" selected>p1</option>"#))

            let notANumber = try await member.post("/console/jobs", [("csrf", csrf), ("name", "x"), ("pool", "p1"), ("gpus", "two")])
            #expect(notANumber.status == 400 && notANumber.fieldError("gpus")?.contains("whole number") == true)
            let noPool = try await member.post("/console/jobs", [("csrf", csrf), ("name", "x"), ("pool", "nowhere"), ("gpus", "1")])
            #expect(noPool.status == 404 && noPool.fieldError("pool")?.contains("no pool nowhere") == true)
        }
    }

    @Test func anOperatorSubmitsForATenantItChooses() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let op = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let form = try await op.get("/console/jobs/new")
            #expect(form.html.contains(#"<option value="beta">beta</option>"#) && form.html.contains(#"<option value="P0""#))
            let csrf = try #require(form.csrf)
            let missing = try await op.post("/console/jobs", [("csrf", csrf), ("name", "x"), ("tenant", ""), ("pool", "p1"), ("gpus", "1")])
            #expect(missing.status == 400 && missing.fieldError("tenant") != nil)
            let answer = try await op.post("/console/jobs", [("csrf", csrf), ("name", "for-beta"), ("tenant", "beta"), ("pool", "p1"), ("gpus", "1")])
            let location = try #require(answer.location)
            let job = try reservoir.jobs.job(JobID(String(location.dropFirst("/console/jobs/".count))), by: try reservoir.access.authenticate(bearer: tokens.operator))
            #expect(job.tenant == "beta" && job.submittedBy == "admin")
        }
    }

    @Test func aMemberCancelsAJobAndChangesItsClass() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let job = try Self.submit(reservoir, alice, name: "to-change")
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await member.get("/console/jobs/\(job.id)")
            #expect(page.html.contains(#"<option value="P2" selected>P2 — standard</option>"#))
            let csrf = try #require(page.csrf)

            let moved = try await member.post("/console/jobs/\(job.id)/class", [("csrf", csrf), ("priority", "P3")])
            #expect(moved.status == 303 && moved.location == "/console/jobs/\(job.id)")
            #expect(try reservoir.jobs.job(job.id, by: alice).priority == .p3)
            let raised = try await member.post("/console/jobs/\(job.id)/class", [("csrf", csrf), ("priority", "P0")])
            #expect(raised.status == 403 && raised.html.contains("<h1>Not allowed</h1>"), "P0 is the emergency approver's and the operators'")
            let junk = try await member.post("/console/jobs/\(job.id)/class", [("csrf", csrf), ("priority", "P9")])
            #expect(junk.status == 400)

            let cancelled = try await member.post("/console/jobs/\(job.id)/cancel", [("csrf", csrf)])
            #expect(cancelled.status == 303 && cancelled.location == "/console/jobs/\(job.id)")
            #expect(try reservoir.jobs.job(job.id, by: alice).state == .cancelled)
            let after = try await member.get("/console/jobs/\(job.id)")
            #expect(after.html.contains(#"data-state="cancelled""#) && !after.html.contains("/cancel\""), "a finished job offers no cancel")
            let again = try await member.post("/console/jobs/\(job.id)/cancel", [("csrf", csrf)])
            #expect(again.status == 409 && again.html.contains("already cancelled"))
        }
    }

    @Test func aMemberGetsTheForbiddenPageForAnotherTenantsJob() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let bob = try reservoir.access.authenticate(bearer: tokens.bob)
            let theirs = try Self.submit(reservoir, bob, name: "bobs-secret-job")
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await member.get("/console/jobs/\(theirs.id)")
            #expect(page.status == 403 && page.html.contains("<h1>Not allowed</h1>"))
            #expect(!page.html.contains("bobs-secret-job") && !page.html.contains("beta"))
            let missing = try await member.get("/console/jobs/job-999999")
            #expect(missing.status == 403, "a missing id looks like another tenant's: ids do not leak")
            let csrf = try #require(page.csrf)
            let cancel = try await member.post("/console/jobs/\(theirs.id)/cancel", [("csrf", csrf)])
            #expect(cancel.status == 403)
            #expect(try reservoir.jobs.job(theirs.id, by: bob).state != .cancelled)

            let op = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            #expect(try await op.get("/console/jobs/\(theirs.id)").status == 200)
            #expect(try await op.get("/console/jobs/job-999999").status == 404, "an operator reads every job: a missing one is not found")
        }
    }

    @Test func aRunningJobsPageShowsItsPlacementAndExplanation() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let alice = try reservoir.access.authenticate(bearer: tokens.alice)
            let job = try Self.submit(reservoir, alice, name: "placed", gpus: 2)
            let deadline = Date().addingTimeInterval(20)
            while try reservoir.jobs.job(job.id, by: alice).state != .running {
                try #require(Date() < deadline, "the job did not start")
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            let node = try #require(try reservoir.jobs.job(job.id, by: alice).placements.first?.node)
            let member = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await member.get("/console/jobs/\(job.id)")
            #expect(page.html.contains(#"data-state="running""#) && page.html.contains(#"data-explain="placed""#))
            #expect(page.html.contains(#"<td><a href="/console/nodes/\#(node)">\#(node)</a></td>"#))
            #expect(page.html.contains("Why it runs where it runs"))
        }
    }

    @Test func aUserOfNoTenantIsNotOfferedTheJobOrServiceLists() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            _ = try reservoir.tenancy.createUser(User(id: "ann", roles: [.approver]), by: admin)
            let token = try reservoir.access.issueToken(for: "ann", by: admin).1
            let approver = try await ConsoleBrowser.signedIn(port: port, token: token)
            let overview = try await approver.get("/console")
            #expect(overview.html.contains(#"<a href="/console/pools""#))
            #expect(!overview.html.contains(#"<a href="/console/jobs""#) && !overview.html.contains(#"<a href="/console/services""#),
                    "own-tenant sections are not offered to a user of no tenant")
            let jobs = try await approver.get("/console/jobs")
            #expect(jobs.status == 403 && jobs.html.contains("<h1>Not allowed</h1>"))
        }
    }
}
