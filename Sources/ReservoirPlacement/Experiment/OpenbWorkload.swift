import ReservoirCore

/// The openb trace turned into placement inputs: the GPU nodes and the pods, each sorted by name
/// as the simulator sorts them before seeding its random streams.
public struct OpenbWorkload: Sendable {
    /// Nodes with GPUs, by name.
    public let nodes: [NodeCapacity]
    /// Pods by name.
    public let pods: [PodRequest]
    /// FGD's target workload: the typical shapes of the original (not inflated) trace.
    public let typical: TypicalPods
    /// The cluster's GPU capacity in milli-GPU.
    public let totalGPUMilli: Int

    public init(nodes nodeRows: [OpenbTrace.NodeRow], pods podRows: [OpenbTrace.PodRow]) {
        nodes = nodeRows.filter { $0.gpus > 0 }.sorted { $0.name < $1.name }.map {
            NodeCapacity(id: NodeID($0.name), pool: PoolID("openb"), model: $0.model, gpuCount: $0.gpus,
                         cpuMilli: $0.cpuMilli, memoryMiB: $0.memoryMiB)
        }
        pods = podRows.sorted { $0.name < $1.name }.map {
            PodRequest(cpuMilli: $0.cpuMilli, memoryMiB: $0.memoryMiB, gpus: $0.numGPU, gpuMilli: $0.gpuMilli,
                       models: $0.gpuSpec.isEmpty ? nil : Set($0.gpuSpec))
        }
        typical = TypicalPods(pods: pods)
        totalGPUMilli = nodes.reduce(0) { $0 + $1.totalGPUMilli }
    }

    /// One seed's arrival stream and node tie order (`openb-inflation.md` §1.4–1.6): shuffle the pods,
    /// append uniformly drawn clones while the requested GPU milli stays within `inflation` × capacity
    /// (testing the per-GPU milli of the next clone, as the simulator does), then draw the permutation
    /// that ranks nodes for ties. A trace without GPU pods is not inflated.
    public func arrivals(seed: UInt64, inflation: Double = 1.3) -> (pods: [PodRequest], nodeOrder: [Int]) {
        var rng = SplitMix64(seed: seed)
        var stream = pods
        rng.shuffle(&stream)
        var requested = pods.reduce(0) { $0 + $1.totalGPUMilli }
        let target = inflation * Double(totalGPUMilli)
        // Without GPU pods the demand never grows and the simulator's loop would not end.
        while pods.contains(where: { $0.gpuMilli > 0 }) {
            let clone = pods[rng.below(pods.count)]
            if Double(requested + clone.gpuMilli) > target { break }
            requested += clone.totalGPUMilli
            stream.append(clone)
        }
        let rank = rng.permutation(nodes.count)
        var order = Array(repeating: 0, count: nodes.count)
        for (i, r) in rank.enumerated() { order[r] = i }
        return (stream, order)
    }
}
