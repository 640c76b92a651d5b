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
/// every adjustment is in `GET /v1/services/{id}/history`. Utilization goes the real way: device
/// samples recorded through `reservoir.telemetry.record`, attributed by the store to the service
/// holding the device, read back by the autoscaler at minute resolution. Each minute the test
/// samples the replicas' devices from `reservoir.services.offeredLoad(at:)` (offered QPS over
/// capacity), as the telemetry sampler does with the simulator.
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
        let reservoir = Reservoir(
            store: try SQLiteStore(path: nil), engine: SimulatedEngine(nodes: [], speed: 1, clock: clock.function), configuration: configuration,
            logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)

        try await InProcessServer.with(reservoir) { api, reservoir in
            let op = Fixture.operatorToken
            #expect(try await api.send(.POST, "/v1/import", token: op, body: Self.inventory, contentType: "application/yaml").status == 201)
            #expect(try await api.post("/v1/tenants", token: op, json: ["id": "shop"]).status == 201)
            #expect(try await api.post("/v1/users", token: op, json: ["id": "sam", "tenant": "shop", "roles": ["member"]]).status == 201)
            let sam = try #require(try await api.post("/v1/tokens", token: op, json: ["user": "sam"]).object["token"] as? String)
            #expect(try await api.put("/v1/quotas", token: op, json: ["tenant": "shop", "pool": "infer", "guaranteed": 8, "limit": 8]).status == 200)

            // 100 QPS, ×4 from minute 10 to minute 40; a replica serves 100 QPS at full utilization.
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
                  spikes: [{start: \(Int(t0 + 600)), end: \(Int(t0 + 2_400)), multiplier: 4}]
                """
            let deployed = try await api.send(.POST, "/v1/services", token: sam, body: service, contentType: "application/yaml")
            try #require(deployed.status == 201, "\(deployed.text)")

            /// The service as shown, once the scheduler has placed what it can.
            func settled() async throws -> [String: Any] {
                let deadline = Date().addingTimeInterval(5)
                while true {
                    let view = try await api.get("/v1/services/search", token: sam).object
                    let replicas = view["replicas"] as? [String: Any] ?? [:]
                    let running = replicas["running"] as? Int ?? 0
                    let desired = replicas["desired"] as? Int ?? 0
                    // Placed what fits: all, or the pool is full (4 GPUs, 8 once the reserve node came).
                    let pool = try reservoir.store.inventory().nodes.filter { $0.pool == "infer" }.reduce(0) { $0 + $1.gpuCount }
                    if running == min(desired, pool) || Date() > deadline { return view }
                    try await Task.sleep(nanoseconds: 20_000_000)
                }
            }

            /// One minute's samples of every device a running replica holds: utilization = offered / capacity.
            func sample() throws {
                let load = reservoir.services.offeredLoad(at: clock.now)
                var samples: [DeviceSample] = []
                for job in try reservoir.store.replicas(of: "search", states: [.running]) {
                    let util = min(100, (load[job.id].map { $0.qps / $0.capacityQPS } ?? 0) * 100)
                    for placement in job.placements {
                        for index in placement.deviceIndices {
                            samples.append(DeviceSample(device: Device.id(node: placement.node, index: index), at: clock.now, gpuUtilPercent: util, memoryUsedMiB: 30_000))
                        }
                    }
                }
                if !samples.isEmpty { _ = try reservoir.telemetry.record(samples) }
            }

            var desiredByMinute: [Int] = []
            for _ in 1...60 {
                _ = try await settled()
                try sample()
                clock.advance(60)
                await reservoir.services.autoscale()
                let after = try await settled()
                desiredByMinute.append((after["replicas"] as? [String: Any])?["desired"] as? Int ?? 0)
            }
            // What the autoscaler read: the service's own series over HTTP.
            let series = try await api.get("/v1/utilization?scope=service&id=search&since=\(Int(t0))&until=\(Int(clock.now))&resolution=minute", token: op)
            #expect(series.status == 200, "\(series.text.prefix(300))")

            // 2 → 4 (five minutes at 100 % from minute 10) → 7 (four fill the pool: three wait, the reserve node comes) → 3 after the spike.
            #expect(desiredByMinute.max() == 7)
            #expect(desiredByMinute.last == 3)
            let history = try await api.get("/v1/services/search/history", token: sam)
            #expect(history.status == 200)
            let entries = history.array
            let kinds = entries.map { $0["kind"] as? String ?? "?" }
            #expect(kinds == ["deployed", "scaled-out", "scaled-out", "reserve-nodes-added", "scaled-in"], "\(history.text)")
            #expect(entries.map { $0["before"] as? Int ?? -1 } == [0, 2, 4, 7, 7])
            #expect(entries.map { $0["after"] as? Int ?? -1 } == [2, 4, 7, 7, 3])
            #expect(entries.map { $0["tier"] as? Int ?? -1 } == [1, 1, 1, 2, 1])
            #expect(entries.map { $0["actor"] as? String ?? "?" } == ["user:sam", "system:autoscaler", "system:autoscaler", "system:autoscaler", "system:autoscaler"])
            #expect(entries.allSatisfy { ($0["reason"] as? String ?? "").isEmpty == false && ($0["at"] as? Double ?? 0) >= t0 })
            #expect((entries[3]["nodes"] as? [String]) == ["spare"])
            // The reserve request is listed for operators, fulfilled; the node now serves the pool.
            let requests = try await api.get("/v1/capacity-requests", token: op).array
            #expect(requests.count == 1 && requests.first?["state"] as? String == "fulfilled" && requests.first?["tier"] as? Int == 2)
            #expect(try reservoir.store.inventory().nodes.first { $0.id == "spare" }?.pool == "infer")
            let final = try await api.get("/v1/services/search", token: sam).object
            let load = try #require(final["load"] as? [String: Any])
            #expect(load["measured"] as? Bool == true)
            #expect((load["p99LatencyMsEstimate"] as? Double ?? 0) > 0)
            #expect(try StoreInvariants.violations(reservoir.store as! SQLiteStore).isEmpty)
        }
    }
}
