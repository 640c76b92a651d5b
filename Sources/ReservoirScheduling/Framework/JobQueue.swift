import Collections
import ReservoirCore

/// The pending queue of one cycle, Volcano style: one queue per tenant, and a heap of tenants
/// keyed by their head job (effective class, tenant share, arrival). Popping takes the best head;
/// after the caller has tried the job it re-pushes the tenant with its *updated* share, so fair
/// share reacts inside the cycle, not only between cycles.
///
/// Cost: sorting each tenant's queue is O(n log n) once (indices, not jobs); every pop/re-push is O(log tenants).
struct JobQueue {
    /// The queues hold indices into the pending jobs as given, so ordering moves integers, not jobs.
    /// Arrival and id per job index (read at every push and comparison without touching the job).
    private let arrivals: [Double]
    private let ids: [JobID]
    private var queues: [[Int]]
    private var keys: [[Int]]
    private var cursor: [Int]
    private var tenants: [TenantID]
    private var heap = Heap<QueueHead>()
    private let policy: QueuePolicy

    /// - Parameter share: the current share of a tenant (DRF or capacity), read at every push.
    init(jobs: [Job], policy: QueuePolicy, now: Double, agingClassesPerHour: Double, share: (TenantID) -> Double) {
        self.policy = policy
        var classKeys: [Int] = []
        classKeys.reserveCapacity(jobs.count)
        var arrivals: [Double] = []
        arrivals.reserveCapacity(jobs.count)
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        var byTenant: [TenantID: [Int]] = [:]
        // Each job read in place through the buffer (iterating the array would copy every job).
        jobs.withUnsafeBufferPointer { jobs in
            for i in jobs.indices {
                classKeys.append(policy.classKey(jobs[i], now: now, agingClassesPerHour: agingClassesPerHour))
                arrivals.append(jobs[i].submittedAt)
                ids.append(jobs[i].id)
                byTenant[jobs[i].tenant, default: []].append(i)
            }
        }
        self.arrivals = arrivals
        self.ids = ids
        tenants = byTenant.keys.sorted()
        queues = []
        keys = []
        for tenant in tenants {
            let sorted = byTenant[tenant]!.sorted { a, b in
                if classKeys[a] != classKeys[b] { return classKeys[a] < classKeys[b] }
                if arrivals[a] != arrivals[b] { return arrivals[a] < arrivals[b] }
                return ids[a] < ids[b]
            }
            queues.append(sorted)
            keys.append(sorted.map { classKeys[$0] })
        }
        cursor = Array(repeating: 0, count: tenants.count)
        for slot in tenants.indices { push(slot, share: policy.usesShare ? share(tenants[slot]) : 0) }
    }

    /// The next job (its index in the pending jobs, so the caller reads it in place instead of
    /// copying it) and the effective class it was ordered with; the tenant stays out of the heap
    /// until `requeue` is called for it.
    mutating func pop() -> (index: Int, slot: Int, classKey: Int)? {
        guard let head = heap.popMin() else { return nil }
        let i = cursor[head.slot]
        cursor[head.slot] += 1
        return (queues[head.slot][i], head.slot, keys[head.slot][i])
    }

    /// Puts the tenant of `slot` back with its next job, ordered by the tenant's current share.
    mutating func requeue(_ slot: Int, share: (TenantID) -> Double) {
        push(slot, share: policy.usesShare ? share(tenants[slot]) : 0)
    }

    /// The id of every job never popped, for the "not examined this cycle" answer.
    func remaining() -> [JobID] {
        tenants.indices.flatMap { t in queues[t][cursor[t]...].map { ids[$0] } }
    }

    private mutating func push(_ slot: Int, share: Double) {
        let i = cursor[slot]
        guard i < queues[slot].count else { return }
        let job = queues[slot][i]
        heap.insert(QueueHead(classKey: keys[slot][i], share: share, arrival: arrivals[job], job: ids[job], slot: slot))
    }
}
