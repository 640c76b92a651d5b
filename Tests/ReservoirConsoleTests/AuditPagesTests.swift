import Foundation
import ReservoirCore
import ReservoirServices
import Testing

/// `/console/audit`: filters by actor, action, object and time, keyset paging that keeps the filters, a
/// member's view limited to its tenant, and a bad time shown next to its field.
@Suite struct AuditPagesTests {
    /// The rows' actions, in order.
    static func actions(_ page: Page) -> [String] {
        page.html.matches(of: /<\/a><\/td><td>([a-z._\-]+)<\/td><td><a\s/).map { String($0.1) }
    }

    @Test func filtersByActionObjectAndActor() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let all = try await user.get("/console/audit")
            #expect(all.status == 200 && all.pageID == "audit")
            #expect(Set(Self.actions(all)).isSuperset(of: ["tenant.create", "user.create"]))

            let tenants = try await user.get("/console/audit?action=tenant")
            #expect(Self.actions(tenants) == ["tenant.create", "tenant.create"], "the family tenant.*")
            #expect(Self.actions(try await user.get("/console/audit?action=tenant.create")) == ["tenant.create", "tenant.create"])
            #expect(Self.actions(try await user.get("/console/audit?action=tenant.cre")).isEmpty, "an action, or a family up to a dot")

            let alpha = try await user.get("/console/audit?object=tenants%2Falpha")
            #expect(alpha.html.contains(">tenants/alpha</a>") && !alpha.html.contains(">tenants/beta</a>"))
            #expect(alpha.html.contains(#"<input id="object" name="object" type="text" value="tenants/alpha">"#), "the filter is kept in its field")

            #expect(Self.actions(try await user.get("/console/audit?actor=user%3Anobody")).isEmpty)
            #expect(try await user.get("/console/audit?actor=user%3Anobody").html.contains("No entry matches."))
            #expect(!Self.actions(try await user.get("/console/audit?actor=user%3Aadmin")).isEmpty)

            #expect(Self.actions(try await user.get("/console/audit?until=2000-01-01")).isEmpty)
            #expect(Self.actions(try await user.get("/console/audit?since=2000-01-01T00:00")) == Self.actions(all))
        }
    }

    @Test func aBadTimeIsShownNextToItsField() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let page = try await user.get("/console/audit?since=yesterday&actor=user%3Aadmin")
            #expect(page.status == 400)
            #expect(page.fieldError("since")?.contains("UTC date") == true)
            #expect(page.html.contains(#"value="user:admin""#), "what was typed stays")
            let reversed = try await user.get("/console/audit?since=2026-12-05&until=2026-12-04")
            #expect(reversed.status == 400 && reversed.fieldError("until") == "must be after since")
        }
    }

    @Test func pagesByKeysetKeepingTheFilters() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            for n in 0..<55 { _ = try reservoir.tenancy.createUser(User(id: UserID("u\(n)"), tenant: "alpha", roles: [.member]), by: admin) }
            let user = try await ConsoleBrowser.signedIn(port: port, token: tokens.operator)
            let first = try await user.get("/console/audit?action=user.create")
            #expect(Self.actions(first).count == 50)
            let next = try #require(first.html.firstMatch(of: /<a href="([^"]+)" rel="next">Next page<\/a>/).map { String($0.1) })
            #expect(next.contains("action=user.create") && next.contains("cursor="))
            let second = try await user.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.status == 200)
            let created = try reservoir.audit.auditLog(AuditListFilter(action: "user.create"), page: PageRequest(limit: 1000), by: admin).items.count
            #expect(created >= 55 && Self.actions(second).count == created - 50, "every user.create once, over the two pages")
            #expect(!second.html.contains("Next page") && second.html.contains("First page"))
        }
    }

    @Test func aUserOfNoTenantIsNotOfferedItsOwnTenantsAuditOrBilling() async throws {
        try await ConsoleServer.withFixture { port, tokens, reservoir in
            let admin = try reservoir.access.authenticate(bearer: tokens.operator)
            _ = try reservoir.tenancy.createUser(User(id: "ann", roles: [.approver]), by: admin)
            let ann = try await ConsoleBrowser.signedIn(port: port, token: try reservoir.access.issueToken(for: "ann", by: admin).1)
            let reports = try await ann.get("/console/reports")
            #expect(reports.status == 200 && reports.html.contains(#"href="/console/reports""#))
            #expect(!reports.html.contains(#"href="/console/audit""#) && !reports.html.contains(#"href="/console/billing""#))
            #expect(try await ann.get("/console/audit").status == 403)
            #expect(try await ann.get("/console/billing").status == 403)
        }
    }

    @Test func aMemberSeesOnlyItsTenantsEntries() async throws {
        try await ConsoleServer.withFixture { port, tokens, _ in
            let alice = try await ConsoleBrowser.signedIn(port: port, token: tokens.alice)
            let page = try await alice.get("/console/audit")
            #expect(page.status == 200)
            #expect(page.html.contains(">tenants/alpha</a>"))
            #expect(!page.html.contains("beta"), "nothing of tenant beta")
        }
    }
}
