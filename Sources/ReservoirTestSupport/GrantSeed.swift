import ReservoirCore
import ReservoirStore

/// Grants for tests of what a grant does once it exists (admission, quotas, expiry, the green channel),
/// stored as intake or a review would leave them: a request `granted`, and its active grant.
public enum GrantSeed {
    /// Stores a granted request of `tenant` and its grant of `gpus` GPUs in `pool` for `[startsAt, endsAt)`;
    /// with `emergency`, a P0 green-channel grant; `category` L2 unless said (L1 on the green channel); `project`: the
    /// form's project. Returns the grant.
    @discardableResult
    public static func grant(
        in store: any RequestStore, number: Int64 = 1, tenant: TenantID, applicant: UserID, pool: PoolID = "p1", model: String? = "A100-80GB",
        gpus: Int, priority: PriorityClass = .p1, emergency: EmergencyDetails? = nil, category: RequestCategory? = nil, project: String? = nil, startsAt: Double, endsAt: Double?
    ) throws -> Grant {
        let id = RequestID.numbered(number)
        var form = RequestForm(kind: .training, category: category ?? (emergency == nil ? .fineTuning : .largeModel))
        form.emergency = emergency
        form.project = project
        let terms = AllocationTerms(pool: pool, model: model, gpus: gpus, durationHours: endsAt.map { ($0 - startsAt) / 3600 })
        var request = AllocationRequest(id: id, tenant: tenant, applicant: applicant, form: form, asked: terms, submittedAt: startsAt)
        try request.transition(to: .approved, at: startsAt, actor: "system:auto-approval", reason: "a small standard request")
        try request.transition(to: .granted, at: startsAt, actor: "system:auto-approval", reason: "granted")
        request.approved = terms
        request.grant = id.grantID
        let grant = Grant(
            id: id.grantID, request: id, tenant: tenant, pool: pool, model: model, gpuMilli: gpus * 1000, priority: emergency == nil ? priority : .p0,
            category: form.category ?? .fineTuning, emergency: emergency, startsAt: startsAt, endsAt: endsAt,
            access: GrantAccess(
                engine: "simulated", account: tenant.rawValue, partition: pool.rawValue, qos: (emergency == nil ? priority : .p0).rawValue,
                queue: pool.rawValue, instructions: "reservoir submit --grant \(id.grantID) job.yaml"),
            createdAt: startsAt, approvedBy: "system:auto-approval")
        try store.createRequest(request, grant: grant, notices: [], idempotency: nil, by: Attribution(actor: "system:test", at: startsAt))
        return grant
    }
}
