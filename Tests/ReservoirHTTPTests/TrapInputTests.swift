import Foundation
import NIOHTTP1
import Testing

/// Inputs that used to end the server for everyone (a Swift trap: an inverted range, a Double too
/// large for an Int, an overflowing sum) and YAML that pinned a core. Each now gets a 400 naming the
/// field and the allowed range, and the server keeps answering.
@Suite("End to end: inputs that used to kill the server")
struct TrapInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var method: HTTPMethod
        var path: String
        var body: String? = nil
        var contentType = "application/json"
        var member = false
        var field: String
        /// Text the message must hold, e.g. the allowed range.
        var says: String? = nil
    }

    static func node(_ fields: String) -> String {
        "regions:\n  - id: rx\n    clusters:\n      - id: cx\n        pools:\n          - id: px\n            nodes:\n              - {name: n, \(fields)}\n"
    }

    static func surge(_ fields: String) -> String {
        #"{"scenario": "surge", "model": "A100-80GB", \#(fields)}"#
    }

    static let cases: [Case] = [
        // Demand series: a window before the first job, huge and non-finite times.
        Case(description: "series ending at 0", method: .GET, path: "/v1/series/demand?to=0", member: true, field: "from"),
        Case(description: "series far in the past", method: .GET, path: "/v1/series/demand?from=-4e22&to=-3.999999999999993e22", member: true, field: "to", says: "0…4102444800"),
        Case(description: "series from NaN", method: .GET, path: "/v1/series/demand?from=nan&to=3600", member: true, field: "from"),
        Case(description: "series to infinity", method: .GET, path: "/v1/series/demand?to=inf", member: true, field: "to"),
        Case(description: "series from a huge time", method: .GET, path: "/v1/series/demand?from=1e300", member: true, field: "from"),
        // What-if: overflowing and non-finite hours, factors, durations.
        Case(description: "surge from Int.max", method: .POST, path: "/v1/plans/whatif", body: surge(#""factor": 2, "fromHour": 9223372036854775807, "hours": 1"#), field: "fromHour"),
        Case(description: "surge for Int.max hours", method: .POST, path: "/v1/plans/whatif", body: surge(#""factor": 2, "fromHour": 1, "hours": 9223372036854775807"#), field: "hours"),
        Case(description: "surge from a negative hour", method: .POST, path: "/v1/plans/whatif", body: surge(#""factor": 2, "fromHour": -9223372036854775807, "hours": 1"#), field: "fromHour"),
        Case(description: "surge by NaN (YAML)", method: .POST, path: "/v1/plans/whatif", body: "scenario: surge\nmodel: A100-80GB\nfactor: .nan\n", contentType: "application/yaml", field: "factor"),
        Case(description: "request for 1e308 hours", method: .POST, path: "/v1/plans/whatif",
             body: #"{"scenario": "request", "model": "A100-80GB", "region": "r1", "gpus": 1, "durationHours": 1e308}"#, field: "durationHours", says: "87600"),
        // Quotas: amounts that do not fit in milli-GPU.
        Case(description: "guaranteed 1e300 GPUs", method: .PUT, path: "/v1/quotas", body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 1e300, "limit": 4}"#, field: "guaranteed", says: "0…100000 GPUs"),
        Case(description: "limit 1e300 GPUs", method: .PUT, path: "/v1/quotas", body: #"{"tenant": "alpha", "pool": "p1", "guaranteed": 1, "limit": 1e300}"#, field: "limit"),
        Case(description: "guaranteed NaN (YAML)", method: .PUT, path: "/v1/quotas", body: "tenant: alpha\npool: p1\nguaranteed: .nan\nlimit: 4\n", contentType: "application/yaml", field: "guaranteed"),
        Case(description: "limit infinite (YAML)", method: .PUT, path: "/v1/quotas", body: "tenant: alpha\npool: p1\nguaranteed: 1\nlimit: .inf\n", contentType: "application/yaml", field: "limit"),
        // Inventory import: node sizes that do not fit, NaN, an island count that overflows.
        Case(description: "node with 1e300 cores", method: .POST, path: "/v1/import", body: node("cpu: 1e300, memoryGiB: 8"), contentType: "application/yaml", field: "nodes.n.cpu", says: "cores"),
        Case(description: "node with NaN cores", method: .POST, path: "/v1/import", body: node("cpu: .nan, memoryGiB: 8"), contentType: "application/yaml", field: "nodes.n.cpu"),
        Case(description: "node with 1e300 GiB", method: .POST, path: "/v1/import", body: node("cpu: 8, memoryGiB: 1e300"), contentType: "application/yaml", field: "nodes.n.memoryGiB"),
        Case(description: "node with -inf GiB", method: .POST, path: "/v1/import", body: node("cpu: 8, memoryGiB: -.inf"), contentType: "application/yaml", field: "nodes.n.memoryGiB"),
        Case(description: "node with Int.max NVLink islands", method: .POST, path: "/v1/import",
             body: node("model: A100-80GB, gpus: 8, nvlinkIslands: 9223372036854775807, cpu: 8, memoryGiB: 8"), contentType: "application/yaml", field: "nodes.n.nvlinkIslands"),
        Case(description: "openb node with 1e300 milli-CPU", method: .POST, path: "/v1/import?format=openb",
             body: "sn,cpu_milli,memory_mib,gpu,model\nx1,1e300,1024,1,T4\n", contentType: "text/csv", field: "csv"),
        Case(description: "openb node with -1 GPUs", method: .POST, path: "/v1/import?format=openb",
             body: "sn,cpu_milli,memory_mib,gpu,model\nx1,1000,1024,-1,T4\n", contentType: "text/csv", field: "nodes.x1.gpu"),
        Case(description: "openb node with 1e9 GPUs", method: .POST, path: "/v1/import?format=openb",
             body: "sn,cpu_milli,memory_mib,gpu,model\nx1,1000,1024,1000000000,T4\n", contentType: "text/csv", field: "nodes.x1.gpu"),
        // Catalog: figures that would make every later cost NaN or infinite.
        Case(description: "catalog price 1e308", method: .PUT, path: "/v1/catalog/Z1",
             body: #"{"name": "Z1", "kind": "gpu", "vendor": "x", "memoryMiB": 1024, "fp16TFLOPS": 1, "bf16TFLOPS": 1, "memoryBandwidthGBps": 1, "pricePerHour": 1e308, "defaultEfficiency": 0.4, "aliases": [], "opaque": false}"#,
             field: "pricePerHour"),
        Case(description: "catalog efficiency NaN (YAML)", method: .PUT, path: "/v1/catalog/Z1",
             body: "name: Z1\nkind: gpu\nvendor: x\nmemoryMiB: 1024\nfp16TFLOPS: 1\nbf16TFLOPS: 1\nmemoryBandwidthGBps: 1\npricePerHour: 1\ndefaultEfficiency: .nan\naliases: []\nopaque: false\n",
             contentType: "application/yaml", field: "defaultEfficiency"),
        // Usage: times that cannot be encoded back.
        Case(description: "usage since -inf", method: .GET, path: "/v1/usage?since=-inf", member: true, field: "since"),
        Case(description: "usage until 1e300", method: .GET, path: "/v1/usage?until=1e300", member: true, field: "until"),
        // Billing and reports: months outside the calendar or not begun, times that are not numbers.
        Case(description: "invoice for month 0000-01", method: .GET, path: "/v1/invoices?month=0000-01", member: true, field: "month"),
        Case(description: "invoice for 9999-12", method: .GET, path: "/v1/invoices?month=9999-12", member: true, field: "month"),
        Case(description: "showback for month 13", method: .GET, path: "/v1/showback?month=2026-13", member: true, field: "month"),
        Case(description: "report for 9999-12", method: .GET, path: "/v1/reports/monthly?month=9999-12", member: true, field: "month"),
        Case(description: "report for month 00", method: .GET, path: "/v1/reports/monthly?month=2026-00", member: true, field: "month"),
        Case(description: "prices at NaN", method: .GET, path: "/v1/prices?at=nan", member: true, field: "at"),
        Case(description: "prices at 1e300", method: .GET, path: "/v1/prices?at=1e300", member: true, field: "at"),
        Case(description: "reconciliation since after until", method: .GET, path: "/v1/usage/reconciliation?since=2000&until=1000", field: "since"),
        // Job submissions in YAML, where NaN and infinities can be written.
        Case(description: "job runtime NaN", method: .POST, path: "/v1/jobs", body: "name: j\npool: p1\nruntimeSeconds: .nan\nrequest: {gpus: 1}\n", contentType: "application/yaml", member: true, field: "runtimeSeconds"),
        Case(description: "job with Int.max GPUs", method: .POST, path: "/v1/jobs", body: #"{"name": "j", "pool": "p1", "request": {"gpus": 9223372036854775807}}"#, member: true, field: "request.gpus", says: "0…64"),
        Case(description: "job with Int.min memory", method: .POST, path: "/v1/jobs", body: #"{"name": "j", "pool": "p1", "request": {"gpus": 1, "memoryMiB": -9223372036854775808}}"#, member: true, field: "request.memoryMiB"),
        Case(description: "job with Int.max replicas", method: .POST, path: "/v1/jobs", body: #"{"name": "j", "pool": "p1", "replicas": 9223372036854775807, "request": {"gpus": 64}}"#, member: true, field: "replicas"),
    ]

    @Test("each input that used to trap gets a 400 naming the field, and the server keeps answering")
    func trapsAreRefused() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let ok = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("first"))
            #expect(ok.status == 201)
            for c in Self.cases {
                let r = try await api.send(c.method, c.path, token: c.member ? t.alice : Fixture.operatorToken, body: c.body, contentType: c.contentType)
                #expect(r.status == 400, "\(c.description): \(r.status) \(r.text)")
                #expect(r.errorField == c.field, "\(c.description): field in \(r.text)")
                if let says = c.says { #expect(r.errorMessage.contains(says), "\(c.description): message \(r.errorMessage)") }
                let alive = try await api.get("/readyz", token: nil)
                try #require(alive.status == 200, "server stopped answering after \(c.description)")
            }
            // Still fully working: a job is accepted and the catalog reads back.
            #expect(try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("after")).status == 201)
            #expect(try await api.get("/v1/catalog", token: t.alice).status == 200)
        }
    }

    @Test("a demand series over a window before, around and after the jobs answers, never traps")
    func demandWindowsAroundTheJobs() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let ok = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("first"))
            #expect(ok.status == 201)
            let now = Date().timeIntervalSince1970
            for (from, to) in [(0.0, 86_400.0), (now - 86_400, now - 3600), (now - 3600, now + 3600), (now + 3600, now + 7200)] {
                for resolution in ["hourly", "daily"] {
                    let r = try await api.get("/v1/series/demand?from=\(from)&to=\(to)&resolution=\(resolution)", token: t.alice)
                    #expect(r.status == 200, "[\(from), \(to)) \(resolution): \(r.status) \(r.text)")
                }
            }
            let before = try await api.get("/v1/series/demand?from=0&to=86400", token: t.alice)
            #expect((before.object["inUse"] as? [Double])?.count == 24)
            #expect((before.object["inUse"] as? [Double])?.allSatisfy { $0 == 0 } == true)
        }
    }

    @Test("a billion-laughs YAML body (an alias as a mapping key) is answered 400 at once on every YAML route")
    func billionLaughsIsRefusedQuickly() async throws {
        let laughs = (1...8).map { n in "l\(n): &l\(n) [" + Array(repeating: "*l\(n - 1)", count: 9).joined(separator: ",") + "]" }
        let body = (["l0: &l0 lol"] + laughs + ["? *l8 : 1"]).joined(separator: "\n") + "\n"
        #expect(body.utf8.count < 500)
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            for (path, token) in [("/v1/jobs", t.alice), ("/v1/import", Fixture.operatorToken), ("/v1/quotas", Fixture.operatorToken)] {
                let started = Date()
                let method: HTTPMethod = path == "/v1/quotas" ? .PUT : .POST
                let r = try await api.send(method, path, token: token, body: body, contentType: "application/yaml", timeout: .seconds(5))
                let seconds = Date().timeIntervalSince(started)
                #expect(r.status == 400, "\(path): \(r.status) \(r.text)")
                #expect(r.errorField == "body" && r.errorMessage.contains("anchors"), "\(path): \(r.text)")
                #expect(seconds < 1, "\(path) took \(seconds) s")
            }
            #expect(try await api.get("/readyz", token: nil).status == 200)
            // YAML without anchors is still welcome.
            let job = "name: yaml-job\npool: p1\nruntimeSeconds: 1\nrequest: {gpus: 1}\n"
            #expect(try await api.send(.POST, "/v1/jobs", token: t.alice, body: job, contentType: "application/yaml").status == 201)
        }
    }
}
