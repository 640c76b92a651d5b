import ReservoirCore
import ReservoirEngine
import ReservoirTestSupport
import Testing

@Suite("Telemetry of the simulated engine")
struct SimulatedTelemetryTests {
    static let node = Node(
        id: "n1", pool: "p", cpuMilli: 64_000, memoryMiB: 512_000,
        devices: (0..<4).map { Device(node: "n1", index: $0, model: "A100-80GB", memoryMiB: 81_920) })

    func job(_ id: String, kind: WorkloadKind, devices: [Int], milli: Int = 1_000, runtime: Double) -> EngineJobSpec {
        var spec = EngineJobSpec(
            job: JobID(id), name: id, tenant: "t", pool: "p", priority: .p2, preemptible: true,
            request: ResourceRequest(gpus: devices.count, gpuMilli: milli), replicas: 1,
            placements: [ReplicaPlacement(replica: 0, node: "n1", deviceIndices: devices, gpuMilli: milli, cpuMilli: 1_000, memoryMiB: 1_024)],
            runtimeSeconds: runtime)
        spec.kind = kind
        return spec
    }

    @Test("a training job at speed 60 loads its devices by its profile on simulated job time, so its checkpoint dips show; other devices read idle")
    func trainingOnSimulatedTime() async throws {
        let clock = ManualClock(1_000)
        let engine = SimulatedEngine(nodes: [Self.node], speed: 60, clock: clock.function)
        try await engine.submit(job("train", kind: .training, devices: [0, 1], runtime: 4 * 3_600))
        let profile = LoadProfile(kind: .training, job: "train")
        var dips = 0
        for second in 0..<(4 * 60 - 1) {  // one real second is one simulated minute
            let samples = try await engine.deviceSamples(at: clock.now, load: [:])
            #expect(samples.map(\.device.rawValue) == ["n1/gpu0", "n1/gpu1", "n1/gpu2", "n1/gpu3"])
            let expected = profile.reading(elapsed: Double(second) * 60, at: clock.now)
            #expect(samples[0].gpuUtilPercent == expected.utilPercent && samples[1].gpuUtilPercent == expected.utilPercent)
            #expect(samples[0].memoryUsedMiB == Int((81_920 * expected.memoryFraction).rounded()))
            #expect(samples[2].gpuUtilPercent == 0 && samples[3].memoryUsedMiB == 0)
            #expect(samples.allSatisfy { $0.at == clock.now })
            if samples[0].gpuUtilPercent <= 10 { dips += 1 }
            clock.advance(1)
        }
        #expect(dips >= 6, "four simulated hours of training hold at least three checkpoints of two minutes or more")
        clock.advance(60)
        let after = try await engine.deviceSamples(at: clock.now, load: [:])
        #expect(after.allSatisfy { $0.gpuUtilPercent == 0 && $0.memoryUsedMiB == 0 }, "a finished job leaves its devices idle")
    }

    @Test("inference replicas follow the offered load; GPU shares on one device add up")
    func inferenceSharesAddUp() async throws {
        let clock = ManualClock(1_000)
        let engine = SimulatedEngine(nodes: [Self.node], speed: 1, clock: clock.function)
        try await engine.submit(job("a", kind: .inference, devices: [2], milli: 500, runtime: 3_600))
        try await engine.submit(job("b", kind: .inference, devices: [2], milli: 500, runtime: 3_600))
        clock.advance(60)
        let load: [JobID: OfferedLoad] = ["a": OfferedLoad(qps: 80, capacityQPS: 100), "b": OfferedLoad(qps: 20, capacityQPS: 100)]
        let samples = try await engine.deviceSamples(at: clock.now, load: load)
        #expect(samples[2].gpuUtilPercent == 50, "half of 80 % plus half of 20 %")
        #expect(samples[2].memoryUsedMiB > 0 && samples[2].memoryUsedMiB < 81_920)
        let quiet = try await engine.deviceSamples(at: clock.now, load: ["a": OfferedLoad(qps: 0, capacityQPS: 100), "b": OfferedLoad(qps: 0, capacityQPS: 100)])
        #expect(quiet[2].gpuUtilPercent == 0 && quiet[2].memoryUsedMiB < samples[2].memoryUsedMiB, "the KV cache shrinks with the load")
    }

    @Test("with XID injection on, the devices of a job whose injected failure happened report one XID error in the next sample only")
    func xidInjection() async throws {
        let clock = ManualClock(1_000)
        let engine = SimulatedEngine(nodes: [Self.node], speed: 1, failureRate: 1, xidOnFailure: true, clock: clock.function)
        #expect(try await engine.deviceSamples(at: clock.now, load: [:]).allSatisfy { $0.xidErrors == 0 })
        try await engine.submit(job("doomed", kind: .training, devices: [1], runtime: 100))
        clock.advance(120)
        let first = try await engine.deviceSamples(at: clock.now, load: [:])
        #expect(first.map { $0.xidErrors ?? -1 } == [0, 1, 0, 0])
        #expect(first[1].gpuUtilPercent == 0, "the failed job no longer loads the device")
        clock.advance(60)
        #expect(try await engine.deviceSamples(at: clock.now, load: [:]).allSatisfy { $0.xidErrors == 0 })

        let quiet = SimulatedEngine(nodes: [Self.node], speed: 1, failureRate: 1, clock: clock.function)
        try await quiet.submit(job("doomed", kind: .training, devices: [1], runtime: 1))
        clock.advance(60)
        #expect(try await quiet.deviceSamples(at: clock.now, load: [:]).allSatisfy { $0.xidErrors == nil }, "off by default: not reported")
    }

    @Test("one pass over an openb-sized inventory (777 nodes × 8 GPUs, 1,500 running jobs) is one batch, well under a second")
    func openbSized() async throws {
        let clock = ManualClock(1_000)
        let nodes = (0..<777).map { n in
            Node(id: NodeID("n\(n)"), pool: "p", cpuMilli: 64_000, memoryMiB: 512_000,
                 devices: (0..<8).map { Device(node: NodeID("n\(n)"), index: $0, model: "A100-80GB", memoryMiB: 81_920) })
        }
        let engine = SimulatedEngine(nodes: nodes, speed: 60, clock: clock.function)
        for j in 0..<1_500 {
            var spec = EngineJobSpec(
                job: JobID("j\(j)"), name: "j", tenant: "t", pool: "p", priority: .p2, preemptible: true, request: ResourceRequest(gpus: 4),
                replicas: 1, placements: [ReplicaPlacement(replica: 0, node: NodeID("n\(j / 2)"), deviceIndices: j % 2 == 0 ? [0, 1, 2, 3] : [4, 5, 6, 7],
                                                           gpuMilli: 1_000, cpuMilli: 1_000, memoryMiB: 1_024)],
                runtimeSeconds: 86_400)
            spec.kind = WorkloadKind.allCases[j % 4]
            try await engine.submit(spec)
        }
        clock.advance(60)
        let started = ContinuousClock.now
        let samples = try await engine.deviceSamples(at: clock.now, load: [:])
        let took = ContinuousClock.now - started
        print("simulator telemetry: \(samples.count) samples in \(took)")
        #expect(samples.count == 6_216 && samples.filter { $0.memoryUsedMiB > 0 }.count == 6_000)
        #expect(took < .seconds(2))
    }

    @Test("the registry reports the samples of every engine that reads its devices, and none when no engine can")
    func registryMergesSources() async throws {
        let clock = ManualClock(1_000)
        let other = Node(id: "n2", pool: "p", cpuMilli: 1_000, memoryMiB: 1_024, devices: [Device(node: "n2", index: 0, model: "T4", memoryMiB: 15_360)])
        let a = SimulatedEngine(nodes: [Self.node], clock: clock.function)
        let b = SimulatedEngine(inventory: { [other] }, clock: clock.function)
        let registry = EngineRegistry(engines: ["c2": b], fallback: a) { _ in nil }
        #expect(try await registry.deviceSamples(at: clock.now, load: [:]).count == 5)
        var down = Self.node
        down.state = .down
        #expect(try await SimulatedEngine(nodes: [down], clock: clock.function).deviceSamples(at: clock.now, load: [:]).isEmpty, "a node that is down reports nothing")
        let silent = EngineRegistry(engines: [:], fallback: SilentEngine()) { _ in nil }
        #expect(try await silent.deviceSamples(at: clock.now, load: [:]).isEmpty)
    }
}

