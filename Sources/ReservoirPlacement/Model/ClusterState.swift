import ReservoirCore

/// The free capacity of every node during a cycle. Applying and releasing placements are exact
/// inverses, so a gang that fails part-way is undone by releasing what it took.
public struct ClusterState: Sendable {
    public var nodes: [NodeCapacity]
    /// Bumped on every change to a node; score plugins key their caches on it.
    public private(set) var versions: [Int]

    public init(nodes: [NodeCapacity]) {
        self.nodes = nodes
        self.versions = Array(repeating: 0, count: nodes.count)
    }

    public var totalGPUMilli: Int { nodes.reduce(0) { $0 + $1.totalGPUMilli } }
    public var freeGPUMilli: Int { nodes.reduce(0) { $0 + $1.freeGPUMilli } }

    /// Index of a node by id (linear; build a dictionary when calling often).
    public func index(of id: NodeID) -> Int? { nodes.firstIndex { $0.id == id } }

    /// Takes the pod's resources at the placement. The caller must have checked it fits.
    public mutating func apply(_ placement: Placement, for pod: PodRequest) {
        change(placement, for: pod, sign: -1)
    }

    /// Gives back what `apply` took.
    public mutating func release(_ placement: Placement, for pod: PodRequest) {
        change(placement, for: pod, sign: 1)
    }

    private mutating func change(_ placement: Placement, for pod: PodRequest, sign: Int) {
        let i = placement.node
        nodes[i].freeCPU += sign * pod.cpuMilli
        nodes[i].freeMemory += sign * pod.memoryMiB
        for g in placement.gpuIndices { nodes[i].gpuFree[g] += sign * placement.gpuMilli }
        if pod.shareMemoryMiB > 0 {
            for g in placement.gpuIndices { nodes[i].gpuMemoryFree[g] += sign * pod.shareMemoryMiB }
        }
        if let start = placement.migStartSlice, let name = pod.migProfile, let g = placement.gpuIndices.first,
           let profile = MIGGeometry.profile(name, model: nodes[i].model) {
            let mask = profile.mask(at: start)
            nodes[i].migSlices[g] = sign < 0 ? nodes[i].migSlices[g] | mask : nodes[i].migSlices[g] & ~mask
        }
        if let tag = pod.affinityClass {
            let n = nodes[i].gpuAffinity[tag, default: 0] - sign
            nodes[i].gpuAffinity[tag] = n > 0 ? n : nil
        }
        versions[i] &+= 1
    }
}
