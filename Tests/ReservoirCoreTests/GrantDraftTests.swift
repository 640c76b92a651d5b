import ReservoirCore
import Testing

/// How an approval becomes a grant: pool, class, window and engine access (SPEC §5.5).
@Suite("Grant draft")
struct GrantDraftTests {
    /// Pool `sim` (simulated, 2 × A100) and pool `hpc` (Slurm, 8 × A100 and 4 × T4 on two nodes).
    static let inventory: Inventory = {
        func node(_ id: String, _ pool: PoolID, _ model: String, _ gpus: Int) -> Node {
            Node(id: NodeID(id), pool: pool, cpuMilli: 8000, memoryMiB: 65536, devices: (0..<gpus).map { Device(node: NodeID(id), index: $0, model: model, memoryMiB: 81920) })
        }
        return Inventory(
            regions: [Region(id: "r")], clusters: [Cluster(id: "c-sim", region: "r"), Cluster(id: "c-hpc", region: "r", engine: .slurm)],
            pools: [Pool(id: "sim", cluster: "c-sim"), Pool(id: "hpc", cluster: "c-hpc")],
            nodes: [node("s1", "sim", "A100-80GB", 2), node("h1", "hpc", "A100-80GB", 8), node("h2", "hpc", "T4", 4)])
    }()

    func request(_ category: RequestCategory, pool: PoolID? = nil, emergency: Bool = false, startsAt: Double? = nil) -> AllocationRequest {
        var form = RequestForm(kind: category.kind, category: category)
        form.pool = pool
        form.startsAt = startsAt
        if emergency { form.emergency = EmergencyDetails(category: "production-outage", description: "down") }
        var request = AllocationRequest(id: "req-000007", tenant: "alpha", applicant: "alice", form: form, asked: AllocationTerms(gpus: 2), submittedAt: 0)
        request.estimate = RequestEstimate(gpus: 2, gpuHours: 40, summary: "")
        return request
    }

    @Test("class by category; P0 on the green channel")
    func priorities() {
        #expect(GrantDraft.priority(.largeModel, emergency: false) == .p1 && GrantDraft.priority(.online, emergency: false) == .p1)
        #expect(GrantDraft.priority(.fineTuning, emergency: false) == .p2 && GrantDraft.priority(.offlineBatch, emergency: false) == .p2)
        #expect(GrantDraft.priority(.research, emergency: false) == .p3)
        #expect(RequestCategory.allCases.allSatisfy { GrantDraft.priority($0, emergency: true) == .p0 })
    }

    @Test("no pool asked: the preferred one if it has the model, else the one with the most GPUs of it; Slurm access names")
    func poolAndAccess() throws {
        let terms = AllocationTerms(model: "A100-80GB", gpus: 2, durationHours: 24)
        let grant = try GrantDraft.make(for: request(.fineTuning), terms: terms, approvedBy: "system:auto-approval", at: 1000, inventory: Self.inventory)
        #expect(grant.id == "grant-000007" && grant.request == "req-000007" && grant.pool == "hpc" && grant.gpuMilli == 2000 && grant.priority == .p2)
        #expect(grant.startsAt == 1000 && grant.endsAt == 1000 + 24 * 3600 && grant.estimatedGPUHours == 40 && grant.state == .active)
        #expect(grant.access.engine == "slurm" && grant.access.account == "alpha" && grant.access.partition == "hpc" && grant.access.qos == "P2")
        #expect(grant.access.instructions.contains("--grant grant-000007"))
        let preferred = try GrantDraft.make(for: request(.fineTuning), terms: terms, approvedBy: "x", at: 1000, inventory: Self.inventory, preferred: "sim")
        #expect(preferred.pool == "sim" && preferred.access.engine == "simulated")
        let t4 = try GrantDraft.make(for: request(.research), terms: AllocationTerms(model: "T4", gpus: 1), approvedBy: "x", at: 0, inventory: Self.inventory, preferred: "sim")
        #expect(t4.pool == "hpc" && t4.endsAt == nil && t4.priority == .p3)
        #expect(throws: ReservoirError.self) {
            try GrantDraft.make(for: request(.fineTuning), terms: AllocationTerms(model: "H100-80GB", gpus: 1), approvedBy: "x", at: 0, inventory: Self.inventory)
        }
    }

    @Test("the window opens at the form's startsAt, never in the past")
    func window() throws {
        let terms = AllocationTerms(pool: "sim", gpus: 1, durationHours: 2)
        let later = try GrantDraft.make(for: request(.fineTuning, startsAt: 5000), terms: terms, approvedBy: "x", at: 1000, inventory: Self.inventory)
        #expect(later.startsAt == 5000 && later.endsAt == 5000 + 7200)
        let past = try GrantDraft.make(for: request(.fineTuning, startsAt: 10), terms: terms, approvedBy: "x", at: 1000, inventory: Self.inventory)
        #expect(past.startsAt == 1000)
        let emergency = try GrantDraft.make(for: request(.fineTuning, emergency: true), terms: terms, approvedBy: "user:em", at: 0, inventory: Self.inventory)
        #expect(emergency.priority == .p0 && emergency.emergency?.category == "production-outage")
    }
}
