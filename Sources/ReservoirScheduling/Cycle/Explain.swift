import ReservoirCore
import ReservoirPlacement

/// The "why placed here" sentence of a decision: the order it was taken in, the quota it runs
/// under, the topology it reached, and any backfill or preemption note.
///
/// Example: "order: P3 job aged to P1, tenant share 0.042; quota: within tenant t1's guarantee in
/// pool p; placed by bestfit, topology-aware: 2 replicas on 1 node (n7), GPUs in 1 NVLink island;
/// backfilled ahead of job j9: ends by t=900s, before its reservation at t=1200s".
enum Explain {
    static func placement(_ job: Job, slots: [Placement], nodes: [NodeCapacity], session: Session, classKey: Int, note: String?) -> String {
        var parts: [String] = []
        let policy = session.configuration.queuePolicy
        var order = "order: \(policy.rawValue)"
        if policy != .fifo {
            order += classKey < job.priority.rank ? ", \(job.priority.rawValue) job aged to P\(classKey)" : ", class \(job.priority.rawValue)"
        }
        if policy.usesShare {
            order += ", tenant share \((session.share(job.tenant) * 1000).rounded() / 1000) with it"
        }
        parts.append(order)
        if let pool = job.pool, job.request.gpus > 0, let first = slots.first {
            let model = nodes[first.node].model
            let within = session.ledger.usage(tenant: job.tenant, pool: pool, model: model)
                <= (session.ledger.quota(tenant: job.tenant, pool: pool, model: model)?.guaranteedMilli ?? 0)
            parts.append(within ? "quota: within tenant \(job.tenant)'s guarantee in pool \(pool)"
                                : "quota: borrowing above tenant \(job.tenant)'s guarantee in pool \(pool) (reclaimable)")
        }
        let used = Array(Set(slots.map(\.node))).sorted()
        let racks = Set(used.compactMap { nodes[$0].rack })
        var topo = "placed by \(session.configuration.placementPolicy)\(session.configuration.topologyAware ? ", topology-aware" : ""): "
        topo += "\(slots.count) replica\(slots.count == 1 ? "" : "s") on \(used.count) node\(used.count == 1 ? "" : "s") ("
            + used.prefix(4).map { nodes[$0].id.rawValue }.joined(separator: ", ") + (used.count > 4 ? ", …" : "") + ")"
        if !racks.isEmpty { topo += " in \(racks.count) rack\(racks.count == 1 ? "" : "s")" }
        let islands = slots.filter { $0.gpuIndices.count > 1 }.map { p in Set(p.gpuIndices.compactMap { nodes[p.node].islands[$0] }) }
        if !islands.isEmpty, islands.allSatisfy({ $0.count == 1 }) { topo += ", each replica's GPUs in one NVLink island" }
        parts.append(topo)
        if PlacementPolicy.matchesProfiles(session.configuration.placementPolicy), job.request.gpus > 0,
           let first = slots.first, let wants = ProfileMatchScore.preference(job.kind) {
            parts.append(profile(job.kind, wants: wants, node: nodes[first.node]))
        }
        if let note { parts.append(note) }
        return parts.joined(separator: "; ")
    }

    /// "profile: inference job, prefers low-latency devices (memory bandwidth) → A100-40GB, low-latency
    /// class"; without device profiles only the catalog preference and the model.
    static func profile(_ kind: WorkloadKind, wants: String, node: NodeCapacity) -> String {
        guard let wanted = DeviceClass.preferred(by: kind), let got = node.deviceClass else {
            return "profile: \(kind.rawValue) job, prefers \(wants) → \(node.model)"
        }
        var text = "profile: \(kind.rawValue) job, prefers \(wanted.rawValue) devices (\(wants)) → \(node.model), \(got.rawValue) class"
        if got != wanted { text += " (no free \(wanted.rawValue) device fitted)" }
        let faulty = node.recentFaults.count
        if faulty > 0 { text += ", \(faulty) device\(faulty == 1 ? "" : "s") of the node with recent faults (scored down)" }
        return text
    }
}
