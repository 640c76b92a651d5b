import ReservoirCore
import ReservoirPlacement

/// A job that holds devices, as the cycle tracks it: its replicas as placements in its pool's
/// node indices, the model under each (for quota), and when it is expected to end (backfill).
struct ActiveJob {
    var job: Job
    var pool: PoolID
    var pod: PodRequest
    var slots: [Placement]
    var models: [String]
    /// Nil when no runtime estimate exists: backfill then assumes it never ends.
    var estimatedEnd: Double?
    /// Evicted in an earlier cycle and still inside its grace period: holds devices, is never a victim again.
    var terminating: Bool
    /// Replica indices as the engine knows them, parallel to `slots`.
    var replicaIndices: [Int]

    var gpuMilliPerReplica: Int { pod.totalGPUMilli }
    var heldGPUMilli: Int { slots.count * pod.totalGPUMilli }

    /// GPU-seconds lost if evicted now: everything since the last checkpoint of this run.
    func lostWork(now: Double) -> Double {
        let since = job.checkpointedAt ?? job.startedAt ?? now
        return max(0, now - since) * Double(heldGPUMilli) / 1_000
    }

    /// The engine-facing placement of each held replica.
    func replicaPlacements(nodes: [NodeCapacity]) -> [ReplicaPlacement] {
        zip(replicaIndices, slots).map { replica, p in
            ReplicaPlacement(
                replica: replica, node: nodes[p.node].id, deviceIndices: p.gpuIndices, gpuMilli: p.gpuMilli,
                migStartSlice: p.migStartSlice, cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB
            )
        }
    }
}

/// A tenant's use of the three DRF resources.
struct ResourceVector {
    var gpuMilli = 0.0
    var cpuMilli = 0.0
    var memoryMiB = 0.0

    mutating func add(_ pod: PodRequest, times n: Int) {
        gpuMilli += Double(pod.totalGPUMilli * n)
        cpuMilli += Double(pod.cpuMilli * n)
        memoryMiB += Double(pod.memoryMiB * n)
    }

    /// The dominant share against `totals`: the largest of the three fractions (DRF).
    func dominantShare(of totals: ResourceVector) -> Double {
        max(
            totals.gpuMilli > 0 ? gpuMilli / totals.gpuMilli : 0,
            totals.cpuMilli > 0 ? cpuMilli / totals.cpuMilli : 0,
            totals.memoryMiB > 0 ? memoryMiB / totals.memoryMiB : 0
        )
    }
}

/// Tentative changes of one attempt (Volcano's Statement): placements taken and replicas released,
/// in order, so a failed attempt is undone exactly by `Session.discard`.
struct Statement {
    enum Operation {
        /// `pastPlan`: also taken in the pool's backfill view (the job runs past the reservation).
        case place(pool: PoolID, placement: Placement, pod: PodRequest, pastPlan: Bool)
        /// Replicas `slots` (indices into the active job's `slots`) were released.
        case release(job: JobID, slots: [Int])
    }

    private(set) var operations: [Operation] = []

    mutating func record(_ operation: Operation) { operations.append(operation) }
    var isEmpty: Bool { operations.isEmpty }
}
