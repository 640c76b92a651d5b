import ReservoirCore

/// Series the forecasters are judged on beyond the protocol's default one, split into a development part
/// (what a design may be chosen on) and a report part (what docs/BENCHMARKS.md reports; never used for a
/// choice), so nobody tunes on reported figures.
///
/// - development: the pod lists' columns that are never reported, memory (GiB) and pods (a count), in use
///   and arrived, for every list that derives a different series (default, cpu050, gpushare40), and the
///   synthetic families drawn with `SyntheticSeries.developmentSeed` (the draws earlier sessions tuned on);
/// - report: the protocol's default series (GPUs in use and arrived) and its first 632 hours (other test
///   weeks), every other openb variant that derives a different series (gpushare40; gpuspec20 derives the
///   default series exactly, multigpu30 has no times, cpu050 differs only in CPU), CPU cores for the
///   default, cpu050 and gpushare40 lists, and the synthetic families drawn with
///   `SyntheticSeries.reportSeed`.
public struct EvaluationSeries: Sendable {
    public enum Part: String, Sendable, CaseIterable {
        case development
        case report
    }

    public var name: String
    public var part: Part
    public var values: [Double]
    public var plan: BacktestPlan

    public init(name: String, part: Part, values: [Double], plan: BacktestPlan) {
        self.name = name
        self.part = part
        self.values = values
        self.plan = plan
    }
}

public enum EvaluationSet {
    /// Hours of the report's sub-window of the default series: it ends one week before the full series, so
    /// its 13 origins (312…600) test other weeks than the protocol's (480…768).
    public static let subWindowHours = 632

    /// The synthetic families: the development draw and the reported one.
    public static func synthetic() -> [EvaluationSeries] {
        [(EvaluationSeries.Part.development, SyntheticSeries.developmentSeed), (.report, SyntheticSeries.reportSeed)].flatMap { part, seed in
            SyntheticSeries.allCases.map {
                EvaluationSeries(name: "synthetic-\(seed)/\($0.rawValue)", part: part, values: $0.values(seed: seed),
                                 plan: .protocolShape(count: SyntheticSeries.hours))
            }
        }
    }

    /// The series one openb pod list derives, with the part the split above assigns. `variant` is the
    /// file's suffix (`default`…).
    public static func openb(variant: String, pods: [OpenbTrace.PodRow]) throws(ForecastError) -> [EvaluationSeries] {
        var out: [EvaluationSeries] = []
        func add(_ resource: OpenbDemandSeries.Resource, _ part: EvaluationSeries.Part, prefix: Int? = nil) throws(ForecastError) {
            let series = try OpenbDemandSeries.derive(from: pods, resource: resource)
            for (kind, full) in [("in_use", series.gpuInUse), ("arrived", series.gpuArrived)] {
                let values = prefix.map { Array(full.prefix($0)) } ?? full
                let name = "openb-\(variant)/\(resource.rawValue)_\(kind)" + (prefix.map { "[0..<\($0)]" } ?? "")
                out.append(EvaluationSeries(name: name, part: part, values: values, plan: .protocolShape(count: values.count)))
            }
        }
        if variant != "cpu050" { try add(.gpu, .report) }
        if variant == "default" { try add(.gpu, .report, prefix: subWindowHours) }
        try add(.cpu, .report)
        try add(.memory, .development)
        try add(.pods, .development)
        return out
    }

    /// The pod lists whose series enter the set (gpuspec20 derives the default series exactly, so it adds
    /// nothing; multigpu30 has no times).
    public static let openbVariants = ["default", "cpu050", "gpushare40"]
}

extension BacktestPlan {
    /// The protocol's shape on a series of `count` hours: 13 daily origins ending at the last multiple of
    /// 24 that leaves a whole day to score, horizons 24 h and 168 h, MASE against the lag-24 seasonal
    /// naive. For 800 hours these are exactly the protocol's origins 480…768.
    public static func protocolShape(count: Int) -> BacktestPlan {
        let last = (count - 24) / 24
        return BacktestPlan(origins: ((last - 12)...last).map { 24 * $0 }.filter { $0 > 24 }, horizons: [24, 168], scalePeriod: 24)
    }
}
