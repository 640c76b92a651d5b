import ReservoirCore
@testable import ReservoirPlacement
import Testing

/// Device resource profiles: classes by rules over the models present, the unreliable flag from
/// faults, and what recent jobs did on each device.
@Suite("Resource profiles: classes, faults and recent work")
struct ProfileBuilderTests {
    static func node(_ id: String, model: String, gpus: Int = 4, pool: String = "p", island: Bool = false) -> Node {
        Node(
            id: NodeID(id), pool: PoolID(pool), cpuMilli: 64_000, memoryMiB: 256_000,
            devices: (0..<gpus).map { Device(node: NodeID(id), index: $0, model: model, memoryMiB: 0, nvlinkIsland: island ? 0 : nil) })
    }

    static let mixed = [node("a-t4", model: "T4"), node("b-l40s", model: "L40S"), node("c-a100", model: "A100-40GB", island: true)]

    func profiles(_ nodes: [Node], faults: [DeviceID: Int] = [:], jobs: [Job] = [], threshold: Int = 1) -> [DeviceProfile] {
        ProfileBuilder(unreliableFaults: threshold).profiles(ProfileBuilder.Input(
            nodes: nodes, catalog: .standard, utilization7d: ["a-t4/gpu0": 12.5], faults30d: faults, recentWork: DeviceWork(jobs)))
    }

    @Test("a mixed reservoir: the fastest memory is low-latency, the largest memory large-memory, the cheapest economy")
    func classesByRules() throws {
        let byNode = Dictionary(grouping: profiles(Self.mixed), by: \.node)
        #expect(byNode["a-t4"]!.allSatisfy { $0.deviceClass == .economy })
        #expect(byNode["b-l40s"]!.allSatisfy { $0.deviceClass == .largeMemory })
        #expect(byNode["c-a100"]!.allSatisfy { $0.deviceClass == .lowLatency })
        let a100 = try #require(byNode["c-a100"]?.first)
        #expect(a100.reason == "low-latency: its memory bandwidth 1555 GB/s (fastest 1555) stands out most against the reservoir's models", "\(a100.reason)")
        #expect(a100.nvlink && a100.memoryMiB == 40_960 && a100.priceClass == .mid)
        let t4 = try #require(byNode["a-t4"]?.first)
        #expect(t4.utilization7d == 12.5 && t4.priceClass == .low && !t4.nvlink)
        #expect(byNode["a-t4"]![1].utilization7d == nil, "no telemetry: nil, never 0")
    }

    @Test("classes are relative to the models present: beside an H100 and an H200, an L40S and an A100-40GB stand out in nothing (general)")
    func relativeToInventory() {
        let nodes = Self.mixed + [Self.node("d-h100", model: "H100-80GB"), Self.node("e-h200", model: "H200")]
        let classes = Dictionary(profiles(nodes).map { ($0.model, $0.deviceClass) }, uniquingKeysWith: { a, _ in a })
        #expect(classes == ["T4": .economy, "L40S": .general, "A100-40GB": .general, "H100-80GB": .lowLatency, "H200": .largeMemory])
        // Two models: the A100 is both larger and faster than the T4, but faster by more: low-latency.
        let two = Dictionary(profiles([Self.node("a", model: "T4"), Self.node("c", model: "A100-40GB")]).map { ($0.model, $0.deviceClass) }, uniquingKeysWith: { a, _ in a })
        #expect(two == ["T4": .economy, "A100-40GB": .lowLatency])
    }

    @Test("one model, or an undisclosed one, is general")
    func general() {
        #expect(profiles([Self.node("a", model: "T4"), Self.node("b", model: "T4")]).allSatisfy { $0.deviceClass == .general })
        let withOpaque = profiles([Self.node("a", model: "T4"), Self.node("b", model: "A10"), Self.node("g", model: "G1")])
        #expect(withOpaque.filter { $0.model == "G1" }.allSatisfy { $0.deviceClass == .general })
        #expect(withOpaque.filter { $0.model == "T4" }.allSatisfy { $0.deviceClass == .economy })
    }

    @Test("faults at or above the threshold flag a device unreliable and say so")
    func unreliable() throws {
        let faults: [DeviceID: Int] = ["a-t4/gpu1": 1, "a-t4/gpu2": 3]
        let strict = profiles(Self.mixed, faults: faults)
        #expect(Set(strict.filter(\.unreliable).map(\.device)) == ["a-t4/gpu1", "a-t4/gpu2"])
        let gpu2 = try #require(strict.first { $0.device == "a-t4/gpu2" })
        #expect(gpu2.faults30d == 3 && gpu2.reason.contains("unreliable: 3 faults in 30 days"), "\(gpu2.reason)")
        #expect(Set(profiles(Self.mixed, faults: faults, threshold: 2).filter(\.unreliable).map(\.device)) == ["a-t4/gpu2"])
    }

    @Test("recent kinds count the jobs that held each device; the mean runtime is of those that finished")
    func recentWork() throws {
        func job(_ id: String, _ kind: WorkloadKind, devices: [Int], state: JobState, runtime: Double) -> Job {
            var j = Job(id: JobID(id), name: id, tenant: "t", submittedBy: "u", pool: "p", kind: kind, request: ResourceRequest(gpus: devices.count), state: state)
            j.startedAt = 0
            j.finishedAt = state.isFinal ? runtime : nil
            j.placements = [ReplicaPlacement(replica: 0, node: "c-a100", deviceIndices: devices, gpuMilli: 1000, cpuMilli: 0, memoryMiB: 0)]
            return j
        }
        let jobs = [
            job("i1", .inference, devices: [0], state: .succeeded, runtime: 100), job("i2", .inference, devices: [0, 1], state: .succeeded, runtime: 300),
            job("t1", .training, devices: [0], state: .running, runtime: 0),
        ]
        let byDevice = Dictionary(uniqueKeysWithValues: profiles(Self.mixed, jobs: jobs).map { ($0.device, $0) })
        let gpu0 = try #require(byDevice["c-a100/gpu0"])
        #expect(gpu0.recentKinds == ["inference": 2, "training": 1])
        #expect(gpu0.meanRuntimeSeconds == 200)
        #expect(byDevice["c-a100/gpu1"]?.meanRuntimeSeconds == 300)
        #expect(byDevice["c-a100/gpu2"]?.recentKinds == [:] && byDevice["c-a100/gpu2"]?.meanRuntimeSeconds == nil)
    }

    @Test("profile matching: the class outweighs the catalog figures, recent faults score a node down, kind-less pods are untouched")
    func scoring() {
        let plain = Fixture.node("l40s", model: "L40S")
        let classed = NodeCapacity(id: "a10", pool: "p", model: "A10", gpuCount: 8, cpuMilli: 96_000, memoryMiB: 393_216, deviceClass: .lowLatency)
        // The catalog alone sends inference to the L40S (more bandwidth); a low-latency class beats it.
        #expect(Fixture.winner("profile", Fixture.pod(kind: .inference), [plain, Fixture.node("a10", model: "A10")]) == 0)
        #expect(Fixture.winner("profile", Fixture.pod(kind: .inference), [plain, classed]) == 1)
        let faulty = NodeCapacity(id: "t4a", pool: "p", model: "T4", gpuCount: 8, cpuMilli: 96_000, memoryMiB: 393_216, deviceClass: .economy, recentFaults: [3])
        let healthy = NodeCapacity(id: "t4b", pool: "p", model: "T4", gpuCount: 8, cpuMilli: 96_000, memoryMiB: 393_216, deviceClass: .economy)
        #expect(Fixture.winner("profile", Fixture.pod(kind: .test), [faulty, healthy]) == 1)
        #expect(Fixture.winner("reservoir", Fixture.pod(kind: .test), [faulty, healthy]) == 1)
        // Without a kind the default policy scores as its base: the first of two equal nodes, faults or not.
        var profiled = ProfiledScore(ReservoirScore(workload: .generic))
        var base = ReservoirScore(workload: .generic)
        let cluster = ClusterState(nodes: [faulty, healthy])
        let pod = Fixture.pod()
        profiled.prepare(pod, in: cluster)
        base.prepare(pod, in: cluster)
        for i in 0..<2 { #expect(profiled.score(pod, node: i, in: cluster) == base.score(pod, node: i, in: cluster)) }
    }
}
