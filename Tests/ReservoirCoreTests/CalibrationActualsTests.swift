import ReservoirCore
import Testing

/// Calibration from actuals (issue 14, item 2): a granted training run that is over becomes a
/// recorded run (its jobs' GPU-hours), and the per-model least squares combines it with the published runs.
@Suite struct CalibrationActualsTests {
    static let access = GrantAccess(engine: "simulated", account: "t", partition: "p1", qos: "P2", queue: "p1", instructions: "")

    static func granted(_ id: String, parameters: Double = 7e9, tokens: Double = 20e9) -> (Grant, AllocationRequest) {
        var form = RequestForm(kind: .training, category: .fineTuning)
        var training = TrainingDetails()
        training.modelName = "llama-7b-sft"
        training.parameters = parameters
        training.tokens = tokens
        training.gpuModel = "A100-80GB"
        form.training = training
        let request = AllocationRequest(id: RequestID(id), tenant: "t", applicant: "u", form: form, asked: AllocationTerms(gpus: 8), submittedAt: 0)
        let grant = Grant(id: GrantID("g-\(id)"), request: request.id, tenant: "t", pool: "p1", model: "A100-80GB", gpuMilli: 8_000, priority: .p2,
                          category: .fineTuning, startsAt: 0, endsAt: nil, estimatedGPUHours: 100, access: access, createdAt: 0, approvedBy: "system:auto-approval")
        return (grant, request)
    }

    /// A job under `grant` on `gpus` whole GPUs that ran `seconds` (as kept progress when `progress`).
    static func job(_ id: String, grant: GrantID?, gpus: Int = 8, seconds: Double, state: JobState = .succeeded, progress: Bool = false) -> Job {
        var job = Job(id: JobID(id), name: id, tenant: "t", submittedBy: "u", pool: "p1", request: ResourceRequest(gpus: gpus), state: state)
        job.grant = grant
        if progress { job.progressSeconds = seconds } else if state != .running { job.startedAt = 10; job.finishedAt = 10 + seconds } else { job.startedAt = 10 }
        return job
    }

    @Test("A granted training run's actual GPU-hours: every job under the grant, preempted runs included; nothing while it is not over")
    func actual() throws {
        let (grant, request) = Self.granted("req-1")
        let jobs = [
            Self.job("a", grant: grant.id, seconds: 3_600),  // 8 GPU-hours
            Self.job("b", grant: grant.id, gpus: 4, seconds: 1_800, state: .failed, progress: true),  // 2 GPU-hours, failed but used
            Self.job("other", grant: nil, seconds: 99_999),  // not under the grant
        ]
        let run = try #require(ReferenceRun.actual(of: grant, request: request, jobs: jobs))
        #expect(run.recorded && run.model == "A100-80GB" && run.parameters == 7e9 && run.tokens == 20e9)
        #expect(abs(run.gpuHours - 10) < 1e-9)
        #expect(ReferenceRun.actual(of: grant, request: request, jobs: jobs + [Self.job("c", grant: grant.id, seconds: 0, state: .running)]) == nil)
        #expect(ReferenceRun.actual(of: grant, request: request, jobs: [Self.job("d", grant: grant.id, seconds: 60, state: .cancelled)]) == nil)
        var inference = grant
        inference.category = .online
        #expect(ReferenceRun.actual(of: inference, request: request, jobs: jobs) == nil)
    }

    @Test("Recorded actuals join the published runs per GPU model, each run weighing the same; the answer says how many it used")
    func combined() throws {
        let a100 = try #require(GPUCatalog.standard.model(named: "A100-80GB"))
        let published = Calibration.fit(model: a100, runs: ReferenceRun.published, fallback: 0.4)
        #expect(published.actuals == 0 && published.runs == 3)
        // Two recorded fine-tunes that reached 0.2 of A100 peak: 6·7e9·20e9 FLOPs ÷ (312e12 × 0.2) ≈ 3,739 GPU-hours each.
        let hours = 6 * 7e9 * 20e9 / (312e12 * 0.2) / 3_600
        let recorded = (1...2).map { ReferenceRun(name: "fine-tune \($0)", model: "A100-80GB", parameters: 7e9, tokens: 20e9, gpuHours: hours, recorded: true) }
        let both = Calibration.fit(model: a100, runs: ReferenceRun.published + recorded, fallback: 0.4)
        print("calibration from actuals: A100-80GB published only efficiency \(published.efficiency) (MAPE \(published.meanAbsolutePercentError ?? -1) %); with 2 recorded actuals at 0.2: efficiency \(both.efficiency) (MAPE \(both.meanAbsolutePercentError ?? -1) %)")
        #expect(both.runs == 5 && both.actuals == 2 && both.basis == .fitted)
        // (0.406² + 0.377² + 0.435² + 2 × 0.2²) ÷ (0.406 + 0.377 + 0.435 + 2 × 0.2) ≈ 0.356: the actuals pull it, not drown.
        #expect(abs(both.efficiency - 0.356) < 0.005)
        #expect((both.meanAbsolutePercentError ?? 0) > (published.meanAbsolutePercentError ?? .infinity))
        // Only actuals, no published runs for the model: still a fit (L40S falls back without them).
        let l40s = try #require(GPUCatalog.standard.model(named: "L40S"))
        let own = recorded.map { var r = $0; r.model = "L40S"; return r }
        let fitted = Calibration.fit(model: l40s, runs: ReferenceRun.published + own, fallback: 0.4)
        #expect(fitted.basis == .fitted && fitted.actuals == 2 && fitted.meanAbsolutePercentError == 0)
        let estimator = TrainingEstimator(catalog: .standard, runs: ReferenceRun.published + recorded)
        let e = try estimator.estimate(TrainingWorkload(parameters: 7e9, tokens: 20e9, model: "A100-80GB", gpus: 8))
        #expect(e.calibration.actuals == 2 && e.assumptions.contains { $0.contains("3 published + 2 recorded actuals") })
    }
}
