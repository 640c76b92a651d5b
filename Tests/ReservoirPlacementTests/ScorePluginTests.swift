import ReservoirCore
import Testing
@testable import ReservoirPlacement

@Suite struct ScorePluginTests {
    /// Three nodes: idle; half busy (4 whole GPUs and half the CPU taken); one GPU with a 400-milli hole.
    static let nodes: [NodeCapacity] = {
        var half = Fixture.used(Fixture.node("half"), [1000, 1000, 1000, 1000], cpu: 48_000)
        half.gpuAffinity = [4: 1]
        var holed = Fixture.used(Fixture.node("holed"), [600], cpu: 4000)
        holed.gpuAffinity = [0: 1]
        return [Fixture.node("idle"), half, holed]
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var policy: String
        var pod: PodRequest
        var winner: Int
        var testDescription: String { "\(policy) → \(winner)" }
    }

    static let share = Fixture.pod(milli: 400)
    static let whole = Fixture.pod(gpus: 2)
    static let cpuOnly = Fixture.pod(cpu: 16_000, gpus: 0)

    static let cases: [Case] = [
        Case(policy: "firstfit", pod: share, winner: 0),
        Case(policy: "bestfit", pod: share, winner: 1),
        Case(policy: "bestfit", pod: cpuOnly, winner: 1),
        Case(policy: "packing", pod: share, winner: 1),
        Case(policy: "spread", pod: share, winner: 0),
        Case(policy: "dotprod", pod: share, winner: 1),
        Case(policy: "gpupacking", pod: share, winner: 2),
        Case(policy: "gpupacking", pod: whole, winner: 1),
        Case(policy: "gpupacking", pod: cpuOnly, winner: 0),
        Case(policy: "gpuclustering", pod: share, winner: 2),
        Case(policy: "gpuclustering", pod: whole, winner: 0),  // no node hosts 2-GPU pods yet: the idle band wins
        Case(policy: "fgd", pod: share, winner: 2),
        Case(policy: "reservoir", pod: share, winner: 2),
    ]

    @Test(arguments: cases)
    func winner(_ c: Case) {
        #expect(Fixture.winner(c.policy, c.pod, Self.nodes) == c.winner)
    }

    @Test func everyPolicyHasAName() {
        for name in PlacementPolicy.allNames { #expect(Placer(policy: name) != nil, "\(name)") }
        #expect(Placer(policy: "no-such-policy") == nil)
        #expect(PlacementPolicy.defaultName == "reservoir")
    }

    @Test func randomIsSeededAndPlacesOnlyWhereItFits() {
        var a = Placer(policy: "random", seed: 7)!
        var b = Placer(policy: "random", seed: 7)!
        let state = ClusterState(nodes: Self.nodes)
        let pa = (0..<20).map { _ in a.place(Self.share, in: state) }
        #expect(pa == (0..<20).map { _ in b.place(Self.share, in: state) })
        #expect(Set(pa.compactMap { if case .placed(let p) = $0 { p.node } else { nil } }).count > 1)
    }

    @Test func fgdPicksTheGPUThatLeavesNoSliver() {
        // GPU 1 has 400 free: a 400-milli share closes that hole instead of cutting a fresh GPU.
        let node = Fixture.used(Fixture.node("n", gpus: 2), [0, 600])
        var placer = Placer(policy: "fgd")!
        guard case .placed(let p) = placer.place(Self.share, in: ClusterState(nodes: [node])) else {
            Issue.record("not placed")
            return
        }
        #expect(p.gpuIndices == [1])
    }

    @Test func fgdScoreIsTheSimulatorsIntegerSigmoid() {
        #expect(FGDRule.sigmoidScore(0) == 50)
        #expect(FGDRule.sigmoidScore(1000) == 73)
        #expect(FGDRule.sigmoidScore(-1000) == 26)
        #expect(FGDRule.sigmoidScore(100_000) == 100)
    }

    @Test func fragmentationFollowsThePaper() {
        // One shape, 1 GPU of 500 milli with 4 cores: a GPU with 300 free is a fragment, 1000 free is not.
        let workload = TypicalPods(shapes: [.init(cpuMilli: 4000, gpus: 1, gpuMilli: 500, weight: 1)])
        var frag = GPUFragmentation(workload)
        let slot = frag.slot(for: "V100M16")
        var free = [300, 1000]
        #expect(free.withUnsafeMutableBufferPointer { frag.amount(slot: slot, cpu: 8000, memory: 0, gpuFree: $0) } == 300)
        free = [300, 1000]
        // Not enough CPU for the shape: every free milli counts.
        #expect(free.withUnsafeMutableBufferPointer { frag.amount(slot: slot, cpu: 2000, memory: 0, gpuFree: $0) } == 1300)
    }

    /// A rule that only minds the fragmentation left behind: enough to check the shared search.
    struct LeastLeftBehind: FragmentationRule {
        static let name = "least-left"
        func extra(_ node: NodeCapacity) -> Double { 0 }
        func score(_ pod: PodRequest, on node: NodeCapacity, slot: Int, before: Double, after: Double) -> Double { -after }
    }

    /// The search shared by FGD and reservoir tries each distinct GPU for a share and binds the pod
    /// to the GPU that scored best: here the half-used one, which keeps the whole GPU whole.
    @Test func fragmentationScoreBindsAShareToTheGPUItScored() {
        let workload = TypicalPods(shapes: [.init(cpuMilli: 1000, gpus: 1, gpuMilli: 1000, weight: 1)])
        var score = FragmentationScore(rule: LeastLeftBehind(), frag: GPUFragmentation(workload))
        let cluster = ClusterState(nodes: [Fixture.used(Fixture.node("a", gpus: 2), [0, 500])])
        let pod = Fixture.pod(milli: 500)
        score.prepare(pod, in: cluster)
        #expect(score.score(pod, node: 0, in: cluster) == 0)
        #expect(score.devices(for: pod, node: 0, in: cluster) == [1])
        #expect(FragmentationScore<LeastLeftBehind>.name == "least-left")
    }

    @Test func reservoirCountsMemoryFaithfulFGDDoesNot() {
        let workload = TypicalPods(shapes: [.init(cpuMilli: 4000, gpus: 1, gpuMilli: 1000, memoryMiB: 32_768, weight: 1)])
        var faithful = GPUFragmentation(workload, mode: .faithful)
        var multi = GPUFragmentation(workload, mode: .multiResource)
        let (a, b) = (faithful.slot(for: "T4"), multi.slot(for: "T4"))
        var free = [1000]
        #expect(free.withUnsafeMutableBufferPointer { faithful.amount(slot: a, cpu: 8000, memory: 1024, gpuFree: $0) } == 0)
        free = [1000]
        #expect(free.withUnsafeMutableBufferPointer { multi.amount(slot: b, cpu: 8000, memory: 1024, gpuFree: $0) } == 1000)
    }

    @Test func topologyKeepsAGangInsideOneNVLinkIsland() throws {
        let islands: [Int?] = [0, 0, 0, 0, 1, 1, 1, 1]
        let split = Fixture.used(Fixture.node("split", islands: islands), [1000, 1000, 1000, 0, 1000, 1000, 0, 0])
        let whole = Fixture.used(Fixture.node("whole", islands: islands), [1000, 1000, 1000, 1000, 0, 0, 0, 0])
        let pod = Fixture.pod(gpus: 3)
        var placer = Placer(policy: "topology")!
        guard case .placed(let p) = placer.place(pod, in: ClusterState(nodes: [split, whole])) else {
            Issue.record("not placed")
            return
        }
        #expect(p.node == 1)
        #expect(p.gpuIndices == [4, 5, 6])
        let racked = [Fixture.node("r1", gpus: 1, rack: "r1"), Fixture.node("r2", gpus: 1, rack: "r2")]
        #expect(Fixture.winner("topology", Fixture.pod(rack: "r2"), racked) == 1)
    }

    @Test func profileMatchingSendsEachKindToItsDevices() {
        let nodes = [Fixture.node("t4", model: "T4"), Fixture.node("h100", model: "H100-80GB"),
                     Fixture.node("h200", model: "H200")]
        #expect(Fixture.winner("profile", Fixture.pod(kind: .inference), nodes) == 2)
        #expect(Fixture.winner("profile", Fixture.pod(kind: .training), nodes) == 2)
        #expect(Fixture.winner("profile", Fixture.pod(kind: .test), nodes) == 0)
        let labelled = [nodes[0], nodes[1], Fixture.node("a10", model: "A10", labels: [ProfileMatchScore.label: "inference"])]
        #expect(Fixture.winner("profile", Fixture.pod(kind: .inference), labelled) == 2)
    }
}
