/// A known business event an operator registered (SPEC §8): a promotion such as 11.11, a model launch,
/// a contract ramp. Over `[start, end)` demand of the pools and models it names is expected to be
/// `1 + uplift` times its usual level, or `extraGPUs` GPUs above it (a ramp's committed GPUs), or both.
/// Forecasts and capacity plans that cover those pools and models include it and say so.
public struct BusinessEventRecord: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case promotion
        case modelLaunch = "model_launch"
        case contractRamp = "contract_ramp"
        case other
    }

    /// `ev-<n>`, assigned by the store.
    public var id: String
    public var name: String
    public var kind: Kind
    /// Unix seconds: the event runs over `[start, end)`.
    public var start: Double
    public var end: Double
    /// Expected relative uplift, e.g. 0.5 for +50 %.
    public var uplift: Double?
    /// Expected GPUs in use on top of the usual demand, per affected model.
    public var extraGPUs: Double?
    /// Pools affected; empty: every pool.
    public var pools: [PoolID]
    /// Canonical device models affected; empty: every model.
    public var models: [String]
    public var note: String?
    public var createdAt: Double
    public var createdBy: String

    public init(
        id: String = "", name: String, kind: Kind, start: Double, end: Double, uplift: Double?, extraGPUs: Double?,
        pools: [PoolID], models: [String], note: String?, createdAt: Double, createdBy: String
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.uplift = uplift
        self.extraGPUs = extraGPUs
        self.pools = pools
        self.models = models
        self.note = note
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Whether the event bears on a series covering `pools` and `models` (each the full set the series
    /// spans). An uplift multiplies the whole series, so it applies only when the event names every pool
    /// and model of the series (or names none): a +50 % on one pool is not +50 % on a model held in three.
    /// Extra GPUs add to any series that shares a pool and a model with the event.
    public func applies(toPools seriesPools: Set<PoolID>, models seriesModels: Set<String>) -> Bool {
        let (eventPools, eventModels) = (Set(pools), Set(models))
        if uplift != nil {
            return (eventPools.isEmpty || seriesPools.isSubset(of: eventPools)) && (eventModels.isEmpty || seriesModels.isSubset(of: eventModels))
        }
        return (eventPools.isEmpty || !seriesPools.isDisjoint(with: eventPools)) && (eventModels.isEmpty || !seriesModels.isDisjoint(with: eventModels))
    }
}
