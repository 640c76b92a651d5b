import GRDB
import ReservoirCore

extension SQLiteStore {
    public func meanUtilizationByDevice(since: Double, until: Double) throws -> [DeviceID: Double] {
        try db.read { db in
            // Utilization is stored in hundredths of a percent; days are whole days since the epoch.
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.device AS device, SUM(d.util_sum) AS util, SUM(d.samples) AS samples
                FROM telemetry_day d JOIN telemetry_source s ON s.id = d.source
                WHERE d.day >= ? AND d.day < ? GROUP BY s.device
                """, arguments: [Int64((since / 86_400).rounded(.down)), Int64((until / 86_400).rounded(.up))])
            var means: [DeviceID: Double] = [:]
            for row in rows {
                let samples: Int64 = row["samples"]
                guard samples > 0 else { continue }
                let util: Int64 = row["util"]
                means[DeviceID(row["device"])] = Double(util) / 100 / Double(samples)
            }
            return means
        }
    }

    public func recentUtilizationByDevice(since: Double, until: Double) throws -> [DeviceID: (util: Double, memoryFraction: Double)] {
        try db.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.device AS device, AVG(m.util) / 100.0 AS util, AVG(CAST(m.memory AS REAL) / s.memory_mib) AS memory
                FROM telemetry_minute m JOIN telemetry_source s ON s.id = m.source
                WHERE m.minute >= ? AND m.minute < ? GROUP BY s.device
                """, arguments: [Int64((since / 60).rounded(.down)), Int64((until / 60).rounded(.up))])
            var out: [DeviceID: (util: Double, memoryFraction: Double)] = [:]
            for row in rows { out[DeviceID(row["device"])] = (row["util"], row["memory"]) }
            return out
        }
    }
}
