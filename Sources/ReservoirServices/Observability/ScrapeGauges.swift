import Metrics
import ReservoirCore
import ReservoirStore

/// The gauges read when Prometheus scrapes `/metrics` rather than every scheduling cycle: utilization
/// and GPU memory per pool, model and tenant from the telemetry store (the last minute that has
/// samples), per device only when `metrics.perDeviceLabels` is on, the devices' profile classes,
/// unreliable flags and 30-day faults, and each inference service's replicas. Scrapes come every 15–60 s, so the queries (a few per pool, model and tenant)
/// cost nothing beside the cycle, and no label set grows with jobs or devices by default.
public struct ScrapeGauges: ApplicationContext {
    public typealias Store = InventoryReader & TenancyReader & TelemetryReader & DeviceUtilizationReader & ServiceReader
    let store: any Store
    let profiles: ProfilesContext
    public let runtime: Runtime

    /// How far back the last minute with samples is looked for.
    static let lookBack = 300.0

    public func publish() throws {
        let inventory = try store.inventory()
        try publishUtilization(inventory)
        try publishProfiles(inventory)
        try publishServices()
    }

    /// Each service's running replicas beside what it wants and its bounds.
    private func publishServices() throws {
        for service in try store.services(tenant: nil) {
            let running = try store.replicas(of: service.id, states: [.running]).count
            let dimensions = [("service", service.id.rawValue)]
            Gauge(label: MetricNames.serviceReplicas, dimensions: dimensions).record(running)
            Gauge(label: MetricNames.serviceReplicasDesired, dimensions: dimensions).record(service.desiredReplicas)
            Gauge(label: MetricNames.serviceReplicasMin, dimensions: dimensions).record(service.minReplicas)
            Gauge(label: MetricNames.serviceReplicasMax, dimensions: dimensions).record(service.maxReplicas)
        }
    }

    private func publishUtilization(_ inventory: Inventory) throws {
        let now = clock()
        func latest(_ scope: UtilizationScope) throws -> UtilizationPoint? {
            try store.utilization(UtilizationQuery(scope: scope, since: now - Self.lookBack, until: now, resolution: .minute)).last
        }
        func record(_ point: UtilizationPoint?, _ names: (util: String, memory: String), _ dimensions: [(String, String)]) {
            guard let point else { return }
            Gauge(label: names.util, dimensions: dimensions).record(point.gpuUtilMean)
            Gauge(label: names.memory, dimensions: dimensions).record(point.memoryFractionMean)
        }
        for pool in inventory.pools {
            record(try latest(.pool(pool.id)), MetricNames.poolUtilization, [("pool", pool.id.rawValue)])
        }
        let models = Set(inventory.nodes.flatMap { $0.devices.filter { $0.kind != .cpu }.map(\.model) })
        for model in models.sorted() {
            record(try latest(.model(model)), MetricNames.modelUtilization, [("model", model)])
        }
        for tenant in try store.tenants() {
            record(try latest(.tenant(tenant.id)), MetricNames.tenantUtilization, [("tenant", tenant.id.rawValue)])
        }
        guard configuration.metrics.perDeviceLabels else { return }
        // One pass over the minutes for every device (a query per device would rescan them each time).
        let byDevice = try store.recentUtilizationByDevice(since: now - Self.lookBack, until: now)
        for node in inventory.nodes {
            for d in node.devices where d.kind != .cpu {
                guard let u = byDevice[d.id] else { continue }
                let dimensions = [("pool", node.pool.rawValue), ("device", d.id.rawValue)]
                Gauge(label: MetricNames.deviceUtilization.util, dimensions: dimensions).record(u.util)
                Gauge(label: MetricNames.deviceUtilization.memory, dimensions: dimensions).record(u.memoryFraction)
            }
        }
    }

    private func publishProfiles(_ inventory: Inventory) throws {
        var byClass: [DeviceClass: Int] = [:]
        var unreliable: [PoolID: Int] = [:]
        var faults: [PoolID: Int] = [:]
        for pool in inventory.pools { unreliable[pool.id] = 0; faults[pool.id] = 0 }
        for profile in try profiles.current(inventory: inventory) {
            byClass[profile.deviceClass, default: 0] += 1
            if profile.unreliable { unreliable[profile.pool, default: 0] += 1 }
            faults[profile.pool, default: 0] += profile.faults30d
        }
        for deviceClass in DeviceClass.allCases {
            Gauge(label: MetricNames.classDevices, dimensions: [("class", deviceClass.rawValue)]).record(byClass[deviceClass] ?? 0)
        }
        for (pool, n) in unreliable {
            Gauge(label: MetricNames.unreliableDevices, dimensions: [("pool", pool.rawValue)]).record(n)
            Gauge(label: MetricNames.faults30d, dimensions: [("pool", pool.rawValue)]).record(faults[pool] ?? 0)
        }
    }
}

/// How the services context counts its capacity adjustments on `/metrics` (replica counts are read at
/// scrape time): labels are the service's name (few, operator-made) and the adjustment's kind, never
/// replica or job ids.
public enum ServiceGauges {
    /// One stored adjustment: scaled out or in by the autoscaler, set by hand, reserve nodes added or
    /// asked for, a cross-region transfer asked for.
    public static func adjusted(_ adjustment: ServiceAdjustment) {
        Counter(label: MetricNames.serviceScalingEvents, dimensions: [("service", adjustment.service.rawValue), ("kind", adjustment.kind.rawValue)])
            .increment()
    }
}
