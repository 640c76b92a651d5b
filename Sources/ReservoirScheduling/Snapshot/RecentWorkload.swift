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
        var tally = ShapeTally()
        jobs.withUnsafeBufferPointer { jobs in
            for i in jobs.indices { count(jobs[i], in: &tally) }
        }
        return recent(tally)
    }

    /// `recent(_:)` for every pool of a snapshot at once: one pass over its active then pending jobs,
    /// reading each job in place through the array's buffer and counting its replicas by shape (a
    /// deep queue is never copied, grouped or turned into pods first).
    static func recentByPool(_ snapshot: SchedulingSnapshot) -> [PoolID: TypicalPods] {
        var tallies: [PoolID: ShapeTally] = [:]
        var last: PoolID?
        var current = ShapeTally()
        for list in [snapshot.active, snapshot.pending] {
            list.withUnsafeBufferPointer { jobs in
                for i in jobs.indices {
                    guard let pool = jobs[i].pool else { continue }
                    if last != pool {
                        if let last { tallies[last] = current }
                        // Taken out, not copied: the tally stays uniquely held, so counting never copies it.
                        current = tallies.removeValue(forKey: pool) ?? ShapeTally()
                        last = pool
                    }
                    count(jobs[i], in: &current)
                }
            }
        }
        if let last { tallies[last] = current }
        return tallies.compactMapValues(recent)
    }

    /// Counts one pod per replica (at most 1,000), shaped as `Job.podRequest` shapes it.
    private static func count(_ job: Job, in tally: inout ShapeTally) {
        let request = job.request
        tally.add(
            cpuMilli: request.cpuMilli, memoryMiB: request.memoryMiB, gpus: request.gpus, gpuMilli: request.gpuMilli,
            models: request.models.isEmpty ? nil : Set(request.models), count: min(max(job.replicas, 1), 1_000)
        )
    }

    private static func recent(_ tally: ShapeTally) -> TypicalPods? {
        guard tally.pods >= minimumRecentPods else { return nil }
        return TypicalPods(tally: tally)
    }
}
