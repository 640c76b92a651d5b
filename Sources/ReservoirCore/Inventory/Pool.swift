/// What a pool is meant for; profile matching and reporting use it.
public enum PoolPurpose: String, Codable, Hashable, Sendable, CaseIterable {
    case training, inference, testing, mixed
}

/// How GPUs in a pool may be shared between jobs.
public enum GPUSharingMode: String, Codable, Hashable, Sendable, CaseIterable {
    /// One job per GPU.
    case exclusive
    /// Jobs take milli-GPU shares of a GPU's time.
    case timeSlicing = "time-slicing"
    /// Jobs take milli-GPU shares and a memory limit proportional to the share.
    case memoryLimited = "memory-limited"
    /// GPUs are partitioned into MIG instances with the model's geometry.
    case mig

    /// Why a pool shared this way can never run `request`, or nil when it can. One rule for
    /// submission (refused with 422) and the scheduling cycle (a job already queued waits, saying so):
    /// an exclusive pool gives whole GPUs only, a time-slicing or memory-limited pool whole GPUs or
    /// shares, a MIG pool only MIG instances. CPU-only work runs in any pool.
    public func refusal(of request: ResourceRequest, pool: PoolID) -> String? {
        guard request.gpus > 0 else { return nil }
        switch self {
        case .exclusive:
            if request.migProfile != nil { return "pool \(pool) is exclusive (one job per whole GPU): it offers no MIG instances" }
            if request.gpuMilli < 1000 { return "pool \(pool) is exclusive (one job per whole GPU): ask for whole GPUs (gpuMilli 1000) or use a shared pool" }
        case .timeSlicing, .memoryLimited:
            if request.migProfile != nil { return "pool \(pool) shares GPUs by \(rawValue), not MIG: a MIG profile needs a pool with sharing mig" }
        case .mig:
            if request.migProfile == nil { return "pool \(pool) partitions its GPUs with MIG: name a MIG profile (request.migProfile, e.g. 1g.10gb)" }
        }
        return nil
    }
}

/// A pool groups nodes of one cluster that are shared under one set of quotas.
public struct Pool: Codable, Hashable, Sendable {
    public var id: PoolID
    public var cluster: ClusterID
    public var purpose: PoolPurpose
    public var sharing: GPUSharingMode
    /// Fraction of the pool's GPUs held back as the dynamic reserve (emergency / elasticity), 0…0.5.
    public var reservedFraction: Double
    public var labels: [String: String]

    public init(
        id: PoolID, cluster: ClusterID, purpose: PoolPurpose = .mixed, sharing: GPUSharingMode = .timeSlicing,
        reservedFraction: Double = 0, labels: [String: String] = [:]
    ) {
        self.id = id
        self.cluster = cluster
        self.purpose = purpose
        self.sharing = sharing
        self.reservedFraction = reservedFraction
        self.labels = labels
    }
}
