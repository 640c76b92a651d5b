import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Device health: operator actions, node agents' reports (discovery, XID/ECC, MIG mode, recovery),
/// and what happens to the work on a device that leaves service.
@Suite("Device health")
struct DeviceHealthTests {
    static let agent = Principal(user: User(id: "agent-1", roles: [.agent]))
    static let node = NodeID("n-01")

    /// `World` with a running job on both GPUs 0 and 1 of n-01… and a reservoir with `policy`.
    struct HealthWorld {
        let w: World
        let reservoir: Reservoir
        let pump: EventPump

        init(policy: HealthPolicy = HealthPolicy()) async throws {
            w = try World()
            var configuration = Reservoir.Configuration()
            configuration.health = policy
            reservoir = Reservoir(store: w.store, engine: w.engine, configuration: configuration, logger: World.logger, clock: w.clock.function)
            pump = await EventPump(w)
        }

        /// A running job of `gpus` GPUs (placed on n-01 first: nodes fill in id order with best-fit).
        func runningJob(gpus: Int) async throws -> Job {
            let job = try w.submit("train-\(UUID().uuidString.prefix(4))", gpus: gpus, runtime: 3_600)
            try await w.reservoir.scheduling.runSchedulingCycle()
            #expect(try await eventually(w) { try w.job(job.id).state == .running })
            w.clock.advance(120)
            return try w.job(job.id)
        }

        func device(_ index: Int, on node: NodeID = DeviceHealthTests.node) throws -> Device {
            try #require(try w.store.inventory().nodes.first { $0.id == node }?.devices.first { $0.index == index })
        }

        /// A report of `node` finding GPUs `indices` with one sample each.
        func report(
            found indices: [Int], node: NodeID = DeviceHealthTests.node, util: Double = 50, xid: [Int: Int] = [:], ecc: [Int: Int] = [:], mig: Bool? = nil
        ) -> AgentReport {
            let at = w.clock.function()
            return AgentReport(
                node: node,
                devices: indices.map { DiscoveredDevice(index: $0, name: "NVIDIA A100-SXM4-80GB", model: "A100-80GB", memoryMiB: 81_920, migEnabled: mig) },
                samples: indices.map {
                    DeviceSample(device: Device.id(node: node, index: $0), at: at, gpuUtilPercent: util, memoryUsedMiB: 1_000, xidErrors: xid[$0], eccErrors: ecc[$0])
                })
        }
    }

    @Test("an operator's maintenance is a health event with cause operator; the job on the device is requeued with its progress, its devices freed at once")
    func operatorMaintenanceRequeues() async throws {
        let h = try await HealthWorld()
        let job = try await h.runningJob(gpus: 2)
        let held = try #require(job.placements.first)
        let device = Device.id(node: held.node, index: held.deviceIndices[0])

        let outcome = try await h.reservoir.health.setDeviceState(device, state: .maintenance, by: World.operatorPrincipal)
        #expect(outcome.events.map(\.cause) == [.operatorAction])
        #expect(outcome.events.map(\.to) == [.maintenance])
        #expect(outcome.displaced.map(\.id) == [job.id])
        let requeued = try h.w.job(job.id)
        #expect(requeued.state == .preempted)
        #expect(requeued.progressSeconds >= 120)
        #expect(requeued.placements.isEmpty)
        #expect(try h.w.store.deviceBookings().isEmpty, "the allocations went in the same transaction")
        #expect(try h.w.store.events(job: job.id).last?.message.contains("requeued with progress kept: device \(device) maintenance") == true)
        let history = try h.reservoir.health.history(device, page: PageRequest(), by: World.operatorPrincipal)
        #expect(history.items.map(\.actor) == ["user:admin"])
        #expect(try h.w.store.auditEntries(AuditListFilter(object: "devices/\(device)"), page: PageRequest()).items.map(\.action) == ["device.maintenance"])
        #expect(try StoreInvariants.violations(h.w.store).isEmpty)

        // It no longer takes work: the requeued job does not land on it again. (The engine's own
        // `preempted` event is let through first, as the event service would.)
        try await Task.sleep(nanoseconds: 100_000_000)
        try await h.w.reservoir.scheduling.runSchedulingCycle()
        #expect(try await eventually(h.w) { try h.w.job(job.id).state == .running })
        #expect(try !h.w.job(job.id).placements.contains { $0.node == held.node && $0.deviceIndices.contains(held.deviceIndices[0]) })

        // Back to available: one more event; setting the same state again writes nothing.
        _ = try await h.reservoir.health.setDeviceState(device, state: .available, by: World.operatorPrincipal)
        #expect(try await h.reservoir.health.setDeviceState(device, state: .available, by: World.operatorPrincipal).events.isEmpty)
        #expect(try h.reservoir.health.history(device, page: PageRequest(), by: World.operatorPrincipal).items.map(\.to) == [.available, .maintenance])
        await #expect(throws: ReservoirError.self) { try await h.reservoir.health.setDeviceState(device, state: .allocated, by: World.operatorPrincipal) }
        await #expect(throws: ReservoirError.self) { try await h.reservoir.health.setDeviceState(device, state: .failed, by: h.w.member) }
    }

    @Test("with the fail policy, the job on a failed device ends failed")
    func failPolicy() async throws {
        let h = try await HealthWorld(policy: HealthPolicy(displacedWork: .fail))
        let job = try await h.runningJob(gpus: 1)
        let held = try #require(job.placements.first)
        let outcome = try await h.reservoir.health.setDeviceState(Device.id(node: held.node, index: held.deviceIndices[0]), state: .failed, by: World.operatorPrincipal)
        #expect(outcome.displaced.map(\.state) == [.failed])
        #expect(try h.w.job(job.id).state == .failed)
        #expect(try h.w.job(job.id).message?.hasPrefix("failed: device") == true)
        #expect(try h.w.store.deviceBookings().isEmpty)
    }

    @Test("an agent report: a GPU missing from discovery fails (missing) and its job is requeued; the others stay")
    func missingDeviceFails() async throws {
        let h = try await HealthWorld()
        let job = try await h.runningJob(gpus: 4)
        let node = try #require(job.placements.first?.node)
        let receipt = try await h.reservoir.health.report(h.report(found: [0, 1, 2], node: node), by: Self.agent)
        #expect(receipt.events.map(\.device) == [Device.id(node: node, index: 3)])
        #expect(receipt.events.map(\.cause) == [.missing])
        #expect(receipt.events.first?.detail.contains("found 3 GPUs") == true)
        #expect(receipt.events.first?.actor == "user:agent-1")
        #expect(receipt.requeued == [job.id])
        #expect(try h.device(3, on: node).state == .failed)
        #expect(try h.device(0, on: node).state == .available)
        // The same report again changes nothing more.
        let again = try await h.reservoir.health.report(h.report(found: [0, 1, 2], node: node), by: Self.agent)
        #expect(again.events.isEmpty && again.requeued.isEmpty)
    }

    @Test("SYNTHETIC XID and ECC counts fail their devices with the cause and the code in the detail")
    func xidAndECC() async throws {
        let h = try await HealthWorld()
        var report = h.report(found: [0, 1, 2, 3], xid: [1: 1], ecc: [2: 3])
        report.devices[1].lastXid = 79
        let receipt = try await h.reservoir.health.report(report, by: Self.agent)
        #expect(receipt.events.map(\.cause) == [.xid, .ecc])
        #expect(receipt.events.map(\.detail) == ["XID 79, 1 XID error reported", "3 uncorrectable ECC errors reported"])
        #expect(try h.device(1).state == .failed)
        #expect(try h.device(2).state == .failed)
        #expect(try h.reservoir.health.history(Device.id(node: Self.node, index: 1), page: PageRequest(), by: h.w.member).items.first?.isFault == true)
    }

    @Test("recovery: by default a failed device found healthy again waits for an operator; with automatic recovery it returns (recovered)")
    func recovery() async throws {
        for policy in HealthPolicy.Recovery.allCases {
            let h = try await HealthWorld(policy: HealthPolicy(recovery: policy))
            _ = try await h.reservoir.health.report(h.report(found: [0, 1, 2]), by: Self.agent)
            h.w.clock.advance(60)
            let back = try await h.reservoir.health.report(h.report(found: [0, 1, 2, 3]), by: Self.agent)
            switch policy {
            case .operator_:
                #expect(back.events.isEmpty)
                #expect(back.awaitingOperator == [Device.id(node: Self.node, index: 3)])
                #expect(try h.device(3).state == .failed)
            case .automatic:
                #expect(back.events.map(\.cause) == [.recovered])
                #expect(try h.device(3).state == .available)
            }
        }
    }

    @Test("a MIG mode change is recorded on the device and audited")
    func migModeChange() async throws {
        let h = try await HealthWorld()
        _ = try await h.reservoir.health.report(h.report(found: [0, 1, 2, 3], mig: true), by: Self.agent)
        #expect(try h.device(0).inMIGMode)
        #expect(try h.w.store.auditEntries(AuditListFilter(object: "devices/\(Self.node)/gpu0"), page: PageRequest()).items.map(\.action) == ["device.mig-mode"])
        _ = try await h.reservoir.health.report(h.report(found: [0, 1, 2, 3], mig: false), by: Self.agent)
        #expect(try !h.device(0).inMIGMode)
    }

    @Test("bad reports are refused naming the field, and nothing of them is stored")
    func badReports() async throws {
        let h = try await HealthWorld()
        func refused(_ report: AgentReport, by who: Principal = Self.agent) async throws -> ReservoirError? {
            do {
                _ = try await h.reservoir.health.report(report, by: who)
                return nil
            } catch let error as ReservoirError {
                return error
            }
        }
        let good = h.report(found: [0, 1, 2])
        var unknownNode = good
        unknownNode.node = "nope"
        #expect(try await refused(unknownNode).map { [$0.code.rawValue, $0.field] } == ["not_found", "node"])
        var util = good
        util.samples[0].gpuUtilPercent = 250
        #expect(try await refused(util)?.field == "samples[0].gpuUtilPercent")
        var memory = good
        memory.samples[1].memoryUsedMiB = -1
        #expect(try await refused(memory)?.field == "samples[1].memoryUsedMiB")
        var unknownDevice = good
        unknownDevice.devices.append(DiscoveredDevice(index: 9, name: "x"))
        #expect(try await refused(unknownDevice)?.field == "devices[3].index")
        var foreignSample = good
        foreignSample.samples[0].device = "n-02/gpu0"
        #expect(try await refused(foreignSample)?.field == "samples[0].device")
        var duplicate = good
        duplicate.samples.append(duplicate.samples[0])
        #expect(try await refused(duplicate)?.field == "samples[3].at")
        var outOfOrder = good
        outOfOrder.samples.append(DeviceSample(device: good.samples[0].device, at: good.samples[0].at - 60, gpuUtilPercent: 1, memoryUsedMiB: 1))
        #expect(try await refused(outOfOrder)?.field == "samples[3].at")
        var future = good
        future.samples[0].at += 3_600
        #expect(try await refused(future)?.field == "samples[0].at")
        var flood = good
        flood.samples = (0..<5_001).map { DeviceSample(device: good.samples[0].device, at: good.samples[0].at - Double($0), gpuUtilPercent: 1, memoryUsedMiB: 1) }
        #expect(try await refused(flood)?.field == "samples")
        #expect(try await refused(good, by: h.w.member)?.code == .permissionDenied)
        // None of those reports (each also missing gpu3) failed a device.
        #expect(try h.w.store.healthEvents(device: nil, since: 0).isEmpty)
        #expect(try h.device(3).state == .available)
    }

    @Test("SYNTHETIC XID in the system's own samples fails the device (system:telemetry) and requeues its job")
    func faultsInSystemSamples() async throws {
        let h = try await HealthWorld()
        let job = try await h.runningJob(gpus: 1)
        let held = try #require(job.placements.first)
        let device = Device.id(node: held.node, index: held.deviceIndices[0])
        let clean = DeviceSample(device: device, at: h.w.clock.function(), gpuUtilPercent: 90, memoryUsedMiB: 100, xidErrors: 0)
        #expect(try await h.reservoir.health.recordFaults(in: [clean]).events.isEmpty)
        var faulty = clean
        faulty.xidErrors = 1
        let outcome = try await h.reservoir.health.recordFaults(in: [faulty])
        #expect(outcome.events.map(\.cause) == [.xid])
        #expect(outcome.events.map(\.actor) == ["system:telemetry"])
        #expect(outcome.displaced.map(\.id) == [job.id])
        #expect(try h.w.job(job.id).state == .preempted)
    }

    @Test("a simulator failure drill (xidOnFailure): the telemetry service's pass fails the failed job's device")
    func simulatorDrill() async throws {
        let clock = ManualClock()
        let w = try World(clock: clock)
        let store = w.store
        let engine = SimulatedEngine(inventory: { (try? store.inventory().nodes) ?? [] }, speed: 1, failureRate: 1, xidOnFailure: true, clock: clock.function)
        let reservoir = Reservoir(store: store, engine: engine, logger: World.logger, clock: clock.function)
        let events = engine.events()
        let pump = Task { for await event in events { reservoir.scheduling.apply(event) } }
        defer { pump.cancel() }
        let job = try w.submit("drill", gpus: 1, runtime: 60)
        try await reservoir.scheduling.runSchedulingCycle()
        let held = try #require(try w.job(job.id).placements.first)
        clock.advance(61)
        let deadline = Date().addingTimeInterval(5)
        while try w.job(job.id).state != .failed, Date() < deadline {
            await engine.poll()
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        #expect(try w.job(job.id).state == .failed)
        let service = TelemetryService(reservoir: reservoir, record: { _ in })
        #expect(await service.sample(at: clock.function()) > 0)
        let history = try store.healthEvents(device: Device.id(node: held.node, index: held.deviceIndices[0]), since: 0)
        #expect(history.map(\.cause) == [.xid])
        #expect(history.map(\.to) == [.failed])
    }

    @Test("an accepted report's samples are handed on to telemetry (and shown by it); a refused one's are not")
    func samplesForwarded() async throws {
        let h = try await HealthWorld()
        let received = Received()
        let health = HealthContext(store: h.w.store, engine: h.w.engine, telemetry: TelemetryForwarding { samples, principal in
            received.add(samples, principal)
        }, runtime: h.reservoir.runtime)
        let report = h.report(found: [0, 1, 2, 3], util: 87)
        _ = try await health.report(report, by: Self.agent)
        var bad = report
        bad.samples[0].device = "n-02/gpu0"
        _ = try? await health.report(bad, by: Self.agent)
        #expect(received.batches.map(\.0) == [report.samples])
        #expect(received.batches.map(\.1.actor) == ["user:agent-1"])
    }

    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var value: [([DeviceSample], Principal)] = []
        var batches: [([DeviceSample], Principal)] { lock.withLock { value } }
        func add(_ samples: [DeviceSample], _ principal: Principal) { lock.withLock { value.append((samples, principal)) } }
    }
}
