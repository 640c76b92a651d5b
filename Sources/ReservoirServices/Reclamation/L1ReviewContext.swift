import ReservoirCore
import ReservoirStore

/// The monthly review of large-model (L1) grants (SPEC §5.7): they have no fixed term, so once a month
/// operators see per grant its utilization (its jobs' daily roll-ups), its progress (GPU-hours its jobs
/// used since the grant started, against the request's estimate) and a recommendation (`L1ReviewRule`).
public struct L1ReviewContext: ApplicationContext {
    public typealias Store = RequestStore & JobReader & TelemetryReader
    let store: any Store
    public let runtime: Runtime

    /// Every L1 grant (of the caller's tenant, unless they read every tenant) that was in effect during `month`.
    public func review(month: String, tenant: TenantID?, by principal: Principal) throws -> L1ReviewReport {
        let month = try ReportMonth(month)
        let tenant = try access.listedTenant(asked: tenant, principal, .readReclamations)
        let now = clock()
        let until = min(month.until, now)
        let rule = L1ReviewRule(idleBelow: configuration.leases.idleServices.peakUtilizationBelowPercent)
        let rows = try Page.all { try store.grants(tenant: tenant, state: nil, emergency: nil, page: $0) }
            .filter { $0.category == .largeModel && $0.startsAt < until && ($0.endsAt ?? .infinity) > month.since }
            .map { try row($0, since: month.since, until: until, now: now, rule: rule) }
        return L1ReviewReport(month: month.description, rule: rule.inWords, grants: rows.sorted { $0.grant < $1.grant })
    }

    func row(_ grant: Grant, since: Double, until: Double, now: Double, rule: L1ReviewRule) throws -> L1ReviewRow {
        let jobs = try jobs(of: grant)
        var daily: [UtilizationPoint] = []
        for job in jobs where (job.startedAt ?? .infinity) < until && (job.finishedAt ?? .infinity) > since {
            daily += try store.utilization(UtilizationQuery(scope: .job(job.id), since: since, until: until, resolution: .day))
        }
        let peak = daily.map(\.gpuUtilMax).max()
        let mean = daily.isEmpty ? nil : daily.map(\.gpuUtilMean).reduce(0, +) / Double(daily.count)
        let used = jobs.reduce(0.0) { sum, job in
            guard let started = job.startedAt else { return sum }
            return sum + Double(job.totalGPUMilli) / 1000 * max(0, (job.finishedAt ?? now) - started) / 3_600
        }
        let (recommendation, why) = rule.recommend(peak: peak, mean: mean, used: used, estimated: grant.estimatedGPUHours)
        return L1ReviewRow(
            grant: grant.id, tenant: grant.tenant, pool: grant.pool, gpuMilli: grant.gpuMilli, state: grant.state, peakUtilization: peak,
            meanUtilization: mean, usedGPUHours: used, estimatedGPUHours: grant.estimatedGPUHours, recommendation: recommendation, why: why)
    }

    /// Every job run under the grant, through the pages.
    func jobs(of grant: Grant) throws -> [Job] {
        try Page.all { try store.jobs(JobListFilter(tenant: grant.tenant, grant: grant.id), page: $0) }
    }
}

/// `GET /v1/reports/l1-review`: the rule in words and one row per L1 grant.
public struct L1ReviewReport: Codable, Hashable, Sendable {
    public var month: String
    public var rule: String
    public var grants: [L1ReviewRow]
}

/// One L1 grant in the monthly review.
public struct L1ReviewRow: Codable, Hashable, Sendable {
    public var grant: GrantID
    public var tenant: TenantID
    public var pool: PoolID
    public var gpuMilli: Int
    public var state: GrantState
    /// GPU utilization over the month's daily roll-ups of its jobs, in percent; absent when none reported.
    public var peakUtilization: Double?
    public var meanUtilization: Double?
    /// GPU-hours its jobs held since the grant started, against the request's estimate.
    public var usedGPUHours: Double
    public var estimatedGPUHours: Double?
    public var recommendation: L1Recommendation
    /// The rule that gave the recommendation, in words.
    public var why: String
}
