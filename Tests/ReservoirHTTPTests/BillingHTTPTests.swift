import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Invoices, credits, balances and showback through the API and the CLI, on a manual clock on
/// 2026-12-05 with alpha's November history written into the store: the November invoice by hand (list
/// prices, spot, reserved-but-idle quota), its CSV and JSON exports, the same bytes after a price change
/// and a session recorded late; members see only their own tenant; finance alone adds credit; and with
/// `billing.zeroBalance: block` an exhausted account refuses new jobs until it is topped up.
@Suite("End to end: invoices, credits, balances, showback")
struct BillingHTTPTests {
    static let december5 = 1_796_428_800.0  // 2026-12-05T00:00:00Z
    static let november = try! ReportMonth("2026-11")

    static func reservoir(_ clock: ManualClock) throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.billing.zeroBalance = .block
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], speed: 1000, clock: clock.function), configuration: configuration,
            logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// A finished run of alpha from `start` for `hours` on `gpus` devices of `model` in `pool`.
    static func run(_ name: String, pool: String, model: String, gpus: Int, preemptible: Bool, start: Double, hours: Double) -> (job: Job, model: String) {
        var job = Job(
            id: "pending", name: name, tenant: "alpha", submittedBy: "alice", pool: PoolID(pool), kind: .training,
            request: ResourceRequest(gpus: gpus, cpuMilli: 1000, memoryMiB: 1024, models: [model]), priority: preemptible ? .p3 : .p1,
            preemptible: preemptible, runtimeSeconds: hours * 3600, state: .succeeded, submittedAt: start)
        job.startedAt = start
        job.finishedAt = start + hours * 3600
        return (job, model)
    }

    /// A finance user and its token.
    static func finance(_ api: API) async throws -> String {
        let u = try await api.post("/v1/users", token: Fixture.operatorToken, json: ["id": "fin", "roles": ["finance"]])
        try #require(u.status == 201, "\(u.text)")
        return try #require(try await api.post("/v1/tokens", token: Fixture.operatorToken, json: ["user": "fin"]).object["token"] as? String)
    }

    @Test("November's invoice by hand, exported as CSV and JSON, the same bytes after a price change and a late session; members see their own only")
    func invoiceIsReproducible() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-invoice-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ManualClock(Self.november.since)
        try await InProcessServer.with(try Self.reservoir(clock)) { api, reservoir in
            // alpha: 2 A100 guaranteed in p1 from November 1 (a quota is charged only from when it is set).
            let t = try await Fixture.setUp(api)
            clock.advance(Self.december5 - clock.now)
            let fin = try await Self.finance(api)
            let nov10 = Self.november.since + 9 * 86_400, nov20 = Self.november.since + 19 * 86_400
            try reservoir.store.insertHistory([
                Self.run("train", pool: "p1", model: "A100-80GB", gpus: 2, preemptible: false, start: nov10, hours: 10),
                Self.run("sweep", pool: "p2", model: "T4", gpus: 1, preemptible: true, start: nov20, hours: 5),
            ], by: Attribution(actor: "test", at: clock.now))

            // 20 A100-hours at 2.40; 5 spot T4-hours at 0.35 × 0.4; the guarantee's 2 × 720 − 20 idle A100-hours at 2.40 × 0.5;
            // 25 hours of volume is below the first discount tier.
            let csv = try await api.send(.GET, "/v1/invoices?tenant=alpha&month=2026-11", token: fin, headers: ["Accept": "text/csv"])
            #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
            #expect(csv.text == """
                tenant,period,status,currency,model,rate_class,project,hours,unit_price,discount,amount\r
                alpha,2026-11,closed,USD,A100-80GB,on-demand,,20,2.40,0,48.00\r
                alpha,2026-11,closed,USD,A100-80GB,reserved-idle,,1420,1.20,0,1704.00\r
                alpha,2026-11,closed,USD,T4,spot,,5,0.14,0,0.70\r
                alpha,2026-11,closed,USD,total,,,,,,1752.70\r

                """, "\(csv.text)")
            let json = try await api.get("/v1/invoices?tenant=alpha&month=2026-11&format=json", token: fin)
            #expect(json.object["total"] as? String == "1752.70" && json.object["status"] as? String == "closed")

            // A later price and a session recorded late (a reconciliation) do not reach an issued month.
            let price = try await api.post("/v1/prices", token: fin, json: ["model": "A100-80GB", "effectiveFrom": clock.now + 3600, "pricePerHour": "3.10", "note": "rise"])
            #expect(price.status == 201, "\(price.text)")
            try reservoir.store.insertHistory(
                [Self.run("late", pool: "p1", model: "A100-80GB", gpus: 1, preemptible: false, start: nov20, hours: 30)], by: Attribution(actor: "test", at: clock.now))
            clock.advance(40 * 86_400)
            let again = try await api.get("/v1/invoices?tenant=alpha&month=2026-11", token: t.alice)
            #expect(again.status == 200 && again.body == json.body, "byte-identical JSON")
            #expect(try await api.send(.GET, "/v1/invoices?tenant=alpha&month=2026-11&format=csv", token: fin).body == csv.body, "byte-identical CSV")
            let showback = try await api.get("/v1/showback?month=2026-11&tenant=alpha", token: fin)
            #expect((showback.object["rows"] as? [[String: Any]])?.first?["deviceHours"] as? Double == 55, "showback is recomputed: 20 + 30 + 5 hours")

            // The CLI: a table, the CSV to a file, the JSON as sent.
            let table = try await runCLI(["invoice", "--tenant", "alpha", "--month", "2026-11"], server: api.base, token: fin, directory: dir)
            #expect(table.status == 0 && table.stdout.contains("reserved-idle") && table.stdout.contains("total 1752.70 USD"), "\(table.stdout)\(table.stderr)")
            let file = dir.appendingPathComponent("nov.csv").path
            let exported = try await runCLI(["invoice", "--tenant", "alpha", "--month", "2026-11", "--csv", "-o", file], server: api.base, token: fin, directory: dir)
            #expect(exported.status == 0 && FileManager.default.contents(atPath: file) == csv.body, "\(exported.stdout)\(exported.stderr)")
            let printed = try await runCLI(["invoice", "--month", "2026-11", "--json"], server: api.base, token: t.alice, directory: dir)
            #expect(printed.status == 0 && Data(printed.stdout.utf8) == json.body, "a member's own invoice, as sent")

            // Members: their own tenant only; a month not begun and a malformed one name `month`.
            #expect(try await api.get("/v1/invoices?tenant=alpha&month=2026-11", token: t.bob).status == 403)
            let future = try await api.get("/v1/invoices?tenant=alpha&month=2027-03", token: fin)
            #expect(future.status == 400 && future.text.contains("\"month\""), "\(future.text)")
            let other = try await runCLI(["invoice", "--tenant", "alpha", "--month", "2026-11"], server: api.base, token: t.bob, directory: dir)
            #expect(other.status != 0 && other.stderr.contains("403"), "\(other.stderr)")
        }
    }

    @Test("credits: finance only; balances per caller; billing.zeroBalance: block refuses an exhausted tenant's new jobs until it is topped up")
    func creditsAndZeroBalance() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-credit-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ManualClock(Self.december5 - 4 * 86_400)
        try await InProcessServer.with(try Self.reservoir(clock)) { api, _ in
            let t = try await Fixture.setUp(api)  // the quotas from December 1: charged from then on
            clock.advance(4 * 86_400)
            let fin = try await Self.finance(api)
            let mine = try await runCLI(["credit", "add", "alpha", "--amount", "500.00", "--note", "mine"], server: api.base, token: t.alice, directory: dir)
            #expect(mine.status != 0 && mine.stderr.contains("403"), "\(mine.stderr)")
            let bad = try await api.post("/v1/tenants/alpha/credits", token: fin, json: ["amount": "-1", "note": "x"])
            #expect(bad.status == 400 && bad.text.contains("\"amount\""), "\(bad.text)")

            // 4 days of December: 2 idle guaranteed A100s × 96 h × 1.20 = 230.40 charged; 500.00 credited.
            let added = try await runCLI(["credit", "add", "alpha", "--amount", "500.00", "--note", "PO-1"], server: api.base, token: fin, directory: dir)
            #expect(added.status == 0 && added.stdout.contains("500.00 USD credited to alpha; balance 269.60 USD"), "\(added.stdout)\(added.stderr)")
            #expect(try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("ok", pool: "p1", tenant: "alpha")).status == 201)

            // 14 days: 2 guaranteed A100s × 336 h, idle at 1.20 or used (at most the one job, spot at 0.96): ≥ 725.76 charged.
            clock.advance(10 * 86_400)
            let refused = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("refused", pool: "p1", tenant: "alpha"))
            #expect(refused.status == 409 && refused.text.contains("\"balance\"") && refused.text.contains("prepaid balance is -"), "\(refused.text)")
            let balances = try await runCLI(["balance"], server: api.base, token: t.alice, directory: dir)
            #expect(balances.status == 0 && balances.stdout.contains("EXHAUSTED") && !balances.stdout.contains("beta"), "\(balances.stdout)\(balances.stderr)")
            let all = try await api.get("/v1/balances", token: fin)
            #expect(all.array.compactMap { $0["tenant"] as? String } == ["alpha", "beta"] && all.array.last?["account"] as? Bool == false)

            let body = #"{"amount": 1000, "note": "PO-2"}"#
            let topUp = try await api.send(.POST, "/v1/tenants/alpha/credits", token: fin, body: body, headers: ["Idempotency-Key": "po-2"])
            #expect(topUp.status == 201, "a JSON number is read too: \(topUp.text)")
            let retried = try await api.send(.POST, "/v1/tenants/alpha/credits", token: fin, body: body, headers: ["Idempotency-Key": "po-2"])
            #expect(retried.status == 201 && (retried.object["credit"] as? [String: Any])?["id"] as? String == "credit-2", "the first credit again: \(retried.text)")
            let misused = try await api.send(.POST, "/v1/tenants/alpha/credits", token: fin, body: #"{"amount": 5, "note": "other"}"#, headers: ["Idempotency-Key": "po-2"])
            #expect(misused.status == 422, "\(misused.text)")
            #expect((try await api.get("/v1/balances?tenant=alpha", token: fin).array.first?["credits"] as? String) == "1500.00", "added once")
            let accepted = try await api.post("/v1/jobs", token: t.alice, json: Fixture.job("topped-up", pool: "p1", tenant: "alpha"))
            #expect(accepted.status == 201, "\(accepted.text)")
            #expect(try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("no-account", pool: "p1", tenant: "beta")).status == 201, "no account, no block")
        }
    }
}
