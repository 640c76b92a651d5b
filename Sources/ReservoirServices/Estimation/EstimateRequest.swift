import ReservoirCore

/// What a caller asks the estimation calculator (`POST /v1/estimates`): a training run or an inference
/// service. One flat body, so a field of the other kind is named as out of place instead of ignored.
public struct EstimateRequest: Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case training, inference }

    public var kind: Kind
    // Training.
    public var parameters: Double?
    public var tokens: Double?
    public var model: String?
    public var gpus: Int?
    public var zeroStage: Int?
    public var tensorParallel: Int?
    public var pipelineParallel: Int?
    public var correction: Double?
    // Inference.
    public var loadTest: [LoadTestRow]?
    public var p99Ms: Double?
    public var meanMs: Double?
    public var peakQPS: Double?
    public var replicasHA: Int?

    public init(kind: Kind) { self.kind = kind }

    /// The bounds of each field: wide enough for any real run, narrow enough to refuse a typo (1e15 parameters).
    public enum Limits {
        public static let parameters = 1e6...1e13
        public static let tokens = 1e6...1e15
        public static let gpus = 1...1_000_000
        public static let zeroStage = 0...3
        public static let parallelDegree = 1...4_096
        public static let correction = 0.1...10.0
        public static let loadTestRows = 1...1_000
        public static let latencyMs = 0.001...3_600_000.0
        public static let qps = 0.000_001...1e9
        public static let concurrency = 1...1_000_000
        public static let replicasHA = 0...10_000
    }

    /// Every problem of the body at once, each naming its field (empty: the body is sound).
    func problems(catalog: GPUCatalog) -> [ReservoirError] {
        var found: [ReservoirError] = []
        func range<T: Comparable>(_ value: T?, _ field: String, _ bounds: ClosedRange<T>, required: Bool = false) {
            guard let value else {
                if required { found.append(.invalid(field, "is required for a \(kind.rawValue) estimate")) }
                return
            }
            if !bounds.contains(value) { found.append(.invalid(field, "must be within \(bounds.lowerBound)…\(bounds.upperBound), got \(value)")) }
        }
        func absent(_ present: Bool, _ field: String) {
            if present { found.append(.invalid(field, "belongs to a \(kind == .training ? "inference" : "training") estimate, not a \(kind.rawValue) one")) }
        }
        switch kind {
        case .training:
            range(parameters, "parameters", Limits.parameters, required: true)
            range(tokens, "tokens", Limits.tokens, required: true)
            if let model {
                if catalog.model(named: model).map({ $0.peakTrainingTFLOPS > 0 }) != true {
                    found.append(.invalid("model", "'\(model)' is not a catalog model with published FLOPS (known: \(catalog.models.filter { $0.peakTrainingTFLOPS > 0 }.map(\.name).joined(separator: ", ")))"))
                }
            } else {
                found.append(.invalid("model", "is required for a training estimate"))
            }
            range(gpus, "gpus", Limits.gpus)
            range(zeroStage, "zeroStage", Limits.zeroStage)
            range(tensorParallel, "tensorParallel", Limits.parallelDegree)
            range(pipelineParallel, "pipelineParallel", Limits.parallelDegree)
            range(correction, "correction", Limits.correction)
            if let gpus, Limits.gpus.contains(gpus), gpus % parallelism.modelParallel != 0 {
                found.append(.invalid("gpus", "\(gpus) is not a multiple of tensorParallel × pipelineParallel = \(parallelism.modelParallel)"))
            }
            absent(loadTest != nil, "loadTest")
            absent(p99Ms != nil, "p99Ms")
            absent(meanMs != nil, "meanMs")
            absent(peakQPS != nil, "peakQPS")
            absent(replicasHA != nil, "replicasHA")
        case .inference:
            if let loadTest {
                if !Limits.loadTestRows.contains(loadTest.count) { found.append(.invalid("loadTest", "must have \(Limits.loadTestRows.lowerBound)…\(Limits.loadTestRows.upperBound) rows, got \(loadTest.count)")) }
                for (i, row) in loadTest.prefix(Limits.loadTestRows.upperBound).enumerated() {
                    range(row.concurrency, "loadTest[\(i)].concurrency", Limits.concurrency)
                    range(row.p50Ms, "loadTest[\(i)].p50Ms", Limits.latencyMs)
                    range(row.p99Ms, "loadTest[\(i)].p99Ms", Limits.latencyMs)
                    range(row.qps, "loadTest[\(i)].qps", Limits.qps)
                    if row.p99Ms < row.p50Ms { found.append(.invalid("loadTest[\(i)].p99Ms", "\(row.p99Ms) ms is below its p50 of \(row.p50Ms) ms")) }
                }
            } else {
                found.append(.invalid("loadTest", "is required for an inference estimate"))
            }
            range(p99Ms, "p99Ms", Limits.latencyMs, required: true)
            range(meanMs, "meanMs", Limits.latencyMs)
            if let p99Ms, let meanMs, p99Ms < meanMs { found.append(.invalid("p99Ms", "\(p99Ms) ms is below the mean latency of \(meanMs) ms")) }
            range(peakQPS, "peakQPS", Limits.qps, required: true)
            range(replicasHA, "replicasHA", Limits.replicasHA)
            absent(parameters != nil, "parameters")
            absent(tokens != nil, "tokens")
            absent(model != nil, "model")
            absent(gpus != nil, "gpus")
            absent(zeroStage != nil, "zeroStage")
            absent(tensorParallel != nil, "tensorParallel")
            absent(pipelineParallel != nil, "pipelineParallel")
            absent(correction != nil, "correction")
        }
        return found
    }

    /// ZeRO stage 3 (FSDP full sharding) unless asked otherwise: the usual setup for a model that does
    /// not fit one device, and the one under which "the minimum GPUs" is a useful number.
    var parallelism: Parallelism {
        Parallelism(zeroStage: zeroStage ?? 3, tensorParallel: tensorParallel ?? 1, pipelineParallel: pipelineParallel ?? 1)
    }
}

/// The calculator's answer: exactly one of the two estimates, by `kind`.
public struct EstimateReply: Codable, Sendable {
    public var kind: EstimateRequest.Kind
    public var training: TrainingEstimate?
    public var inference: InferenceEstimate?
}
