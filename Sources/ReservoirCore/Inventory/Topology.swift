/// Where a device or node sits, for topology-aware placement: GPUs in one NVLink island talk
/// fastest, then the same node, then the same rack.
public struct Region: Codable, Hashable, Sendable {
    public var id: RegionID
    public var name: String
    public init(id: RegionID, name: String? = nil) {
        self.id = id
        self.name = name ?? id.rawValue
    }
}

/// Which execution engine runs a cluster's jobs.
public enum EngineKind: String, Codable, Hashable, Sendable, CaseIterable {
    case simulated, slurm, kubernetes
}

/// A cluster is one execution domain, driven by exactly one engine.
public struct Cluster: Codable, Hashable, Sendable {
    public var id: ClusterID
    public var region: RegionID
    public var engine: EngineKind
    public init(id: ClusterID, region: RegionID, engine: EngineKind = .simulated) {
        self.id = id
        self.region = region
        self.engine = engine
    }
}
