import Collections
import ReservoirCore

/// The pending queue of one cycle, Volcano style: one queue per tenant, and a heap of tenants
/// keyed by their head job (effective class, tenant share, arrival). Popping takes the best head;
/// after the caller has tried the job it re-pushes the tenant with its *updated* share, so fair
/// share reacts inside the cycle, not only between cycles.
///
/// Cost: sorting each tenant's queue is O(n log n) once; every pop/re-push is O(log tenants).
struct JobQueue {
    private var queues: [[Job]]
    private var keys: [[Int]]
    private var cursor: [Int]
    private var tenants: [TenantID]
    private var heap = Heap<QueueHead>()
    private let policy: QueuePolicy

    /// - Parameter share: the current share of a tenant (DRF or capacity), read at every push.
    init(jobs: [Job], policy: QueuePolicy, now: Double, agingClassesPerHour: Double, share: (TenantID) -> Double) {
        self.policy = policy
        var byTenant: [TenantID: [(key: Int, job: Job)]] = [:]
        for job in jobs {
            byTenant[job.tenant, default: []].append((policy.classKey(job, now: now, agingClassesPerHour: agingClassesPerHour), job))
        }
        tenants = byTenant.keys.sorted()
        queues = []
        keys = []
        for tenant in tenants {
            let sorted = byTenant[tenant]!.sorted { a, b in
                if a.key != b.key { return a.key < b.key }
                if a.job.submittedAt != b.job.submittedAt { return a.job.submittedAt < b.job.submittedAt }
                return a.job.id < b.job.id
            }
            queues.append(sorted.map(\.job))
            keys.append(sorted.map(\.key))
        }
        cursor = Array(repeating: 0, count: tenants.count)
        for slot in tenants.indices { push(slot, share: policy.usesShare ? share(tenants[slot]) : 0) }
    }

    /// The next job and the effective class it was ordered with; the tenant stays out of the heap
    /// until `requeue` is called for it.
    mutating func pop() -> (job: Job, slot: Int, classKey: Int)? {
        guard let head = heap.popMin() else { return nil }
        let i = cursor[head.slot]
        cursor[head.slot] += 1
        return (queues[head.slot][i], head.slot, keys[head.slot][i])
    }

    /// Puts the tenant of `slot` back with its next job, ordered by the tenant's current share.
    mutating func requeue(_ slot: Int, share: (TenantID) -> Double) {
        push(slot, share: policy.usesShare ? share(tenants[slot]) : 0)
    }

    /// Every job never popped, for the "not examined this cycle" answer.
    func remaining() -> [Job] {
        tenants.indices.flatMap { queues[$0][cursor[$0]...] }
    }

    private mutating func push(_ slot: Int, share: Double) {
        let i = cursor[slot]
        guard i < queues[slot].count else { return }
        let job = queues[slot][i]
        heap.insert(QueueHead(classKey: keys[slot][i], share: share, arrival: job.submittedAt, job: job.id, slot: slot))
    }
}
