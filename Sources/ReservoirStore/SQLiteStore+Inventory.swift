import GRDB
import ReservoirCore

extension SQLiteStore {
    // MARK: - Writes

    /// Adds or replaces regions, clusters, pools and nodes (with their devices) in one transaction.
    public func upsertInventory(_ inventory: Inventory, by who: Attribution) throws {
        try db.write { db in
            for r in inventory.regions {
                try db.execute(sql: "INSERT OR REPLACE INTO region (id, name) VALUES (?, ?)", arguments: [r.id.rawValue, r.name])
            }
            for c in inventory.clusters {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO cluster (id, region, engine) VALUES (?, ?, ?)",
                    arguments: [c.id.rawValue, c.region.rawValue, c.engine.rawValue])
            }
            for p in inventory.pools {
                try db.execute(
                    sql: "INSERT INTO pool (id, cluster, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET cluster = excluded.cluster, body = excluded.body",
                    arguments: [p.id.rawValue, p.cluster.rawValue, try Self.json(p)])
            }
            for n in inventory.nodes {
                try db.execute(
                    sql: "INSERT INTO node (id, pool, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET pool = excluded.pool, body = excluded.body",
                    arguments: [n.id.rawValue, n.pool.rawValue, try Self.json(n)])
            }
            let summary = InventorySummary(inventory)
            try Self.audit(db, who, action: "inventory.import", object: "inventory", before: Nothing?.none, after: summary)
        }
    }

    /// Changes a node's state (cordon, drain, down) or a device's state (maintenance, failed…).
    public func node(_ id: NodeID) throws -> Node? {
        try db.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [id.rawValue]).map { try Self.decode(Node.self, $0) }
        }
    }

    public func updateNode(_ id: NodeID, by who: Attribution, _ change: (inout Node) throws -> Void) throws -> Node {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [id.rawValue]) else {
                throw ReservoirError.notFound("node", "no node \(id)")
            }
            let before = try Self.decode(Node.self, body)
            var after = before
            try change(&after)
            try db.execute(sql: "UPDATE node SET body = ? WHERE id = ?", arguments: [try Self.json(after), id.rawValue])
            try Self.audit(db, who, action: "node.update", object: "nodes/\(id)", before: before, after: after)
            return after
        }
    }

    // MARK: - Reads

    /// The whole inventory, decoded once per change of its tables (memoised: read by every submission and cycle).
    public func inventory() throws -> Inventory {
        try memoised(caches.inventory, tables: Self.inventoryTables, Self.readInventory)
    }

    public func inventoryGeneration() throws -> Int64 {
        try db.read { try Self.generation($0, of: Self.inventoryTables + Self.catalogTables) }
    }

    static let inventoryTables = ["region", "cluster", "pool", "node"]
    static let catalogTables = ["catalog_model"]

    static func readInventory(_ db: Database) throws -> Inventory {
        Inventory(
            regions: try Row.fetchAll(db, sql: "SELECT * FROM region ORDER BY id").map { Region(id: RegionID($0["id"]), name: $0["name"]) },
            clusters: try Row.fetchAll(db, sql: "SELECT * FROM cluster ORDER BY id").map {
                Cluster(id: ClusterID($0["id"]), region: RegionID($0["region"]), engine: EngineKind(rawValue: $0["engine"]) ?? .simulated)
            },
            pools: try String.fetchAll(db, sql: "SELECT body FROM pool ORDER BY id").map { try Self.decode(Pool.self, $0) },
            nodes: try String.fetchAll(db, sql: "SELECT body FROM node ORDER BY id").map { try Self.decode(Node.self, $0) }
        )
    }

    // MARK: - Catalog

    /// The standard catalog with the stored models over it (memoised like `inventory()`).
    public func catalog() throws -> GPUCatalog {
        try memoised(caches.catalog, tables: Self.catalogTables, Self.readCatalog)
    }

    static func readCatalog(_ db: Database) throws -> GPUCatalog {
        var catalog = GPUCatalog.standard
        for model in try String.fetchAll(db, sql: "SELECT body FROM catalog_model ORDER BY name").map({ try Self.decode(GPUModel.self, $0) }) {
            catalog.upsert(model)
        }
        return catalog
    }
    // Catalog edits: `upsertCatalogModel(_:version:seed:by:)` (SQLiteStore+Prices.swift), with the price version they make.
}

/// Counts recorded in the audit log for an import (the full inventory would bloat the log).
struct InventorySummary: Encodable {
    var regions: Int
    var clusters: Int
    var pools: Int
    var nodes: Int
    var devices: Int
    init(_ inventory: Inventory) {
        regions = inventory.regions.count
        clusters = inventory.clusters.count
        pools = inventory.pools.count
        nodes = inventory.nodes.count
        devices = inventory.nodes.reduce(0) { $0 + $1.devices.count }
    }
}
