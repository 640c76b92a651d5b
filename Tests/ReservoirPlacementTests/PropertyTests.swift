import ReservoirCore
import Testing
@testable import ReservoirPlacement

/// Invariants that must hold for every policy on any stream: no GPU above 1000 milli, no CPU or
/// memory above capacity, and a pod is dropped only when no node could take it.
@Suite struct PropertyTests {
    static let models = ["V100M16", "T4", "G2", "A100-80GB"]

    static func cluster(_ rng: inout SplitMix64) -> [NodeCapacity] {
        (0..<24).map { i in
            Fixture.node("n\(i)", model: models[rng.below(models.count)], gpus: [1, 2, 4, 8][rng.below(4)],
                         cpu: [16_000, 32_000, 64_000, 96_000][rng.below(4)], memory: [65_536, 131_072, 262_144][rng.below(3)])
        }
    }

    static func pod(_ rng: inout SplitMix64) -> PodRequest {
        let gpus = [0, 1, 1, 1, 2, 4, 8][rng.below(7)]
        let milli = gpus == 1 && rng.below(2) == 0 ? 100 * (1 + rng.below(9)) : 1000
        let models: Set<String>? = rng.below(5) == 0 ? [models[rng.below(models.count)]] : nil
        return Fixture.pod(cpu: 1000 * (1 + rng.below(24)), memory: 1024 * (1 + rng.below(96)), gpus: gpus, milli: milli, models: models)
    }

    @Test(arguments: ["reservoir", "fgd", "bestfit", "dotprod", "gpupacking", "gpuclustering", "random", "firstfit",
                      "packing", "spread", "topology", "profile"])
    func invariantsHold(_ policy: String) {
        var rng = SplitMix64(seed: 2026)
        var state = ClusterState(nodes: Self.cluster(&rng))
        let capacity = state.nodes
        var placer = Placer(policy: policy, seed: 1)!
        for _ in 0..<400 {
            let pod = Self.pod(&rng)
            switch placer.place(pod, in: state) {
            case .placed(let p):
                #expect(DefaultFilters.all.allSatisfy { $0.reject(pod, on: state.nodes[p.node]) == nil })
                #expect(p.gpuIndices.count == pod.gpus)
                state.apply(p, for: pod)
            case .unschedulable:
                #expect(!state.nodes.contains { n in DefaultFilters.all.allSatisfy { $0.reject(pod, on: n) == nil } })
            }
            for (n, c) in zip(state.nodes, capacity) {
                #expect(n.freeCPU >= 0 && n.freeCPU <= c.totalCPU)
                #expect(n.freeMemory >= 0 && n.freeMemory <= c.totalMemory)
                #expect(n.gpuFree.allSatisfy { $0 >= 0 && $0 <= 1000 })
            }
        }
    }

    @Test func applyAndReleaseAreInverses() {
        var rng = SplitMix64(seed: 9)
        let nodes = Self.cluster(&rng)
        var state = ClusterState(nodes: nodes)
        var placer = Placer()
        var placed: [(Placement, PodRequest)] = []
        for _ in 0..<100 {
            let pod = Self.pod(&rng)
            if case .placed(let p) = placer.place(pod, in: state) {
                state.apply(p, for: pod)
                placed.append((p, pod))
            }
        }
        for (p, pod) in placed.reversed() { state.release(p, for: pod) }
        #expect(state.nodes == nodes)
    }
}
