import ReservoirCore

/// The planning context's port for forecasts as made, so their realized error can be reported later.
public protocol ForecastStore: Sendable {
    func saveForecast(_ record: ForecastRecord, by who: Attribution) throws
    func forecastRecords(limit: Int) throws -> [ForecastRecord]
    /// A page of forecasts, newest first.
    func forecastRecords(page: PageRequest) throws -> Page<ForecastRecord>
}
