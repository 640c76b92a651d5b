import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Telemetry the whole way in a running server: the simulator (reading the store's inventory) is
/// sampled by the background `TelemetryService` once a minute of Reservoir's (manual) clock, the
/// samples are recorded and attributed by the telemetry context, and `GET /v1/utilization` reads them.
@Suite("Telemetry pipeline end to end")
struct TelemetryPipelineTests {
    @Test("a running training job's devices show its load a minute later, idle devices read 0 %, by job and by pool")
    func simulatorToUtilization() async throws {
        let clock = ManualClock(1_700_006_400)
        let store = try SQLiteStore(path: nil)
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, clock: clock.function)
        let reservoir = Reservoir(
            store: store, engine: engine, configuration: .init(cycleInterval: 0.05), logger: InProcessServer.quietLogger, clock: clock.function)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        try await InProcessServer.with(reservoir) { api, _ in
            let op = Fixture.operatorToken
            #expect(try await api.send(.POST, "/v1/import", token: op, body: Fixture.inventoryYAML, contentType: "application/yaml").status == 201)
            let tenancy = try await Fixture.setUp(api, alphaQuota: (4, 4))
            var job = Fixture.job("train", gpus: 4, runtime: 4 * 3_600)
            job["kind"] = "training"
            let submitted = try await api.post("/v1/jobs", token: tenancy.alice, json: job)
            let id = try #require(submitted.object["id"] as? String, "\(submitted.text)")
            #expect(try await api.waitForJob(id, token: tenancy.alice) { $0 == "running" }.final == "running")

            clock.advance(60)
            let window = "since=\(Int(clock.now) - 120)&until=\(Int(clock.now) + 60)&resolution=minute"
            var points: [[String: Any]] = []
            for _ in 0..<60 where points.isEmpty {
                try await Task.sleep(nanoseconds: 100_000_000)
                points = try await api.get("/v1/utilization?scope=job&id=\(id)&\(window)", token: tenancy.alice).object["points"] as? [[String: Any]] ?? []
            }
            let point = try #require(points.last)
            #expect(point["devices"] as? Int == 4)
            let util = try #require(point["gpuUtilMean"] as? Double)
            #expect(util >= 40 && util <= 98, "a training job's load: \(util)")
            let idle = try await api.get("/v1/utilization?scope=pool&id=p2&\(window)", token: op).object["points"] as? [[String: Any]] ?? []
            #expect(idle.last?["devices"] as? Int == 2 && idle.last?["gpuUtilMax"] as? Double == 0, "devices nobody holds read idle")
        }
    }
}
