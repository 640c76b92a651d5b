import ReservoirCore
@testable import ReservoirScheduling
import Testing

/// Per-job runtime prediction: the level of history that answers, the percentile, its accuracy on
/// recorded history, and backfill planning with it.
@Suite("Runtime prediction from history")
struct PredictionTests {
    static func finished(_ id: String, tenant: String = "t1", name: String = "train", pool: String = "p", runtime: Double, submitted: Double = 0, finished: Double? = nil) -> Job {
        var job = Job(id: JobID(id), name: name, tenant: TenantID(tenant), submittedBy: "u", pool: PoolID(pool), request: ResourceRequest(gpus: 1), state: .succeeded, submittedAt: submitted)
        job.startedAt = submitted
        job.finishedAt = finished ?? submitted + runtime
        job.progressSeconds = runtime
        return job
    }

    static func pending(tenant: String = "t1", name: String = "train", pool: String = "p") -> Job {
        Job(id: "new", name: name, tenant: TenantID(tenant), submittedBy: "u", pool: PoolID(pool), request: ResourceRequest(gpus: 1))
    }

    @Test("same tenant and name first, then the tenant, then the pool; too little history answers nil")
    func levels() throws {
        let history = (1...10).map { Self.finished("a\($0)", runtime: Double($0) * 100) }
            + [Self.finished("b1", name: "eval", runtime: 50), Self.finished("c1", tenant: "t2", name: "x", runtime: 7)]
        let predictor = RuntimePredictor(history: history)
        let byName = try #require(predictor.predict(Self.pending()))
        // p90 by nearest rank of 100…1000: the 9th of 10.
        #expect(byName.basis == .name && byName.samples == 10 && byName.runtimeSeconds == 900)
        #expect(byName.recentJobs.first == "a10" && byName.recentJobs.count == 10)
        let byTenant = try #require(predictor.predict(Self.pending(name: "eval")))
        #expect(byTenant.basis == .tenant && byTenant.samples == 11)
        let byPool = try #require(predictor.predict(Self.pending(tenant: "t3", name: "eval")))
        #expect(byPool.basis == .pool && byPool.samples == 12)
        #expect(predictor.predict(Self.pending(tenant: "t3", pool: "other")) == nil)
        #expect(RuntimePredictor(history: history, percentile: 0.5).predict(Self.pending())?.runtimeSeconds == 500)
    }

    @Test("learning and forgetting samples one at a time, in any order, gives the predictor rebuilt from what is left")
    func learnAndForget() {
        var rng = SystemRandomNumberGenerator()
        var kept: [String: Job] = [:]
        var predictor = RuntimePredictor()
        for step in 0..<400 {
            if !kept.isEmpty, Int.random(in: 0..<3, using: &rng) == 0 {
                let id = kept.keys.randomElement(using: &rng)!
                predictor.forget(RuntimePredictor.Sample(kept.removeValue(forKey: id)!))
            } else {
                // Few distinct runtimes and finish times, so ties in both are common.
                let job = Self.finished(
                    "j\(step)", tenant: "t\(step % 3)", name: ["a", "b"][step % 2], pool: ["p", "q"][step % 2],
                    runtime: Double(Int.random(in: 1...5, using: &rng)) * 10, finished: Double(Int.random(in: 0...4, using: &rng)))
                kept[job.id.rawValue] = job
                predictor.learn(job)
            }
            #expect(predictor == RuntimePredictor(history: Array(kept.values)), "step \(step)")
        }
        // Forgetting what was never learnt (or a job without a runtime) changes nothing.
        var unchanged = predictor
        unchanged.forget(RuntimePredictor.Sample(Self.finished("never", runtime: 10)))
        #expect(unchanged == predictor)
    }

    @Test("accuracy: each job predicted only from jobs finished before its submission; MAE and the share too short beside the tenant mean")
    func accuracy() throws {
        // Runtimes 100, 200, 300, then 1000: the fourth is predicted from the first three (p90 = 300: too short by 700).
        let history = [
            Self.finished("a", runtime: 100, submitted: 0), Self.finished("b", runtime: 200, submitted: 200),
            Self.finished("c", runtime: 300, submitted: 500), Self.finished("d", runtime: 1000, submitted: 900),
            Self.finished("e", runtime: 250, submitted: 2000),
        ]
        let report = PredictionAccuracy.measure(history)
        #expect(report.jobs == 5)
        // d: 300 vs 1000 (short by 700); e: p90 of 100,200,300,1000 = 1000 vs 250 (long by 750).
        #expect(report.prediction.predicted == 2)
        #expect(report.prediction.maeSeconds == 725)
        #expect(report.prediction.tooShortShare == 0.5)
        #expect(report.byBasis["name"]?.predicted == 2)
        // The tenant mean answers from the first finished job on: b 100, c 150, d 200, e 400.
        #expect(report.tenantMean.predicted == 4)
        #expect(report.tenantMean.maeSeconds == (100 + 150 + 800 + 150) / 4)
        #expect(report.tenantMean.tooShortShare == 0.75)
        #expect(PredictionAccuracy.measure(history, since: 1000).jobs == 1)
    }

    @Test("backfill plans a job without a declared runtime with its prediction, and says so")
    func backfillUsesPrediction() throws {
        // A holds 6 of 8 GPUs for 1000 s; X (P1, 8 GPUs) reserves the node at t≈1000; Y (2 GPUs, no runtime) may run ahead only if it ends in time.
        let a = Fixture.running(Fixture.job("a", gpus: 6, preemptible: false, runtime: 1000), on: [("n", Array(0..<6))])
        let x = Fixture.job("x", gpus: 8, priority: .p1)
        let y = Fixture.job("y", gpus: 2, at: 1)
        func run(_ predicted: [JobID: Double]) -> CycleResult {
            var snapshot = Fixture.snapshot(nodes: [Fixture.node("n")], pending: [x, y], active: [a])
            snapshot.predictedRuntimes = predicted
            return SchedulingCycle(configuration: Fixture.config()).run(snapshot)
        }
        let blind = run([:])
        #expect(blind.decision("y") == nil)
        #expect(blind.waiting["y"]?.message.contains("no runtime estimate") == true, "\(String(describing: blind.waiting["y"]))")
        let informed = run(["y": 500])
        let rationale = try #require(informed.decision("y")?.rationale)
        #expect(rationale.contains("backfilled ahead of job x") && rationale.contains("(runtime 500s predicted from its history)"), "\(rationale)")
        #expect(run(["y": 5000]).decision("y") == nil, "a prediction past the reservation does not backfill")
    }
}
