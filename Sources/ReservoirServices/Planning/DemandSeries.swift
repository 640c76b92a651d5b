import ReservoirCore

/// Hourly (or daily) demand series of Reservoir's own jobs, defined like the openb forecast
/// protocol so the same forecasters apply: `units` = GPUs a job holds (fractions count);
/// `inUse[H]` samples the start of each step, `arrived[H]` sums the units submitted during it,
/// `queued[H]` samples units waiting at the start of each step.
public struct DemandSeries: Codable, Sendable {
    /// Unix seconds of the first step.
    public var start: Double
    /// Seconds per step: 3600 (hourly) or 86400 (daily).
    public var step: Double
    public var inUse: [Double]
    public var arrived: [Double]
    public var queued: [Double]

    /// Which jobs count: all, or those of one pool, device model or region.
    public struct Filter: Sendable {
        public var pools: Set<PoolID>?
        public init(pools: Set<PoolID>? = nil) { self.pools = pools }
    }

    /// Derives the series from job records over `[from, to)`.
    /// Daily series are downsampled from hourly: means for the samples, sums for arrivals.
    public static func derive(jobs: [Job], from: Double, to: Double, step: Double = 3600, now: Double) -> DemandSeries {
        let hourly = 3600.0
        let first = (from / hourly).rounded(.down) * hourly
        let span = ((to - first) / hourly).rounded(.up)
        let count = span.isFinite ? Int(max(0, min(span, 1_000_000))) : 0
        var inUse = [Double](repeating: 0, count: count)
        var arrived = [Double](repeating: 0, count: count)
        var queued = [Double](repeating: 0, count: count)
        // Clamped in Double before the conversion: a time far outside the window is just "before" or "after".
        func index(_ t: Double) -> Int { Int(max(-1, min(Double(count), ((t - first) / hourly).rounded(.down)))) }
        /// Steps `from..<to` that exist, empty when the job lies outside the window (never an inverted range).
        func steps(_ from: Int, _ to: Int) -> Range<Int> { max(0, from)..<max(max(0, from), min(count, to)) }
        for job in jobs where job.request.gpus > 0 {
            let units = Double(job.totalGPUMilli) / 1000
            let a = index(job.submittedAt)
            if a >= 0, a < count { arrived[a] += units }
            let end = job.finishedAt ?? (job.state.isFinal ? job.submittedAt : now)
            let runStart = job.startedAt
            // Sample h counts the job when start <= t_h < end.
            if let runStart {
                for h in steps(index(runStart), index(end) + 1) {
                    let t = first + Double(h) * hourly
                    if runStart <= t, t < end { inUse[h] += units }
                }
            }
            let queueEnd = runStart ?? end
            for h in steps(index(job.submittedAt), index(queueEnd) + 1) {
                let t = first + Double(h) * hourly
                if job.submittedAt <= t, t < queueEnd { queued[h] += units }
            }
        }
        var series = DemandSeries(start: first, step: hourly, inUse: inUse, arrived: arrived, queued: queued)
        if step > hourly { series = series.downsampled(by: Int((step / hourly).rounded())) }
        return series
    }

    /// Groups `factor` steps into one: means of samples, sums of arrivals (a partial last group is dropped).
    public func downsampled(by factor: Int) -> DemandSeries {
        guard factor > 1 else { return self }
        func groups(_ xs: [Double], _ combine: ([Double]) -> Double) -> [Double] {
            stride(from: 0, to: xs.count - factor + 1, by: factor).map { combine(Array(xs[$0..<$0 + factor])) }
        }
        let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
        let sum: ([Double]) -> Double = { $0.reduce(0, +) }
        return DemandSeries(start: start, step: step * Double(factor), inUse: groups(inUse, mean), arrived: groups(arrived, sum), queued: groups(queued, mean))
    }
}

extension PlanningContext {
    /// Demand history of the caller's scope (a tenant sees its own jobs; operators everything),
    /// optionally for one pool, model or region.
    public func demandSeries(
        pool: PoolID?, model: String?, region: RegionID?, from: Double, to: Double?, daily: Bool, by principal: Principal
    ) throws -> DemandSeries {
        let end = to ?? clock()
        guard from < end else { throw ReservoirError.invalid("from", "must be before to") }
        guard (end - from) / 3600 <= 24 * 366 * 3 else { throw ReservoirError.invalid("from", "at most three years of hourly history") }
        let inventory = try store.inventory()
        var pools: Set<PoolID>? = pool.map { [$0] }
        if let region {
            let clusters = Set(inventory.clusters.filter { $0.region == region }.map(\.id))
            let inRegion = Set(inventory.pools.filter { clusters.contains($0.cluster) }.map(\.id))
            pools = pools.map { $0.intersection(inRegion) } ?? inRegion
        }
        var jobs = try store.jobs(tenant: try access.tenantFilter(principal, .readDemand), states: nil, limit: 1_000_000)
        if let pools { jobs = jobs.filter { $0.pool.map(pools.contains) ?? false } }
        if let model {
            let catalog = try store.catalog()
            guard let canonical = catalog.canonicalName(model) else { throw ReservoirError.notFound("model", "unknown device model \(model)") }
            let nodeModel = Dictionary(uniqueKeysWithValues: inventory.nodes.map { ($0.id, $0.gpuModel.flatMap(catalog.canonicalName)) })
            jobs = jobs.filter { job in
                if let node = job.placements.first?.node { return nodeModel[node] == canonical }
                return job.request.models.contains(canonical)
            }
        }
        return DemandSeries.derive(jobs: jobs, from: from, to: end, step: daily ? 86_400 : 3600, now: clock())
    }
}
