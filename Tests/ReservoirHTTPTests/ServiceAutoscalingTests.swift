import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// SPEC §5.8 end to end over HTTP, on the simulated engine and a manual clock moved a minute at a
/// time: a service under a promotion spike scales out inside its pool (tier 1), fills the pool and
/// gets a node from the region's reserve (tier 2, automatic), scales back in after the spike, and
/// every adjustment is in `GET /v1/services/{id}/history`. Utilization goes the real way: each
/// minute the telemetry service samples the simulator (`TelemetryReporting`), which turns the
/// traffic `reservoir.services.offeredLoad(at:)` offers each replica into GPU utilization and
/// memory; the store attributes the samples to the service; the autoscaler reads them back.
@Suite("Service autoscaling end to end")
struct ServiceAutoscalingTests {
    static let inventory = """
        regions:
          - id: r1
            clusters:
              - id: c1
                engine: simulated
                pools:
                  - id: infer
                    purpose: inference
                    sharing: exclusive
                    nodes:
                      - {name: inf, count: 1, model: A100-80GB, gpus: 4, cpu: 64, memoryGiB: 512}
                  - id: reserve
                    purpose: inference
                    sharing: exclusive
                    labels: {reservoir.io/reserve: "true"}
                    nodes:
                      - {name: spare, count: 1, model: A100-80GB, gpus: 4, cpu: 64, memoryGiB: 512}
        """

    @Test("promotion spike: tier 1 out, tier 2 reserve node, in after the spike, all in the history")
    func promotionSpike() async throws {
        let clock = ManualClock(1_700_006_400)  // 00:00 UTC
        let t0 = clock.now
        var configuration = Reservoir.Configuration(cycleInterval: 0.05)
        configuration.services.reserve = .automatic
        configuration.services.reserveAfterSeconds = 60
        configuration.services.autoscaleIntervalSeconds = 3_600  // the test makes the passes, a minute of the clock apart
        let store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, clock: clock.function)
        let reservoir = Reservoir(store: store, engine: engine, configuration: configuration, logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        let sampler = TelemetryService(
            reservoir: reservoir, offeredLoad: { reservoir.services.offeredLoad(at: $0) }, record: { _ = try reservoir.telemetry.record($0) })

        try await InProcessServer.with(reservoir) { api, reservoir in
            let op = Fixture.operatorToken
            #expect(try await api.send(.POST, "/v1/import", token: op, body: Self.inventory, contentType: "application/yaml").status == 201)
            #expect(try await api.post("/v1/tenants", token: op, json: ["id": "shop"]).status == 201)
            #expect(try await api.post("/v1/users", token: op, json: ["id": "sam", "tenant": "shop", "roles": ["member"]]).status == 201)
            let sam = try #require(try await api.post("/v1/tokens", token: op, json: ["user": "sam"]).object["token"] as? String)
            #expect(try await api.put("/v1/quotas", token: op, json: ["tenant": "shop", "pool": "infer", "guaranteed": 8, "limit": 8]).status == 200)

            // 100 QPS, ×4 from minute 10 to minute 40; a replica serves 100 QPS at full utilization.
            let spike = (start: t0 + 600, end: t0 + 2_400)
            let service = """
                name: search
                pool: infer
                model: ranker-7b
                request: {gpus: 1, models: A100-80GB}
                replicas: {min: 2, max: 8}
                sla: {p99LatencyMs: 250, peakQPS: 800}
                capacityQPS: 100
                traffic:
                  baseQPS: 100
                  spikes: [{start: \(Int(spike.start)), end: \(Int(spike.end)), multiplier: 4}]
                """
            let deployed = try await api.send(.POST, "/v1/services", token: sam, body: service, contentType: "application/yaml")
            try #require(deployed.status == 201, "\(deployed.text)")

            /// The service as shown, once the scheduler has placed what fits (4 GPUs; 8 once the reserve node came).
            func settled() async throws -> [String: Any] {
                let deadline = Date().addingTimeInterval(5)
                while true {
                    let view = try await api.get("/v1/services/search", token: sam).object
                    let replicas = view["replicas"] as? [String: Any] ?? [:]
                    let pool = try reservoir.store.inventory().nodes.filter { $0.pool == "infer" }.reduce(0) { $0 + $1.gpuCount }
                    if replicas["running"] as? Int == min(replicas["desired"] as? Int ?? 0, pool) || Date() > deadline { return view }
                    try await Task.sleep(nanoseconds: 20_000_000)
                }
            }

            var desired: [(at: Double, replicas: Int)] = []
            for _ in 1...70 {
                _ = try await settled()
                #expect(await sampler.sample(at: clock.now) == 8)  // every device of both nodes, busy or idle
                clock.advance(60)
                await reservoir.services.autoscale()
                let after = try await settled()
                desired.append((clock.now, (after["replicas"] as? [String: Any])?["desired"] as? Int ?? 0))
            }
            // What the autoscaler read: the service's own minute series, over HTTP.
            let series = try await api.get("/v1/utilization?scope=service&id=search&since=\(Int(t0))&until=\(Int(clock.now))&resolution=minute", token: op)
            #expect(series.status == 200, "\(series.text.prefix(300))")
            #expect(((series.object["points"] as? [[String: Any]])?.count ?? 0) >= 65, "\(series.text.prefix(300))")

            let history = try await api.get("/v1/services/search/history", token: sam)
            #expect(history.status == 200)
            let entries = history.array
            let kinds = entries.map { $0["kind"] as? String ?? "?" }
            let text = history.text
            // Deployed; out during the spike (tier 1); the pool full, a reserve node (tier 2); in after it (tier 1).
            #expect(kinds.first == "deployed", "\(text)")
            let out = entries.filter { $0["kind"] as? String == "scaled-out" }
            let reserve = entries.filter { $0["kind"] as? String == "reserve-nodes-added" }
            let back = entries.filter { $0["kind"] as? String == "scaled-in" }
            #expect(!out.isEmpty && reserve.count == 1 && !back.isEmpty, "\(text)")
            #expect(out.allSatisfy { ($0["at"] as? Double ?? 0) > spike.start && ($0["at"] as? Double ?? 0) <= spike.end && $0["tier"] as? Int == 1 }, "\(text)")
            #expect(out.allSatisfy { ($0["after"] as? Int ?? 0) > ($0["before"] as? Int ?? 0) }, "\(text)")
            #expect(reserve.first?["tier"] as? Int == 2 && (reserve.first?["nodes"] as? [String]) == ["spare"], "\(text)")
            #expect(back.allSatisfy { ($0["at"] as? Double ?? 0) > spike.end && ($0["tier"] as? Int) == 1 && ($0["after"] as? Int ?? 9) < ($0["before"] as? Int ?? 0) }, "\(text)")
            #expect(kinds.firstIndex(of: "reserve-nodes-added")! < kinds.firstIndex(of: "scaled-in")!, "\(text)")
            #expect(entries.allSatisfy { ($0["reason"] as? String ?? "").isEmpty == false && ($0["at"] as? Double ?? 0) >= t0 && $0["actor"] != nil })
            #expect(entries.dropFirst().allSatisfy { $0["actor"] as? String == "system:autoscaler" }, "\(text)")
            // More than the pool's 4 GPUs at the peak, back near the base load's 2 at the end.
            #expect((desired.map(\.replicas).max() ?? 0) > 4, "\(desired)")
            #expect((desired.last?.replicas ?? 9) <= 3, "\(desired)")
            // The reserve request is listed for operators, fulfilled; the node now serves the pool.
            let requests = try await api.get("/v1/capacity-requests", token: op).array
            #expect(requests.count == 1 && requests.first?["state"] as? String == "fulfilled" && requests.first?["tier"] as? Int == 2)
            #expect(try reservoir.store.inventory().nodes.first { $0.id == "spare" }?.pool == "infer")
            let final = try await api.get("/v1/services/search", token: sam).object
            let load = try #require(final["load"] as? [String: Any])
            #expect(load["measured"] as? Bool == true)
            #expect((load["p99LatencyMsEstimate"] as? Double ?? 0) > 0)
            #expect(try StoreInvariants.violations(store).isEmpty)
        }
    }

    @Test("bad services over HTTP: 400 naming the field (min > max, SLA without a target, thresholds out of range, unknown keys), nothing stored")
    func badServices() async throws {
        try await InProcessServer.with { api, _ in
            let t = try await Fixture.setUp(api)
            let good = """
                name: bad
                pool: p1
                model: m
                request: {gpus: 1}
                replicas: {min: 1, max: 4}
                sla: {p99LatencyMs: 100, peakQPS: 50}
                """
            let cases: [(String, String)] = [
                (good.replacingOccurrences(of: "{min: 1, max: 4}", with: "{min: 5, max: 4}"), "replicas.max"),
                (good.replacingOccurrences(of: "{p99LatencyMs: 100, peakQPS: 50}", with: "{peakQPS: 50}"), "sla.p99LatencyMs"),
                (good + "\nautoscaling: {scaleOutUtilPercent: 180}", "autoscaling.scaleOutUtilPercent"),
                (good + "\nautoscaling: {scaleInUtilPercent: 70}", "autoscaling.scaleInUtilPercent"),
                (good + "\nautoscaling: {windowSeconds: 5}", "autoscaling.windowSeconds"),
                (good.replacingOccurrences(of: "{p99LatencyMs: 100, peakQPS: 50}", with: "{p99: 100, peakQPS: 50}"), "sla.p99"),
                (good + "\nreplicaz: 3", "replicaz"),
                (good + "\ntraffic: {baseQPS: 10, spikes: [{start: 20, end: 10, multiplier: 2}]}", "traffic.spikes[0].end"),
            ]
            for (body, field) in cases {
                let r = try await api.send(.POST, "/v1/services", token: t.alice, body: body, contentType: "application/yaml")
                #expect(r.status == 400 && r.errorField == field, "\(field): \(r.status) \(r.text)")
            }
            let scale = try await api.post("/v1/services/none/scale", token: t.alice, json: ["replicas": 2, "reason": "x"])
            #expect(scale.status == 404)
            #expect(try await api.get("/v1/services", token: Fixture.operatorToken).array.isEmpty)
            #expect(try await api.get("/v1/jobs", token: Fixture.operatorToken).array.isEmpty)
        }
    }
}
