import ReservoirCore

/// Admission of one job before placement: which device models its quota lets it use, and whether
/// its class may dip into the pool's dynamic reserve.
///
/// For every model the job accepts (all models of the pool when it names none), the model is
/// admitted when (1) the ledger accepts `milli` more (limit; borrowing rules) and (2) a non-P0 job
/// leaves the model's reserve (`reservedFraction` of its GPUs) free. The job is then placed only on
/// admitted models. Example: a pool of 100 T4 with a 10% reserve (10 GPUs) and 12 free: a P2 job
/// asking for 4 is refused by class (12 − 4 < 10) while a P0 job is admitted; with 20 free both are.
enum QuotaAdmission {
    /// What an admission answer depends on besides the pool's and the ledger's versions.
    struct Key: Hashable {
        var tenant: TenantID
        var pool: PoolID
        var milli: Int
        var preemptible: Bool
        var emergency: Bool
        var models: [String]
        var poolVersion: Int
        var ledgerVersion: Int

        init(_ job: Job, milli: Int, pool: PoolCapacity, ledger: QuotaLedger) {
            tenant = job.tenant
            self.pool = pool.pool.id
            self.milli = milli
            preemptible = job.preemptible
            emergency = job.priority == .p0
            models = job.request.models
            poolVersion = pool.version
            ledgerVersion = ledger.version
        }
    }

    enum Verdict {
        /// Allowed models (nil: every model of the pool, or a CPU-only job).
        case admitted(Set<String>?)
        case refused(PendingReason)
    }

    /// The quota slots of one pool, resolved once per cycle so admission reads arrays instead of
    /// hashing (tenant, pool, model) keys: `slots[m][k]` governs `tenants[k]` on `pool.models[m]`.
    struct SlotTable {
        var tenantIndex: [TenantID: Int]
        var slots: [[Int?]]

        init(pool: PoolCapacity, ledger: QuotaLedger, tenants: [TenantID]) {
            var index: [TenantID: Int] = [:]
            for (k, t) in tenants.enumerated() { index[t] = k }
            tenantIndex = index
            slots = pool.models.map { model in tenants.map { ledger.slot(tenant: $0, pool: pool.pool.id, model: model) } }
        }
    }

    static func admit(_ job: Job, milli: Int, pool: PoolCapacity, ledger: QuotaLedger, table: SlotTable, catalog: GPUCatalog) -> Verdict {
        guard job.request.gpus > 0 else { return .admitted(nil) }
        let poolID = pool.pool.id
        let requested = job.request.models.isEmpty ? nil : Set(job.request.models.map { catalog.canonicalName($0) ?? $0 })
        var admitted = Set<String>()
        var quotaRefusals: [String] = []
        var classRefusals: [String] = []
        var offered = 0
        let asker = table.tenantIndex[job.tenant]
        for (m, model) in pool.models.enumerated() where requested?.contains(model) ?? true {
            offered += 1
            let free = pool.freeByModel[model, default: 0]
            // Only non-preemptible work is limited by what others' guarantees are owed.
            let owed = job.preemptible ? 0 : ledger.owedToOthers(skipping: asker, slots: table.slots[m])
            let slot = asker.map { table.slots[m][$0] } ?? ledger.slot(tenant: job.tenant, pool: poolID, model: model)
            if let refusal = ledger.refusal(
                slot: slot, tenant: job.tenant, pool: poolID, model: model, milli: milli, free: free, owedToOthers: owed,
                preemptible: job.preemptible
            ) {
                quotaRefusals.append(refusal)
                continue
            }
            let reserve = Int(Double(pool.totalByModel[model, default: 0]) * pool.pool.reservedFraction)
            if job.priority != .p0, reserve > 0, free - milli < reserve {
                classRefusals.append("the last \(reserve / 1000) \(model) GPUs of pool \(poolID) are its dynamic reserve, kept for P0")
                continue
            }
            admitted.insert(model)
        }
        if !admitted.isEmpty {
            return .admitted(requested == nil && admitted.count == pool.totalByModel.count ? nil : admitted)
        }
        if offered == 0 {
            let wanted = requested.map { $0.sorted().joined(separator: "|") } ?? "GPU"
            return .refused(PendingReason(kind: PendingKind.constraint, message: "no \(wanted) devices in pool \(poolID)"))
        }
        if quotaRefusals.isEmpty {
            return .refused(PendingReason(kind: PendingKind.class, message: distinct(classRefusals).joined(separator: "; ")))
        }
        return .refused(PendingReason(kind: PendingKind.quota, message: distinct(quotaRefusals + classRefusals).joined(separator: "; ")))
    }

    /// Each sentence once, in first-seen order: one `*` quota refuses every model of a pool in the same words.
    private static func distinct(_ sentences: [String]) -> [String] {
        var seen = Set<String>()
        return sentences.filter { seen.insert($0).inserted }
    }
}
