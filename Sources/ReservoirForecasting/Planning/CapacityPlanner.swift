/// Operator policy for expansion: expand when forecast utilisation stays at or above `expansionThreshold`
/// for `sustainedHours`, and size the expansion so that the sustained peak plus a `buffer` fits under
/// the threshold.
public struct CapacityPolicy: Hashable, Sendable, Codable {
    /// Sustained utilisation that triggers expansion, 0.6…0.8.
    public var expansionThreshold: Double
    /// Head-room kept on top of the forecast, 0.05…0.2.
    public var buffer: Double
    /// How long utilisation must stay above the threshold to count as sustained (a one-hour spike does not).
    public var sustainedHours: Int

    public init(expansionThreshold: Double = 0.7, buffer: Double = 0.1, sustainedHours: Int = 24) {
        self.expansionThreshold = expansionThreshold
        self.buffer = buffer
        self.sustainedHours = sustainedHours
    }

    /// The thresholds an operator may choose (checked here and in the configuration file).
    public static let expansionThresholds = 0.6...0.8
    public static let buffers = 0.05...0.2

    func validated() throws(ForecastError) -> CapacityPolicy {
        guard Self.expansionThresholds.contains(expansionThreshold) else { throw ForecastError(.invalidInput, "expansion threshold must be 0.6…0.8") }
        guard Self.buffers.contains(buffer) else { throw ForecastError(.invalidInput, "buffer must be 0.05…0.2") }
        guard sustainedHours >= 1 else { throw ForecastError(.invalidInput, "sustained hours must be ≥ 1") }
        return self
    }
}

/// Forecast demand for one model (GPUs wanted per hour; index 0 is the next hour) and what is installed.
public struct CapacityDemand: Hashable, Sendable, Codable {
    public var model: String
    public var installed: Int
    public var forecast: Forecast

    public init(model: String, installed: Int, forecast: Forecast) {
        self.model = model
        self.installed = installed
        self.forecast = forecast
    }
}

/// What to do about one model.
public struct CapacityRecommendation: Hashable, Sendable, Codable {
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// Utilisation stays below the threshold over the forecast.
        case none
        /// Buy: the order can be placed in time for the purchase lead time.
        case buy
        /// Too late to buy in time: rent now as a bridge, and buy to replace the rental.
        case rentThenBuy = "rent_then_buy"
    }

    public var model: String
    public var action: Action
    public var installed: Int
    /// Highest mean demand over any `sustainedHours` window, with the same window's 80 % bounds.
    public var sustainedPeak: Double, sustainedPeakLower80: Double, sustainedPeakUpper80: Double
    /// Peak sustained utilisation of the installed GPUs.
    public var peakUtilization: Double
    /// GPUs to add (0 for `.none`), and the range if demand lands at the 80 % bounds.
    public var gpus: Int, gpusLower80: Int, gpusUpper80: Int
    /// First hour the sustained utilisation reaches the threshold (nil if never).
    public var neededByHours: Int?
    /// Latest hour to place the purchase order (negative: already late by that much).
    public var orderByHours: Double?
    /// GPUs rented as a bridge and for how many hours.
    public var rentGPUs: Int, rentHours: Double
    public var purchaseCost: Double, rentCost: Double
    public var forecast: Forecast
}

/// From forecasts, inventory and supplier terms to "buy or rent how many of what, by when".
///
/// Algorithm per model: rolling `sustainedHours` means of the forecast (and of its 80 % bounds) give the
/// sustained demand; in the first window whose mean reaches `threshold · installed`, the first hour whose
/// own demand reaches it is when capacity is needed. The capacity to hold is `ceil(peak · (1 + buffer) / threshold)`; the difference to the installed
/// count is what to add. If the purchase lead time fits before the need, order by `need − lead`; otherwise
/// rent the same count from the rental lead time until the purchase arrives.
///
/// Example: 100 installed, a sustained peak of 90 from hour 200, threshold 0.7, buffer 0.1 → hold
/// ceil(90·1.1/0.7) = 142, add 42; with a 720 h purchase lead time, rent 42 until hour 720.
public enum CapacityPlanner {
    public static func plan(_ demands: [CapacityDemand], supply: [String: SupplyTerms], policy: CapacityPolicy)
        throws(ForecastError) -> [CapacityRecommendation]
    {
        let policy = try policy.validated()
        var out: [CapacityRecommendation] = []
        for demand in demands {
            guard let terms = supply[demand.model] else { throw ForecastError(.invalidInput, "no supply terms for \(demand.model)") }
            out.append(try plan(demand, terms: terms, policy: policy))
        }
        return out
    }

    static func plan(_ d: CapacityDemand, terms: SupplyTerms, policy: CapacityPolicy) throws(ForecastError) -> CapacityRecommendation {
        let f = d.forecast
        guard f.horizon > 0 else { throw ForecastError(.invalidInput, "empty forecast for \(d.model)") }
        let w = min(policy.sustainedHours, f.horizon)
        let mean = rollingMean(f.mean, w), lower = rollingMean(f.lower80, w), upper = rollingMean(f.upper80, w)
        let peakIndex = mean.indices.max { mean[$0] < mean[$1] } ?? 0
        let capacityFor = { (demand: Double) in Int((demand * (1 + policy.buffer) / policy.expansionThreshold).rounded(.up)) }
        let installed = Double(max(d.installed, 0))
        let trigger = policy.expansionThreshold * installed
        let sustained = mean.indices.first { mean[$0] >= trigger && mean[$0] > 0 }
        var rec = CapacityRecommendation(
            model: d.model, action: .none, installed: d.installed, sustainedPeak: mean[peakIndex],
            sustainedPeakLower80: lower[peakIndex], sustainedPeakUpper80: upper[peakIndex],
            peakUtilization: installed > 0 ? mean[peakIndex] / installed : .infinity,
            gpus: 0, gpusLower80: max(0, capacityFor(lower[peakIndex]) - d.installed),
            gpusUpper80: max(0, capacityFor(upper[peakIndex]) - d.installed),
            neededByHours: nil, orderByHours: nil, rentGPUs: 0, rentHours: 0, purchaseCost: 0, rentCost: 0, forecast: f)
        guard let sustained else { return rec }
        // Capacity is needed from the first hour of that window whose own demand reaches the trigger.
        let needed = (sustained..<(sustained + w)).first { f.mean[$0] >= trigger } ?? sustained
        rec.neededByHours = needed
        rec.gpus = max(0, capacityFor(mean[peakIndex]) - d.installed)
        guard rec.gpus > 0 else { return rec }
        rec.orderByHours = Double(needed) - terms.purchaseLeadHours
        rec.purchaseCost = Double(rec.gpus) * terms.purchasePricePerGPU
        if Double(needed) >= terms.purchaseLeadHours {
            rec.action = .buy
        } else {
            rec.action = .rentThenBuy
            rec.rentGPUs = rec.gpus
            rec.rentHours = max(0, terms.purchaseLeadHours - max(Double(needed), terms.rentLeadHours))
            rec.rentCost = Double(rec.rentGPUs) * rec.rentHours * terms.rentPricePerGPUHour
        }
        return rec
    }

    /// `out[i]` = mean of `x[i ..< i + w]` (windows that start at i), so index i is when the window begins.
    static func rollingMean(_ x: [Double], _ w: Int) -> [Double] {
        guard x.count >= w, w > 0 else { return [] }
        var out: [Double] = []
        var sum = x[0..<w].reduce(0, +)
        out.append(sum / Double(w))
        for i in w..<x.count {
            sum += x[i] - x[i - w]
            out.append(sum / Double(w))
        }
        return out
    }
}
