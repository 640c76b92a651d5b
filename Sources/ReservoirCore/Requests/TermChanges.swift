/// What a reviewer may change when approving with changes (SPEC §5.4: fewer GPUs, another model, a
/// shorter window, another pool). Every field is optional: the rest stays as asked.
public struct TermChanges: Codable, Hashable, Sendable {
    public var pool: PoolID?
    public var model: String?
    public var gpus: Int?
    public var durationHours: Double?

    public init(pool: PoolID? = nil, model: String? = nil, gpus: Int? = nil, durationHours: Double? = nil) {
        self.pool = pool
        self.model = model
        self.gpus = gpus
        self.durationHours = durationHours
    }

    public var isEmpty: Bool { pool == nil && model == nil && gpus == nil && durationHours == nil }

    /// `terms` with these changes applied.
    public func applied(to terms: AllocationTerms) -> AllocationTerms {
        AllocationTerms(
            pool: pool ?? terms.pool, model: model ?? terms.model, gpus: gpus ?? terms.gpus, durationHours: durationHours ?? terms.durationHours)
    }

    /// Every bad change against the asked `terms`: a reviewer may shrink a request, never grow it
    /// (a larger one is a new request that is routed on its own size).
    public func problems(against terms: AllocationTerms) -> [ReservoirError] {
        var problems: [ReservoirError] = []
        if let gpus {
            if gpus < 1 { problems.append(.invalid("changes.gpus", "must be at least 1, got \(gpus)")) }
            if gpus > terms.gpus { problems.append(.invalid("changes.gpus", "\(gpus) is more than the \(terms.gpus) asked; a reviewer may only shrink a request")) }
        }
        if let durationHours {
            if !Bounds.requestHours.contains(durationHours) || !durationHours.isFinite {
                problems.append(.invalid("changes.durationHours", "must be within \(Bounds.requestHours), got \(durationHours)"))
            } else if let asked = terms.durationHours, durationHours > asked {
                problems.append(.invalid("changes.durationHours", "\(durationHours) h is longer than the \(asked) h asked; a reviewer may only shorten the window"))
            }
        }
        if let model, model.isEmpty { problems.append(.invalid("changes.model", "must name a catalog GPU model")) }
        if let pool, pool.rawValue.isEmpty { problems.append(.invalid("changes.pool", "must name a pool")) }
        return problems
    }
}
