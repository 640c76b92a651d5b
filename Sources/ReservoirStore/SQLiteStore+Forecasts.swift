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
        try forecastRecords(page: PageRequest(limit: limit)).items
    }
}
