import Foundation
import ReservoirCore
@testable import ReservoirCLI
import ReservoirServices
import ReservoirStore
import Testing

/// Every list route pages the same way: `limit` 1…1000 and an opaque `cursor`, the body the list's JSON
/// array, and `Link: <…>; rel="next"` (with the same filters) while more items exist.
@Suite("End to end: every list pages")
struct ListPagingTests {
    static let routes = [
        "/v1/jobs", "/v1/jobs/job-000001/events", "/v1/audit", "/v1/tenants", "/v1/users", "/v1/tokens", "/v1/quotas",
        "/v1/nodes", "/v1/devices", "/v1/pools", "/v1/clusters", "/v1/regions", "/v1/catalog", "/v1/usage", "/v1/forecasts",
        "/v1/devices/t4%2Fgpu0/health",
    ]

    /// The items of one page: the array itself, or a usage report's sessions.
    static func items(_ reply: Reply) -> [Any] {
        (reply.json as? [Any]) ?? (reply.object["sessions"] as? [Any]) ?? []
    }

    /// Each item as what identifies it (its `id`, else its `name`), else as sorted-key JSON text, so lists
    /// compare item by item while a running job's progress moves on between two requests.
    static func canonical(_ items: [Any]) throws -> [String] {
        try items.map { item in
            if let object = item as? [String: Any], let id = object["id"] ?? object["name"] { return "\(id)" }
            return String(decoding: try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Each item as sorted-key JSON text, for checking its fields.
    static func bodies(_ items: [Any]) throws -> [String] {
        try items.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }

    /// Follows a list's `next` links from its first page of `limit`; checks every page but the last is full and has a link.
    static func walk(_ api: API, _ path: String, limit: Int, token: String = Fixture.operatorToken, as text: ([Any]) throws -> [String] = canonical) async throws -> [String] {
        var url: String? = path + (path.contains("?") ? "&" : "?") + "limit=\(limit)"
        var seen: [String] = []
        for _ in 0..<500 {
            guard let page = url else { return seen }
            let reply = try await api.get(page, token: token)
            try #require(reply.status == 200, "\(page): \(reply.status) \(reply.text)")
            let items = try text(items(reply))
            seen += items
            url = reply.next
            if url != nil { #expect(items.count == limit, "\(page): a page with a next link must be full") }
        }
        Issue.record("\(path): the walk did not end")
        return seen
    }

    /// Tenants, users, tokens, quotas; jobs run to completion (events, usage), one running, one waiting; a
    /// device's health history; three forecasts.
    static func populate(_ api: API, _ reservoir: Reservoir) async throws -> Fixture.Tenancy {
        let tenancy = try await Fixture.setUp(api)
        for i in 0..<4 {
            let r = try await api.post("/v1/jobs", token: i.isMultiple(of: 2) ? tenancy.alice : tenancy.bob, json: Fixture.job("done\(i)", runtime: 1))
            try #require(r.status == 201, "\(r.text)")
            _ = try await api.waitForJob(try #require(r.object["id"] as? String), token: Fixture.operatorToken) { $0 == "succeeded" }
        }
        // One job holds alpha's whole limit (4 GPUs), so the next one waits.
        for name in ["holds", "waits"] {
            let r = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job(name, gpus: 4, runtime: 1_000_000))
            try #require(r.status == 201, "\(r.text)")
        }
        // Four health events of one device (an operator's maintenance and failure, each undone).
        for state in ["maintenance", "available", "failed", "available"] {
            let r = try await api.send(.PATCH, "/v1/nodes/t4/devices/0", token: Fixture.operatorToken, body: #"{"state": "\#(state)"}"#)
            try #require(r.status == 200, "\(r.text)")
        }
        for i in 0..<3 {
            try reservoir.store.saveForecast(
                ForecastRecord(createdAt: Double(i), series: "demand/model=T4", start: 0, step: 3600, mean: [1], lower80: [0], upper80: [2], method: "naive"),
                by: Attribution(actor: "test", at: Double(i)))
        }
        return tenancy
    }

    @Test("walking each list with small pages returns every item exactly once, in the order of the whole list")
    func everyListWalks() async throws {
        try await InProcessServer.with { api, reservoir in
            _ = try await Self.populate(api, reservoir)
            for route in Self.routes {
                let whole = try await api.get(route + (route.contains("?") ? "&" : "?") + "limit=1000", token: Fixture.operatorToken)
                try #require(whole.status == 200, "\(route): \(whole.text)")
                #expect(whole.next == nil, "\(route): one page holds it all")
                let all = try Self.canonical(Self.items(whole))
                #expect(!all.isEmpty, "\(route) is empty: the walk proves nothing")
                for limit in [1, 2] {
                    let walked = try await Self.walk(api, route, limit: limit)
                    #expect(walked == all, "\(route) by pages of \(limit)")
                }
            }
        }
    }

    @Test("filters combine and the next link repeats them")
    func filtersCombine() async throws {
        try await InProcessServer.with { api, reservoir in
            _ = try await Self.populate(api, reservoir)
            // Each filtered list, how many items it has at least, and what each item must be.
            let checks: [(String, Int, (Any) -> Bool)] = [
                ("/v1/jobs?state=succeeded&pool=p1&tenant=alpha", 2, { ($0 as? [String: Any]).map { $0["state"] as? String == "succeeded" && $0["pool"] as? String == "p1" && $0["tenant"] as? String == "alpha" } ?? false }),
                ("/v1/nodes?pool=p1&state=ready", 2, { ($0 as? [String: Any]).map { $0["pool"] as? String == "p1" && $0["state"] as? String == "ready" } ?? false }),
                ("/v1/devices?pool=p1&model=A100-80GB", 8, { ($0 as? [String: Any]).map { $0["pool"] as? String == "p1" } ?? false }),
                ("/v1/users?tenant=alpha", 1, { ($0 as? [String: Any]).map { $0["tenant"] as? String == "alpha" } ?? false }),
                ("/v1/quotas?tenant=beta&pool=p1", 1, { ($0 as? [String: Any]).map { $0["tenant"] as? String == "beta" && $0["pool"] as? String == "p1" } ?? false }),
                ("/v1/audit?object=jobs/job-000001&tenant=alpha", 3, { ($0 as? [String: Any]).map { ($0["object"] as? String)?.hasPrefix("jobs/job-000001") == true } ?? false }),
            ]
            for (path, least, matches) in checks {
                let walked = try await Self.walk(api, path, limit: 1, as: Self.bodies)
                #expect(walked.count >= least, "\(path): \(walked)")
                for text in walked { #expect(matches(try JSONSerialization.jsonObject(with: Data(text.utf8))), "\(path): \(text)") }
            }
        }
    }

    @Test("a bad limit or cursor is a 400 naming the parameter, on every list")
    func badPageParameters() async throws {
        try await InProcessServer.with { api, _ in
            let tenancy = try await Fixture.setUp(api)
            let job = try await api.post("/v1/jobs", token: tenancy.alice, json: Fixture.job("one"))
            try #require(job.status == 201, "\(job.text)")
            for route in Self.routes {
                for (query, field) in [("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("cursor=zz", "cursor"), ("cursor=" + String(repeating: "ab", count: 2000), "cursor")] {
                    let reply = try await api.get(route + "?" + query, token: Fixture.operatorToken)
                    #expect(reply.status == 400 && reply.errorField == field, "\(route)?\(query): \(reply.status) \(reply.text)")
                }
            }
        }
    }

    @Test("a member's lists stay within its tenant: asking for another tenant or user is refused, naming the filter")
    func memberFiltersStayInScope() async throws {
        try await InProcessServer.with { api, reservoir in
            let t = try await Self.populate(api, reservoir)
            for (path, field) in [("/v1/jobs?tenant=beta", "tenant"), ("/v1/users?tenant=beta", "tenant"), ("/v1/quotas?tenant=beta", "tenant"),
                                  ("/v1/audit?tenant=beta", "tenant"), ("/v1/tokens?user=bob", "user")] {
                let reply = try await api.get(path, token: t.alice)
                #expect(reply.status == 403 && reply.errorField == field, "\(path): \(reply.status) \(reply.text)")
            }
            let own = try await Self.walk(api, "/v1/jobs?tenant=alpha", limit: 1, token: t.alice, as: Self.bodies)
            #expect(own.count == 4 && own.allSatisfy { $0.contains(#""tenant":"alpha""#) })
        }
    }

    @Test("jobs keep X-Total-Count: every match, whatever the page")
    func totalCount() async throws {
        try await InProcessServer.with { api, reservoir in
            _ = try await Self.populate(api, reservoir)
            let page = try await api.get("/v1/jobs?limit=2&state=succeeded", token: Fixture.operatorToken)
            #expect(page.headers["x-total-count"] == "4")
            #expect(Self.items(page).count == 2 && page.next?.contains("state=succeeded") == true)
        }
    }
}

/// The CLI's lists follow the `next` links up to their `--limit`.
@Suite("CLI: lists follow next links")
struct CLIListPagingTests {
    @Test("a list longer than a page comes back whole, or cut at the limit, in the server's order")
    func followsNextLinks() async throws {
        try await InProcessServer.with { api, reservoir in
            _ = try await ListPagingTests.populate(api, reservoir)
            let client = APIClient(server: api.base, token: Fixture.operatorToken)
            for route in ["/v1/devices", "/v1/audit", "/v1/jobs?state=succeeded"] {
                let whole = try await api.get(route + (route.contains("?") ? "&" : "?") + "limit=1000", token: Fixture.operatorToken)
                let all = try ListPagingTests.canonical(ListPagingTests.items(whole))
                let paged = try await client.list(route, pageSize: 3)
                #expect(try ListPagingTests.canonical(try #require(JSONSerialization.jsonObject(with: paged.data) as? [Any])) == all, "\(route)")
                let cut = try await client.list(route, limit: 4, pageSize: 3)
                #expect(try ListPagingTests.canonical(try #require(JSONSerialization.jsonObject(with: cut.data) as? [Any])) == Array(all.prefix(4)), "\(route)")
            }
        }
    }
}
