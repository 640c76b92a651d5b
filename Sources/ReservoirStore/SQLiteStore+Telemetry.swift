import Foundation
import GRDB
import ReservoirCore

/// Device telemetry: minute samples and their hour and day roll-ups (migration `v7-telemetry`).
///
/// Roll-ups are kept incrementally at ingest, in the transaction that stores the minute row, rather than
/// by a periodic compaction: the hour and day tables are then always current (the autoscaler, a profile
/// or a dashboard reading "today" needs no union with raw minutes), a late or out-of-order sample lands
/// in its own hour and day, and there is no watermark to keep. The price is two upserts per sample, into
/// the last rows of time-ordered trees (hot in the page cache); `reservoir bench telemetry` measures it.
///
/// Samples are a signal, not a change anyone makes: they are not written to the audit log (a reservoir of
/// 6,212 GPUs reports 8.9 million a day). Retention is a range delete per table on its time key.
extension SQLiteStore {
    public func telemetryDevices(_ ids: Set<DeviceID>) throws -> [DeviceID: TelemetryDevice] {
        let nodes = Set(ids.compactMap(Self.node(of:)))
        guard !nodes.isEmpty else { return [:] }
        return try db.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT n.id AS node, n.pool AS pool, json_extract(d.value, '$.id') AS device, json_extract(d.value, '$.model') AS model,
                    json_extract(d.value, '$.memoryMiB') AS memory
                FROM node n, json_each(n.body, '$.devices') d WHERE n.id IN (SELECT value FROM json_each(?))
                """, arguments: [try Self.json(nodes.sorted())])
            var found: [DeviceID: TelemetryDevice] = [:]
            while let row = try rows.next() {
                let id = DeviceID(row["device"])
                guard ids.contains(id) else { continue }
                found[id] = TelemetryDevice(id: id, node: NodeID(row["node"]), pool: PoolID(row["pool"]), model: row["model"], memoryMiB: row["memory"])
            }
            return found
        }
    }

    /// The node a device id names: ids are `<node>/gpu<index>` (`Device.id(node:index:)`).
    static func node(of device: DeviceID) -> String? {
        device.rawValue.range(of: "/", options: .backwards).map { String(device.rawValue[..<$0.lowerBound]) }
    }

    public func recordSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice]) throws -> Int {
        guard !samples.isEmpty else { return 0 }
        return try db.write { db in
            let batch = Set(samples.map(\.device)).compactMap { devices[$0] }
            let sources = try Self.telemetrySources(db, batch)
            let holders = try Self.telemetryHolders(db, devices: batch.map(\.id))
            let minuteRow = try db.cachedStatement(
                sql: "INSERT INTO telemetry_minute (minute, source, holder, util, memory) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            let hourRow = try db.cachedStatement(sql: Self.rollUp("telemetry_hour", key: "hour"))
            let dayRow = try db.cachedStatement(sql: Self.rollUp("telemetry_day", key: "day"))
            var added = 0
            for sample in samples {
                guard let source = sources[sample.device] else { throw ReservoirError.notFound("device", "no device \(sample.device)") }
                let minute = Int64((sample.at / 60).rounded(.down))
                let holder = holders[sample.device] ?? 0
                let util = Int64((sample.gpuUtilPercent * 100).rounded())
                let memory = Int64(sample.memoryUsedMiB)
                minuteRow.setUncheckedArguments([minute, source, holder, util, memory])
                try minuteRow.execute()
                guard db.changesCount == 1 else { continue }
                added += 1
                hourRow.setUncheckedArguments([minute / 60, source, holder, util, util, memory, memory])
                try hourRow.execute()
                dayRow.setUncheckedArguments([minute / 1440, source, holder, util, util, memory, memory])
                try dayRow.execute()
            }
            return added
        }
    }

    /// Adds one sample to its roll-up row (`key`: hour or day since the epoch).
    private static func rollUp(_ table: String, key: String) -> String {
        """
        INSERT INTO \(table) (\(key), source, holder, samples, util_sum, util_max, memory_sum, memory_max) VALUES (?, ?, ?, 1, ?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET samples = samples + 1, util_sum = util_sum + excluded.util_sum, util_max = MAX(util_max, excluded.util_max),
            memory_sum = memory_sum + excluded.memory_sum, memory_max = MAX(memory_max, excluded.memory_max)
        """
    }

    /// The source key of each device as it is now, added when the device is new or has moved or changed.
    private static func telemetrySources(_ db: Database, _ devices: [TelemetryDevice]) throws -> [DeviceID: Int64] {
        var stored: [TelemetryDevice: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, device, node, pool, model, memory_mib FROM telemetry_source WHERE device IN (SELECT value FROM json_each(?))
            """, arguments: [try json(devices.map(\.id.rawValue))])
        while let row = try rows.next() {
            let device = TelemetryDevice(
                id: DeviceID(row["device"]), node: NodeID(row["node"]), pool: PoolID(row["pool"]), model: row["model"], memoryMiB: row["memory_mib"])
            stored[device] = row["id"]
        }
        var keys: [DeviceID: Int64] = [:]
        for device in devices {
            if let key = stored[device] {
                keys[device.id] = key
            } else {
                try db.execute(
                    sql: "INSERT INTO telemetry_source (device, node, pool, model, memory_mib) VALUES (?, ?, ?, ?, ?)",
                    arguments: [device.id.rawValue, device.node.rawValue, device.pool.rawValue, device.model, device.memoryMiB])
                keys[device.id] = db.lastInsertedRowID
            }
        }
        return keys
    }

    /// The holder key of each device held now: the job holding the most milli-GPU of it (the smallest job id
    /// on a tie), with its tenant and service (`service` of the job's body, once jobs carry one). Devices no
    /// job holds are absent: their samples get holder 0.
    private static func telemetryHolders(_ db: Database, devices: [DeviceID]) throws -> [DeviceID: Int64] {
        let allocations = try Row.fetchAll(db, sql: """
            SELECT device, job, SUM(milli) AS milli FROM allocation WHERE device IN (SELECT value FROM json_each(?))
            GROUP BY device, job ORDER BY device, milli DESC, job
            """, arguments: [try json(devices.map(\.rawValue))])
        var jobs: [DeviceID: String] = [:]
        for row in allocations {
            let device = DeviceID(row["device"])
            if jobs[device] == nil { jobs[device] = row["job"] }
        }
        guard !jobs.isEmpty else { return [:] }
        let distinct = try json(Set(jobs.values).sorted())
        try db.execute(sql: """
            INSERT INTO telemetry_holder (job, tenant, service)
            SELECT id, tenant, json_extract(body, '$.service') FROM job WHERE id IN (SELECT value FROM json_each(?))
            ON CONFLICT (job) DO NOTHING
            """, arguments: [distinct])
        let keys = try Dictionary(
            Row.fetchAll(db, sql: "SELECT id, job FROM telemetry_holder WHERE job IN (SELECT value FROM json_each(?))", arguments: [distinct])
                .map { (row: Row) -> (String, Int64) in (row["job"], row["id"]) },
            uniquingKeysWith: { a, _ in a })
        return jobs.compactMapValues { keys[$0] }
    }

    @discardableResult
    public func pruneTelemetry(before cutoffs: TelemetryCutoffs) throws -> Int {
        try db.write { db in
            var deleted = 0
            for (table, key, cutoff) in [
                ("telemetry_minute", "minute", cutoffs.minute / 60), ("telemetry_hour", "hour", cutoffs.hour / 3600),
                ("telemetry_day", "day", cutoffs.day / 86_400),
            ] {
                try db.execute(sql: "DELETE FROM \(table) WHERE \(key) < ?", arguments: [Int64(cutoff.rounded(.down))])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    // MARK: - Reads

    public func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint] { try utilization(query, tenant: nil) }

    public func utilization(_ query: UtilizationQuery, tenant: TenantID?) throws -> [UtilizationPoint] {
        let tier = TelemetryTier(query.resolution)
        let width = query.resolution.seconds
        var conditions = Conditions()
        conditions.add("t.\(tier.key) >= ? AND t.\(tier.key) < ?", Int64((query.since / width).rounded(.down)), Int64((query.until / width).rounded(.up)))
        if let (column, value) = Self.sourceFilter(query.scope) {
            conditions.add("t.source IN (SELECT id FROM telemetry_source WHERE \(column) = ?)", value)
        }
        if let (column, value) = Self.holderFilter(query.scope) {
            conditions.add("t.holder IN (SELECT id FROM telemetry_holder WHERE \(column) = ?)", value)
        }
        if let tenant {
            conditions.add("t.holder IN (SELECT id FROM telemetry_holder WHERE tenant = ?)", tenant.rawValue)
        }
        // CROSS JOIN keeps the time-ordered table outermost: one range scan, each row's device found by key.
        let sql = """
            SELECT t.\(tier.key) AS bucket, \(tier.samples) AS samples, COUNT(DISTINCT t.source) AS devices,
                SUM(t.\(tier.utilSum)) AS util_sum, MAX(t.\(tier.utilMax)) AS util_max, SUM(t.\(tier.memorySum)) AS memory_sum,
                SUM(t.\(tier.memorySum) * 1.0 / s.memory_mib) AS fraction_sum, MAX(t.\(tier.memoryMax) * 1.0 / s.memory_mib) AS fraction_max
            FROM \(tier.table) t CROSS JOIN telemetry_source s ON s.id = t.source\(conditions.whereClause)
            GROUP BY t.\(tier.key) ORDER BY t.\(tier.key)
            """
        return try db.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(conditions.arguments)).map { row in
                let samples: Int = row["samples"]
                let count = Double(samples)
                let utilSum: Double = row["util_sum"], utilMax: Double = row["util_max"]
                let memorySum: Double = row["memory_sum"], fractionSum: Double = row["fraction_sum"]
                let bucket: Int64 = row["bucket"]
                return UtilizationPoint(
                    at: Double(bucket) * width, gpuUtilMean: utilSum / count / 100, gpuUtilMax: utilMax / 100,
                    memoryUsedMiBMean: memorySum / count, memoryFractionMean: fractionSum / count,
                    memoryFractionMax: row["fraction_max"], devices: row["devices"], samples: samples)
            }
        }
    }

    /// The `telemetry_source` column a scope narrows, for scopes of the inventory.
    private static func sourceFilter(_ scope: UtilizationScope) -> (String, String)? {
        switch scope {
        case .device(let id): ("device", id.rawValue)
        case .node(let id): ("node", id.rawValue)
        case .pool(let id): ("pool", id.rawValue)
        case .model(let name): ("model", name)
        case .reservoir, .tenant, .job, .service: nil
        }
    }

    /// The `telemetry_holder` column a scope narrows, for scopes of the work on the devices.
    private static func holderFilter(_ scope: UtilizationScope) -> (String, String)? {
        switch scope {
        case .tenant(let id): ("tenant", id.rawValue)
        case .job(let id): ("job", id.rawValue)
        case .service(let id): ("service", id.rawValue)
        case .reservoir, .device, .node, .pool, .model: nil
        }
    }
}

/// One resolution's table and how its rows sum: a minute row is one sample, a roll-up row many.
private struct TelemetryTier {
    let table: String
    let key: String
    let samples: String
    let utilSum: String
    let utilMax: String
    let memorySum: String
    let memoryMax: String

    init(_ resolution: TelemetryResolution) {
        switch resolution {
        case .minute:
            (table, key, samples, utilSum, utilMax, memorySum, memoryMax) = ("telemetry_minute", "minute", "COUNT(*)", "util", "util", "memory", "memory")
        case .hour, .day:
            let key = resolution == .hour ? "hour" : "day"
            (table, self.key, samples, utilSum, utilMax, memorySum, memoryMax) = (
                "telemetry_\(key)", key, "SUM(t.samples)", "util_sum", "util_max", "memory_sum", "memory_max"
            )
        }
    }
}
