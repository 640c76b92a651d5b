/// A training run to estimate (SPEC §5.2): its size, data, device model and how it is split.
public struct TrainingWorkload: Codable, Hashable, Sendable {
    public var parameters: Double
    public var tokens: Double
    public var model: String
    /// Devices the run would get; nil: the estimate uses the minimum that holds the model.
    public var gpus: Int?
    public var parallelism: Parallelism
    /// Multiplier for losses the efficiency does not already include (a slower network, I/O); 1 by default.
    public var correction: Double

    public init(parameters: Double, tokens: Double, model: String, gpus: Int? = nil, parallelism: Parallelism = Parallelism(), correction: Double = 1) {
        self.parameters = parameters
        self.tokens = tokens
        self.model = model
        self.gpus = gpus
        self.parallelism = parallelism
        self.correction = correction
    }
}

/// What one catalog model would need for the run: the fewest devices that hold it and, with those, how long.
public struct ModelFit: Codable, Hashable, Sendable {
    public var model: String
    public var memoryGB: Double
    /// nil when no device count holds the run with this parallelism.
    public var minimumGPUs: Int?
    public var wallClockHoursAtMinimum: Double?
}

/// The answer for a training run: compute, time, memory, minimum devices per model, and the assumptions.
public struct TrainingEstimate: Codable, Hashable, Sendable {
    public var workload: TrainingWorkload
    public var flops: Double
    public var peakTFLOPS: Double
    public var calibration: Calibration
    public var gpus: Int
    public var gpuHours: Double
    public var wallClockHours: Double
    public var memoryPerGPU: MemoryFootprint
    /// Whether `memoryPerGPU` fits the model's usable memory.
    public var fits: Bool
    public var minimumGPUs: [ModelFit]
    public var assumptions: [String]
}

/// SPEC §5.2's training calculator: FLOPs = 6·P·D; time = FLOPs ÷ (GPUs × peak × efficiency) × correction;
/// the memory footprint gives the minimum device count per catalog model.
public struct TrainingEstimator: Sendable {
    public var catalog: GPUCatalog
    public var calibrations: [String: Calibration]

    /// Calibrates every catalog model with numbers from `runs` (the model's own default efficiency as fallback).
    public init(catalog: GPUCatalog, runs: [ReferenceRun] = ReferenceRun.published) {
        self.catalog = catalog
        self.calibrations = Dictionary(uniqueKeysWithValues: catalog.models.map {
            ($0.name, Calibration.fit(model: $0, runs: runs, fallback: $0.defaultEfficiency))
        })
    }

    /// The estimate; `workload.model` must be a catalog model with published figures (checked by the caller).
    public func estimate(_ workload: TrainingWorkload) throws(ReservoirError) -> TrainingEstimate {
        guard let model = catalog.model(named: workload.model), model.peakTrainingTFLOPS > 0, let calibration = calibrations[model.name] else {
            throw .invalid("model", "'\(workload.model)' is not a catalog model with published FLOPS")
        }
        let p = workload.parallelism
        let memoryGB = Double(model.memoryMiB) * 1_048_576 / 1e9
        let minimum = MemoryFootprint.minimumDevices(parameters: workload.parameters, parallelism: p, memoryGB: memoryGB)
        let gpus = workload.gpus ?? minimum ?? p.modelParallel
        let flops = 6 * workload.parameters * workload.tokens
        let peak = model.peakTrainingTFLOPS * 1e12
        let gpuHours = Calibration.gpuHours(flops: flops, peak: peak, efficiency: calibration.efficiency) * workload.correction
        let footprint = MemoryFootprint.perDevice(parameters: workload.parameters, parallelism: p, dataParallel: gpus / p.modelParallel)
        return TrainingEstimate(
            workload: workload, flops: flops, peakTFLOPS: model.peakTrainingTFLOPS, calibration: calibration, gpus: gpus,
            gpuHours: gpuHours, wallClockHours: gpuHours / Double(gpus), memoryPerGPU: footprint,
            fits: footprint.totalGB <= memoryGB * MemoryFootprint.usableFraction,
            minimumGPUs: fits(workload, flops: flops), assumptions: assumptions(workload, model: model, calibration: calibration))
    }

    /// The minimum device count and its wall-clock time on every catalog model with figures.
    private func fits(_ workload: TrainingWorkload, flops: Double) -> [ModelFit] {
        catalog.models.filter { !$0.opaque && $0.peakTrainingTFLOPS > 0 && $0.memoryMiB > 0 }.map { model in
            let memoryGB = Double(model.memoryMiB) * 1_048_576 / 1e9
            let n = MemoryFootprint.minimumDevices(parameters: workload.parameters, parallelism: workload.parallelism, memoryGB: memoryGB)
            let efficiency = calibrations[model.name]?.efficiency ?? model.defaultEfficiency
            let hours = n.map { Calibration.gpuHours(flops: flops, peak: model.peakTrainingTFLOPS * 1e12, efficiency: efficiency) * workload.correction / Double($0) }
            return ModelFit(model: model.name, memoryGB: memoryGB, minimumGPUs: n, wallClockHoursAtMinimum: hours)
        }
    }

    private func assumptions(_ w: TrainingWorkload, model: GPUModel, calibration: Calibration) -> [String] {
        let runs = "\(calibration.runs - calibration.actuals) published + \(calibration.actuals) recorded actuals"
        let source = calibration.basis == .fitted
            ? "fitted by least squares (relative error) on \(calibration.runs) runs on \(model.name) (\(runs))"
            : "fallback: the catalog default for \(model.name) (fewer than 2 runs: \(runs))"
        return [
            "compute = 6 x parameters x tokens FLOPs",
            "peak \(model.peakTrainingTFLOPS) TFLOPS dense \(model.bf16TFLOPS > 0 ? "BF16" : "FP16") (vendor data sheet)",
            "efficiency \((calibration.efficiency * 1_000).rounded() / 1_000) of peak, \(source)",
            "correction x\(w.correction) for network and I/O beyond the calibrated runs",
            "memory: mixed-precision Adam, 16 bytes/parameter (2 weights + 2 gradients + 12 optimizer), ZeRO stage \(w.parallelism.zeroStage), tensor-parallel \(w.parallelism.tensorParallel), pipeline-parallel \(w.parallelism.pipelineParallel)",
            "activations: rough, full checkpointing, \(Int(MemoryFootprint.microBatchTokens)) tokens per micro-batch; \(Int(MemoryFootprint.usableFraction * 100)) % of device memory usable",
        ]
    }
}
