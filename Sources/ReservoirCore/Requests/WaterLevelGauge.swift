/// Reads the water level of every pool and GPU model from the inventory, the jobs and the live grants
/// (SPEC §5.3), and what each tenant holds there and when running work is expected to end: everything
/// a feasibility check weighs, measured once. Pure: the caller passes the clock's time.
public struct WaterLevelGauge: Sendable {
    /// One entry per pool and (canonical) GPU model, sorted by pool then model.
    public private(set) var levels: [WaterLevel] = []
    /// Expected ends of running work, soonest first.
    public private(set) var releases: [Release] = []
    /// GPUs each tenant holds per pool: running work plus the unused part of its live grants.
    public private(set) var holdings: [TenantID: [PoolID: Int]] = [:]

    /// GPUs of one pool and model that running work is expected to give back at `at`.
    public struct Release: Hashable, Sendable {
        public var pool: PoolID
        public var model: String
        public var gpus: Int
        /// Seconds since the epoch: start + declared runtime − progress kept from earlier runs.
        public var at: Double
    }

    private struct Key: Hashable, Comparable {
        var pool: PoolID, model: String
        static func < (a: Key, b: Key) -> Bool { (a.pool.rawValue, a.model) < (b.pool.rawValue, b.model) }
    }

    /// Milli-GPU sums per pool and model while measuring.
    private struct Tally {
        var total = 0, usable = 0, allocatedMilli = 0, freeMilli = 0, preemptibleMilli = 0, queued = 0
    }

    /// Measures at `time`. A device counts as usable when it and its node are schedulable (not failed,
    /// in maintenance, operator-reserved, cordoned or down); allocation is what admitted and running jobs
    /// hold; the dynamic reserve is the pool's `reservedFraction` of its usable GPUs (rounded up); a live
    /// grant (active, its window open) holds back what its own jobs do not use yet; queued demand counts a
    /// waiting job in every model of its pool it could run on.
    public init(inventory: Inventory, catalog: GPUCatalog, jobs: [Job], grants: [Grant], strategicReservePools: Set<PoolID>, at time: Double) {
        func canonical(_ model: String) -> String { catalog.canonicalName(model) ?? model }
        var tallies: [Key: Tally] = [:]
        var modelOfNode: [NodeID: String] = [:]
        var poolOfNode: [NodeID: PoolID] = [:]
        for node in inventory.nodes {
            poolOfNode[node.id] = node.pool
            for device in node.devices where device.kind != .cpu {
                let key = Key(pool: node.pool, model: canonical(device.model))
                modelOfNode[node.id] = key.model
                tallies[key, default: Tally()].total += 1
                if device.state.isSchedulable && node.state == .ready { tallies[key, default: Tally()].usable += 1 }
            }
        }
        // What running work holds, per device, and when it gives it back.
        var used: [DeviceID: Int] = [:]
        var held: [GrantID: Int] = [:]
        var tenantMilli: [TenantID: [PoolID: Int]] = [:]
        for job in jobs where job.state.holdsDevices {
            var milliByKey: [Key: Int] = [:]
            for p in job.placements where p.gpuMilli > 0 {
                guard let pool = poolOfNode[p.node] ?? job.pool, let model = modelOfNode[p.node] else { continue }
                for i in p.deviceIndices { used[Device.id(node: p.node, index: i), default: 0] += p.gpuMilli }
                milliByKey[Key(pool: pool, model: model), default: 0] += p.gpuMilli * p.deviceIndices.count
            }
            for (key, milli) in milliByKey {
                if job.preemptible && job.priority != .p0 { tallies[key, default: Tally()].preemptibleMilli += milli }
                tenantMilli[job.tenant, default: [:]][key.pool, default: 0] += milli
                if let grant = job.grant { held[grant, default: 0] += milli }
                if let runtime = job.runtimeSeconds, let started = job.startedAt {
                    releases.append(Release(pool: key.pool, model: key.model, gpus: milli / 1000, at: max(time, started + runtime - job.progressSeconds)))
                }
            }
        }
        for node in inventory.nodes {
            for device in node.devices where device.kind != .cpu {
                let key = Key(pool: node.pool, model: canonical(device.model))
                let milli = used[device.id] ?? 0
                tallies[key, default: Tally()].allocatedMilli += milli
                if device.state.isSchedulable && node.state == .ready { tallies[key, default: Tally()].freeMilli += max(0, 1000 - milli) }
            }
        }
        for job in jobs where job.state.isPending {
            guard let pool = job.pool else { continue }
            let allowed = Set(job.request.models.map(canonical))
            for key in tallies.keys where key.pool == pool && (allowed.isEmpty || allowed.contains(key.model)) {
                tallies[key, default: Tally()].queued += (job.minMembers * job.request.totalGPUMilli + 999) / 1000
            }
        }
        // Live grants: the part their jobs do not use yet is promised, so held back from others.
        var promised: [Key: Int] = [:]
        for grant in grants where grant.admits(at: time) {
            let unused = max(0, grant.gpuMilli - (held[grant.id] ?? 0))
            tenantMilli[grant.tenant, default: [:]][grant.pool, default: 0] += unused
            let model = grant.model.map(canonical)
                ?? tallies.filter { $0.key.pool == grant.pool }.max { $0.value.freeMilli < $1.value.freeMilli }?.key.model
            if let model { promised[Key(pool: grant.pool, model: model), default: 0] += unused }
        }
        let fractions = Dictionary(inventory.pools.map { ($0.id, $0.reservedFraction) }, uniquingKeysWith: { a, _ in a })
        levels = tallies.keys.sorted().map { key in
            let t = tallies[key]!
            let dynamic = Int((Double(t.usable) * (fractions[key.pool] ?? 0)).rounded(.up))
            let reserved = dynamic + ((promised[key] ?? 0) + 999) / 1000
            return WaterLevel(
                pool: key.pool, model: key.model, total: t.total, allocated: (t.allocatedMilli + 999) / 1000, reserved: reserved,
                free: max(0, t.freeMilli / 1000 - reserved), queued: t.queued, strategicReserve: strategicReservePools.contains(key.pool),
                dynamicReserve: dynamic, unavailable: t.total - t.usable, preemptible: t.preemptibleMilli / 1000)
        }
        releases.sort { ($0.at, $0.pool.rawValue, $0.model) < ($1.at, $1.pool.rawValue, $1.model) }
        holdings = tenantMilli.mapValues { $0.mapValues { ($0 + 999) / 1000 } }
    }
}
