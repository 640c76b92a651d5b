import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirEngine
import ReservoirStore
import Testing

/// `GET /v1/water-level`, `POST /v1/feasibility` and `reservoir water-level` against a live server
/// (issue 14, item 3): the level moves with running work, and the verdicts follow it and the rules.
@Suite("Water level and feasibility over HTTP and the CLI")
struct FeasibilityTests {
    /// A server whose compliance rules make p2 the strategic reserve and let one tenant hold a whole pool.
    static func reservoir() throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.requests.compliance.strategicReservePools = ["p2"]
        configuration.requests.compliance.maxTenantShare = 1
        let engine = SimulatedEngine(nodes: [], speed: 1, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: engine, configuration: configuration, logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    /// Sets up the fixture with beta's 4-GPU job running on p1 (declared for a day); returns alice's token.
    static func busy(_ api: API) async throws -> String {
        let t = try await Fixture.setUp(api)
        let job = try await api.post("/v1/jobs", token: t.bob, json: Fixture.job("busy", gpus: 4, runtime: 86_400))
        let id = try #require(job.object["id"] as? String, "\(job.text)")
        let state = try await api.waitForJob(id, token: t.bob) { $0 == "running" }
        try #require(state.final == "running", "\(state.seen)")
        return t.alice
    }

    @Test("The water level follows running work; verdicts: fits now, must queue with a start, must shrink, refused; bad input names every field")
    func http() async throws {
        try await InProcessServer.with(try Self.reservoir()) { api, _ in
            let alice = try await Self.busy(api)
            let level = try await api.get("/v1/water-level?pool=p1", token: alice)
            #expect(level.status == 200, "\(level.text)")
            let p1 = try #require((level.object["levels"] as? [[String: Any]])?.first)
            #expect(p1["model"] as? String == "A100-80GB" && p1["total"] as? Int == 8 && p1["allocated"] as? Int == 4 && p1["free"] as? Int == 4, "\(p1)")
            let all = try await api.get("/v1/water-level", token: alice)
            #expect((all.object["levels"] as? [[String: Any]])?.contains { $0["pool"] as? String == "p2" && $0["strategicReserve"] as? Bool == true } == true, "\(all.text)")

            func ask(_ gpus: Int, pool: String = "p1", category: String = "L2") async throws -> [String: Any] {
                let r = try await api.post("/v1/feasibility", token: alice, json: ["category": category, "pool": pool, "gpus": gpus, "durationHours": 24])
                #expect(r.status == 200, "\(r.text)")
                return r.object
            }
            #expect(try await ask(4)["verdict"] as? String == "fits-now")
            let queue = try await ask(6)
            #expect(queue["verdict"] as? String == "must-queue", "\(queue)")
            let start = try #require(queue["estimatedStart"] as? Double, "\(queue)")
            #expect(abs(start - (Date().timeIntervalSince1970 + 86_400)) < 120, "declared runtime of beta's job: \(start)")
            #expect((queue["fits"] as? [String: Any])?["gpus"] as? Int == 4)
            let shrink = try await ask(10)
            #expect(shrink["verdict"] as? String == "must-shrink" && (shrink["fits"] as? [String: Any])?["gpus"] as? Int == 8, "\(shrink)")
            let research = try await ask(1, pool: "p2", category: "research")
            #expect(research["verdict"] as? String == "refused" && (research["violations"] as? [String])?.first?.contains("strategic") == true, "\(research)")

            let bad = try await api.post("/v1/feasibility", token: alice, json: ["category": "L2", "gpus": 0, "pool": "nope", "model": "Z9", "durationHours": -1])
            #expect(bad.status == 400)
            for field in ["gpus", "pool", "model", "durationHours"] { #expect(bad.text.contains(field), "\(field): \(bad.text)") }
            let otherTenant = try await api.post("/v1/feasibility", token: alice, json: ["tenant": "beta", "category": "L2", "gpus": 1])
            #expect(otherTenant.status == 403)
        }
    }

    @Test("reservoir water-level prints the table; --json prints the reply")
    func cli() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-water-level-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(try Self.reservoir()) { api, _ in
            let alice = try await Self.busy(api)
            let table = try await runCLI(["water-level", "--pool", "p1"], server: api.base, token: alice, directory: dir)
            print(table.stdout)
            #expect(table.status == 0, "\(table.stderr)")
            let row = table.stdout.split(separator: "\n").first { $0.hasPrefix("p1") }.map { $0.split(separator: " ").map(String.init) }
            #expect(row == ["p1", "A100-80GB", "8", "4", "0", "0", "4", "0", "0", "no"], "\(table.stdout)")
            let json = try await runCLI(["water-level", "--json"], server: api.base, token: alice, directory: dir)
            #expect(json.status == 0 && json.stdout.contains("\"levels\""), "\(json.stderr)")
            let unknown = try await runCLI(["water-level", "--pool", "nope"], server: api.base, token: alice, directory: dir)
            #expect(unknown.status != 0 && unknown.stderr.contains("nope"), "\(unknown.stderr)")
        }
    }

    @Test("reservoir request check -f FORM: the form's verdict, without submitting; an inference form's GPUs come from its load test")
    func checkForm() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-request-check-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with(try Self.reservoir()) { api, reservoir in
            let alice = try await Self.busy(api)
            let example = { (name: String) in Executable.packageRoot.appendingPathComponent("examples/\(name)").path }
            let l2 = try await runCLI(["request", "check", "-f", example("request-training-l2.yaml")], server: api.base, token: alice, directory: dir)
            print(l2.stdout)
            #expect(l2.status == 0, "\(l2.stderr)")
            #expect(l2.stdout.hasPrefix("fits-now: Fits now on A100-80GB in pool p1") && l2.stdout.contains("p1"), "\(l2.stdout)")
            let big = try await runCLI(["request", "check", "-f", example("request-training-l2.yaml"), "--gpus", "6"], server: api.base, token: alice, directory: dir)
            #expect(big.status == 0 && big.stdout.hasPrefix("must-queue") && big.stdout.contains("estimated start:") && big.stdout.contains("would fit: 4 GPUs"), "\(big.stdout) \(big.stderr)")
            let online = try await runCLI(["request", "check", "-f", example("request-inference-online.yaml"), "--json"], server: api.base, token: alice, directory: dir)
            #expect(online.status == 0, "\(online.stderr)")
            #expect(online.stdout.contains("\"verdict\""), "\(online.stdout)")
            #expect(try reservoir.store.requests(RequestFilter(), page: PageRequest()).items.isEmpty, "a check stores nothing")
        }
    }
}
