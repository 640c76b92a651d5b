/// A whole reservoir's hardware: what an import brings and what a snapshot reads.
public struct Inventory: Codable, Hashable, Sendable {
    public var regions: [Region]
    public var clusters: [Cluster]
    public var pools: [Pool]
    public var nodes: [Node]

    public init(regions: [Region] = [], clusters: [Cluster] = [], pools: [Pool] = [], nodes: [Node] = []) {
        self.regions = regions
        self.clusters = clusters
        self.pools = pools
        self.nodes = nodes
    }

    /// Checks references between levels: every cluster's region, pool's cluster and node's pool exist.
    public func validate() throws(ReservoirError) {
        let regionIDs = Set(regions.map(\.id))
        let clusterIDs = Set(clusters.map(\.id))
        let poolIDs = Set(pools.map(\.id))
        for c in clusters where !regionIDs.contains(c.region) {
            throw .invalid("clusters.\(c.id).region", "unknown region \(c.region)")
        }
        for p in pools where !clusterIDs.contains(p.cluster) {
            throw .invalid("pools.\(p.id).cluster", "unknown cluster \(p.cluster)")
        }
        for p in pools where !Bounds.reservedFraction.contains(p.reservedFraction) {
            throw .invalid("pools.\(p.id).reserved", "must be between 0 and 0.5")
        }
        var seen = Set<NodeID>()
        let sharing = Dictionary(pools.map { ($0.id, $0.sharing) }, uniquingKeysWith: { a, _ in a })
        for n in nodes {
            guard poolIDs.contains(n.pool) else { throw .invalid("nodes.\(n.id).pool", "unknown pool \(n.pool)") }
            guard seen.insert(n.id).inserted else { throw .invalid("nodes.\(n.id)", "duplicate node name") }
            guard n.cpuMilli > 0, n.memoryMiB > 0 else { throw .invalid("nodes.\(n.id)", "cpu and memory must be positive") }
            let gpus = n.devices.filter { $0.kind != .cpu }
            if gpus.contains(where: \.inMIGMode), !gpus.allSatisfy(\.inMIGMode) {
                throw .invalid("nodes.\(n.id).mig", "all GPUs of a node are in MIG mode or none are")
            }
            if gpus.contains(where: \.inMIGMode), sharing[n.pool] != .mig {
                throw .invalid("nodes.\(n.id).mig", "GPUs in MIG mode belong in a pool with sharing mig; pool \(n.pool) shares by \(sharing[n.pool]?.rawValue ?? "-")")
            }
        }
    }
}
