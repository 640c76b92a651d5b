import ReservoirCore
import ReservoirStore

/// Telemetry: device samples in (from node agents and the engines' telemetry sources), attributed to the
/// work holding each device and rolled up to hours and days; utilization series and their summary out.
///
/// Who reads what: operators and finance read every scope. Members (and approvers) read their own tenant,
/// their tenant's jobs (another tenant's job is "not found") and services (only the samples taken while
/// their tenant's jobs held the devices); the inventory scopes (reservoir, pool, model, node, device) are
/// open to them like the inventory itself: aggregates of utilization that name no job or tenant.
public struct TelemetryContext: ApplicationContext {
    public typealias Store = TelemetryStore & JobReader
    let store: any Store
    public let runtime: Runtime
    let pruning = PruneSchedule()

    var settings: TelemetrySettings { configuration.telemetry }

    /// A node agent's (or an operator's) report: `Action.reportTelemetry`, then `record`'s checks.
    public func ingest(_ samples: [DeviceSample], by principal: Principal) throws -> TelemetryIngestReceipt {
        try access.requireAny(principal, .reportTelemetry)
        return try record(samples)
    }

    /// Samples from inside Reservoir (an engine's telemetry source): all valid or nothing stored (a 4xx naming
    /// `samples[i].<field>`), at most `InputLimits.telemetrySamples`, one per device and minute kept.
    public func record(_ samples: [DeviceSample]) throws -> TelemetryIngestReceipt {
        try InputLimits.count(samples.count, field: "samples", max: InputLimits.telemetrySamples)
        let now = clock()
        let oldest = settings.cutoffs(at: now).minute
        let devices = try store.telemetryDevices(Set(samples.map(\.device)))
        var seen = Set<DeviceMinute>()
        var unique: [DeviceSample] = []
        for (i, sample) in samples.enumerated() {
            try SampleValidation.check(sample, at: "samples[\(i)]", device: devices[sample.device], now: now, oldest: oldest)
            if seen.insert(DeviceMinute(sample)).inserted { unique.append(sample) }
        }
        let accepted = try store.recordSamples(unique, devices: devices)
        if pruning.claim(at: now, every: settings.pruneIntervalMinutes * 60) {
            let pruned = try store.pruneTelemetry(before: settings.cutoffs(at: now))
            if pruned > 0 { logger.info("telemetry pruned", metadata: ["rows": "\(pruned)"]) }
        }
        return TelemetryIngestReceipt(received: samples.count, accepted: accepted, duplicates: samples.count - accepted)
    }

    /// The series of `query` as `principal` may see it, and its summary up to `query.until`.
    public func utilization(_ query: UtilizationQuery, by principal: Principal) throws -> UtilizationReport {
        try access.requireAny(principal, .readUtilization)
        try UtilizationRange.check(query)
        let tenant = try visibleTenant(query.scope, principal)
        let points = try store.utilization(query, tenant: tenant)
        let summary = try UtilizationRange.summary(of: query.scope, until: min(query.until, clock())) { try store.utilization($0, tenant: tenant) }
        return UtilizationReport(
            scope: query.scope.kind, id: query.scope.id, since: query.since, until: query.until, resolution: query.resolution, points: points,
            summary: summary)
    }

    /// The tenant whose samples alone `principal` may read of `scope` (nil: all of them), or a 403/404 naming `id`.
    private func visibleTenant(_ scope: UtilizationScope, _ principal: Principal) throws -> TenantID? {
        guard access.scope(principal, .readUtilization) < .anyTenant else { return nil }
        switch scope {
        case .reservoir, .device, .node, .pool, .model:
            return nil
        case .tenant(let tenant):
            try access.require(principal, .readUtilization, tenant: tenant, field: "id")
            return nil
        case .job(let id):
            guard let job = try store.job(id), access.allows(principal, .readUtilization, tenant: job.tenant) else {
                throw ReservoirError.notFound("id", "no job \(id)")
            }
            return nil
        case .service:
            return try access.tenantFilter(principal, .readUtilization)
        }
    }
}

/// A device and the minute of one of its samples: the unit of deduplication.
private struct DeviceMinute: Hashable {
    let device: DeviceID
    let minute: Double

    init(_ sample: DeviceSample) {
        device = sample.device
        minute = (sample.at / 60).rounded(.down)
    }
}

extension TelemetryContext {
    /// Runs a utilization read off the cooperative pool (`Offload`): a day of minutes of the whole
    /// reservoir is millions of rows.
    public func offloaded<T: Sendable>(_ work: @escaping @Sendable (TelemetryContext) throws -> T) async throws -> T {
        try await Offload.run { try work(self) }
    }
}
