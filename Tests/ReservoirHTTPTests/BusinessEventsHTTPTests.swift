import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Business events and per pool/model forecasts through the running server and the CLI: an operator
/// registers a promotion, the capacity plan and the pool's forecast include it and say so, bad events
/// are refused naming the field, and withdrawing it gives the plan back.
@Suite("Business events and series forecasts over HTTP and the CLI")
struct BusinessEventsHTTPTests {
    /// Two weeks of history on p1's A100s: 2 GPUs busy at night, 4 in the (UTC) working day; a short
    /// horizon keeps the debug-build forecasts quick.
    static func reservoir(_ clock: ManualClock) throws -> Reservoir {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.planning.historyHours = 14 * 24
        configuration.planning.horizonHours = 72
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], speed: 1000, clock: clock.function), configuration: configuration,
            logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        return reservoir
    }

    static func history(until now: Double) -> [(job: Job, model: String)] {
        let first = (now / 3600).rounded(.down) * 3600 - 14 * 86_400
        return (0..<(14 * 24)).map { h in
            let start = first + Double(h) * 3600
            let hour = h % 24
            let gpus = (9..<18).contains(hour) ? 4 : 2
            return BillingHTTPTests.run("history-\(h)", pool: "p1", model: "A100-80GB", gpus: gpus, preemptible: false, start: start, hours: 1)
        }
    }

    @Test func aPromotionRaisesThePlanAndThePoolForecastAndSaysSo() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-events-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ManualClock(1_790_000_000)
        try await InProcessServer.with(try Self.reservoir(clock)) { api, reservoir in
            _ = try await Fixture.setUp(api)
            try reservoir.store.insertHistory(Self.history(until: clock.now), by: Attribution(actor: "test", at: clock.now))
            let op = Fixture.operatorToken
            func a100(_ plan: Reply) -> [String: Any]? {
                (plan.object["recommendations"] as? [[String: Any]])?.first { $0["model"] as? String == "A100-80GB" }
            }
            let before = try await api.send(.GET, "/v1/plans/capacity", token: op, timeout: .seconds(600))
            #expect(before.status == 200, "\(before.text)")
            let peakBefore = try #require(a100(before)?["sustainedPeak"] as? Double, "\(before.text)")
            #expect((before.object["events"] as? [String: Any])?.isEmpty == true, "\(before.text)")

            // Bad events: refused naming the field, nothing stored.
            let backwards = try await api.post("/v1/business-events", token: op, json: RouteExamples.businessEvent(start: clock.now + 86_400, end: clock.now))
            #expect(backwards.status == 400 && backwards.text.contains("end"), "\(backwards.text)")
            let effectless = try await api.post("/v1/business-events", token: op, json: ["name": "x", "start": clock.now, "end": clock.now + 3600])
            #expect(effectless.status == 400 && effectless.text.contains("uplift"), "\(effectless.text)")
            let nowhere = try await api.post("/v1/business-events", token: op, json: ["name": "x", "start": clock.now, "end": clock.now + 3600, "uplift": 1, "pools": ["p9"]])
            #expect(nowhere.status == 400 && nowhere.text.contains("pools"), "\(nowhere.text)")
            let negative = try await api.post("/v1/business-events", token: op, json: ["name": "x", "start": clock.now, "end": clock.now + 3600, "extraGPUs": -4])
            #expect(negative.status == 400 && negative.text.contains("extraGPUs"), "\(negative.text)")
            #expect(try await api.get("/v1/business-events", token: op).array.isEmpty)

            // The operator registers the promotion with the CLI: tomorrow, for a day, demand × 2.5 on p1's A100s.
            let added = try await runCLI(
                ["events", "add", "11.11 promotion", "--kind", "promotion", "--start", String(Int(clock.now + 86_400)), "--end", String(Int(clock.now + 2 * 86_400)),
                 "--uplift", "1.5", "--pool", "p1", "--model", "A100-80GB"], server: api.base, token: op, directory: dir)
            #expect(added.status == 0 && added.stdout.contains("ev-1") && added.stdout.contains("+150 %"), "\(added.stdout)\(added.stderr)")
            let listed = try await runCLI(["events", "list"], server: api.base, token: op, directory: dir)
            #expect(listed.status == 0 && listed.stdout.contains("11.11 promotion"), "\(listed.stdout)\(listed.stderr)")

            let after = try await api.send(.GET, "/v1/plans/capacity", token: op, timeout: .seconds(600))
            let peakAfter = try #require(a100(after)?["sustainedPeak"] as? Double, "\(after.text)")
            #expect(peakAfter > 1.8 * peakBefore, "the promotion's ×2.5 reaches the plan: \(peakBefore) → \(peakAfter)")
            let named = (after.object["events"] as? [String: Any])?["A100-80GB"] as? [[String: Any]]
            #expect(named?.compactMap { $0["id"] as? String } == ["ev-1"], "the plan says which events it includes: \(after.text)")
            #expect((after.object["events"] as? [String: Any])?["T4"] == nil, "an event on A100s is not in the T4 plan")

            // The pool's demand forecast includes it; the forecast is finite and says what it could not model.
            let pool = try await api.get("/v1/series/forecast?pool=p1&horizon=72", token: op)
            #expect(pool.status == 200 && pool.object["method"] as? String == "auto_ensemble+events", "\(pool.text)")
            let mean = try #require((pool.object["forecast"] as? [String: Any])?["mean"] as? [Double])
            #expect(mean.count == 72 && mean.allSatisfy(\.isFinite))
            let inEvent = mean[24..<48].max() ?? 0, outside = mean[48..<72].max() ?? 0
            #expect(inEvent > 2 * outside, "the event's day is raised: \(inEvent) vs \(outside)")
            #expect((pool.object["notes"] as? [String])?.contains { $0.contains("yearly seasonality not modelled") } == true, "\(pool.text)")
            let t4 = try await api.get("/v1/series/forecast?model=T4&horizon=24", token: op)
            #expect(t4.status == 200 && (t4.object["events"] as? [Any])?.isEmpty == true && t4.object["method"] as? String == "auto_ensemble", "\(t4.text)")
            let cli = try await runCLI(["forecast", "series", "--pool", "p1", "--model", "A100-80GB", "--horizon", "72"], server: api.base, token: op, directory: dir)
            #expect(cli.status == 0 && cli.stdout.contains("includes event ev-1") && cli.stdout.contains("PEAK_UPPER80"), "\(cli.stdout)\(cli.stderr)")

            // Withdrawn: the plan is what it was.
            let withdrawn = try await runCLI(["events", "withdraw", "ev-1"], server: api.base, token: op, directory: dir)
            #expect(withdrawn.status == 0, "\(withdrawn.stdout)\(withdrawn.stderr)")
            #expect(try await api.send(.DELETE, "/v1/business-events/ev-1", token: op).status == 404)
            let again = try await api.send(.GET, "/v1/plans/capacity", token: op, timeout: .seconds(600))
            #expect(a100(again)?["sustainedPeak"] as? Double == peakBefore, "\(again.text)")
            let audit = try await api.get("/v1/audit?limit=100", token: op)
            #expect(audit.text.contains("event.register") && audit.text.contains("event.withdraw"), "\(audit.text.prefix(500))")
        }
    }
}
