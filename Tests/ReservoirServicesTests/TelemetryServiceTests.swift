import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

@Suite("Telemetry service")
struct TelemetryServiceTests {
    /// The batches a service recorded.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [[DeviceSample]] = []
        var failNext = false
        var batches: [[DeviceSample]] { lock.withLock { stored } }

        func record(_ samples: [DeviceSample]) throws {
            try lock.withLock {
                if failNext {
                    failNext = false
                    throw ReservoirError(.unavailable, "disk full")
                }
                stored.append(samples)
            }
        }
    }

    /// The services-test world (2 nodes × 4 A100s) with a simulator that reads the store's inventory.
    func reservoir(_ world: World) -> (Reservoir, SimulatedEngine) {
        let store = world.store
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, clock: world.clock.function)
        return (Reservoir(store: store, engine: engine, logger: World.logger, clock: world.clock.function), engine)
    }

    func eventually(_ condition: () -> Bool) async {
        for _ in 0..<60 where !condition() { try? await Task.sleep(nanoseconds: 50_000_000) }
    }

    @Test("the schedule samples at the first look in each interval of the clock, never twice in one, once after a long gap")
    func schedule() {
        var schedule = TelemetrySchedule(interval: 60)
        let looks = [1_020, 1_020, 1_079.9, 1_080, 1_500, 1_510].map { schedule.isDue(at: $0) }
        #expect(looks == [true, false, false, true, true, false], "seven intervals later: one sample, not seven")
        #expect(schedule.nextDue == 1_560)
    }

    @Test("the running service records one batch of every device per interval of Reservoir's (manual) clock")
    func oncePerInterval() async throws {
        let world = try World(clock: ManualClock(1_700_000_040))
        let (reservoir, _) = reservoir(world)
        let recorder = Recorder()
        let service = TelemetryService(reservoir: reservoir, interval: 60, record: recorder.record)
        let task = Task { try await service.run() }
        defer { task.cancel() }
        await eventually { recorder.batches.count == 1 }
        #expect(recorder.batches.count == 1, "a sample at start")
        #expect(recorder.batches[0].count == 8 && recorder.batches[0].allSatisfy { $0.at == 1_700_000_040 && $0.gpuUtilPercent == 0 })
        world.clock.advance(30)
        try await Task.sleep(nanoseconds: 1_300_000_000)
        #expect(recorder.batches.count == 1, "not twice in one interval")
        world.clock.advance(30)
        await eventually { recorder.batches.count == 2 }
        #expect(recorder.batches.count == 2)
        #expect(recorder.batches.last?.first?.at == 1_700_000_100)
    }

    @Test("a pass gives inference replicas the offered load, and a failed record is logged and retried on the next pass")
    func offeredLoadAndFailures() async throws {
        let world = try World()
        let (reservoir, engine) = reservoir(world)
        var spec = EngineJobSpec(
            job: "replica-1", name: "ranker", tenant: "alpha", pool: "p1", priority: .p1, preemptible: false,
            request: ResourceRequest(gpus: 1), replicas: 1,
            placements: [ReplicaPlacement(replica: 0, node: "n-01", deviceIndices: [2], gpuMilli: 1_000, cpuMilli: 1_000, memoryMiB: 1_024)],
            runtimeSeconds: 3_600)
        spec.kind = .inference
        try await engine.submit(spec)
        let recorder = Recorder()
        let service = TelemetryService(
            reservoir: reservoir, offeredLoad: { _ in ["replica-1": OfferedLoad(qps: 30, capacityQPS: 40)] }, record: recorder.record)
        recorder.failNext = true
        #expect(await service.sample(at: world.clock.now) == 0)
        #expect(recorder.batches.isEmpty)
        #expect(await service.sample(at: world.clock.now) == 8)
        let device = recorder.batches[0].first { $0.device == "n-01/gpu2" }
        #expect(device?.gpuUtilPercent == 75)
    }

    @Test("by default a pass is recorded through the telemetry context: the pool's minute series shows every device")
    func recordsIntoTheTelemetryContext() async throws {
        let world = try World()
        let (reservoir, _) = reservoir(world)
        #expect(await TelemetryService(reservoir: reservoir).sample(at: world.clock.now) == 8)
        let query = UtilizationQuery(scope: .pool("p1"), since: world.clock.now - 60, until: world.clock.now + 60, resolution: .minute)
        let report = try reservoir.telemetry.utilization(query, by: World.operatorPrincipal)
        #expect(report.points.count == 1 && report.points[0].devices == 8 && report.points[0].gpuUtilMean == 0)
    }

    @Test("nothing is recorded when no engine reports telemetry")
    func nothingWithoutSources() async throws {
        let world = try World()
        let recorder = Recorder()
        for engine in [SilentEngine() as any ExecutionEngine, EngineRegistry(engines: [:], fallback: SilentEngine()) { _ in nil }] {
            let reservoir = Reservoir(store: world.store, engine: engine, logger: World.logger, clock: world.clock.function)
            #expect(await TelemetryService(reservoir: reservoir, record: recorder.record).sample(at: world.clock.now) == 0)
        }
        #expect(recorder.batches.isEmpty)
    }
}

