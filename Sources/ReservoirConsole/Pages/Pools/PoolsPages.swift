import ReservoirCore
import ReservoirServices

/// `/console/pools` (pools with their water level), `/console/pools/{pool}` (a per-GPU heat map, node by
/// node) and `/console/nodes/{node}` (a node's devices and the work on them), read through the use cases
/// `InventoryController`, `FeasibilityController` and `TelemetryController` call. Every role may read the
/// inventory; the work shown on devices is the work the user may see.
struct PoolsPages: ConsolePageGroup {
    static let list = ConsolePage(id: "pools", title: "Pools", section: .pools, action: .readInventory, navPath: "/console/pools")
    static let pool = ConsolePage(id: "pool", title: "Pool", section: .pools, action: .readInventory)
    static let node = ConsolePage(id: "node", title: "Node", section: .pools, action: .readInventory)

    var pages: [ConsolePage] { [Self.list, Self.pool, Self.node] }
    var templates: [String: String] { ["pools": PoolsTemplates.list, "pool": PoolsTemplates.pool, "node": PoolsTemplates.node, "pool-colours": PoolsTemplates.colourChoice] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/pools", Self.list) { request in
            .render(Self.list, "pools", try PoolListModel.build(request))
        }
        routes.get("/console/pools/{pool}", Self.pool) { request in
            .render(Self.pool, "pool", try PoolModel.build(request))
        }
        routes.get("/console/nodes/{node}", Self.node) { request in
            .render(Self.node, "node", try NodeModel.build(request))
        }
    }
}

/// The water level of pools, summed over models, as the overview's bar draws it.
enum PoolLevels {
    struct Level {
        var total = 0, allocated = 0, reserved = 0, free = 0, queued = 0
    }

    static func byPool(_ levels: [WaterLevel]) -> [String: Level] {
        var sums: [String: Level] = [:]
        for level in levels {
            sums[level.pool.rawValue, default: Level()].total += level.total
            sums[level.pool.rawValue, default: Level()].allocated += level.allocated
            sums[level.pool.rawValue, default: Level()].reserved += level.reserved
            sums[level.pool.rawValue, default: Level()].free += level.free
            sums[level.pool.rawValue, default: Level()].queued += level.queued
        }
        return sums
    }

    static func bar(_ title: String, _ level: Level) -> String {
        StackedBar.waterLevel(
            title: "\(title): \(level.allocated) allocated, \(level.reserved) reserved, \(level.free) free of \(level.total)",
            total: level.total, allocated: level.allocated, reserved: level.reserved, free: level.free
        ).svg()
    }
}

enum PoolListModel {
    static func build(_ request: ConsoleRequest) throws -> [String: any Sendable] {
        let reservoir = request.reservoir, principal = request.principal
        let pools = try reservoir.inventory.poolViews(by: principal).sorted { $0.id < $1.id }
        let water = try reservoir.feasibility.waterLevel(by: principal)
        let levels = PoolLevels.byPool(water.levels)
        return [
            "measuredAt": ConsoleFormat.time(water.at), "refresh": 30, "hasPools": !pools.isEmpty,
            "pools": pools.map { pool -> [String: any Sendable] in
                let level = levels[pool.id] ?? PoolLevels.Level()
                let models = pool.gpusByModel.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
                return [
                    "id": pool.id, "region": pool.region, "cluster": pool.cluster, "purpose": pool.purpose.rawValue, "sharing": pool.sharing.rawValue,
                    "nodes": pool.nodes, "gpus": pool.gpus, "models": models,
                    "allocated": SVG.figure(pool.allocatedGPUs, digits: 2), "reserved": level.reserved, "free": level.free,
                    "running": pool.runningJobs, "waiting": pool.waitingJobs, "bar": PoolLevels.bar(pool.id, level),
                ]
            },
        ]
    }
}
