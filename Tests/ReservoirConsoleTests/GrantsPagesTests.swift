import Foundation
import ReservoirConsole
import ReservoirCore
import ReservoirServices
import Testing

/// A grant's page through the real server: the owner asks for an extension, an operator decides it;
/// a refused form names its field; the owner returns the grant and the month's records show it.
@Suite struct GrantsPagesTests {
    /// Alice's small request (approved at once) and its grant.
    static func aliceGrant(_ port: Int, _ tokens: ConsoleServer.Tokens, _ reservoir: Reservoir) async throws -> GrantID {
        let id = try await RequestsPagesTests.submit(try await ConsoleBrowser.signedIn(port: port, token: tokens.alice), gpus: "2")
        return try #require(try reservoir.requests.request(RequestID(id), by: reservoir.access.authenticate(bearer: tokens.alice)).request.grant)
    }

    @Test func theOwnerAsksForAnExtensionAndAnOperatorApprovesIt() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let grant = try await Self.aliceGrant(port, tokens, reservoir)
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await alice.get("/console/grants/\(grant)")
            #expect(page.html.contains("<dt>Time left</dt><dd>1 d</dd>") || page.html.contains("<dt>Time left</dt><dd>23 h"), "\(page.html)")
            #expect(!page.html.contains(#"action="/console/grants/\#(grant)/reclaim""#), "members take nothing back by force")
            let csrf = try #require(page.csrf)

            let blank = try await alice.post("/console/grants/\(grant)/extensions", [("csrf", csrf), ("days", ""), ("reason", "more epochs")])
            #expect(blank.status == 400 && blank.pageID == "grant" && blank.fieldError("days")?.contains("is required") == true)
            let asked = try await alice.post("/console/grants/\(grant)/extensions", [("csrf", csrf), ("days", "2"), ("reason", "more epochs")])
            #expect(asked.status == 303 && asked.location == "/console/grants/\(grant)")
            let pending = try await alice.get("/console/grants/\(grant)")
            #expect(pending.html.contains("Extension 1: +2 days · pending"))
            #expect(!pending.html.contains(#"action="/console/grants/\#(grant)/extensions/1""#), "the owner does not decide its own extension")

            let admin = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let review = try await admin.get("/console/grants/\(grant)")
            #expect(review.html.contains(#"action="/console/grants/\#(grant)/extensions/1""#))
            #expect(review.html.contains(#"action="/console/grants/\#(grant)/reclaim""#))
            let decided = try await admin.post("/console/grants/\(grant)/extensions/1", [("csrf", try #require(review.csrf)), ("verdict", "approve"), ("reason", "nothing waits")])
            #expect(decided.status == 303)
            let approved = try await alice.get("/console/grants/\(grant)")
            #expect(approved.html.contains("Extension 1: +2 days · approved")
                && (approved.html.contains("<dt>Time left</dt><dd>2 d 23 h</dd>") || approved.html.contains("<dt>Time left</dt><dd>3 d</dd>")), "\(approved.html)")
        }
    }

    @Test func aReturnedGrantIsInTheMonthsReclamationsOfItsTenantOnly() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let grant = try await Self.aliceGrant(port, tokens, reservoir)
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let csrf = try #require(try await alice.get("/console/grants/\(grant)").csrf)
            let returned = try await alice.post("/console/grants/\(grant)/return", [("csrf", csrf), ("reason", "done early")])
            #expect(returned.status == 303)
            let again = try await alice.post("/console/grants/\(grant)/return", [("csrf", csrf), ("reason", "twice")])
            #expect(again.status == 409 && again.pageID == "grant", "a second return is refused on the page: \(again.status)")

            let records = try await alice.get("/console/reclamation")
            #expect(records.status == 200 && records.pageID == "reclamation")
            #expect(records.html.contains(#"<a href="/console/grants/\#(grant)">"#) && records.html.contains("voluntary"))
            #expect(records.html.contains("No service is idle over the window"))
            let bob = try await ConsoleBrowser.signedIn(port: port, token: tokens.bob)
            let others = try await bob.get("/console/reclamation")
            #expect(others.status == 200 && !others.html.contains(grant.rawValue))
            let admin = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            #expect(try await admin.get("/console/reclamation?reason=voluntary").html.contains(grant.rawValue))
            #expect(try await admin.get("/console/reclamation?reason=forced").html.contains("Nothing was reclaimed"))
        }
    }
}
