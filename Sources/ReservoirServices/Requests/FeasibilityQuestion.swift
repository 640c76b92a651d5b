import ReservoirCore

/// What `POST /v1/feasibility` asks (and `reservoir request check` sends from a request form): a
/// demand without a stored request. The tenant defaults to the caller's own.
public struct FeasibilityQuestion: Codable, Sendable {
    public var tenant: TenantID?
    public var category: RequestCategory
    public var pool: PoolID?
    /// Catalog GPU model (any spelling the catalog knows); nil: any model.
    public var model: String?
    public var gpus: Int
    public var durationHours: Double?
    /// The green channel: may use the dynamic reserve and preempt lower classes.
    public var emergency: Bool?

    public init(tenant: TenantID? = nil, category: RequestCategory, pool: PoolID? = nil, model: String? = nil, gpus: Int, durationHours: Double? = nil, emergency: Bool? = nil) {
        self.tenant = tenant
        self.category = category
        self.pool = pool
        self.model = model
        self.gpus = gpus
        self.durationHours = durationHours
        self.emergency = emergency
    }

    /// The question a request form asks (`reservoir request check -f FORM`): its tenant, category, pool,
    /// GPU model, GPU count and window. The count is `gpus` when given, else the form's, else the
    /// estimator's as intake computes it (an inference load test, a training run's memory minimum).
    /// Names every missing field at once.
    public init(form: RequestForm, catalog: GPUCatalog, gpus: Int? = nil) throws(ReservoirError) {
        let details = (gpus: form.training?.gpus ?? form.inference?.gpus, model: form.training?.gpuModel ?? form.inference?.gpuModel,
                       hours: form.training?.durationHours ?? form.inference?.durationHours)
        var problems: [ReservoirError] = []
        if form.category == nil { problems.append(.invalid("category", "is required to check feasibility (compliance rules depend on it)")) }
        let count = gpus ?? details.gpus ?? (try? RequestsContext.estimate(form, catalog: catalog))?.gpus
        if count == nil {
            problems.append(.invalid("\(form.kind == .inference ? "inference" : "training").gpus", "is required to check feasibility when the form gives too little to estimate it (or give --gpus N)"))
        }
        try ReservoirError.throwAll(problems)
        self.init(tenant: form.tenant, category: form.category!, pool: form.pool, model: details.model, gpus: count!,
                  durationHours: details.hours, emergency: form.emergency != nil)
    }

    /// The demand it asks about, for `principal` when it names no tenant.
    func demand(for principal: Principal) throws(ReservoirError) -> ResourceDemand {
        guard let tenant = tenant ?? principal.tenant else {
            throw .invalid("tenant", "is required: \(principal.user.id) belongs to no tenant")
        }
        return ResourceDemand(
            tenant: tenant, terms: AllocationTerms(pool: pool, model: model, gpus: gpus, durationHours: durationHours), category: category,
            emergency: emergency ?? false)
    }
}

/// The answer of `GET /v1/water-level`: the level of every pool and model at one moment.
public struct WaterLevelReply: Codable, Sendable {
    /// When it was measured (seconds since the epoch).
    public var at: Double
    public var levels: [WaterLevel]
}
