import Metrics
import ReservoirCore

/// Metric names in one place; labels are pools, tenants, models and states — never job ids.
public enum MetricNames {
    public static let cycleDuration = "reservoir_scheduling_cycle_seconds"
    public static let devices = "reservoir_devices"
    public static let allocatedGPUs = "reservoir_allocated_gpus"
    public static let queueLength = "reservoir_queue_length"

    /// The `# HELP` text of each metric on `/metrics`; a metric without one here is exported without help.
    public static let help: [String: String] = [
        cycleDuration: "Seconds one scheduling cycle takes: snapshot, ordering, admission, placement and commit.",
        devices: "Devices by model and state (available, allocated, reserved, maintenance, failed).",
        allocatedGPUs: "GPUs held by admitted and running jobs, per pool and tenant.",
        queueLength: "Jobs waiting (queued or preempted), per pool and tenant.",
    ]
}

extension SchedulingContext {
    /// Refreshes the gauges from the store: devices by model and state, allocation and queue per pool and tenant.
    func publishGauges() throws {
        let inventory = try store.inventory()
        let bookings = try store.deviceBookings()
        var devices: [String: [String: Int]] = [:]
        for node in inventory.nodes {
            for d in node.devices {
                let state = d.state == .available && bookings[d.id] != nil ? DeviceState.allocated : d.state
                devices[d.model, default: [:]][state.rawValue, default: 0] += 1
            }
        }
        for (model, states) in devices {
            for state in DeviceState.allCases {
                Gauge(label: MetricNames.devices, dimensions: [("model", model), ("state", state.rawValue)]).record(states[state.rawValue] ?? 0)
            }
        }
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
        let pending = try store.jobs(tenant: nil, states: [.queued, .preempted], limit: 1_000_000)
        var allocated: [PoolTenant: Double] = [:]
        var queued: [PoolTenant: Int] = [:]
        for pool in inventory.pools {
            for tenant in try store.tenants() {
                allocated[PoolTenant(pool: pool.id.rawValue, tenant: tenant.id.rawValue)] = 0
                queued[PoolTenant(pool: pool.id.rawValue, tenant: tenant.id.rawValue)] = 0
            }
        }
        for job in active { allocated[PoolTenant(pool: job.pool?.rawValue ?? "", tenant: job.tenant.rawValue), default: 0] += Double(job.totalGPUMilli) / 1000 }
        for job in pending { queued[PoolTenant(pool: job.pool?.rawValue ?? "", tenant: job.tenant.rawValue), default: 0] += 1 }
        for (key, gpus) in allocated {
            Gauge(label: MetricNames.allocatedGPUs, dimensions: [("pool", key.pool), ("tenant", key.tenant)]).record(gpus)
        }
        for (key, n) in queued {
            Gauge(label: MetricNames.queueLength, dimensions: [("pool", key.pool), ("tenant", key.tenant)]).record(n)
        }
    }
}

private struct PoolTenant: Hashable {
    var pool: String
    var tenant: String
}
