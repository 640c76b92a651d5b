import ReservoirCore
import ReservoirStore

/// The inventory: regions, clusters, pools, nodes and devices, and the GPU catalog that names and prices them.
public struct InventoryContext: ApplicationContext {
    public typealias Store = InventoryStore & JobReader
    let store: any Store
    /// Writes catalog edits, so that a new list price becomes a price version instead of rewriting bills.
    let billing: BillingContext
    public let runtime: Runtime
    /// The unfinished jobs, followed from the change feed (the scheduler's view, shared by `Reservoir`).
    var jobView = JobView()

    /// Imports a YAML cluster description (operators only); existing objects with the same ids are replaced.
    public func importDescription(yaml: String, discovered: [ClusterID: [Node]] = [:], by principal: Principal) throws -> Inventory {
        try access.require(principal, .changeInventory, tenant: nil)
        let inventory = try ClusterDescription.parse(yaml: yaml).inventory(catalog: try store.catalog(), discovered: discovered)
        try store.upsertInventory(inventory, by: attribution(principal))
        wakeups.poke()
        provisioningWakeups.poke()
        return inventory
    }

    /// Imports the openb node list into one pool of a cluster (created when missing).
    public func importOpenb(csv: String, pool: PoolID, cluster: ClusterID, region: RegionID, by principal: Principal) throws -> Inventory {
        try access.require(principal, .changeInventory, tenant: nil)
        let rows: [OpenbTrace.NodeRow]
        do {
            rows = try OpenbTrace.parseNodes(csv: csv)
        } catch {
            throw ReservoirError.invalid("csv", error.description)
        }
        try OpenbInventory.checkLimits(rows: rows, pool: pool, cluster: cluster, region: region)
        let inventory = try OpenbInventory.make(rows: rows, pool: pool, cluster: cluster, region: region)
        try store.upsertInventory(inventory, by: attribution(principal))
        wakeups.poke()
        return inventory
    }

    public func inventory(by principal: Principal) throws -> Inventory {
        try access.requireAny(principal, .readInventory)
        return try store.inventory()
    }

    public func catalog(by principal: Principal) throws -> GPUCatalog {
        try access.requireAny(principal, .readInventory)
        return try store.catalog()
    }

    /// Adds or edits a catalog model. A changed `pricePerHour` is appended as a price version effective
    /// now (`BillingContext`): usage before now keeps the price it ran at.
    public func upsertCatalogModel(_ model: GPUModel, by principal: Principal) throws -> GPUModel {
        try access.require(principal, .changeInventory, tenant: nil)
        try model.checkLimits()
        guard !model.name.isEmpty else { throw ReservoirError.invalid("name", "is required") }
        try Bounds.check(model.memoryMiB, "memoryMiB", in: Bounds.catalogMemoryMiB)
        try Bounds.check(model.fp16TFLOPS, "fp16TFLOPS", in: Bounds.catalogFigure)
        try Bounds.check(model.bf16TFLOPS, "bf16TFLOPS", in: Bounds.catalogFigure)
        try Bounds.check(model.memoryBandwidthGBps, "memoryBandwidthGBps", in: Bounds.catalogFigure)
        try Bounds.check(model.pricePerHour, "pricePerHour", in: Bounds.catalogFigure, unit: "per device-hour")
        try Bounds.check(model.defaultEfficiency, "defaultEfficiency", in: Bounds.efficiency)
        try billing.upsertCatalogModel(model, by: principal)
        return model
    }

    /// Cordons, drains (cordon) or marks down a node. (A device's state is device health: `HealthContext.setDeviceState`.)
    public func setNodeState(_ id: NodeID, state: NodeState, by principal: Principal) throws -> Node {
        try access.require(principal, .changeInventory, tenant: nil)
        let node = try store.updateNode(id, by: attribution(principal)) { $0.state = state }
        wakeups.poke()
        return node
    }
}

/// Builds an inventory from openb node rows: one node per row, models kept as the trace's codes
/// resolved through the catalog (`V100M16` → `V100-16GB`; `G2` stays opaque).
public enum OpenbInventory {
    public static func make(rows: [OpenbTrace.NodeRow], pool: PoolID, cluster: ClusterID, region: RegionID, catalog: GPUCatalog = .standard) throws -> Inventory {
        try Bounds.check(rows.count, "csv", in: Bounds.importNodes, unit: "nodes")
        let nodes = try rows.map { row throws(ReservoirError) in
            try Bounds.check(row.gpus, "nodes.\(row.name).gpu", in: Bounds.nodeGPUs)
            try Bounds.check(row.cpuMilli, "nodes.\(row.name).cpu_milli", in: Bounds.nodeCPUMilli)
            try Bounds.check(row.memoryMiB, "nodes.\(row.name).memory_mib", in: Bounds.nodeMemoryMiB)
            let id = NodeID(row.name)
            let model = catalog.model(named: row.model)
            let devices = (0..<row.gpus).map {
                Device(node: id, index: $0, model: model?.name ?? row.model, memoryMiB: model?.memoryMiB ?? 0)
            }
            return Node(id: id, pool: pool, cpuMilli: row.cpuMilli, memoryMiB: row.memoryMiB, devices: devices)
        }
        let inventory = Inventory(
            regions: [Region(id: region)], clusters: [Cluster(id: cluster, region: region)],
            pools: [Pool(id: pool, cluster: cluster, purpose: .mixed, sharing: .timeSlicing)], nodes: nodes)
        try inventory.validate()
        return inventory
    }
}
