import ReservoirCore
import ReservoirPlacement

extension TypicalPods {
    /// Fewer pods than this in a pool and its recent work says too little: the generic mix is used.
    public static let minimumRecentPods = 20

    /// The typical pod shapes of a pool's recent work, for the fragmentation-aware policies (`reservoir`,
    /// `fgd`) to look ahead to: every pending and active job of the pool in the snapshot, one pod per
    /// replica (at most 1,000 per job, so one huge gang does not drown the rest), with the models it
    /// is restricted to. Nil when the pool holds fewer than `minimumRecentPods` pods.
    ///
    /// This is what the FGD paper's "target workload" is in a running server: the benchmark learns it
    /// from the whole trace in advance; the server can only learn it from what tenants submit.
    public static func recent(_ jobs: [Job]) -> TypicalPods? {
        var pods: [PodRequest] = []
        for job in jobs {
            let models = job.request.models.isEmpty ? nil : Set(job.request.models)
            let pod = job.podRequest(models: models)
            pods.append(contentsOf: repeatElement(pod, count: min(max(job.replicas, 1), 1_000)))
        }
        guard pods.count >= minimumRecentPods else { return nil }
        return TypicalPods(pods: pods)
    }
}
