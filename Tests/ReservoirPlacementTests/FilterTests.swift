import ReservoirCore
import Testing
@testable import ReservoirPlacement

@Suite struct FilterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var pod: PodRequest
        var node: NodeCapacity
        var reason: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "whole GPU fits", pod: Fixture.pod(), node: Fixture.node("a"), reason: nil),
        Case(name: "model allowed", pod: Fixture.pod(models: ["V100M16", "V100M32"]), node: Fixture.node("a"), reason: nil),
        Case(name: "model not allowed", pod: Fixture.pod(models: ["T4"]), node: Fixture.node("a"), reason: ModelFilter.reason),
        Case(name: "no GPUs", pod: Fixture.pod(), node: Fixture.node("a", gpus: 0), reason: ModelFilter.noGPU),
        Case(name: "CPU-only on GPU node", pod: Fixture.pod(gpus: 0), node: Fixture.node("a"), reason: nil),
        Case(name: "CPU short", pod: Fixture.pod(cpu: 100_000), node: Fixture.node("a"), reason: ResourceFitFilter.cpu),
        Case(name: "memory short", pod: Fixture.pod(memory: 400_000), node: Fixture.node("a"), reason: ResourceFitFilter.memory),
        Case(name: "share fits a partly used GPU", pod: Fixture.pod(milli: 300),
             node: Fixture.used(Fixture.node("a", gpus: 1), [700]), reason: nil),
        Case(name: "share larger than any GPU's free milli", pod: Fixture.pod(milli: 400),
             node: Fixture.used(Fixture.node("a", gpus: 2), [700, 650]), reason: ResourceFitFilter.gpu),
        Case(name: "four GPUs on one node", pod: Fixture.pod(gpus: 4),
             node: Fixture.used(Fixture.node("a", gpus: 8), [1000, 1000, 1000, 0, 0, 0, 0, 500]), reason: nil),
        Case(name: "four GPUs, only three fully free", pod: Fixture.pod(gpus: 4),
             node: Fixture.used(Fixture.node("a", gpus: 4), [100]), reason: ResourceFitFilter.gpu),
        Case(name: "MIG profile on a non-MIG node", pod: Fixture.pod(mig: "1g.10gb"), node: Fixture.node("a", model: "A100-80GB"),
             reason: ResourceFitFilter.notMIG),
        Case(name: "plain GPU pod on a MIG node", pod: Fixture.pod(), node: Fixture.node("a", model: "A100-80GB", mig: true),
             reason: ResourceFitFilter.migMode),
        Case(name: "MIG profile of another model", pod: Fixture.pod(mig: "1g.5gb"), node: Fixture.node("a", model: "A100-80GB", mig: true),
             reason: ResourceFitFilter.migProfile),
        Case(name: "MIG profile fits", pod: Fixture.pod(mig: "3g.40gb"), node: Fixture.node("a", model: "H100-80GB", mig: true),
             reason: nil),
    ]

    @Test(arguments: cases)
    func reject(_ c: Case) {
        let reason = DefaultFilters.all.lazy.compactMap { $0.reject(c.pod, on: c.node) }.first
        #expect(reason == c.reason)
    }

    @Test func unschedulableCountsReasonsPerNode() {
        let nodes = [Fixture.node("a", model: "T4"), Fixture.node("b", cpu: 1000), Fixture.node("c", gpus: 0)]
        var placer = Placer(policy: "bestfit")!
        let outcome = placer.place(Fixture.pod(models: ["V100M16"]), in: ClusterState(nodes: nodes))
        #expect(outcome == .unschedulable([ModelFilter.reason: 1, ResourceFitFilter.cpu: 1, ModelFilter.noGPU: 1]))
    }

    /// A filter that looks at the node's state, so the placer must ask it for every node that passed
    /// the description filters, after the resource fit.
    struct FullNodesOnly: FilterPlugin {
        static let name = "full"
        static let reason = "node partly used"
        func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? {
            node.fullyFreeGPUs == node.gpuCount ? nil : Self.reason
        }
    }

    /// Reasons are counted per node, each node under the first filter that rejects it, with and
    /// without filters beyond the description and resource ones.
    @Test func reasonsFollowFilterOrderWithStateFilters() {
        let partlyUsed = Fixture.used(Fixture.node("d"), [500])
        let nodes = [Fixture.node("a", model: "T4"), Fixture.node("b", memory: 1024), Fixture.node("c", memory: 2048),
                     partlyUsed, Fixture.node("e", model: "T4", memory: 1024)]
        let pod = Fixture.pod(models: ["V100M16"])
        var plain = Placer(policy: "reservoir")!
        #expect(plain.place(pod, in: ClusterState(nodes: Array(nodes.prefix(3))))
            == .unschedulable([ModelFilter.reason: 1, ResourceFitFilter.memory: 2]))
        var stateful = Placer(policy: "reservoir", filters: DefaultFilters.all + [FullNodesOnly()])!
        #expect(stateful.place(pod, in: ClusterState(nodes: nodes))
            == .unschedulable([ModelFilter.reason: 2, ResourceFitFilter.memory: 2, FullNodesOnly.reason: 1]))
    }
}

@Suite struct CacheTests {
    /// A scheduler rebuilds the cluster state each cycle; a node cordoned in between must not be
    /// remembered as healthy.
    @Test func rebuiltClusterIsNotServedFromCache() {
        var placer = Placer()
        let pod = Fixture.pod()
        #expect(placer.place(pod, in: ClusterState(nodes: [Fixture.node("a")])) != .unschedulable([:]))
        let cordoned = NodeCapacity(id: NodeID("a"), pool: PoolID("p"), model: "V100M16", gpuCount: 8, cpuMilli: 96_000,
                                    memoryMiB: 393_216, schedulable: false)
        #expect(placer.place(pod, in: ClusterState(nodes: [cordoned])) == .unschedulable([HealthFilter.reason: 1]))
    }
}
