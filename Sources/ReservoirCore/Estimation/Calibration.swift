/// One training run whose real cost is known: what the estimator is fitted to and scored against.
public struct ReferenceRun: Codable, Hashable, Sendable {
    public var name: String
    public var model: String
    public var parameters: Double
    public var tokens: Double
    public var gpuHours: Double
    /// Recorded by this Reservoir (a granted training run's actual use), not published.
    public var recorded: Bool

    public init(name: String, model: String, parameters: Double, tokens: Double, gpuHours: Double, recorded: Bool = false) {
        self.name = name
        self.model = model
        self.parameters = parameters
        self.tokens = tokens
        self.gpuHours = gpuHours
        self.recorded = recorded
    }

    /// Training compute, 6·P·D FLOPs (Kaplan et al. 2020: forward 2·P·D, backward 4·P·D).
    public var flops: Double { 6 * parameters * tokens }

    /// Published pretraining runs, built in so an empty reservoir still answers with a measured error.
    /// Llama 2 on 2T tokens: Touvron et al. 2023, Table 2 (A100-80GB GPU-hours).
    /// Llama 3.1 on ~15T tokens: its model card (H100-80GB GPU-hours).
    public static let published: [ReferenceRun] = [
        ReferenceRun(name: "Llama 2 7B", model: "A100-80GB", parameters: 7e9, tokens: 2e12, gpuHours: 184_320),
        ReferenceRun(name: "Llama 2 13B", model: "A100-80GB", parameters: 13e9, tokens: 2e12, gpuHours: 368_640),
        ReferenceRun(name: "Llama 2 70B", model: "A100-80GB", parameters: 70e9, tokens: 2e12, gpuHours: 1_720_320),
        ReferenceRun(name: "Llama 3.1 8B", model: "H100-80GB", parameters: 8e9, tokens: 15e12, gpuHours: 1_460_000),
        ReferenceRun(name: "Llama 3.1 70B", model: "H100-80GB", parameters: 70e9, tokens: 15e12, gpuHours: 7_000_000),
        ReferenceRun(name: "Llama 3.1 405B", model: "H100-80GB", parameters: 405e9, tokens: 15e12, gpuHours: 30_840_000),
    ]
}

/// The efficiency used for one GPU model, where it came from and how wrong it has been.
public struct Calibration: Codable, Hashable, Sendable {
    public enum Basis: String, Codable, Hashable, Sendable, CaseIterable {
        /// Least squares over the published and recorded runs on this model.
        case fitted
        /// Too few runs (< 2) to fit and score: the catalog's default efficiency.
        case fallback
    }

    public var model: String
    /// Achieved fraction of peak dense FLOPS, network and I/O losses included (the fit cannot tell
    /// efficiency and correction apart, so it finds their quotient).
    public var efficiency: Double
    public var basis: Basis
    /// Runs the fit used (published and recorded).
    public var runs: Int
    /// Of `runs`, the actuals this Reservoir recorded from granted training runs.
    public var actuals: Int
    /// Mean absolute % error of GPU-hours predicted for each run by a fit on the others
    /// (leave-one-out); nil when fewer than two runs exist; for the fallback, its error on the runs there are.
    public var meanAbsolutePercentError: Double?

    /// Fits `efficiency` for `model` from `runs` (others ignored). With y = actual GPU-seconds and
    /// x = FLOPs ÷ peak FLOPS, y = k·x with k = 1/efficiency; least squares on the relative error,
    /// Σ((k·x − y) ÷ y)², gives k = Σ(x/y) ÷ Σ(x/y)², i.e. efficiency = Σe² ÷ Σe over each run's
    /// achieved efficiency e = x/y. Relative, so every run weighs the same whatever its size: a
    /// recorded 500 GPU-hour fine-tune counts as much as a published 30M GPU-hour pretraining run
    /// (an absolute fit would let the largest run decide alone). Fewer than two runs: `fallback`,
    /// scored on the run there is.
    public static func fit(model: GPUModel, runs: [ReferenceRun], fallback: Double) -> Calibration {
        let peak = model.peakTrainingTFLOPS * 1e12
        let own = runs.filter { $0.model.lowercased() == model.name.lowercased() }
        let actuals = own.filter(\.recorded).count
        guard peak > 0, own.count >= 2 else {
            let error = peak > 0 && !own.isEmpty ? mape(own, efficiency: fallback, peak: peak) : nil
            return Calibration(model: model.name, efficiency: fallback, basis: .fallback, runs: own.count, actuals: actuals, meanAbsolutePercentError: error)
        }
        var errors: [Double] = []
        for (i, held) in own.enumerated() {
            let rest = own.enumerated().filter { $0.offset != i }.map(\.element)
            errors.append(percentError(held, efficiency: efficiency(rest, peak: peak), peak: peak))
        }
        return Calibration(
            model: model.name, efficiency: efficiency(own, peak: peak), basis: .fitted, runs: own.count, actuals: actuals,
            meanAbsolutePercentError: errors.reduce(0, +) / Double(errors.count))
    }

    static func efficiency(_ runs: [ReferenceRun], peak: Double) -> Double {
        let achieved = runs.map { $0.flops / peak / ($0.gpuHours * 3_600) }
        return achieved.reduce(0) { $0 + $1 * $1 } / achieved.reduce(0, +)
    }

    /// GPU-hours a run needs at `efficiency` on a device of `peak` FLOPS.
    public static func gpuHours(flops: Double, peak: Double, efficiency: Double) -> Double { flops / (peak * efficiency) / 3_600 }

    static func percentError(_ run: ReferenceRun, efficiency: Double, peak: Double) -> Double {
        abs(gpuHours(flops: run.flops, peak: peak, efficiency: efficiency) - run.gpuHours) / run.gpuHours * 100
    }

    static func mape(_ runs: [ReferenceRun], efficiency: Double, peak: Double) -> Double {
        runs.map { percentError($0, efficiency: efficiency, peak: peak) }.reduce(0, +) / Double(runs.count)
    }
}

extension GPUModel {
    /// Peak dense tensor FLOPS for mixed-precision training: BF16 where the model has it, else FP16.
    public var peakTrainingTFLOPS: Double { bf16TFLOPS > 0 ? bf16TFLOPS : fp16TFLOPS }
}
