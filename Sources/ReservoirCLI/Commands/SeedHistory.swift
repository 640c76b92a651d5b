import Foundation
import ReservoirCore
import ReservoirStore

/// The jobs `reservoir bench seed` writes: a reproducible history shaped like a busy month on a
/// pool — mostly ended (85 % succeeded, 8 % failed, 7 % cancelled, half of those before they ran),
/// whole-GPU jobs of 1–8 GPUs and half-GPU shares, runtimes from a minute to a day spread evenly in
/// log scale, submitted over the last `days` days — and `queued` jobs that wait, submitted in the
/// last hour. Every job that ran has a placement on a real node of the pool, so its usage is real.
struct SeedHistory {
    var tenants: [TenantID]
    var pool: PoolID
    /// The pool's nodes with their GPU counts (a job asks for no more GPUs than its node has).
    var nodes: [(id: NodeID, gpus: Int)]
    var now: Double
    var days: Double

    /// Job `index` of the history (the same index and seed always give the same job).
    func job(_ index: Int, queued: Bool, using rng: inout SplitMix64) -> SeededJob {
        let node = nodes[Int.random(in: 0..<nodes.count, using: &rng)]
        let shape = Double.random(in: 0..<1, using: &rng)
        let gpus = shape < 0.1 ? 1 : min(node.gpus, shape < 0.55 ? 1 : shape < 0.75 ? 2 : shape < 0.9 ? 4 : 8)
        let milli = shape < 0.1 ? 500 : 1000
        let kinds: [WorkloadKind] = [.training, .training, .training, .batch, .batch, .inference, .test]
        let runtime = (60 * pow(1440, Double.random(in: 0...1, using: &rng))).rounded()
        var job = Job(
            id: "seed", name: "seed-\(index)", tenant: tenants[index % tenants.count], submittedBy: "seed", pool: pool,
            kind: kinds[Int.random(in: 0..<kinds.count, using: &rng)], request: ResourceRequest(gpus: max(1, gpus), gpuMilli: milli),
            runtimeSeconds: runtime, state: .queued)
        if queued {
            job.submittedAt = now - Double.random(in: 0..<3600, using: &rng)
            return SeededJob(job: job, events: [JobEvent(at: job.submittedAt, kind: "submitted", message: "submitted by seed")])
        }
        job.submittedAt = now - days * 86400 * Double.random(in: 0..<1, using: &rng) - 60
        var events = [JobEvent(at: job.submittedAt, kind: "submitted", message: "submitted by seed")]
        let outcome = Double.random(in: 0..<1, using: &rng)
        if outcome >= 0.965 {
            job.state = .cancelled
            job.finishedAt = min(now, job.submittedAt + Double.random(in: 1..<900, using: &rng))
            job.message = "cancelled by seed"
            events.append(JobEvent(at: job.finishedAt!, kind: "cancelled", message: "cancelled by seed"))
            return SeededJob(job: job, events: events)
        }
        let started = min(now, job.submittedAt + Double.random(in: 0..<900, using: &rng))
        job.startedAt = started
        job.placements = [ReplicaPlacement(replica: 0, node: node.id, deviceIndices: Array(0..<max(1, gpus)), gpuMilli: milli, cpuMilli: 1000, memoryMiB: 1024)]
        events.append(JobEvent(at: started, kind: "admitted", message: "placed on \(node.id)"))
        events.append(JobEvent(at: started, kind: "running", message: "started"))
        let end: JobState = outcome < 0.85 ? .succeeded : outcome < 0.93 ? .failed : .cancelled
        job.state = end
        job.finishedAt = min(now, started + (end == .succeeded ? runtime : runtime * Double.random(in: 0..<1, using: &rng)))
        job.progressSeconds = job.finishedAt! - started
        job.exitCode = end == .succeeded ? 0 : end == .failed ? 1 : nil
        job.message = end == .failed ? "exit code 1" : end == .cancelled ? "cancelled by seed" : nil
        events.append(JobEvent(at: job.finishedAt!, kind: end.rawValue, message: job.message ?? "exit code 0"))
        return SeededJob(job: job, events: events)
    }
}
