import ReservoirCore

extension OpenbInventory {
    /// Checks an openb import's ids (the pool, cluster and region it goes to, and every node name) and its size.
    static func checkLimits(rows: [OpenbTrace.NodeRow], pool: PoolID, cluster: ClusterID, region: RegionID) throws(ReservoirError) {
        try InputLimits.identifier(pool.rawValue, field: "pool")
        try InputLimits.identifier(cluster.rawValue, field: "cluster")
        try InputLimits.identifier(region.rawValue, field: "region")
        try InputLimits.count(rows.count, field: "csv", max: InputLimits.nodes)
        for (i, row) in rows.enumerated() { try InputLimits.identifier(row.name, field: "csv.rows[\(i)].sn") }
    }
}

extension GPUModel {
    /// Checks a catalog entry's name (a symbol, e.g. `A100-80GB`), vendor and aliases.
    func checkLimits() throws(ReservoirError) {
        try InputLimits.symbol(name, field: "name")
        try InputLimits.name(vendor, field: "vendor")
        try InputLimits.count(aliases.count, field: "aliases")
        for (i, alias) in aliases.enumerated() { try InputLimits.text(alias, field: "aliases[\(i)]", maxBytes: InputLimits.symbolBytes) }
    }
}
