import ReservoirCore

/// Series the forecasters are judged on beyond the protocol's default one, split once, before any figure
/// was looked at, into a development part (what the forecaster may be designed on) and a held-out part
/// (measured, reported, never used for a choice).
///
/// - development: the openb default series (the forecaster's history was tuned on it), its first 632 hours
///   as a sub-window (other test weeks of the same series), and the synthetic series (structure known);
/// - held-out: every other openb variant that derives a different series (gpushare40; gpuspec20 and
///   cpu050 derive the default GPU series exactly, multigpu30 has no times), and the pod lists' other
///   resource, CPU cores, for the default, cpu050 and gpushare40 lists (cpu050 differs there).
public struct EvaluationSeries: Sendable {
    public enum Part: String, Sendable, CaseIterable {
        case development
        case heldOut = "held-out"
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
    /// Hours of the development sub-window: it ends one week before the full series, so its 13 origins
    /// (312…600) test other weeks than the protocol's (480…768).
    public static let subWindowHours = 632

    /// The synthetic series, all development.
    public static func synthetic() -> [EvaluationSeries] {
        SyntheticSeries.allCases.map {
            EvaluationSeries(name: "synthetic/\($0.rawValue)", part: .development, values: $0.values,
                             plan: .protocolShape(count: SyntheticSeries.hours))
        }
    }

    /// The series one openb pod list derives: GPU (in use, arrived) and CPU cores (in use, arrived), with
    /// the part and sub-windows the split above assigns. `variant` is the file's suffix (`default`…).
    public static func openb(variant: String, pods: [OpenbTrace.PodRow]) throws(ForecastError) -> [EvaluationSeries] {
        let gpu = try OpenbDemandSeries.derive(from: pods, resource: .gpu)
        let cpu = try OpenbDemandSeries.derive(from: pods, resource: .cpu)
        var out: [EvaluationSeries] = []
        func add(_ column: String, _ values: [Double], _ part: EvaluationSeries.Part) {
            out.append(EvaluationSeries(name: "openb-\(variant)/\(column)", part: part, values: values, plan: .protocolShape(count: values.count)))
        }
        switch variant {
        case "default":
            add("gpu_in_use", gpu.gpuInUse, .development)
            add("gpu_arrived", gpu.gpuArrived, .development)
            for (column, values) in [("gpu_in_use", gpu.gpuInUse), ("gpu_arrived", gpu.gpuArrived)] where values.count > subWindowHours {
                add("\(column)[0..<\(subWindowHours)]", Array(values.prefix(subWindowHours)), .development)
            }
            add("cpu_in_use", cpu.gpuInUse, .heldOut)
            add("cpu_arrived", cpu.gpuArrived, .heldOut)
        case "cpu050":
            add("cpu_in_use", cpu.gpuInUse, .heldOut)
            add("cpu_arrived", cpu.gpuArrived, .heldOut)
        default:
            add("gpu_in_use", gpu.gpuInUse, .heldOut)
            add("gpu_arrived", gpu.gpuArrived, .heldOut)
            add("cpu_in_use", cpu.gpuInUse, .heldOut)
            add("cpu_arrived", cpu.gpuArrived, .heldOut)
        }
        return out
    }

    /// The pod lists whose series enter the set (gpuspec20 derives the default GPU and CPU series exactly,
    /// so it adds nothing; multigpu30 has no times).
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
