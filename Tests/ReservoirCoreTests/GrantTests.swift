import ReservoirCore
import Testing

/// A grant of `gpus` GPUs to tenant `nlp` in pool `train` from t=1000 to t=2000.
private func grant(_ id: GrantID = "g-1", gpus: Int = 4, model: String? = "H100-80GB", priority: PriorityClass = .p2, endsAt: Double? = 2000) -> Grant {
    Grant(
        id: id, request: "r-1", tenant: "nlp", pool: "train", model: model, gpuMilli: gpus * 1000, priority: priority, category: .fineTuning,
        startsAt: 1000, endsAt: endsAt,
        access: GrantAccess(engine: "simulated", account: "nlp", partition: "train", qos: priority.rawValue, queue: "train", instructions: ""),
        createdAt: 1000, approvedBy: "system:auto-approval")
}

private func job(_ id: JobID = "j-1", gpus: Int = 2, models: [String] = [], priority: PriorityClass = .p2, grant: GrantID? = nil) -> Job {
    var job = Job(id: id, name: "n", tenant: "nlp", submittedBy: "u", pool: "train", request: ResourceRequest(gpus: gpus, models: models), priority: priority)
    job.grant = grant
    return job
}

@Suite("Effective quotas: stored quotas raised by grants in their window")
struct EffectiveQuotaTests {
    let star = Quota(tenant: "nlp", pool: "train", guaranteedMilli: 8000, limitMilli: 16000)

    @Test func aGrantRaisesGuaranteeAndLimitOnlyInsideItsWindow() {
        let g = grant(model: nil)
        #expect(Grant.effectiveQuotas(base: [star], grants: [g], at: 999) == [star])
        let inside = Grant.effectiveQuotas(base: [star], grants: [g], at: 1000)
        #expect(inside.map(\.guaranteedMilli) == [12000] && inside.map(\.limitMilli) == [20000])
        #expect(Grant.effectiveQuotas(base: [star], grants: [g], at: 2000) == [star])
    }

    @Test func anExpiredGrantRaisesNothingEvenInsideItsWindow() {
        var g = grant()
        g.state = .expired
        #expect(Grant.effectiveQuotas(base: [star], grants: [g], at: 1500) == [star])
    }

    @Test func aModelGrantRaisesTheModelsOwnQuotaWhenThereIsOne() {
        let h100 = Quota(tenant: "nlp", pool: "train", model: "H100-80GB", guaranteedMilli: 0, limitMilli: 2000)
        let quotas = Grant.effectiveQuotas(base: [star, h100], grants: [grant()], at: 1500)
        #expect(quotas == [star, Quota(tenant: "nlp", pool: "train", model: "H100-80GB", guaranteedMilli: 4000, limitMilli: 6000)])
    }

    /// Creating an H100 quota would take H100 work out of `*` and let the tenant hold 16 more GPUs elsewhere.
    @Test func aModelGrantBesideOnlyAStarQuotaRaisesStar() {
        let quotas = Grant.effectiveQuotas(base: [star], grants: [grant()], at: 1500)
        #expect(quotas == [Quota(tenant: "nlp", pool: "train", guaranteedMilli: 12000, limitMilli: 20000)])
    }

    @Test func aGrantWhereTheTenantHoldsNoQuotaCreatesOneOfItsSize() {
        let other = Quota(tenant: "cv", pool: "train", guaranteedMilli: 1000, limitMilli: 1000)
        let quotas = Grant.effectiveQuotas(base: [other], grants: [grant(), grant("g-2", gpus: 2)], at: 1500)
        #expect(quotas == [other, Quota(tenant: "nlp", pool: "train", model: "H100-80GB", guaranteedMilli: 6000, limitMilli: 6000)])
        let any = Grant.effectiveQuotas(base: [], grants: [grant(model: nil)], at: 1500)
        #expect(any == [Quota(tenant: "nlp", pool: "train", guaranteedMilli: 4000, limitMilli: 4000)])
    }

    @Test func aGrantWithoutAnEndRaisesForEver() {
        #expect(Grant.effectiveQuotas(base: [star], grants: [grant(model: nil, endsAt: nil)], at: 1e9).map(\.limitMilli) == [20000])
    }
}

@Suite("Jobs submitted under a grant")
struct GrantAdmissionTests {
    private func refusal(_ g: Grant, _ j: Job, unfinished: [Job] = [], at time: Double = 1500) -> ReservoirError? {
        var j = j
        do {
            try g.admit(&j, unfinished: unfinished, at: time)
            return nil
        } catch {
            return error
        }
    }

    @Test func anAdmittedJobNamesTheGrantAndTakesItsModel() throws {
        var j = job()
        try grant().admit(&j, unfinished: [], at: 1500)
        #expect(j.grant == "g-1" && j.request.models == ["H100-80GB"])
    }

    @Test func afterItsEndTheGrantAdmitsNoNewWork() {
        let error = refusal(grant(), job(), at: 2000)
        #expect(error?.code == .conflict && error?.field == "grant")
        #expect(error?.message == "grant g-1 ended at 1970-01-01T00:33:20Z, admits no new work")
        #expect(refusal(grant(), job(), at: 999)?.message.contains("opens at") == true)
        var expired = grant()
        expired.state = .expired
        #expect(refusal(expired, job())?.message == "grant g-1 is expired and admits no new work")
    }

    @Test func anotherTenantsJobIsRefused() {
        var j = job()
        j.tenant = "cv"
        #expect(refusal(grant(), j)?.field == "grant")
    }

    @Test func poolModelAndClassMustBeTheGrants() {
        var elsewhere = job()
        elsewhere.pool = "infer"
        #expect(refusal(grant(), elsewhere)?.field == "pool")
        #expect(refusal(grant(), job(models: ["A100-80GB"]))?.field == "request.models")
        #expect(refusal(grant(), job(models: ["H100-80GB", "A100-80GB"]))?.field == "request.models")
        #expect(refusal(grant(), job(models: ["H100-80GB"])) == nil)
        #expect(refusal(grant(model: nil), job(models: ["A100-80GB"])) == nil)
        #expect(refusal(grant(priority: .p0), job(priority: .p2))?.field == "priority")
    }

    @Test func theGrantsUnfinishedJobsMayNotExceedItsGPUs() {
        let running = [job("j-0", gpus: 3, grant: "g-1"), job("j-9", gpus: 8, grant: "g-other")]
        #expect(refusal(grant(), job(gpus: 1), unfinished: running) == nil)
        let error = refusal(grant(), job(gpus: 2), unfinished: running)
        #expect(error?.code == .conflict && error?.field == "request.gpus")
        #expect(error?.message == "grant g-1 holds 4 GPUs; its unfinished jobs ask 3 and this one 2")
    }
}
