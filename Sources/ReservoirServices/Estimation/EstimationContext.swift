import ReservoirCore
import ReservoirStore

/// The estimation calculator (SPEC §5.2): what a training run or an inference service really needs,
/// with the assumptions and the calibration error, for any authenticated user. Nothing is stored.
///
/// Calibration uses the published reference runs (`ReferenceRun.published`); recorded actuals of
/// granted runs join them once grants exist (issue 14, item 5).
public struct EstimationContext: ApplicationContext {
    public typealias Store = InventoryReader
    let store: any Store
    public let runtime: Runtime

    public func estimate(_ request: EstimateRequest, by principal: Principal) throws -> EstimateReply {
        try access.requireAny(principal, .estimate)
        let catalog = try store.catalog()
        try ReservoirError.throwAll(request.problems(catalog: catalog))
        switch request.kind {
        case .training:
            let workload = TrainingWorkload(
                parameters: request.parameters ?? 0, tokens: request.tokens ?? 0, model: request.model ?? "", gpus: request.gpus,
                parallelism: request.parallelism, correction: request.correction ?? 1)
            return EstimateReply(kind: .training, training: try TrainingEstimator(catalog: catalog).estimate(workload))
        case .inference:
            return EstimateReply(kind: .inference, inference: try InferenceEstimate.estimate(
                loadTest: request.loadTest ?? [], p99TargetMs: request.p99Ms ?? 0, peakQPS: request.peakQPS ?? 0, haReplicas: request.replicasHA ?? 0))
        }
    }
}
