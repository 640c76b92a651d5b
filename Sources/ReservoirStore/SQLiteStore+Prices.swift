import GRDB
import ReservoirCore

/// Price versions (migration `v12-prices`): one row per (model, effective date), the body the version's JSON.
extension SQLiteStore {
    public func priceVersions(model: String?) throws -> [PriceVersion] {
        var query = Conditions()
        if let model { query.add("model = ?", model) }
        return try db.read { db in
            try String.fetchAll(
                db, sql: "SELECT body FROM price_version\(query.whereClause) ORDER BY model, effective_from", arguments: StatementArguments(query.arguments)
            ).map { try Self.decode(PriceVersion.self, $0) }
        }
    }

    public func addPriceVersion(_ version: PriceVersion, seed: PriceVersion, by who: Attribution) throws {
        try db.write { db in try Self.insert(db, version, seed: seed, by: who) }
    }

    public func upsertCatalogModel(_ model: GPUModel, version: PriceVersion?, seed: PriceVersion, by who: Attribution) throws {
        let before = try catalog().model(named: model.name)
        try db.write { db in
            if let version { try Self.insert(db, version, seed: seed, by: who) }
            try db.execute(sql: "INSERT OR REPLACE INTO catalog_model (name, body) VALUES (?, ?)", arguments: [model.name, try Self.json(model)])
            try Self.audit(db, who, action: "catalog.upsert", object: "catalog/\(model.name)", before: before, after: model)
        }
    }

    private static func insert(_ db: Database, _ version: PriceVersion, seed: PriceVersion, by who: Attribution) throws {
        let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM price_version WHERE model = ?", arguments: [version.model]) ?? 0
        if stored == 0, seed.effectiveFrom < version.effectiveFrom { try insertRow(db, seed, by: who) }
        let clash = try Bool.fetchOne(
            db, sql: "SELECT 1 FROM price_version WHERE model = ? AND effective_from = ?", arguments: [version.model, version.effectiveFrom]) ?? false
        guard !clash else {
            throw ReservoirError(.conflict, field: "effectiveFrom", "\(version.model) already has a price version from that instant; versions may not overlap: choose another effectiveFrom")
        }
        try insertRow(db, version, by: who)
    }

    private static func insertRow(_ db: Database, _ version: PriceVersion, by who: Attribution) throws {
        try db.execute(
            sql: "INSERT INTO price_version (model, effective_from, body) VALUES (?, ?, ?)",
            arguments: [version.model, version.effectiveFrom, try json(version)])
        try audit(db, who, action: "price.add", object: "prices/\(version.model)", before: Nothing?.none, after: version)
    }
}
