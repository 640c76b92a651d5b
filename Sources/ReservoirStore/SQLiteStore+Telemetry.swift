import Foundation
import GRDB
import ReservoirCore

/// Device telemetry: minute samples and their hour and day roll-ups (migration `v7-telemetry`).
///
/// Roll-ups are kept incrementally at ingest, in the transaction that stores the minute row, rather than
/// by a periodic compaction: the hour and day tables are then always current (the autoscaler, a profile
/// or a dashboard reading "today" needs no union with raw minutes), a late or out-of-order sample lands
/// in its own hour and day, and there is no watermark to keep. The price is two grouped upserts per report,
/// into the last rows of time-ordered trees (hot in the page cache); `reservoir bench telemetry` measures it.
///
/// Samples are a signal, not a change anyone makes: they are not written to the audit log (a reservoir of
/// 6,212 GPUs reports 8.9 million a day). Retention is a range delete per table on its time key.
extension SQLiteStore {
    public func telemetryDevices(_ ids: Set<DeviceID>) throws -> [DeviceID: TelemetryDevice] {
        let nodes = Set(ids.compactMap { Device.node(of: $0)?.rawValue })
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

    public func recordSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice]) throws -> Int {
        try recordSamples(samples, devices: devices, holding: .now)
    }

    public func recordPastSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice], holders: [DeviceID: JobID]) throws -> Int {
        try recordSamples(samples, devices: devices, holding: .given(holders))
    }

    /// Whom a batch's samples are credited to: the job holding each device now (live samples), or the
    /// job the caller says held it when the samples were taken (a past it knows and today's allocations do not).
    private enum Holding {
        case now
        case given([DeviceID: JobID])
    }

    private func recordSamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice], holding: Holding) throws -> Int {
        guard !samples.isEmpty else { return 0 }
        return try db.write { db in
            let added = try Self.stage(db, samples, devices: devices, holding: holding)
            let columns = Self.minuteColumns.joined(separator: ", ")
            try db.execute(
                sql: ["INSERT INTO telemetry_minute (\(columns)) SELECT \(columns) FROM telemetry_batch",
                    Self.rollUp("telemetry_hour", key: "hour", minutes: 60), Self.rollUp("telemetry_day", key: "day", minutes: 1440),
                    Self.poolMinuteRollUp(from: "telemetry_batch")].joined(separator: ";\n"))
            return added
        }
    }

    /// Adds each sample to its hour and day roll-ups as its device's reading for all 60 minutes of its hour,
    /// with no minute rows: what the store holds, once minutes are pruned, for a history older than the
    /// minute retention. `reservoir bench telemetry` fills its older days this way (an hour of a device costs
    /// one staged row instead of 60 ingested ones) through the same upserts, tables and indices as ingest.
    /// Not deduplicated against earlier roll-ups: for filling hours that hold nothing yet.
    public func recordHourlySamples(_ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice]) throws -> Int {
        guard !samples.isEmpty else { return 0 }
        return try db.write { db in
            let added = try Self.stage(db, samples, devices: devices, holding: .now)
            try db.execute(
                sql: Self.rollUp("telemetry_hour", key: "hour", minutes: 60, weight: 60) + ";\n" + Self.rollUp("telemetry_day", key: "day", minutes: 1440, weight: 60))
            return added
        }
    }

    /// Puts the samples not stored yet into the temporary table `telemetry_batch`, attributed to their
    /// device's source and to its holder as `holding` says (none, holder 0, for a device no job held); returns how many.
    private static func stage(_ db: Database, _ samples: [DeviceSample], devices: [DeviceID: TelemetryDevice], holding: Holding) throws -> Int {
        let batch = Set(samples.map(\.device)).compactMap { devices[$0] }
        let sources = try telemetrySources(db, batch)
        let holders: [DeviceID: Int64]
        switch holding {
        case .now: holders = try telemetryHolders(db, devices: batch.map(\.id))
        case .given(let jobs): holders = try holderKeys(db, jobs: jobs.filter { devices[$0.key] != nil }.mapValues(\.rawValue))
        }
        // The batch goes to SQLite as one JSON array of rows and is written set-wise: a row per sample
        // costs microseconds in C rather than a statement from Swift.
        var rows = "["
        rows.reserveCapacity(samples.count * 48)
        for (i, sample) in samples.enumerated() {
            guard let source = sources[sample.device] else { throw ReservoirError.notFound("device", "no device \(sample.device)") }
            let minute = Int64((sample.at / 60).rounded(.down))
            let util = Int64((sample.gpuUtilPercent * 100).rounded())
            let power = sample.powerWatts.map { String(Int64(($0 * 10).rounded())) } ?? "null"
            let temperature = sample.temperatureCelsius.map { String(Int64(($0 * 10).rounded())) } ?? "null"
            let xid = sample.xidErrors.map(String.init) ?? "null", ecc = sample.eccErrors.map(String.init) ?? "null"
            if i > 0 { rows += "," }
            rows += "[\(minute),\(source),\(holders[sample.device] ?? 0),\(util),\(sample.memoryUsedMiB),\(power),\(temperature),\(xid),\(ecc)]"
        }
        rows += "]"
        let columns = minuteColumns.joined(separator: ", ")
        let values = minuteColumns.indices.map { "json_extract(value, '$[\($0)]')" }.joined(separator: ", ")
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS telemetry_batch (
                minute INTEGER NOT NULL, source INTEGER NOT NULL, holder INTEGER NOT NULL, util INTEGER NOT NULL, memory INTEGER NOT NULL,
                power INTEGER, temperature INTEGER, xid INTEGER, ecc INTEGER, PRIMARY KEY (minute, source)) WITHOUT ROWID;
            DELETE FROM telemetry_batch;
            INSERT OR IGNORE INTO telemetry_batch (\(columns)) SELECT \(values) FROM json_each(?);
            DELETE FROM telemetry_batch
            WHERE EXISTS (SELECT 1 FROM telemetry_minute m WHERE m.minute = telemetry_batch.minute AND m.source = telemetry_batch.source);
            """, arguments: [rows])
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM telemetry_batch") ?? 0
    }

    /// The columns of a minute row, in the order of the batch's JSON rows.
    private static let minuteColumns = ["minute", "source", "holder", "util", "memory", "power", "temperature", "xid", "ecc"]

    /// Adds the batch's new samples to their roll-up rows (`key`: hour or day since the epoch, `minutes` long),
    /// each sample counted `weight` times.
    private static func rollUp(_ table: String, key: String, minutes: Int, weight: Int = 1) -> String {
        rollUp(into: table, keys: [(key, "b.minute / \(minutes)"), ("source", "b.source"), ("holder", "b.holder")], from: "telemetry_batch", weight: weight)
    }

    /// Adds the minute rows of `table` (the batch, or every stored minute when the table is made) to their
    /// pool and model's minute, with the memory fraction of each device summed (0 for unknown memory).
    static func poolMinuteRollUp(from table: String) -> String {
        rollUp(into: "telemetry_pool_minute", keys: [("minute", "b.minute"), ("pool", "s.pool"), ("model", "s.model")], from: table, fractions: true)
    }

    /// One grouped upsert of minute rows (`from`, aliased `b`) into a roll-up table keyed by `keys` (column,
    /// expression), each row counted `weight` times in counts and sums. Optional readings are summed with the count of samples that had them; a maximum of no
    /// samples is replaced, not compared (temperatures may be below zero).
    private static func rollUp(into table: String, keys: [(column: String, value: String)], from: String, fractions: Bool = false, weight: Int = 1) -> String {
        func peak(_ column: String) -> String {
            """
            \(column)_max = CASE WHEN \(column)_samples = 0 THEN excluded.\(column)_max WHEN excluded.\(column)_samples = 0 THEN \(column)_max
                ELSE MAX(\(column)_max, excluded.\(column)_max) END
            """
        }
        let times = weight == 1 ? "" : " * \(weight)"
        var columns: [(column: String, value: String)] = keys + [
            ("samples", "COUNT(*)\(times)"), ("util_sum", "SUM(b.util)\(times)"), ("util_max", "MAX(b.util)"), ("memory_sum", "SUM(b.memory)\(times)"),
            ("memory_max", "MAX(b.memory)"),
            ("power_samples", "COUNT(b.power)\(times)"), ("power_sum", "COALESCE(SUM(b.power), 0)\(times)"), ("power_max", "COALESCE(MAX(b.power), 0)"),
            ("temperature_samples", "COUNT(b.temperature)\(times)"), ("temperature_sum", "COALESCE(SUM(b.temperature), 0)\(times)"),
            ("temperature_max", "COALESCE(MAX(b.temperature), 0)"),
            ("xid_samples", "COUNT(b.xid)\(times)"), ("xid_sum", "COALESCE(SUM(b.xid), 0)\(times)"), ("ecc_samples", "COUNT(b.ecc)\(times)"),
            ("ecc_sum", "COALESCE(SUM(b.ecc), 0)\(times)"),
        ]
        var added = ["samples", "util_sum", "memory_sum", "power_samples", "power_sum", "temperature_samples", "temperature_sum", "xid_samples", "xid_sum", "ecc_samples", "ecc_sum"]
        var highest = ["util_max = MAX(util_max, excluded.util_max)", "memory_max = MAX(memory_max, excluded.memory_max)", peak("power"), peak("temperature")]
        if fractions {
            columns += [
                ("fraction_sum", "COALESCE(SUM(b.memory * 1.0 / NULLIF(s.memory_mib, 0)), 0)\(times)"),
                ("fraction_max", "COALESCE(MAX(b.memory * 1.0 / NULLIF(s.memory_mib, 0)), 0)"),
            ]
            added.append("fraction_sum")
            highest.append("fraction_max = MAX(fraction_max, excluded.fraction_max)")
        }
        return """
            INSERT INTO \(table) (\(columns.map(\.column).joined(separator: ", ")))
            SELECT \(columns.map(\.value).joined(separator: ", "))
            FROM \(from) b\(fractions ? " JOIN telemetry_source s ON s.id = b.source" : "") WHERE true GROUP BY \(keys.map(\.value).joined(separator: ", "))
            ON CONFLICT DO UPDATE SET \((added.map { "\($0) = \($0) + excluded.\($0)" } + highest).joined(separator: ", "))
            """
    }

    /// The source key of each device as it is now, added when the device is new or has moved or changed.
    private static func telemetrySources(_ db: Database, _ devices: [TelemetryDevice]) throws -> [DeviceID: Int64] {
        var stored: [DeviceID: [(device: TelemetryDevice, key: Int64)]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, device, node, pool, model, memory_mib FROM telemetry_source WHERE device IN (SELECT value FROM json_each(?))
            """, arguments: [try json(devices.map(\.id.rawValue))])
        while let row = try rows.next() {
            let device = TelemetryDevice(
                id: DeviceID(row["device"]), node: NodeID(row["node"]), pool: PoolID(row["pool"]), model: row["model"], memoryMiB: row["memory_mib"])
            stored[device.id, default: []].append((device, row["id"]))
        }
        var keys: [DeviceID: Int64] = [:]
        for device in devices {
            if let key = stored[device.id]?.first(where: { $0.device == device })?.key {
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
        return try holderKeys(db, jobs: jobs)
    }

    /// The holder key of each device's job (id), with the job's tenant and service, added for a job new to telemetry.
    private static func holderKeys(_ db: Database, jobs: [DeviceID: String]) throws -> [DeviceID: Int64] {
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
                ("telemetry_minute", "minute", cutoffs.minute / 60), ("telemetry_pool_minute", "minute", cutoffs.minute / 60), ("telemetry_hour", "hour", cutoffs.hour / 3600),
                ("telemetry_day", "day", cutoffs.day / 86_400),
            ] {
                try db.execute(sql: "DELETE FROM \(table) WHERE \(key) < ?", arguments: [Int64(cutoff.rounded(.down))])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Rows held at each resolution (`reservoir bench telemetry` reports them beside the file's size).
    public func telemetryRowCounts() throws -> (minute: Int, hour: Int, day: Int) {
        try db.read { db in
            let count = { (table: String) in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return (try count("telemetry_minute"), try count("telemetry_hour"), try count("telemetry_day"))
        }
    }

    // MARK: - Reads

    public func utilization(_ query: UtilizationQuery) throws -> [UtilizationPoint] { try utilization(query, tenant: nil) }

    public func utilization(_ query: UtilizationQuery, tenant: TenantID?) throws -> [UtilizationPoint] {
        let tier = TelemetryTier(query, tenant: tenant)
        let width = query.resolution.seconds
        var conditions = Conditions()
        conditions.add("t.\(tier.key) >= ? AND t.\(tier.key) < ?", Int64((query.since / width).rounded(.down)), Int64((query.until / width).rounded(.up)))
        if let (column, value) = Self.sourceFilter(query.scope) {
            conditions.add(tier.byPool ? "t.\(column) = ?" : "t.source IN (SELECT id FROM telemetry_source WHERE \(column) = ?)", value)
        }
        if let (column, value) = Self.holderFilter(query.scope) {
            conditions.add("t.holder IN (SELECT id FROM telemetry_holder WHERE \(column) = ?)", value)
        }
        if let tenant {
            conditions.add("t.holder IN (SELECT id FROM telemetry_holder WHERE tenant = ?)", tenant.rawValue)
        }
        let sql = """
            SELECT t.\(tier.key) AS bucket, \(tier.samples) AS samples, \(tier.devices) AS devices,
                SUM(t.\(tier.utilSum)) AS util_sum, MAX(t.\(tier.utilMax)) AS util_max, SUM(t.\(tier.memorySum)) AS memory_sum,
                \(tier.fractions), \(tier.details)
            FROM \(tier.from)\(conditions.whereClause)
            GROUP BY t.\(tier.key) ORDER BY t.\(tier.key)
            """
        return try db.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(conditions.arguments)).map { row in
                let samples: Int = row["samples"]
                let count = Double(samples)
                let utilSum: Double = row["util_sum"], utilMax: Double = row["util_max"]
                let memorySum: Double = row["memory_sum"], fractionSum = (row["fraction_sum"] as Double?) ?? 0
                let bucket: Int64 = row["bucket"]
                return UtilizationPoint(
                    at: Double(bucket) * width, gpuUtilMean: utilSum / count / 100, gpuUtilMax: utilMax / 100,
                    memoryUsedMiBMean: memorySum / count, memoryFractionMean: fractionSum / count,
                    memoryFractionMax: (row["fraction_max"] as Double?) ?? 0, devices: row["devices"], samples: samples,
                    powerWattsMean: (row["power_mean"] as Double?).map { $0 / 10 }, powerWattsMax: (row["power_max"] as Double?).map { $0 / 10 },
                    temperatureCelsiusMean: (row["temperature_mean"] as Double?).map { $0 / 10 },
                    temperatureCelsiusMax: (row["temperature_max"] as Double?).map { $0 / 10 }, xidErrors: row["xid"], eccErrors: row["ecc"])
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
    let key: String
    let samples: String
    let utilSum: String
    let utilMax: String
    let memorySum: String
    /// Distinct devices: a minute row is one device's (its key), a roll-up may split a device among holders.
    let devices: String
    /// The memory fraction's sum and peak (`fraction_sum`, `fraction_max`; NULL read as 0).
    let fractions: String
    /// The table, aliased `t`, with what the fractions need.
    let from: String
    /// Whether the rows are pool and model minutes: a scope of the inventory filters their own columns.
    let byPool: Bool
    /// The optional readings, each NULL when no sample of the bucket had it (tenths of W and °C).
    let details: String

    /// The reservoir, a pool or a model by the minute (all holders) reads `telemetry_pool_minute`: a few rows
    /// a minute with the fractions already summed. Every other query reads its resolution's per-device rows,
    /// each joined to its device's memory (CROSS JOIN keeps the time-ordered table outermost: one range scan,
    /// each row's device found by key); a device of unknown memory adds nothing to the memory fraction.
    init(_ query: UtilizationQuery, tenant: TenantID?) {
        let rolledUp = """
            SUM(t.power_sum) * 1.0 / NULLIF(SUM(t.power_samples), 0) AS power_mean, MAX(CASE WHEN t.power_samples > 0 THEN t.power_max END) AS power_max,
            SUM(t.temperature_sum) * 1.0 / NULLIF(SUM(t.temperature_samples), 0) AS temperature_mean,
            MAX(CASE WHEN t.temperature_samples > 0 THEN t.temperature_max END) AS temperature_max,
            CASE WHEN SUM(t.xid_samples) > 0 THEN SUM(t.xid_sum) END AS xid, CASE WHEN SUM(t.ecc_samples) > 0 THEN SUM(t.ecc_sum) END AS ecc
            """
        func joined(_ memorySum: String, _ memoryMax: String) -> String {
            "SUM(t.\(memorySum) * 1.0 / NULLIF(s.memory_mib, 0)) AS fraction_sum, MAX(t.\(memoryMax) * 1.0 / NULLIF(s.memory_mib, 0)) AS fraction_max"
        }
        let inventoryScope = switch query.scope {
        case .reservoir, .pool, .model: true
        case .device, .node, .tenant, .job, .service: false
        }
        byPool = query.resolution == .minute && inventoryScope && tenant == nil
        switch query.resolution {
        case .minute where byPool:
            (key, samples, utilSum, utilMax, memorySum) = ("minute", "SUM(t.samples)", "util_sum", "util_max", "memory_sum")
            devices = "SUM(t.samples)"
            fractions = "SUM(t.fraction_sum) AS fraction_sum, MAX(t.fraction_max) AS fraction_max"
            from = "telemetry_pool_minute t"
            details = rolledUp
        case .minute:
            (key, samples, utilSum, utilMax, memorySum) = ("minute", "COUNT(*)", "util", "util", "memory")
            devices = "COUNT(*)"
            fractions = joined("memory", "memory")
            from = "telemetry_minute t CROSS JOIN telemetry_source s ON s.id = t.source"
            details = """
                AVG(t.power) AS power_mean, MAX(t.power) AS power_max, AVG(t.temperature) AS temperature_mean, MAX(t.temperature) AS temperature_max,
                SUM(t.xid) AS xid, SUM(t.ecc) AS ecc
                """
        case .hour, .day:
            let key = query.resolution == .hour ? "hour" : "day"
            (self.key, samples, utilSum, utilMax, memorySum) = (key, "SUM(t.samples)", "util_sum", "util_max", "memory_sum")
            devices = "COUNT(DISTINCT t.source)"
            fractions = joined("memory_sum", "memory_max")
            from = "telemetry_\(key) t CROSS JOIN telemetry_source s ON s.id = t.source"
            details = rolledUp
        }
    }
}
