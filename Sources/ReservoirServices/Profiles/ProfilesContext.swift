import ReservoirCore
import ReservoirPlacement
import ReservoirStore

/// Device resource profiles (SPEC §4): each accelerator's static figures, 7-day mean utilization,
/// 30-day faults, recent kinds of work and mean runtime, and the class profile matching sends work
/// by. Built by the pure `ProfileBuilder` from one read of the inventory, the telemetry and health
/// history and what the last 30 days of jobs did on each device (`DeviceWork`, streamed), and cached
/// (`ProfileCache`) for the scheduler and the API.
public struct ProfilesContext: ApplicationContext {
    public typealias Store = InventoryReader & JobReader & DeviceUtilizationReader & DeviceHealthReader
    let store: any Store
    public let runtime: Runtime
    let cache = ProfileCache()

    static let week = 7 * 86_400.0
    static let month = 30 * 86_400.0

    /// The profiles placement uses (no access check: the scheduler's own read); `inventory` when the
    /// caller has just read it.
    func current(inventory: Inventory? = nil) throws -> [DeviceProfile] {
        let inventory = try inventory ?? store.inventory()
        var fingerprint = Hasher()
        for node in inventory.nodes {
            fingerprint.combine(node.id)
            for d in node.devices { fingerprint.combine(d.id); fingerprint.combine(d.state); fingerprint.combine(d.model) }
        }
        let now = clock()
        // Health events are few: a new one (a fault, even one already recovered from) rebuilds at once.
        fingerprint.combine(try store.healthEvents(device: nil, since: now - Self.month).count)
        return try cache.profiles(now: now, maxAge: configuration.profiles.refreshSeconds, fingerprint: fingerprint.finalize()) {
            try build(nodes: inventory.nodes, catalog: try store.catalog(), now: now)
        }
    }

    private func build(nodes: [Node], catalog: GPUCatalog, now: Double) throws -> [DeviceProfile] {
        let utilization = try store.meanUtilizationByDevice(since: now - Self.week, until: now)
        var faults: [DeviceID: Int] = [:]
        for event in try store.healthEvents(device: nil, since: now - Self.month) where event.isFault {
            faults[event.device, default: 0] += 1
        }
        // Streamed by the store: decoding the month's jobs into memory (100,000 at a server's start) was its peak.
        let recent = try store.deviceWork(states: [.admitted, .running, .succeeded, .failed, .cancelled], since: now - Self.month, limit: 100_000)
        let input = ProfileBuilder.Input(nodes: nodes, catalog: catalog, utilization7d: utilization, faults30d: faults, recentWork: recent)
        return ProfileBuilder(unreliableFaults: configuration.profiles.unreliableFaults).profiles(input)
    }

    /// Profiles, optionally of one pool and one class, in node and device order.
    public func profiles(pool: PoolID?, deviceClass: DeviceClass?, by principal: Principal) throws -> [DeviceProfile] {
        try access.requireAny(principal, .readInventory)
        let inventory = try store.inventory()
        if let pool, !inventory.pools.contains(where: { $0.id == pool }) {
            throw ReservoirError.notFound("pool", "no pool \(pool)")
        }
        return try current(inventory: inventory).filter { (pool == nil || $0.pool == pool) && (deviceClass == nil || $0.deviceClass == deviceClass) }
    }

    /// One device's profile.
    public func profile(_ device: DeviceID, by principal: Principal) throws -> DeviceProfile {
        try access.requireAny(principal, .readInventory)
        guard let profile = try current().first(where: { $0.device == device }) else {
            throw ReservoirError.notFound("id", "no accelerator \(device)")
        }
        return profile
    }
}
