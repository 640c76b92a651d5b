import ReservoirCore
import ReservoirScheduling
import Testing
import ReservoirTestSupport

/// The work a cycle reuses (each node's description-filter answers per pod constraint set, the
/// reservation search's running view) must never change a decision: the same snapshot with
/// `reuseWithinCycle` off, where every placement runs the whole filter chain on every node and every
/// reservation probe rebuilds its view from scratch, must give exactly the same result.
@Suite struct CycleReuseTests {
    static let seeds: [UInt64] = Array(1...12)

    @Test("reused filter answers and reservation views decide exactly like a cycle without them", arguments: seeds)
    func reuseDecidesLikeNoReuse(seed: UInt64) {
        var w = RandomWorkload(seed: seed, nodeCount: 5, guarantees: seed % 2 == 0)
        var rng = SplitMix64(seed: seed &* 7919)
        // Labels and taints on some nodes, so description filters reject some nodes for some pods.
        for i in w.nodes.indices {
            if rng.next() % 3 == 0 { w.nodes[i].labels["zone"] = "a" }
            if rng.next() % 4 == 0 { w.nodes[i].taints = [Taint(key: "dedicated", value: "infer")] }
        }
        var config = Fixture.config(aging: 0)
        var plain = config
        plain.reuseWithinCycle = false
        config.reuseWithinCycle = true
        var compared = 0
        for step in 0..<12 {
            let now = Double(step * 60)
            for _ in 0..<6 {
                var j = w.randomJob(at: now)
                if rng.next() % 4 == 0 { j.request.nodeSelector = ["zone": "a"] }
                if rng.next() % 3 == 0 { j.request.tolerations = [Toleration(key: "dedicated", value: "infer")] }
                w.pending[j.id] = j
            }
            let snapshot = w.snapshot(now: now)
            let reused = SchedulingCycle(configuration: config).run(snapshot)
            let fresh = SchedulingCycle(configuration: plain).run(snapshot)
            #expect(reused.decisions == fresh.decisions, "seed \(seed) step \(step): decisions differ")
            #expect(reused.evictions == fresh.evictions, "seed \(seed) step \(step): evictions differ")
            #expect(reused.resizes == fresh.resizes, "seed \(seed) step \(step): resizes differ")
            #expect(reused.reservations == fresh.reservations, "seed \(seed) step \(step): reservations differ")
            #expect(reused.waiting == fresh.waiting, "seed \(seed) step \(step): waiting reasons differ")
            compared += reused.decisions.count + reused.reservations.count
            w.apply(reused, now: now)
            w.finish(now: now + 60)
        }
        #expect(compared > 0, "seed \(seed): nothing was decided, the comparison is vacuous")
    }

    @Test("on the openb benchmark snapshot, reuse changes nothing")
    func openbSnapshotDecidesLikeNoReuse() throws {
        guard let csv = try SharedData.text("data/openb/openb_node_list_gpu_node.csv") else { return }
        let rows = try OpenbTrace.parseNodes(csv: csv)
        let snapshot = CycleBenchWorkload.snapshot(nodes: rows, pending: 2_000, seed: 7)
        var config = SchedulerConfiguration(maxJobsPerCycle: 2_000)
        let reused = SchedulingCycle(configuration: config).run(snapshot)
        config.reuseWithinCycle = false
        let fresh = SchedulingCycle(configuration: config).run(snapshot)
        #expect(!reused.decisions.isEmpty && !reused.reservations.isEmpty)
        #expect(reused.decisions == fresh.decisions)
        #expect(reused.evictions == fresh.evictions)
        #expect(reused.resizes == fresh.resizes)
        #expect(reused.reservations == fresh.reservations)
        #expect(reused.waiting == fresh.waiting)
    }
}
