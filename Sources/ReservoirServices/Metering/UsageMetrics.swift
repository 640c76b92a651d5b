import Foundation
import Metrics
import ReservoirCore

extension MeteringContext {
    /// Publishes the usage counters at scrape time, labelled by tenant and model only (bounded: tenants ×
    /// catalog models, never jobs): GPU-seconds metered so far (closed sessions plus open ones up to now)
    /// and the sessions open now; and each tenant's charges of the month so far, only with
    /// `metrics.perTenantMoney` (a tenant's spend is its own; `/metrics` needs no login). The counter is the store's total, so it never falls back after a restart:
    /// each scrape adds what the total grew by since the last one this process published.
    public func publishMetrics() throws {
        let now = clock()
        let totals = try store.usageTotals(tenant: nil, since: 0, until: now, now: now)
        var open: [UsageMetricKey: Int] = [:]
        for session in try store.openUsageSessions() { open[UsageMetricKey(tenant: session.tenant.rawValue, model: session.model), default: 0] += 1 }
        var gpuSeconds: [UsageMetricKey: Double] = [:]
        for total in totals { gpuSeconds[UsageMetricKey(tenant: total.tenant.rawValue, model: total.model), default: 0] += total.gpuSeconds }
        for (key, grew) in meter.grown(to: gpuSeconds) {
            FloatingPointCounter(label: MetricNames.usageGPUSeconds, dimensions: key.dimensions).increment(by: grew)
        }
        for key in Set(gpuSeconds.keys).union(open.keys) {
            Gauge(label: MetricNames.usageOpenSessions, dimensions: key.dimensions).record(open[key] ?? 0)
        }
        try publishCharges(now: now)
    }

    /// Each tenant's charges of the month so far (`BillingContext.charges`: usage at the prices in force,
    /// discounts, reserved-but-idle capacity), in the billing currency. A gauge, not a counter: with
    /// `discountMode: whole` crossing a tier lowers the month's total, and it restarts every month.
    private func publishCharges(now: Double) throws {
        guard configuration.metrics.perTenantMoney, let billing else { return }
        let month = ReportMonth(containing: now)
        for tenant in try store.tenants() {
            let total = try billing.charges(tenant: tenant.id, month: month).total
            Gauge(label: MetricNames.tenantChargesMonthToDate, dimensions: [("tenant", tenant.id.rawValue)])
                .record(NSDecimalNumber(decimal: total.value).doubleValue)
        }
    }
}

struct UsageMetricKey: Hashable, Sendable {
    var tenant: String
    var model: String
    var dimensions: [(String, String)] { [("tenant", tenant), ("model", model)] }
}

/// What this process has published of each counter, so a scrape adds only the growth.
final class UsageMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var published: [UsageMetricKey: Double] = [:]

    /// The growth of each total since the last call (keys that grew only), remembered as published.
    func grown(to totals: [UsageMetricKey: Double]) -> [(UsageMetricKey, Double)] {
        lock.lock()
        defer { lock.unlock() }
        var out: [(UsageMetricKey, Double)] = []
        for (key, total) in totals {
            let grew = total - (published[key] ?? 0)
            guard grew > 0 else { continue }
            published[key] = total
            out.append((key, grew))
        }
        return out
    }
}
