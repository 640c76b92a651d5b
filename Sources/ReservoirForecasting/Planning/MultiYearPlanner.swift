import Numerics

/// A plan over several years whose utilisation target rises as the reservoir matures (60 % → 70 % → 80 %:
/// head-room is expensive once demand is well understood), buying what each year's demand needs.
public struct MultiYearPlanInput: Hashable, Sendable, Codable {
    public var model: String
    public var installed: Int
    /// Sustained demand now, GPUs (e.g. `CapacityRecommendation.sustainedPeak`).
    public var currentDemand: Double
    /// Yearly demand growth, 0.5 = +50 % a year (e.g. from `annualGrowthRate`).
    public var annualGrowth: Double
    /// Target utilisation per year; the last one holds for later years.
    public var utilizationTargets: [Double]
    public var years: Int
    public var purchasePricePerGPU: Double

    public init(model: String, installed: Int, currentDemand: Double, annualGrowth: Double,
                utilizationTargets: [Double] = [0.6, 0.7, 0.8], years: Int = 3, purchasePricePerGPU: Double) {
        self.model = model
        self.installed = installed
        self.currentDemand = currentDemand
        self.annualGrowth = annualGrowth
        self.utilizationTargets = utilizationTargets
        self.years = years
        self.purchasePricePerGPU = purchasePricePerGPU
    }
}

/// One year of the plan: demand at the year's end, the capacity that meets the target, what to buy.
public struct YearPlan: Hashable, Sendable, Codable {
    public var year: Int
    public var demand: Double
    public var utilizationTarget: Double
    public var capacity: Int
    public var purchase: Int
    public var capex: Double
    /// Utilisation at year end with the planned capacity.
    public var utilization: Double
}

public enum MultiYearPlanner {
    /// Year y (1-based) plans for demand `current · (1 + growth)^y` at target `targets[min(y, count) − 1]`;
    /// capacity never shrinks (GPUs already bought stay).
    public static func plan(_ input: MultiYearPlanInput) throws(ForecastError) -> [YearPlan] {
        guard !input.utilizationTargets.isEmpty, input.utilizationTargets.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw ForecastError(.invalidInput, "utilisation targets must lie in (0, 1]")
        }
        guard input.years >= 1, input.annualGrowth > -1 else { throw ForecastError(.invalidInput, "years ≥ 1 and growth > −100 % required") }
        var capacity = input.installed
        var out: [YearPlan] = []
        for year in 1...input.years {
            let demand = input.currentDemand * Double.pow(1 + input.annualGrowth, year)
            let target = input.utilizationTargets[min(year, input.utilizationTargets.count) - 1]
            let needed = Int((demand / target).rounded(.up))
            let purchase = max(0, needed - capacity)
            capacity += purchase
            out.append(YearPlan(year: year, demand: demand, utilizationTarget: target, capacity: capacity, purchase: purchase,
                                capex: Double(purchase) * input.purchasePricePerGPU,
                                utilization: capacity > 0 ? demand / Double(capacity) : 0))
        }
        return out
    }

    /// Yearly growth implied by a daily demand history: the slope of a least-squares line through
    /// `log(demand)`, compounded over 365 days. Needs at least two weeks of positive daily values.
    public static func annualGrowthRate(dailyDemand: [Double]) throws(ForecastError) -> Double {
        let points = dailyDemand.enumerated().filter { $0.element > 0 }
        guard points.count >= 14 else { throw ForecastError(.insufficientHistory, "growth needs 14 days of positive demand") }
        let xs = points.map { Double($0.offset) }, ys = points.map { Double.log($0.element) }
        let mx = Statistics.mean(xs), my = Statistics.mean(ys)
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return Double.exp(365 * sxy / sxx) - 1
    }
}
