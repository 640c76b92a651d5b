/// How a training run is split across devices, which decides how much of the model each device holds.
public struct Parallelism: Codable, Hashable, Sendable {
    /// ZeRO stage across the data-parallel replicas: 0 none, 1 optimizer states, 2 + gradients,
    /// 3 + weights (FSDP full sharding is stage 3).
    public var zeroStage: Int
    public var tensorParallel: Int
    public var pipelineParallel: Int

    public init(zeroStage: Int = 0, tensorParallel: Int = 1, pipelineParallel: Int = 1) {
        self.zeroStage = zeroStage
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
    }

    /// Devices one model replica spans.
    public var modelParallel: Int { tensorParallel * pipelineParallel }
}

/// The memory one device needs for a run, split the way the operator reasons about it.
/// Mixed-precision Adam: 2 bytes of BF16 weights, 2 of gradients and 12 of optimizer state
/// (FP32 master weights, momentum, variance) per parameter — 16 bytes per parameter before sharding
/// (ZeRO paper, Rajbhandari et al. 2020, §3).
public struct MemoryFootprint: Codable, Hashable, Sendable {
    public var weightsGB: Double
    public var gradientsGB: Double
    public var optimizerGB: Double
    public var activationsGB: Double
    public var totalGB: Double

    public init(weightsGB: Double, gradientsGB: Double, optimizerGB: Double, activationsGB: Double) {
        self.weightsGB = weightsGB
        self.gradientsGB = gradientsGB
        self.optimizerGB = optimizerGB
        self.activationsGB = activationsGB
        self.totalGB = weightsGB + gradientsGB + optimizerGB + activationsGB
    }

    static let weightBytes = 2.0, gradientBytes = 2.0, optimizerBytes = 12.0
    /// Share of a device's memory a run may plan for (the rest: CUDA context, fragmentation, buffers).
    public static let usableFraction = 0.9
    /// Tokens in one micro-batch per model replica (sequence × micro-batch size) for the activation estimate.
    public static let microBatchTokens = 4_096.0

    /// The footprint per device of a model of `parameters` with `dataParallel` replicas.
    ///
    /// Activations are a rough estimate: the shape is inferred from the size (P ≈ 12·L·h², h ≈ 128·L, as
    /// in Llama 2/3), full activation checkpointing is assumed (2·s·h bytes kept per layer, plus one
    /// layer's 34·s·h bytes recomputed; Korthikanti et al. 2022), split over the tensor- and pipeline-parallel degrees.
    public static func perDevice(parameters: Double, parallelism: Parallelism, dataParallel: Int) -> MemoryFootprint {
        let shard = parameters / Double(parallelism.modelParallel)
        let dp = Double(max(1, dataParallel))
        let gb = 1e9
        let z = parallelism.zeroStage
        let hidden = (parameters / 12 * 128).cubeRoot
        let layers = hidden / 128
        let activations = (2 * microBatchTokens * hidden * layers + 34 * microBatchTokens * hidden) / Double(parallelism.modelParallel)
        return MemoryFootprint(
            weightsGB: shard * weightBytes / (z >= 3 ? dp : 1) / gb,
            gradientsGB: shard * gradientBytes / (z >= 2 ? dp : 1) / gb,
            optimizerGB: shard * optimizerBytes / (z >= 1 ? dp : 1) / gb,
            activationsGB: activations / gb)
    }

    /// The fewest devices of `memoryGB` that hold the run, a multiple of the model-parallel degree;
    /// nil when no count does (what is not sharded already overflows one device).
    public static func minimumDevices(parameters: Double, parallelism: Parallelism, memoryGB: Double, limit: Int = 1_000_000) -> Int? {
        let usable = memoryGB * usableFraction
        let one = perDevice(parameters: parameters, parallelism: parallelism, dataParallel: 1)
        if one.totalGB <= usable { return parallelism.modelParallel }
        // What stays whole on every device whatever the data-parallel degree, and what sharding divides.
        let huge = perDevice(parameters: parameters, parallelism: parallelism, dataParallel: Int.max / 2)
        let fixed = huge.totalGB
        guard fixed < usable else { return nil }
        let sharded = one.totalGB - fixed
        let dp = Int((sharded / (usable - fixed)).rounded(.up))
        let devices = dp * parallelism.modelParallel
        return devices <= limit ? devices : nil
    }
}

extension Double {
    /// The cube root by Newton's method (ReservoirCore stays free of Foundation).
    var cubeRoot: Double {
        guard self > 0 else { return 0 }
        var x = Swift.max(1, self / 3)
        for _ in 0..<200 {
            let next = x - (x * x * x - self) / (3 * x * x)
            if abs(next - x) <= 1e-12 * x { return next }
            x = next
        }
        return x
    }
}
