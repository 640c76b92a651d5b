import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import Testing

/// `serve --demo` as a newcomer meets it: seeded once, secrets shown once, the job stream acting only
/// for demo tenants, and planning answering on day one from the seeded history.
@Suite("Demo: seeded once, acts only for itself, plans on day one", .serialized)
struct DemoTests {
    static let admin = Principal(user: User(id: "admin", roles: [.operator_]))

    @Test("a second start of serve --demo mints no tokens and prints no secret; the first start's tokens still work")
    func secondStartPrintsNoSecrets() async throws {
        let binary = try #require(Executable.reservoir, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataDir = dir.appendingPathComponent("data").path
        func start() async throws -> (Child, API) {
            let child = try Child(binary, ["serve", "--demo", "--port", "0", "--data-dir", dataDir, "--log-level", "warning"], directory: dir)
            let url = try #require(await child.waitForLine(containing: "Reservoir is running at ", timeout: 60), "server did not start: \(child.stderr)")
            return (child, API(port: try #require(URLComponents(string: url)?.port)))
        }

        let (first, api) = try await start()
        let operatorToken = try #require(await first.waitForLine(containing: "export RESERVOIR_TOKEN=", timeout: 5))
        let memberLine = try #require(first.stdout.split(separator: "\n").first { $0.contains("nlp-member") })
        let memberToken = try #require(memberLine.split(separator: " ").last.map(String.init))
        #expect(memberToken.hasPrefix("rsv_"))
        let created = try await api.post("/v1/users", token: operatorToken, json: ["id": "ops2", "roles": ["operator"]])
        #expect(created.status == 201)
        let tokensBefore = try await api.get("/v1/tokens", token: operatorToken).array
        first.kill9()

        let (second, api2) = try await start()
        _ = await second.waitForLine(containing: "Try:", timeout: 5)
        let out = second.stdout
        #expect(!out.contains("rsv_"), "a second start printed a secret:\n\(out)")
        #expect(!out.contains(operatorToken) && !out.contains(memberToken))
        #expect(out.contains("seeded on an earlier start") && out.contains("reservoir tokens create"), "\(out)")
        let tokensAfter = try await api2.get("/v1/tokens", token: operatorToken).array
        #expect(tokensAfter.count == tokensBefore.count, "restart minted tokens: \(tokensBefore.count) → \(tokensAfter.count)")
        #expect(!tokensAfter.contains { $0["user"] as? String == "ops2" }, "an operator-created user got a token behind the operator's back")
        #expect(try await api2.get("/v1/jobs", token: memberToken).status == 200)
        // Listed tokens carry their times, never a secret or a hash.
        let listed = try #require(try await api2.get("/v1/tokens", token: operatorToken).array.first { $0["user"] as? String == "nlp-member" })
        #expect(listed["createdAt"] is Double && listed["lastUsedAt"] is Double)
        #expect(listed["token"] == nil && listed["hash"] == nil)
        second.kill9()
    }

    @Test("--help never shows the bearer token, whatever RESERVOIR_TOKEN holds")
    func helpHidesToken() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-help")
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["jobs", "--help"], ["submit", "--help"], ["tokens", "create", "--help"]] {
            let help = try await runCLI(command, server: "http://127.0.0.1:1", token: "rsv_live_secret_123", directory: dir)
            #expect(help.status == 0)
            #expect(!(help.stdout + help.stderr).contains("rsv_live_secret_123"), "\(command) --help printed the token")
        }
    }

    @Test("the demo job stream submits only as demo users of demo tenants, never as an operator-created tenant")
    func demoStreamActsOnlyForDemoTenants() async throws {
        let reservoir = try InProcessServer.makeReservoir(speed: 1)
        _ = try reservoir.demo.seed(by: Self.admin)
        // The seed's own jobs (the granted request's) are not the stream's.
        let seeded = try reservoir.store.jobs(tenant: nil, states: [.queued], limit: 1000).count
        _ = try reservoir.tenancy.createTenant(Tenant(id: "acme"), by: Self.admin)
        _ = try reservoir.tenancy.createUser(User(id: "carol", tenant: "acme", roles: [.member]), by: Self.admin)
        for pool in ["bj-training", "bj-inference", "bj-testing", "sh-training", "sh-mixed"] {
            _ = try reservoir.tenancy.setQuota(Quota(tenant: "acme", pool: PoolID(pool), guaranteedMilli: 1_000_000, limitMilli: 1_000_000), by: Self.admin)
        }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<60 { try reservoir.demo.submitSample(maxWaiting: 10_000, using: &rng) }
        let live = try reservoir.store.jobs(tenant: nil, states: [.queued], limit: 1000)
        #expect(live.count == seeded + 60)
        let demo = try reservoir.store.demoSeed()
        #expect(live.allSatisfy { demo.tenants.contains($0.tenant) && demo.users.contains($0.submittedBy) })
        #expect(!live.contains { $0.tenant == "acme" || $0.submittedBy == "carol" })
        #expect(try reservoir.audit.auditLog(object: nil, limit: 1000, by: Self.admin).allSatisfy { !($0.action == "job.submit" && $0.actor == "user:carol") })
    }

    /// A demo reservoir whose planner looks at 8 days and 1 day ahead: a debug build forecasts the full
    /// 4-week window of one model in about a minute and a half, too slow for a test of every model.
    static func shortPlanningDemo() throws -> (Reservoir, [DemoLogin]) {
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let planning = PlanningSettings(historyHours: 8 * 24, horizonHours: 24)
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: engine, configuration: .init(cycleInterval: 0.1, planning: planning),
            logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return (reservoir, try reservoir.demo.seed(by: Self.admin))
    }

    @Test("a fresh demo has four weeks of demand for every installed model, within its pools; plan whatif --surge answers (CLI exits 0)")
    func planningOnDayOne() async throws {
        let (reservoir, logins) = try Self.shortPlanningDemo()
        let finance = try #require(logins.first { $0.user == "finance" }?.token)
        let dir = try Executable.temporaryDirectory("reservoir-plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(reservoir) { api, _ in
            let installed = ["A100-80GB": 64, "H100-80GB": 32, "L40S": 24, "A10": 24, "T4": 40, "V100-32GB": 16, "H200": 32, "Ascend-910B": 32, "A100-40GB": 64]
            let from = Date().timeIntervalSince1970 - 28 * 86_400
            for (model, gpus) in installed {
                let series = try await api.get("/v1/series/demand?model=\(model)&from=\(from)", token: finance)
                let inUse = try #require(series.object["inUse"] as? [Double], "\(model): \(series.text)")
                let busy = inUse.filter { $0 > 0 }.count
                #expect(busy >= inUse.count * 9 / 10, "\(model): demand in only \(busy) of \(inUse.count) hours")
                #expect((inUse.max() ?? 0) <= Double(gpus), "\(model): \(inUse.max() ?? 0) in use of \(gpus) installed")
                // Daily seasonality: afternoons (Beijing) busier than nights.
                let hourly = Dictionary(grouping: inUse.indices, by: { (Int(from / 3600) + $0 + 8) % 24 }).mapValues { $0.map { inUse[$0] }.reduce(0, +) }
                #expect((hourly[15] ?? 0) > (hourly[3] ?? 0), "\(model): no daily pattern")
            }
            let events = try await runCLI(["events", "list"], server: api.base, token: finance, directory: dir)
            #expect(events.status == 0 && events.stdout.contains("11.11 promotion") && events.stdout.contains("A100-80GB"), "the demo registers an event: \(events.stdout)\(events.stderr)")
            let surge = try await runCLI(["plan", "whatif", "--model", "A100-80GB", "--surge", "3", "--hours", "12"], server: api.base, token: finance, directory: dir)
            #expect(surge.status == 0 && surge.stdout.contains("recommendation"), "\(surge.stdout)\(surge.stderr)")
        }
    }

    @Test("without history, plan capacity and plan whatif say how much history is needed and exit non-zero")
    func planningWithoutHistory() async throws {
        let dir = try Executable.temporaryDirectory("reservoir-plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, _ in
            _ = try await Fixture.setUp(api)
            let capacity = try await runCLI(["plan", "capacity"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(capacity.status != 0)
            #expect((capacity.stdout + capacity.stderr).contains("of the 168 hours needed"), "\(capacity.stdout)\(capacity.stderr)")
            let surge = try await runCLI(["plan", "whatif", "--model", "A100-80GB", "--surge", "2"], server: api.base, token: Fixture.operatorToken, directory: dir)
            #expect(surge.status != 0)
            #expect((surge.stdout + surge.stderr).contains("hours needed"), "\(surge.stdout)\(surge.stderr)")
        }
    }
}
