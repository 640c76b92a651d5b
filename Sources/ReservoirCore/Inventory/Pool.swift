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
