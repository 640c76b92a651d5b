import ReservoirCore

/// Reads of the inventory and catalog: what every context that places or prices work needs.
public protocol InventoryReader: Sendable {
    func inventory() throws -> Inventory
    func catalog() throws -> GPUCatalog
    /// A number that moves whenever `inventory()` or `catalog()` would return something else (any write
    /// of a region, cluster, pool, node or catalog model) and only grows. Read it BEFORE them to keep
    /// what is derived from them under it: a value kept under an older number is never asked for again.
    func inventoryGeneration() throws -> Int64
    /// A page of nodes by id, optionally of one pool or in one state.
    func nodes(pool: PoolID?, state: NodeState?, page: PageRequest) throws -> Page<Node>
    /// One node by id (nil: none), without reading the rest of the inventory: a node agent's report
    /// and a device's health change each concern one node, once a minute per node.
    func node(_ id: NodeID) throws -> Node?
}

/// The inventory context's port: regions, clusters, pools, nodes, devices and the GPU catalog.
public protocol InventoryStore: InventoryReader {
    func upsertInventory(_ inventory: Inventory, by who: Attribution) throws
    func updateNode(_ id: NodeID, by who: Attribution, _ change: (inout Node) throws -> Void) throws -> Node
}
