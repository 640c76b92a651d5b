import ReservoirCore
import ReservoirForecasting

extension PlanningContext {
    /// The planners' view of the reservoir, computed from live state: GPUs per region and model,
    /// what is allocated, by which class, how much of it is preemptible and for how much longer.
    func planningSnapshot() throws -> ReservoirSnapshotForPlanning {
        let inventory = try store.inventory()
        let catalog = try store.catalog()
        let active = try store.jobs(tenant: nil, states: [.admitted, .running], limit: 1_000_000)
        let now = clock()
        let regionOfPool: [PoolID: RegionID] = {
            let regionOfCluster = Dictionary(uniqueKeysWithValues: inventory.clusters.map { ($0.id, $0.region) })
            return Dictionary(uniqueKeysWithValues: inventory.pools.compactMap { p in regionOfCluster[p.cluster].map { (p.id, $0) } })
        }()
        let nodeModel = Dictionary(uniqueKeysWithValues: inventory.nodes.map { n in (n.id, n.gpuModel.map { catalog.canonicalName($0) ?? $0 } ?? "") })
        var totals: [RegionID: [String: Int]] = [:]
        for node in inventory.nodes {
            guard let region = regionOfPool[node.pool], let model = nodeModel[node.id], !model.isEmpty else { continue }
            totals[region, default: [:]][model, default: 0] += node.devices.filter { $0.kind != .cpu && $0.state != .failed }.count
        }
        struct ClassKey: Hashable { var region: RegionID; var model: String; var priority: PriorityClass }
        var allocated: [ClassKey: (gpus: Int, preemptible: Int, remaining: [Double])] = [:]
        for job in active {
            guard let pool = job.pool, let region = regionOfPool[pool], let node = job.placements.first?.node, let model = nodeModel[node] else { continue }
            let gpus = job.placements.reduce(0) { $0 + $1.deviceIndices.count }
            let elapsed = max(0, now - (job.startedAt ?? now))
            // Remaining time: declared runtime minus work done; without a declaration, as long again as it has run.
            let remaining = job.runtimeSeconds.map { max(0, $0 - job.progressSeconds - elapsed) } ?? elapsed
            var entry = allocated[ClassKey(region: region, model: model, priority: job.priority)] ?? (0, 0, [])
            entry.gpus += gpus
            if job.preemptible { entry.preemptible += gpus }
            entry.remaining.append(remaining / 3600)
            allocated[ClassKey(region: region, model: model, priority: job.priority)] = entry
        }
        let regions = totals.keys.sorted().map { region in
            RegionInventory(name: region.rawValue, models: totals[region]!.keys.sorted().map { model in
                let classes = PriorityClass.allCases.compactMap { pc -> ClassAllocation? in
                    guard let e = allocated[ClassKey(region: region, model: model, priority: pc)] else { return nil }
                    return ClassAllocation(
                        priorityClass: pc.rawValue, rank: PriorityClass.p3.rank - pc.rank, allocated: e.gpus, preemptible: e.preemptible,
                        meanRemainingHours: e.remaining.reduce(0, +) / Double(max(1, e.remaining.count)))
                }
                return ModelInventory(model: model, total: totals[region]![model]!, allocated: classes.reduce(0) { $0 + $1.allocated }, byClass: classes)
            })
        }
        let models = Set(totals.values.flatMap(\.keys))
        let settings = configuration.planning
        return ReservoirSnapshotForPlanning(
            regions: regions,
            pricePerGPUHour: Dictionary(uniqueKeysWithValues: models.map { ($0, catalog.model(named: $0)?.pricePerHour ?? 0) }),
            supply: Dictionary(uniqueKeysWithValues: models.map { ($0, settings.terms(for: $0, catalog: catalog)) }),
            offers: settings.offers, crossRegionDelayHours: settings.crossRegionDelayHours,
            preemptionGraceHours: configuration.preemptionGraceSeconds / 3600)
    }
}
