import Foundation
import Testing
import ReservoirCore
@testable import ReservoirPlacement
import ReservoirTestSupport

/// Small clusters and pods for the table-driven tests.
enum Fixture {
    static func node(_ name: String, model: String = "V100M16", gpus: Int = 8, cpu: Int = 96_000, memory: Int = 393_216,
                     labels: [String: String] = [:], rack: String? = nil, islands: [Int?]? = nil, mig: Bool = false) -> NodeCapacity {
        NodeCapacity(id: NodeID(name), pool: PoolID("p"), model: model, gpuCount: gpus, cpuMilli: cpu, memoryMiB: memory,
                     labels: labels, rack: rack, islands: islands, migEnabled: mig)
    }

    static func pod(cpu: Int = 4000, memory: Int = 8192, gpus: Int = 1, milli: Int = 1000, models: Set<String>? = nil,
                    mig: String? = nil, kind: WorkloadKind? = nil, rack: String? = nil) -> PodRequest {
        PodRequest(cpuMilli: cpu, memoryMiB: memory, gpus: gpus, gpuMilli: milli, models: models, migProfile: mig,
                   kind: kind, preferredRack: rack)
    }

    /// A node with some GPUs already partly used: `used[g]` milli taken on GPU g.
    static func used(_ node: NodeCapacity, _ used: [Int], cpu: Int = 0) -> NodeCapacity {
        var n = node
        for (g, u) in used.enumerated() { n.gpuFree[g] -= u }
        n.freeCPU -= cpu
        return n
    }

    /// The node a policy picks for `pod`, or nil.
    static func winner(_ policy: String, _ pod: PodRequest, _ nodes: [NodeCapacity], workload: TypicalPods = .generic) -> Int? {
        var placer = Placer(policy: policy, workload: workload)!
        if case .placed(let p) = placer.place(pod, in: ClusterState(nodes: nodes)) { return p.node }
        return nil
    }
}

/// The openb trace in the shared data (see `SharedData`), for the tests that replay it.
enum OpenbData {
    static let nodesFile = "data/openb/openb_node_list_gpu_node.csv"

    /// Skips a suite outside CI when the trace is absent; under CI the suite runs and fails.
    static let required = SharedData.required(nodesFile)

    /// The trace, optionally cut to the first `nodeLimit` nodes and `podLimit` pods taken evenly across the file.
    static func workload(pods file: String = "openb_pod_list_default.csv", nodeLimit: Int? = nil, podLimit: Int? = nil) throws -> OpenbWorkload {
        var nodes = try OpenbTrace.parseNodes(csv: try #require(try SharedData.text(nodesFile), "openb data missing"))
        var pods = try OpenbTrace.parsePods(csv: try #require(try SharedData.text("data/openb/" + file), "openb data missing"))
        if let nodeLimit { nodes = Array(nodes.prefix(nodeLimit)) }
        if let podLimit { pods = stride(from: 0, to: pods.count, by: max(1, pods.count / podLimit)).prefix(podLimit).map { pods[$0] } }
        return OpenbWorkload(nodes: nodes, pods: pods)
    }
}
