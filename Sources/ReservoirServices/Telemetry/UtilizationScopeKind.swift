import ReservoirCore

/// The kinds of `UtilizationScope`, as the API and the CLI name them (`scope=pool&id=…`).
public enum UtilizationScopeKind: String, Codable, Hashable, Sendable, CaseIterable {
    case reservoir, device, node, pool, model, tenant, job, service
}

extension UtilizationScope {
    /// The scope of a kind and id; `id` is required for every kind but `reservoir`, which takes none.
    public init(kind: UtilizationScopeKind, id: String?) throws(ReservoirError) {
        let id = id.flatMap { $0.isEmpty ? nil : $0 }
        if kind == .reservoir {
            guard id == nil else { throw .invalid("id", "the reservoir scope takes no id") }
            self = .reservoir
            return
        }
        guard let id else { throw .invalid("id", "is required for scope \(kind.rawValue)") }
        try InputLimits.text(id, field: "id", maxBytes: InputLimits.symbolBytes)
        switch kind {
        case .reservoir: self = .reservoir
        case .device: self = .device(DeviceID(id))
        case .node: self = .node(NodeID(id))
        case .pool: self = .pool(PoolID(id))
        case .model: self = .model(id)
        case .tenant: self = .tenant(TenantID(id))
        case .job: self = .job(JobID(id))
        case .service: self = .service(ServiceID(id))
        }
    }

    public var kind: UtilizationScopeKind {
        switch self {
        case .reservoir: .reservoir
        case .device: .device
        case .node: .node
        case .pool: .pool
        case .model: .model
        case .tenant: .tenant
        case .job: .job
        case .service: .service
        }
    }

    public var id: String? {
        switch self {
        case .reservoir: nil
        case .device(let id): id.rawValue
        case .node(let id): id.rawValue
        case .pool(let id): id.rawValue
        case .model(let name): name
        case .tenant(let id): id.rawValue
        case .job(let id): id.rawValue
        case .service(let id): id.rawValue
        }
    }
}

extension TelemetryResolution {
    /// The resolution a range reads best at when none is asked for: minutes up to 6 hours, hours up to
    /// 14 days, days beyond.
    public static func suited(since: Double, until: Double) -> TelemetryResolution {
        let span = until - since
        if span <= 6 * 3_600 { return .minute }
        if span <= 14 * 86_400 { return .hour }
        return .day
    }
}
