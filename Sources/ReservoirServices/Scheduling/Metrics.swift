import Metrics
import ReservoirCore

/// Metric names in one place; labels are pools, tenants, models, states, classes and services — never
/// job ids, and device ids only when `metrics.perDeviceLabels` is on.
public enum MetricNames {
    public static let cycleDuration = "reservoir_scheduling_cycle_seconds"
    public static let devices = "reservoir_devices"
    public static let allocatedGPUs = "reservoir_allocated_gpus"
    public static let queueLength = "reservoir_queue_length"
    public static let poolUtilization = (util: "reservoir_pool_gpu_utilization_percent", memory: "reservoir_pool_gpu_memory_used_ratio")
    public static let modelUtilization = (util: "reservoir_model_gpu_utilization_percent", memory: "reservoir_model_gpu_memory_used_ratio")
    public static let tenantUtilization = (util: "reservoir_tenant_gpu_utilization_percent", memory: "reservoir_tenant_gpu_memory_used_ratio")
    public static let deviceUtilization = (util: "reservoir_device_gpu_utilization_percent", memory: "reservoir_device_gpu_memory_used_ratio")
    public static let classDevices = "reservoir_profile_class_devices"
    public static let unreliableDevices = "reservoir_unreliable_devices"
    public static let faults30d = "reservoir_device_faults_30d"
    public static let serviceReplicas = "reservoir_service_replicas"
    public static let serviceReplicasDesired = "reservoir_service_replicas_desired"
    public static let serviceReplicasMin = "reservoir_service_replicas_min"
    public static let serviceReplicasMax = "reservoir_service_replicas_max"
    public static let serviceScalingEvents = "reservoir_service_scaling_events_total"
    public static let usageGPUSeconds = "reservoir_usage_gpu_seconds_total"
    public static let usageOpenSessions = "reservoir_usage_open_sessions"
    public static let tenantChargesMonthToDate = "reservoir_tenant_charges_month_to_date"

    /// The `# HELP` text of each metric on `/metrics`; a metric without one here is exported without help.
    public static let help: [String: String] = [
        cycleDuration: "Seconds one scheduling cycle takes: snapshot, ordering, admission, placement and commit.",
        devices: "Devices by model and state (available, allocated, reserved, maintenance, failed).",
        allocatedGPUs: "GPUs held by admitted and running jobs, per pool and tenant.",
        queueLength: "Jobs waiting (queued or preempted), per pool and tenant.",
        poolUtilization.util: "Mean GPU utilization (%) of the pool's reporting devices over the last minute with samples.",
        poolUtilization.memory: "Mean GPU memory in use over memory present (0-1) of the pool's reporting devices, last minute with samples.",
        modelUtilization.util: "Mean GPU utilization (%) of the model's reporting devices over the last minute with samples.",
        modelUtilization.memory: "Mean GPU memory in use over memory present (0-1) of the model's reporting devices, last minute with samples.",
        tenantUtilization.util: "Mean GPU utilization (%) of the devices the tenant's work held over the last minute with samples.",
        tenantUtilization.memory: "Mean GPU memory in use over memory present (0-1) of the devices the tenant's work held, last minute with samples.",
        deviceUtilization.util: "GPU utilization (%) per device, mean of the last 5 minutes (only with metrics.perDeviceLabels).",
        deviceUtilization.memory: "GPU memory in use over memory present (0-1) per device, mean of the last 5 minutes (only with metrics.perDeviceLabels).",
        classDevices: "Accelerators per resource-profile class (low-latency, large-memory, economy, general).",
        unreliableDevices: "Accelerators flagged unreliable by recent faults (profiles.unreliableFaults), per pool.",
        faults30d: "Device faults (XID, ECC, missing from discovery) in the last 30 days, per pool.",
        serviceReplicas: "Replicas of an inference service running now.",
        serviceReplicasDesired: "Replicas an inference service wants now (autoscaler or operator).",
        serviceReplicasMin: "The fewest replicas an inference service may scale in to.",
        serviceReplicasMax: "The most replicas an inference service may scale out to.",
        usageGPUSeconds: "GPU-seconds metered from usage sessions (closed, and open ones up to the scrape), per tenant and device model.",
        usageOpenSessions: "Usage sessions open now (allocation segments holding devices), per tenant and device model.",
        tenantChargesMonthToDate: "What the tenant's usage and reserved-but-idle capacity of the current month cost so far, in the billing currency (the open invoice's total; only with metrics.perTenantMoney).",
        serviceScalingEvents: "Capacity adjustments of inference services by kind (scaled-out, scaled-in, manual, reserve-nodes-added, reserve-requested, cross-region-requested).",
    ]

    /// Every metric family `/metrics` may expose (a histogram also as `_bucket`, `_sum`, `_count`):
    /// what a dashboard may name.
    public static var all: [String] { allHelp.keys.sorted() }

    /// Every metric's help, the alert gauges' (`AlertMetricNames`) included.
    public static var allHelp: [String: String] { help.merging(AlertMetricNames.help) { a, _ in a } }
}

extension SchedulingContext {
    /// Refreshes the gauges from what the cycle has in hand (no store read): devices by model and state
    /// (a device booked by an admitted or running job's placement counts as allocated), allocation and
    /// queue per pool and tenant.
    func publishGauges(pools: [Pool], nodes: [Node], tenants: [Tenant], active: [Job], pending: [Job]) {
        var booked: Set<DeviceID> = []
        for job in active {
            for p in job.placements {
                for index in p.deviceIndices { booked.insert(Device.id(node: p.node, index: index)) }
            }
        }
        var devices: [String: [String: Int]] = [:]
        for node in nodes {
            for d in node.devices {
                let state = d.state == .available && booked.contains(d.id) ? DeviceState.allocated : d.state
                devices[d.model, default: [:]][state.rawValue, default: 0] += 1
            }
        }
        for (model, states) in devices {
            for state in DeviceState.allCases {
                Gauge(label: MetricNames.devices, dimensions: [("model", model), ("state", state.rawValue)]).record(states[state.rawValue] ?? 0)
            }
        }
        var allocated: [PoolTenant: Double] = [:]
        var queued: [PoolTenant: Int] = [:]
        for pool in pools {
            for tenant in tenants {
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
