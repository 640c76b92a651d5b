import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirServices

/// `reservoir estimate training|inference`: the estimation calculator (SPEC §5.2) on the server.
struct Estimate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What a training run or an inference service needs, with assumptions and calibration error.",
        subcommands: [EstimateTraining.self, EstimateInference.self])
}

/// A count written the way people say it: `70B`, `2T`, `1.5M`, `350K`, or plain `7e10`.
struct ScaledNumber: ExpressibleByArgument {
    let value: Double

    init?(argument: String) {
        let scales: [Character: Double] = ["K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15]
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let last = text.last?.uppercased().first, let scale = scales[last], let number = Double(text.dropLast()) {
            value = number * scale
        } else if let number = Double(text) {
            value = number
        } else {
            return nil
        }
    }
}

struct EstimateTraining: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "training", abstract: "Compute, time, memory and minimum GPUs of a training run.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Model parameters: 70B, 7e10.") var params: ScaledNumber
    @Option(help: "Training tokens: 2T, 15e12.") var tokens: ScaledNumber
    @Option(help: "Catalog GPU model.") var model: String
    @Option(help: "GPUs the run gets (default: the minimum that holds it).") var gpus: Int?
    @Option(help: "ZeRO stage 0-3 (3 = FSDP, the default).") var zero: Int?
    @Option(help: "Tensor-parallel degree.") var tp: Int?
    @Option(help: "Pipeline-parallel degree.") var pp: Int?
    @Option(help: "Multiplier for network and I/O losses.") var correction: Double?

    func run() async throws {
        var body: [String: Any] = ["kind": "training", "parameters": params.value, "tokens": tokens.value, "model": model]
        if let gpus { body["gpus"] = gpus }
        if let zero { body["zeroStage"] = zero }
        if let tp { body["tensorParallel"] = tp }
        if let pp { body["pipelineParallel"] = pp }
        if let correction { body["correction"] = correction }
        let reply = try await client.client.json(.POST, "/v1/estimates", body)
        guard let e = try Output.value(of: reply, json: client.json, as: EstimateReply.self)?.training else { return }
        let c = e.calibration
        print("\(e.flops.formatted3) FLOPs on \(e.gpus) x \(e.workload.model): \(e.gpuHours.rounded0) GPU-hours, \(e.wallClockHours.formatted3) h wall-clock (\((e.wallClockHours / 24).formatted3) days)")
        print("memory per GPU: \(e.memoryPerGPU.totalGB.formatted3) GB (weights \(e.memoryPerGPU.weightsGB.formatted3), gradients \(e.memoryPerGPU.gradientsGB.formatted3), optimizer \(e.memoryPerGPU.optimizerGB.formatted3), activations \(e.memoryPerGPU.activationsGB.formatted3))\(e.fits ? "" : " - DOES NOT FIT")")
        print("calibration: efficiency \(c.efficiency.formatted3) (\(c.basis.rawValue), \(c.runs) runs: \(c.runs - c.actuals) published + \(c.actuals) recorded actuals), error \(c.meanAbsolutePercentError.map { "\($0.formatted3) % (leave-one-out MAPE)" } ?? "unknown (fewer than 2 runs)")")
        print(Output.table(header: ["model", "memory_gb", "min_gpus", "wall_clock_h_at_min"], rows: e.minimumGPUs.map {
            [$0.model, $0.memoryGB.formatted3, $0.minimumGPUs.map(String.init) ?? "never", $0.wallClockHoursAtMinimum.map(\.formatted3) ?? "-"]
        }))
        print("assumptions:")
        for a in e.assumptions { print("  - \(a)") }
    }
}

struct EstimateInference: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inference", abstract: "GPUs for an inference service from a one-GPU load test.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Load-test CSV: concurrency,p50_ms,p99_ms,qps (per GPU).") var loadTest: String
    @Option(help: "p99 latency target, ms.") var p99Ms: Double
    @Option(help: "Mean latency target, ms (at most --p99-ms).") var meanMs: Double?
    @Option(help: "Peak requests per second.") var peakQps: Double
    @Option(help: "Spare GPUs for high availability.") var replicasHa = 0

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: loadTest, encoding: .utf8) } catch { throw ValidationError("cannot read --load-test \(loadTest): \(error.localizedDescription)") }
        let rows = try LoadTestRow.csv(text)
        var body: [String: Any] = [
            "kind": "inference", "p99Ms": p99Ms, "peakQPS": peakQps, "replicasHA": replicasHa,
            "loadTest": rows.map { ["concurrency": $0.concurrency, "p50Ms": $0.p50Ms, "p99Ms": $0.p99Ms, "qps": $0.qps] as [String: Any] },
        ]
        if let meanMs { body["meanMs"] = meanMs }
        let reply = try await client.client.json(.POST, "/v1/estimates", body)
        guard let e = try Output.value(of: reply, json: client.json, as: EstimateReply.self)?.inference else { return }
        print("\(e.gpus) GPUs: \(e.servingGPUs) serving \(e.peakQPS.formatted3) QPS at \(e.perGPUQPS.formatted3) QPS each + \(e.haReplicas) for HA")
        print("calibration: none needed, read directly from the load test (its own measurement error applies)")
        print("assumptions:")
        for a in e.assumptions { print("  - \(a)") }
    }
}

extension Double {
    /// For a person: three significant digits (scientific when huge), whole numbers from 100 up.
    var formatted3: String { abs(self) >= 1e6 || abs(self) < 100 ? String(format: "%.3g", self) : String(format: "%.0f", self) }
    var rounded0: String { String(format: "%.0f", self) }
}
