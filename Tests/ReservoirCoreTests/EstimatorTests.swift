import Foundation
import ReservoirCore
import Testing

/// The estimation calculator (SPEC §5.2, issue 14): compute and time against published pretraining
/// runs (calibrate on some, predict the others), the memory footprint and minimum device counts, and
/// the inference sizing from a load-test table.
@Suite("Estimator")
struct EstimatorTests {
    static let catalog = GPUCatalog.standard
    static let runs = ReferenceRun.published
    static func run(_ name: String) -> ReferenceRun { runs.first { $0.name == name }! }

    static func predicted(_ target: ReferenceRun, fittedOn names: [String]) throws -> (hours: Double, error: Double) {
        let estimator = TrainingEstimator(catalog: catalog, runs: names.map(run))
        let e = try estimator.estimate(TrainingWorkload(parameters: target.parameters, tokens: target.tokens, model: target.model, gpus: 1_024))
        return (e.gpuHours, abs(e.gpuHours - target.gpuHours) / target.gpuHours * 100)
    }

    @Test("Calibrated on Llama 2 7B and 70B, it predicts 13B; on Llama 3.1 70B and 405B, it predicts 8B")
    func holdOut() throws {
        let llama2 = try Self.predicted(Self.run("Llama 2 13B"), fittedOn: ["Llama 2 7B", "Llama 2 70B"])
        let llama3 = try Self.predicted(Self.run("Llama 3.1 8B"), fittedOn: ["Llama 3.1 70B", "Llama 3.1 405B"])
        let llama3big = try Self.predicted(Self.run("Llama 3.1 405B"), fittedOn: ["Llama 3.1 8B", "Llama 3.1 70B"])
        print("estimator hold-out: Llama 2 13B predicted \(Int(llama2.hours)) GPU-h (published 368640), error \(String(format: "%.1f", llama2.error)) %")
        print("estimator hold-out: Llama 3.1 8B predicted \(Int(llama3.hours)) GPU-h (published 1460000), error \(String(format: "%.1f", llama3.error)) %")
        print("estimator hold-out: Llama 3.1 405B predicted \(Int(llama3big.hours)) GPU-h (published 30840000), error \(String(format: "%.1f", llama3big.error)) %")
        // Llama 2 runs share one efficiency (~0.40 of A100 peak): the held-out run is within 15 %.
        #expect(llama2.error < 15)
        // Llama 3.1's small model reached far less of H100 peak than its large ones: the fit says so honestly.
        #expect(llama3.error > 50)
    }

    @Test("Every answer carries the leave-one-out calibration error; models without runs fall back to 0.4")
    func calibrationError() throws {
        let estimator = TrainingEstimator(catalog: Self.catalog)
        let a100 = try #require(estimator.calibrations["A100-80GB"]), h100 = try #require(estimator.calibrations["H100-80GB"])
        print("estimator calibration (leave-one-out MAPE): A100-80GB efficiency \(String(format: "%.3f", a100.efficiency)) error \(String(format: "%.1f", a100.meanAbsolutePercentError ?? -1)) %; H100-80GB efficiency \(String(format: "%.3f", h100.efficiency)) error \(String(format: "%.1f", h100.meanAbsolutePercentError ?? -1)) %")
        #expect(a100.basis == .fitted && a100.runs == 3)
        #expect(abs(a100.efficiency - 0.42) < 0.03)
        #expect(try #require(a100.meanAbsolutePercentError) < 15)
        #expect(h100.basis == .fitted && h100.runs == 3)
        let l40s = try #require(estimator.calibrations["L40S"])
        #expect(l40s.basis == .fallback && l40s.efficiency == 0.4 && l40s.meanAbsolutePercentError == nil)
        let e = try estimator.estimate(TrainingWorkload(parameters: 70e9, tokens: 2e12, model: "H100-80GB", gpus: 512))
        #expect(e.calibration == h100)
        #expect(e.assumptions.contains { $0.contains("least squares") })
    }

    @Test("6·P·D FLOPs over GPUs × peak × efficiency × correction")
    func timeFormula() throws {
        let estimator = TrainingEstimator(catalog: Self.catalog, runs: [])
        let e = try estimator.estimate(TrainingWorkload(parameters: 70e9, tokens: 2e12, model: "H100", gpus: 512, correction: 1.1))
        #expect(e.flops == 8.4e23)
        let expected = 8.4e23 / (989e12 * 0.4) / 3_600 * 1.1
        #expect(abs(e.gpuHours - expected) < 1e-6 * expected)
        #expect(abs(e.wallClockHours - expected / 512) < 1e-6 * expected)
        #expect(e.calibration.basis == .fallback)
    }

    @Test("Memory: 16 bytes/parameter, sharded by ZeRO stage and model parallelism; minimum GPUs per model")
    func memory() throws {
        // 7B with no sharding: 112 GB of state alone does not fit an 80 GB device at any count.
        let plain = Parallelism()
        #expect(MemoryFootprint.minimumDevices(parameters: 7e9, parallelism: plain, memoryGB: 85.9) == nil)
        let one = MemoryFootprint.perDevice(parameters: 7e9, parallelism: plain, dataParallel: 1)
        #expect(one.weightsGB == 14 && one.gradientsGB == 14 && one.optimizerGB == 84)
        // ZeRO-3 over 8 devices divides all three.
        let z3 = MemoryFootprint.perDevice(parameters: 7e9, parallelism: Parallelism(zeroStage: 3), dataParallel: 8)
        #expect(z3.weightsGB == 14.0 / 8 && z3.optimizerGB == 84.0 / 8)
        // ZeRO-1 shards only the optimizer: weights and gradients stay whole.
        let z1 = MemoryFootprint.perDevice(parameters: 7e9, parallelism: Parallelism(zeroStage: 1), dataParallel: 8)
        #expect(z1.weightsGB == 14 && z1.gradientsGB == 14 && z1.optimizerGB == 84.0 / 8)
        // 70B with ZeRO-3 and TP 8: the minimum is a multiple of 8 and holds the run; one data replica fewer would not.
        let p = Parallelism(zeroStage: 3, tensorParallel: 8)
        let n = try #require(MemoryFootprint.minimumDevices(parameters: 70e9, parallelism: p, memoryGB: 85.9))
        #expect(n % 8 == 0 && n >= 16)
        #expect(MemoryFootprint.perDevice(parameters: 70e9, parallelism: p, dataParallel: n / 8).totalGB <= 85.9 * 0.9)
        if n > 8 { #expect(MemoryFootprint.perDevice(parameters: 70e9, parallelism: p, dataParallel: n / 8 - 1).totalGB > 85.9 * 0.9) }
        // Bigger devices need no more of them.
        let e = try TrainingEstimator(catalog: Self.catalog).estimate(TrainingWorkload(parameters: 70e9, tokens: 2e12, model: "H100-80GB", parallelism: p))
        let h200 = try #require(e.minimumGPUs.first { $0.model == "H200" }?.minimumGPUs)
        let t4 = try #require(e.minimumGPUs.first { $0.model == "T4" }?.minimumGPUs)
        #expect(h200 <= n && t4 > n)
        #expect(e.gpus == n && e.fits)
        #expect(!e.minimumGPUs.contains { $0.model == "G1" })
    }

    @Test("Inference: the highest QPS within the p99 target; GPUs = ceil(peak / per-GPU) + HA")
    func inference() throws {
        let table = """
        # synthetic
        concurrency, p50_ms, p99_ms, qps
        1, 20, 35, 48
        8, 45, 120, 170
        16, 80, 190, 205
        32, 150, 420, 230
        """
        let rows = try LoadTestRow.csv(table)
        #expect(rows.count == 4 && rows[2] == LoadTestRow(concurrency: 16, p50Ms: 80, p99Ms: 190, qps: 205))
        let e = try InferenceEstimate.estimate(loadTest: rows, p99TargetMs: 200, peakQPS: 3_000, haReplicas: 2)
        #expect(e.perGPUQPS == 205 && e.servingGPUs == 15 && e.gpus == 17)
        #expect(throws: ReservoirError.self) { try InferenceEstimate.estimate(loadTest: rows, p99TargetMs: 30, peakQPS: 3_000, haReplicas: 2) }
        #expect(throws: ReservoirError.invalid("loadTest", "line 2: 'qps' is not a number")) { try LoadTestRow.csv("concurrency,p50_ms,p99_ms,qps\n1,2,3,x") }
    }

    @Test("The shipped example load test is read whole")
    func example() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/loadtest.csv")
        let rows = try LoadTestRow.csv(try String(contentsOf: url, encoding: .utf8))
        #expect(rows.count >= 5)
    }
}
