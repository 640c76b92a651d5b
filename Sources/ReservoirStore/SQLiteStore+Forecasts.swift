import GRDB
import ReservoirCore


extension SQLiteStore {
    public func saveForecast(_ record: ForecastRecord, by who: Attribution) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO forecast_record (created_at, series, start, step, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [record.createdAt, record.series, record.start, record.step, try Self.json(record)])
            try Self.audit(db, who, action: "forecast.record", object: "forecasts/\(record.series)", before: Nothing?.none, after: Nothing?.none)
        }
    }

    public func forecastRecords(limit: Int) throws -> [ForecastRecord] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, body FROM forecast_record ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                var record = try Self.decode(ForecastRecord.self, row["body"])
                record.id = row["id"]
                return record
            }
        }
    }
}
