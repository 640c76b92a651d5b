import ReservoirCore
import ReservoirPlacement
import ReservoirScheduling
import Testing

/// The server places the way the benchmark does: `reservoir` by default, looking ahead to the pool's
/// recent work, comparing every feasible node.
@Suite("Placement policy in the cycle")
struct PlacementPolicyScenarios {
    @Test("the default policy is reservoir")
    func defaultPolicy() {
        #expect(SchedulerConfiguration().placementPolicy == "reservoir")
        #expect(SchedulerConfiguration().placementPolicy == PlacementPolicy.defaultName)
    }

    @Test("reservoir and fgd compare every feasible node: the one GPU a share completes is found past the first 128")
    func scoresAllFeasibleNodes() {
        let nodes = (0..<200).map { Fixture.node("n\(1000 + $0)", gpus: 1) }
        let half = Fixture.running(Fixture.job("half", milli: 500), on: [("n1199", [0])])
        for policy in ["reservoir", "fgd"] {
            var config = Fixture.config()
            config.placementPolicy = policy
            let result = SchedulingCycle(configuration: config).run(
                Fixture.snapshot(nodes: nodes, pending: [Fixture.job("share", milli: 500)], active: [half]))
            #expect(result.decision("share")?.placements.first?.node == "n1199", "\(policy)")
        }
    }

    @Test("typical shapes are learned from the pool's pending and active jobs, one pod per replica")
    func learnedShapes() throws {
        let few = (0..<5).map { Fixture.job("j\($0)", milli: 500) }
        #expect(TypicalPods.recent(few) == nil)
        var jobs = (0..<30).map { Fixture.job("s\($0)", milli: 500) }
        jobs.append(Fixture.job("gang", gpus: 2, replicas: 10))
        let typical = try #require(TypicalPods.recent(jobs))
        #expect(typical.shapes.count == 2)
        let share = try #require(typical.shapes.first { $0.gpus == 1 && $0.gpuMilli == 500 })
        #expect(abs(share.weight - 0.75) < 1e-9)
    }

    @Test("reservoir keeps a model free for the pool's recent work that can only use it")
    func learnedShapesSteerPlacement() {
        // Node t (T4) comes first; recent work is T4-only 2-GPU jobs that wait. A job that may use
        // any model goes to the A100, leaving the T4 to them; the generic mix would not know.
        let nodes = [Fixture.node("a-t4", gpus: 2, model: "T4"), Fixture.node("b-a100", gpus: 2)]
        var t4Only = (0..<25).map { i in
            var j = Fixture.job("t4-\(i)", gpus: 2, at: Double(i) + 10)
            j.request.models = ["T4"]
            return j
        }
        t4Only.append(Fixture.job("flexible", gpus: 1, at: 0))
        var config = Fixture.config(backfill: false)
        config.placementPolicy = "reservoir"
        config.maxJobsPerCycle = 1
        let result = SchedulingCycle(configuration: config).run(Fixture.snapshot(nodes: nodes, pending: t4Only))
        #expect(result.decision("flexible")?.placements.first?.node == "b-a100")
    }
}
