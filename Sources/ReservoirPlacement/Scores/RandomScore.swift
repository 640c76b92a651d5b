import ReservoirCore

/// Random: a uniformly random feasible node and random devices on it; the floor any policy must beat.
/// Scoring every node with an independent uniform draw makes the winner uniform over feasible nodes.
public struct RandomScore: ScorePlugin {
    public static let name = "random"
    private var rng: SplitMix64

    public init(seed: UInt64 = 0) { rng = SplitMix64(seed: seed) }

    public mutating func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        Double(rng.next() >> 11)
    }

    public mutating func devices(for pod: PodRequest, node index: Int, in cluster: ClusterState) -> [Int] {
        let node = cluster.nodes[index]
        var candidates = node.gpuFree.indices.filter { node.gpuFree[$0] >= max(pod.gpuMilli, pod.isShare ? 0 : 1000) }
        rng.shuffle(&candidates)
        return Array(candidates.prefix(pod.gpus))
    }
}
