import ReservoirCore

/// The limits of a utilization query and the windows of its summary.
enum UtilizationRange {
    /// The most buckets one query returns (a week of minutes).
    static let maxPoints = 10_080.0

    static func check(_ query: UtilizationQuery) throws(ReservoirError) {
        _ = try Bounds.check(query.since, "since", in: Bounds.unixSeconds, unit: "(Unix seconds)")
        _ = try Bounds.check(query.until, "until", in: Bounds.unixSeconds, unit: "(Unix seconds)")
        guard query.since < query.until else { throw .invalid("since", "must be before until") }
        let points = ((query.until - query.since) / query.resolution.seconds).rounded(.up)
        guard points <= maxPoints else {
            throw .invalid("resolution", "\(query.resolution.rawValue) over this range is \(Int(points)) points; at most \(Int(maxPoints)) — choose a coarser resolution")
        }
    }

    /// Daily peak and mean over the 24 hours before `until` (hourly roll-ups), 7- and 30-day means over
    /// the UTC days up to `until`'s (daily roll-ups). `read` is the store's series for a query.
    static func summary(of scope: UtilizationScope, until: Double, read: (UtilizationQuery) throws -> [UtilizationPoint]) throws -> UtilizationSummary {
        var summary = UtilizationSummary()
        let day = try read(UtilizationQuery(scope: scope, since: until - 86_400, until: until, resolution: .hour))
        summary.dailyPeakGpuUtil = day.map(\.gpuUtilMax).max()
        summary.dailyPeakMemoryFraction = day.map(\.memoryFractionMax).max()
        (summary.dailyMeanGpuUtil, summary.dailyMeanMemoryFraction) = means(day)
        let today = (until / 86_400).rounded(.down) * 86_400
        let days = try read(UtilizationQuery(scope: scope, since: today - 29 * 86_400, until: until, resolution: .day))
        (summary.weeklyMeanGpuUtil, summary.weeklyMeanMemoryFraction) = means(days.filter { $0.at >= today - 6 * 86_400 })
        (summary.monthlyMeanGpuUtil, summary.monthlyMeanMemoryFraction) = means(days)
        return summary
    }

    /// Sample-weighted means of utilization and memory fraction; nil without samples.
    static func means(_ points: [UtilizationPoint]) -> (Double?, Double?) {
        let means = UtilizationPoint.sampleWeightedMeans(points)
        return (means?.gpuUtil, means?.memoryFraction)
    }
}
