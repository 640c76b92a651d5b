import ReservoirCore
import ReservoirPlacement
@testable import ReservoirScheduling
import Testing
import ReservoirTestSupport

/// What makes a deep-queue cycle fast must never change what it decides. The benchmark snapshot
/// (`reservoir bench cycle`: openb inventory, 70% held, seed 42) is pinned by the digest of its whole
/// result (`CycleDump`: decisions with placements and rationales, reservations, every waiting
/// reason), recorded before the deep-queue work; a digest that moves means a decision moved.
/// Change a digest only for a deliberate change of policy, and say so in the commit.
@Suite struct DeepQueueCycleTests {
    @Test("the benchmark snapshot decides byte for byte as before", arguments: [
        (1_000, "178c713aefbd3ea8"),
        (10_000, "14d219ee8264a859"),
    ])
    func benchmarkSnapshotUnchanged(pending: Int, digest: String) throws {
        guard let csv = try SharedData.text("data/openb/openb_node_list_gpu_node.csv") else { return }
        let rows = try OpenbTrace.parseNodes(csv: csv)
        let snapshot = CycleBenchWorkload.snapshot(nodes: rows, pending: pending, seed: 42)
        let cycle = SchedulingCycle(configuration: SchedulerConfiguration(maxJobsPerCycle: pending, queuePolicy: .fairShare))
        let result = cycle.run(snapshot)
        #expect(result.decisions.count + result.waiting.count == pending)
        #expect(try CycleDump(result).digest() == digest)
    }

    @Test("each pool's recent work read in one pass equals the per-pool answer", arguments: [UInt64(1), 2, 3, 4])
    func recentByPoolMatchesPerPool(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let pools: [PoolID?] = ["a", "b", "c", nil]
        func jobs(_ n: Int, _ prefix: String) -> [Job] {
            (0..<n).map { i in
                var job = Fixture.job(
                    "\(prefix)\(i)", tenant: "t", gpus: Int(rng.next() % 3), milli: rng.next() % 2 == 0 ? 500 : 1000,
                    replicas: 1 + Int(rng.next() % 3)
                )
                // Mostly runs of one pool (as a server's queue is), some interleaving, a few without a pool.
                job.pool = pools[Int(rng.next() % 8 < 5 ? 0 : rng.next() % 4)]
                if rng.next() % 5 == 0 { job.request.models = ["T4"] }
                return job
            }
        }
        let active = jobs(40, "r"), pending = jobs(120, "q")
        let snapshot = SchedulingSnapshot(
            now: 0, pools: [Pool(id: "a", cluster: "x"), Pool(id: "b", cluster: "x"), Pool(id: "c", cluster: "x")],
            nodes: [], tenants: [], quotas: [], active: active, pending: pending
        )
        let byPool = TypicalPods.recentByPool(snapshot)
        for pool in pools.compactMap({ $0 }) {
            let jobs = (active + pending).filter { $0.pool == pool }
            // The definition: one pod per replica, restricted to the job's models.
            let pods = jobs.flatMap { job in
                repeatElement(job.podRequest(models: job.request.models.isEmpty ? nil : Set(job.request.models)), count: job.replicas)
            }
            let expected = pods.count >= TypicalPods.minimumRecentPods ? TypicalPods(pods: pods) : nil
            #expect(byPool[pool] == expected, "pool \(pool)")
            #expect(TypicalPods.recent(jobs) == expected, "pool \(pool)")
        }
    }
}
