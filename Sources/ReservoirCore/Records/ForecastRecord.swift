/// A forecast as made, kept so its realized error can be reported once the future has happened.
public struct ForecastRecord: Codable, Hashable, Sendable {
    public var id: Int64?
    public var createdAt: Double
    /// What was forecast, e.g. `demand/model=A100-80GB`.
    public var series: String
    /// Unix seconds of the first forecast step, and seconds per step.
    public var start: Double
    public var step: Double
    public var mean: [Double]
    public var lower80: [Double]
    public var upper80: [Double]
    public var method: String

    public init(createdAt: Double, series: String, start: Double, step: Double, mean: [Double], lower80: [Double], upper80: [Double], method: String) {
        self.createdAt = createdAt
        self.series = series
        self.start = start
        self.step = step
        self.mean = mean
        self.lower80 = lower80
        self.upper80 = upper80
        self.method = method
    }
}
