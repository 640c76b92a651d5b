/// A point forecast with its 80 % prediction interval, one entry per lead time (index 0 is h = 1).
///
/// Every model returns this shape so the backtest, the ensemble, the capacity planner and the chart
/// can treat them alike.
public struct Forecast: Hashable, Sendable, Codable {
    public var mean: [Double]
    public var lower80: [Double]
    public var upper80: [Double]

    public init(mean: [Double], lower80: [Double], upper80: [Double]) {
        self.mean = mean
        self.lower80 = lower80
        self.upper80 = upper80
    }

    /// A forecast whose interval is `mean ± z80 · sd[h]` (Gaussian errors).
    public init(mean: [Double], standardDeviation sd: [Double]) {
        self.mean = mean
        lower80 = zip(mean, sd).map { $0 - Normal.z80 * $1 }
        upper80 = zip(mean, sd).map { $0 + Normal.z80 * $1 }
    }

    public var horizon: Int { mean.count }

    /// Whether every value is a finite number (a forecast with a NaN is never handed on).
    public var isFinite: Bool { (mean + lower80 + upper80).allSatisfy(\.isFinite) }

    /// The first `h` lead times.
    public func prefix(_ h: Int) -> Forecast {
        Forecast(mean: Array(mean.prefix(h)), lower80: Array(lower80.prefix(h)), upper80: Array(upper80.prefix(h)))
    }

    /// The same forecast with every value passed through `f` (monotone increasing, e.g. a back-transform).
    public func mapped(_ f: (Double) -> Double) -> Forecast {
        Forecast(mean: mean.map(f), lower80: lower80.map(f), upper80: upper80.map(f))
    }
}

/// A forecasting model: fits itself to `history` (equally spaced, oldest first) from scratch on every call
/// and forecasts `horizon` steps. Models are values; fitting has no side effects.
public protocol Forecaster: Sendable {
    /// Stable short name used in tables and JSON (`ets_damped_24`, `auto_arima`…).
    var name: String { get }
    func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast
    /// Forecasts from each origin `o` of a backtest (history `y[0..<o]`); see `Backtester`.
    func backtestForecasts(_ y: [Double], origins: [Int], horizon: Int) throws(ForecastError) -> [Int: Forecast]
}

/// Why a forecast could not be made.
public struct ForecastError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        fileprivate let rawValue: String
        /// The history is too short for the model (e.g. fewer than two seasons).
        public static let insufficientHistory = Code(rawValue: "insufficient_history")
        /// Inputs are malformed: NaN values, a zero horizon, an inconsistent snapshot.
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// The optimiser or a linear solve failed to produce finite estimates.
        public static let fitFailed = Code(rawValue: "fit_failed")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
