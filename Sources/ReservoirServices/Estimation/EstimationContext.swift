import ReservoirCore
import ReservoirStore

/// The estimation calculator (SPEC §5.2): what a training run or an inference service really needs,
/// with the assumptions and the calibration error, for any authenticated user. Nothing is stored.
///
/// Calibration uses the published reference runs (`ReferenceRun.published`) and the actuals Reservoir
/// records: every granted training run that is over, with the GPU-hours its jobs really used
/// (`ReferenceRun.actual`), read from the grants, their requests and their jobs as stored.
public struct EstimationContext: ApplicationContext {
    public typealias Store = InventoryReader & RequestReader & JobReader
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
            return EstimateReply(kind: .training, training: try trainingEstimator(catalog: catalog).estimate(workload))
        case .inference:
            return EstimateReply(kind: .inference, inference: try InferenceEstimate.estimate(
                loadTest: request.loadTest ?? [], p99TargetMs: request.p99Ms ?? 0, peakQPS: request.peakQPS ?? 0, haReplicas: request.replicasHA ?? 0))
        }
    }

    /// The training estimator calibrated on the published runs and every recorded actual: what
    /// `estimate` and intake's estimate use, so both show the same calibration error.
    public func trainingEstimator(catalog: GPUCatalog) throws -> TrainingEstimator {
        TrainingEstimator(catalog: catalog, runs: ReferenceRun.published + (try recordedRuns()))
    }

    /// Every granted training run that is over, with its actual GPU-hours (`ReferenceRun.actual`):
    /// the jobs under each training grant, read from those its tenant submitted since the grant was made.
    public func recordedRuns() throws -> [ReferenceRun] {
        var runs: [ReferenceRun] = []
        var page = PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let grants = try store.grants(tenant: nil, state: nil, page: page)
            for grant in grants.items where grant.category.kind == .training {
                guard let request = try store.request(grant.request) else { continue }
                let jobs = try store.jobs(tenant: grant.tenant, states: nil, since: grant.createdAt, limit: 1_000_000)
                if let run = ReferenceRun.actual(of: grant, request: request, jobs: jobs) { runs.append(run) }
            }
            guard let next = grants.next else { return runs }
            page.cursor = next
        }
    }
}
