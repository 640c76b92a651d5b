import Metrics
import ReservoirCore

/// The alert gauges on `/metrics`, set by each pass: which built-in alerts fire, and the raw inputs of
/// the rules, so Prometheus rules (deploy/prometheus/reservoir-alerts.yml) can say the same thing.
/// Labels are alert names (five), pools and tenants: bounded. Balances only with `metrics.perTenantMoney`.
public enum AlertMetricNames {
    public static let firing = "reservoir_alert_firing"
    public static let poolAllocation = "reservoir_pool_allocation_ratio"
    public static let oldestQueuedWait = "reservoir_pool_oldest_queued_wait_seconds"
    public static let poolWindow = (util: "reservoir_pool_gpu_utilization_window_percent", memory: "reservoir_pool_gpu_memory_window_percent")
    public static let tenantWindow = (util: "reservoir_tenant_gpu_utilization_window_percent", memory: "reservoir_tenant_gpu_memory_window_percent")
    public static let creditBalance = "reservoir_tenant_credit_balance"

    public static let help: [String: String] = [
        firing: "1 while a built-in alert fires on a subject (pool:ID, tenant:ID), 0 once it resolved (alerts.* settings).",
        poolAllocation: "GPUs held by admitted and running jobs over the pool's GPUs (0-1), at the last alert pass.",
        oldestQueuedWait: "Seconds the pool's longest-waiting never-started queued job has waited (0: none), at the last alert pass.",
        poolWindow.util: "Mean GPU utilization (%) of the pool over the alerts.windowDays rolling window (daily roll-ups).",
        poolWindow.memory: "Mean GPU memory in use (% of memory present) of the pool over the alerts.windowDays rolling window.",
        tenantWindow.util: "Mean GPU utilization (%) of the devices the tenant's work held over the alerts.windowDays rolling window.",
        tenantWindow.memory: "Mean GPU memory in use (% of memory present) of the tenant's devices over the alerts.windowDays rolling window.",
        creditBalance: "A tenant's prepaid balance (credits minus charges so far, billing currency), for tenants with a prepaid account (only with metrics.perTenantMoney).",
    ]
}

enum AlertGauges {
    /// `known`: every alert key the pass saw open before or changed, so a resolved one reads 0.
    /// `money`: also each tenant's prepaid balance (`metrics.perTenantMoney`: `/metrics` needs no login).
    static func publish(_ inputs: AlertInputs, firing: Set<AlertKey>, known: Set<AlertKey>, money: Bool) {
        for key in known.union(firing) {
            Gauge(label: AlertMetricNames.firing, dimensions: [("alert", key.rule.alertName), ("subject", key.subject)])
                .record(firing.contains(key) ? 1 : 0)
        }
        for pool in inputs.pools {
            let dimensions = [("pool", pool.pool.rawValue)]
            if let fraction = pool.allocationFraction { Gauge(label: AlertMetricNames.poolAllocation, dimensions: dimensions).record(fraction) }
            Gauge(label: AlertMetricNames.oldestQueuedWait, dimensions: dimensions).record(pool.oldestQueuedWaitSeconds ?? 0)
            if let u = pool.utilization {
                Gauge(label: AlertMetricNames.poolWindow.util, dimensions: dimensions).record(u.gpuPercent)
                Gauge(label: AlertMetricNames.poolWindow.memory, dimensions: dimensions).record(u.memoryPercent)
            }
        }
        for tenant in inputs.tenants {
            let dimensions = [("tenant", tenant.tenant.rawValue)]
            if money, let balance = tenant.balance { Gauge(label: AlertMetricNames.creditBalance, dimensions: dimensions).record(balance.gaugeValue) }
            guard let u = tenant.utilization else { continue }
            Gauge(label: AlertMetricNames.tenantWindow.util, dimensions: dimensions).record(u.gpuPercent)
            Gauge(label: AlertMetricNames.tenantWindow.memory, dimensions: dimensions).record(u.memoryPercent)
        }
    }
}
