/// What capacity a request asks for, a reviewer changes it to, or a grant gives: the one shape all
/// three share, so "approved with changes" is a diff of two values.
public struct AllocationTerms: Codable, Hashable, Sendable {
    /// Nil: any pool that has the model (chosen at grant time).
    public var pool: PoolID?
    /// Catalog GPU model; nil: any model of the pool.
    public var model: String?
    public var gpus: Int
    /// Length of the window in hours; nil: no fixed term (L1 training, online inference).
    public var durationHours: Double?

    public init(pool: PoolID? = nil, model: String? = nil, gpus: Int, durationHours: Double? = nil) {
        self.pool = pool
        self.model = model
        self.gpus = gpus
        self.durationHours = durationHours
    }

    /// GPU-hours the terms allow (nil without a fixed term).
    public var gpuHours: Double? { durationHours.map { $0 * Double(gpus) } }
}
