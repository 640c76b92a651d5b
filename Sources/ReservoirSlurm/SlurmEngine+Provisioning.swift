import Foundation
import ReservoirCore
import ReservoirEngine

/// Slurm account names: Slurm lower-cases them, so Reservoir's tenant ids map to their lower-case form.
enum SlurmAccounts {
    static func account(_ tenant: TenantID) -> String { tenant.rawValue.lowercased() }
}

/// Tenants, classes, pools and quotas mirrored into Slurm with `sacctmgr -i` and the partitions file.
///
/// REST (dbv0.0.38) is not used here: its association POST fails or ignores `GrpTRES` in 22.05
/// (slurm-notes), while `sacctmgr -i` is reliable. Every call first reads what exists, so repeats are no-ops
/// (`sacctmgr add` of an existing object exits 1, "Nothing new added").
extension SlurmEngine: EngineProvisioning {
    public func ensurePriorityClasses() async throws {
        let existing = Set(try await list(["qos", "format=name"]))
        // Least important first, so every QOS a class preempts exists when the class is written.
        for priority in PriorityClass.allCases.reversed() {
            let name = SlurmMapping.qos(priority, prefix: configuration.qosPrefix)
            if !existing.contains(name) {
                try await cli.run("sacctmgr", ["-i", "add", "qos", name, "Description=reservoir \(priority.title)"])
            }
            var settings = ["Priority=\(SlurmMapping.qosPriority(priority))", "PreemptMode=requeue"]
            let victims = SlurmMapping.preemptable(by: priority, prefix: configuration.qosPrefix)
            // Never write an empty `Preempt=` (22.05): it corrupts slurmdbd's view of that QOS, and any later
            // QOS preempting it fails with "QOS Preemption loop detected" (measured).
            if !victims.isEmpty { settings.append("Preempt=" + victims.joined(separator: ",")) }
            try await modify(["qos", name, "set"] + settings)
        }
        classesReady = true
    }

    public func ensureTenant(_ tenant: Tenant) async throws {
        if !classesReady { try await ensurePriorityClasses() }
        let account = SlurmAccounts.account(tenant.id)
        if !(try await list(["account", "format=account"])).contains(account) {
            try await cli.run("sacctmgr", [
                "-i", "add", "account", account, "Description=\(tenant.name.replacingOccurrences(of: " ", with: "_"))",
                "Organization=reservoir", "Fairshare=\(max(1, Int(tenant.weight * 100)))",
            ])
        }
        let user = configuration.user
        let members = try await list(["association", "format=account,user", "where", "account=\(account)"])
        if !members.contains("\(account)|\(user)") {
            try await cli.run("sacctmgr", ["-i", "add", "user", user, "Account=\(account)"])
        }
        let qos = PriorityClass.allCases.map { SlurmMapping.qos($0, prefix: configuration.qosPrefix) }
        try await modify(["user", user, "where", "account=\(account)", "set", "QOS=\((qos + ["normal"]).joined(separator: ","))",
                          "DefaultQOS=\(SlurmMapping.qos(.p2, prefix: configuration.qosPrefix))"])
    }

    /// Sums the tenant's limits per model over pools (Slurm's account limit is cluster-wide) and writes
    /// them as the account's `GrpTRES`; Slurm then keeps extra jobs `PENDING (AssocGrpGRES)`.
    public func setQuota(_ quota: Quota) async throws {
        quotas[quota.tenant, default: [:]]["\(quota.pool.rawValue)|\(quota.model)"] = quota
        var perType: [String: Int] = [:]
        for quota in quotas[quota.tenant].map({ Array($0.values) }) ?? [] {
            let type = quota.model == Quota.anyModel ? "" : (gresType(forModel: quota.model) ?? quota.model.lowercased())
            perType[type, default: 0] += quota.limitMilli
        }
        let tres = perType.sorted { $0.key < $1.key }
            .map { SlurmMapping.grpTRES(limitMilli: $0.value, gresType: $0.key.isEmpty ? nil : $0.key) }
        try await modify(["account", SlurmAccounts.account(quota.tenant), "set", "GrpTRES=" + tres.joined(separator: ",")])
    }

    /// Writes the pool as a partition into the included file and reconfigures: a partition made with
    /// `scontrol create` would vanish when slurmctld restarts (slurm-notes pitfall 9).
    public func ensurePool(_ pool: Pool, nodes: [NodeID]) async throws {
        guard let file = configuration.partitionsFile else {
            throw SlurmError(.configuration, "no partitions file configured; cannot provision pool \(pool.id)")
        }
        if partitions == nil {
            partitions = SlurmMapping.parsePartitions((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
        }
        guard partitions?[pool.id].map({ Set($0) }) != Set(nodes) else { return }
        partitions?[pool.id] = nodes
        let lines = (partitions ?? [:]).sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { SlurmMapping.partitionLine(pool: $0.key, nodes: $0.value) }
        let text = "# Reservoir pools, written by SlurmEngine.ensurePool; do not edit.\n" + lines.joined(separator: "\n") + "\n"
        do {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw SlurmError(.configuration, "cannot write \(file): \(error)")
        }
        try await cli.run("scontrol", ["reconfigure"])
    }

    /// `sacctmgr -n -P list …` as lines (`-P`: no truncated names, pitfall 7).
    func list(_ arguments: [String]) async throws(SlurmError) -> [String] {
        try await cli.run("sacctmgr", ["-n", "-P", "list"] + arguments).stdout.split(separator: "\n").map(String.init)
    }

    /// `sacctmgr -i modify …`; "Nothing modified" (already so) is success.
    func modify(_ arguments: [String]) async throws(SlurmError) {
        let out = try await cli.run("sacctmgr", ["-i", "modify"] + arguments, check: false)
        if out.status != 0, !(out.stdout + out.stderr).contains("Nothing modified") {
            throw SlurmError(.command, "sacctmgr modify \(arguments.joined(separator: " ")): \(out.stderr)\(out.stdout)")
        }
    }

    public func inventory() async throws -> [Node] {
        let reply = try await rest.request(.GET, "/slurm/v0.0.38/nodes", as: SlurmNodesReply.self)
        return (reply.nodes ?? []).map(node(from:)).sorted { $0.id < $1.id }
    }

    nonisolated func node(from slurm: SlurmNode) -> Node {
        let id = NodeID(slurm.name)
        var devices: [Device] = []
        for (type, count) in SlurmMapping.gpus(inGres: slurm.gres) {
            let model = configuration.gpuModels[type] ?? SlurmGPUModel(model: type.isEmpty ? "GPU" : type.uppercased(), memoryMiB: 0)
            for _ in 0..<count {
                devices.append(Device(node: id, index: devices.count, model: model.model, memoryMiB: model.memoryMiB))
            }
        }
        let pool = slurm.partitions?.first { $0 != configuration.defaultPartition } ?? slurm.partitions?.first
        var labels = ["slurm.state": slurm.state ?? "unknown"]
        if let reason = slurm.reason, !reason.isEmpty { labels["slurm.reason"] = reason }
        return Node(
            id: id, pool: PoolID(pool ?? configuration.defaultPartition), cpuMilli: (slurm.cpus ?? 0) * 1000,
            memoryMiB: slurm.real_memory ?? 0, devices: devices, labels: labels,
            state: SlurmMapping.nodeState(state: slurm.state, flags: slurm.state_flags)
        )
    }
}
