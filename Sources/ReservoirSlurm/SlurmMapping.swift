import Foundation
import ReservoirCore
import ReservoirEngine

/// Pure translations between Reservoir's model and Slurm's words; no I/O, so they are unit-tested alone.
///
/// | Reservoir | Slurm |
/// |---|---|
/// | tenant `t` | account `t` (the REST user is a member) |
/// | class P0…P3 | QOS `reservoir-p0`…`reservoir-p3`; each preempts every less important one |
/// | pool `p` | partition `p` in the included partitions file |
/// | quota limit | account `GrpTRES=gres/gpu=N` (or `gres/gpu:<type>=N` for one model) |
/// | job `j` | batch job named `reservoir.j`, comment `reservoir-job=j` (`j@i` when the Reservoir instance is `i`) |
enum SlurmMapping {
    static let commentPrefix = "reservoir-job="
    /// The comment of a job being evicted with a grace period: if it ends by itself during the grace
    /// (e.g. on the SIGTERM), it still counts as preempted, also after an engine restart.
    static let preemptedPrefix = "reservoir-preempted="
    static let namePrefix = "reservoir."

    /// A job's tag: its id, qualified by the Reservoir instance so two Reservoirs (or one whose database
    /// was recreated, restarting job numbers) never mistake each other's Slurm jobs for their own.
    static func tag(_ job: JobID, instance: String?) -> String { instance.map { "\(job.rawValue)@\($0)" } ?? job.rawValue }
    static func comment(for job: JobID, instance: String?) -> String { commentPrefix + tag(job, instance: instance) }
    static func preemptedComment(for job: JobID, instance: String?) -> String { preemptedPrefix + tag(job, instance: instance) }
    static func name(for job: JobID, instance: String?) -> String { namePrefix + tag(job, instance: instance) }

    /// The Reservoir job a Slurm job was tagged with by this instance: the comment first, the name as a
    /// fallback (a comment can be lost if `AccountingStoreFlags=job_comment` is missing, the name cannot).
    /// Jobs tagged by another instance, or by none when this one has an instance, are not ours: nil.
    static func reservoirJob(comment: String?, name: String?, instance: String?) -> JobID? {
        var raw: Substring?
        if let comment, comment.hasPrefix(commentPrefix) {
            raw = comment.dropFirst(commentPrefix.count)
        } else if let comment, comment.hasPrefix(preemptedPrefix) {
            raw = comment.dropFirst(preemptedPrefix.count)
        } else if let name, name.hasPrefix(namePrefix) {
            raw = name.dropFirst(namePrefix.count)
        }
        guard let raw else { return nil }
        let parts = raw.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        switch (parts.count, instance) {
        case (1, nil): return JobID(String(raw))
        case (2, let instance?) where parts[1] == instance: return JobID(String(parts[0]))
        default: return nil
        }
    }

    static func qos(_ priority: PriorityClass, prefix: String) -> String { "\(prefix)-\(priority.rawValue.lowercased())" }

    /// Slurm QOS priority: P0 highest. Spaced so operators can slot their own QOS between ours.
    static func qosPriority(_ priority: PriorityClass) -> Int { (4 - priority.rank) * 1000 }

    /// The QOS a class may preempt: every strictly less important class (never its own: SPEC §4).
    static func preemptable(by priority: PriorityClass, prefix: String) -> [String] {
        PriorityClass.allCases.filter { $0 > priority }.map { qos($0, prefix: prefix) }
    }

    /// The phase of a Slurm job, counting a job that ended while being evicted as preempted.
    static func phase(of job: SlurmJob) -> EngineJobPhase {
        let raw = Self.phase(state: job.job_state, reason: job.state_reason, restarts: job.restart_cnt)
        if raw == .failed || raw == .cancelled, job.comment?.hasPrefix(preemptedPrefix) == true { return .preempted }
        return raw
    }

    /// Maps a job's Slurm state to Reservoir's phase. A held job that has been requeued is `preempted`:
    /// that is what `preempt` leaves behind (`scontrol requeuehold`) and what QOS preemption does.
    static func phase(state: String?, reason: String?, restarts: Int?) -> EngineJobPhase {
        let s = (state ?? "").uppercased()
        switch s {
        case "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "RESIZING":
            return .running
        case "COMPLETED":
            return .succeeded
        case "CANCELLED":
            return .cancelled
        case "PREEMPTED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED":
            return .preempted
        case "FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE":
            return .failed
        case "PENDING":
            if (restarts ?? 0) > 0, reason == "JobHeldUser" { return .preempted }
            return .pending
        default:
            return s.isEmpty ? .unknown : .pending
        }
    }

    /// A held job Reservoir did not hold on purpose: Slurm's own "launch failed, requeued held" after a
    /// controller crash (slurm-notes, durability test 3) or an administrator's hold.
    static func isSlurmHeld(reason: String?) -> Bool {
        guard let reason = reason?.lowercased().replacingOccurrences(of: " ", with: "_") else { return false }
        return reason.contains("launch_failed") || reason == "jobheldadmin"
    }

    /// `gpu:a100:8(S:0-1),gpu:2` → `[("a100", 8), ("", 2)]`; non-GPU GRES are skipped.
    static func gpus(inGres gres: String?) -> [(type: String, count: Int)] {
        guard let gres, gres != "(null)" else { return [] }
        return gres.split(separator: ",").compactMap { entry in
            let plain = entry.split(separator: "(").first.map(String.init) ?? ""
            let parts = plain.split(separator: ":").map(String.init)
            guard parts.first == "gpu", let count = parts.last.flatMap({ Int($0) }) else { return nil }
            return (parts.count == 3 ? parts[1] : "", count)
        }
    }

    /// Slurm node state → Reservoir node state. Drained and draining nodes finish their work: cordoned.
    static func nodeState(state: String?, flags: [String]?) -> NodeState {
        let words = Set(((flags ?? []) + [state ?? ""]).map { $0.uppercased() })
        if !words.isDisjoint(with: ["DOWN", "FAIL", "FAILING", "NOT_RESPONDING", "INVAL", "INVALID", "UNKNOWN", "FUTURE"]) {
            return .down
        }
        if !words.isDisjoint(with: ["DRAIN", "DRAINED", "DRAINING", "MAINT", "RESERVED", "POWERED_DOWN"]) {
            return .cordoned
        }
        return .ready
    }

    /// Whole GPUs Slurm should allocate per replica: a share of a GPU still takes a whole one, since a
    /// plain Slurm has no fractional GPUs (a `shard` GRES would be needed).
    static func gpusPerReplica(_ request: ResourceRequest) -> Int { request.gpus }

    /// `GrpTRES` for a quota's limit: milli-GPU rounded down to whole GPUs (a ceiling must not grow).
    static func grpTRES(limitMilli: Int, gresType: String?) -> String {
        let gpus = limitMilli / 1000
        if let gresType, !gresType.isEmpty { return "gres/gpu:\(gresType)=\(gpus)" }
        return "gres/gpu=\(gpus)"
    }

    /// One partition line for the included partitions file (callers skip pools without nodes).
    static func partitionLine(pool: PoolID, nodes: [NodeID]) -> String {
        "PartitionName=\(pool.rawValue) Nodes=\(nodes.map(\.rawValue).sorted().joined(separator: ",")) MaxTime=INFINITE State=UP"
    }

    /// Reads back the partitions file this engine wrote, so a restarted engine keeps the other pools.
    static func parsePartitions(_ text: String) -> [PoolID: [NodeID]] {
        var result: [PoolID: [NodeID]] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("PartitionName=") {
            var name: String?
            var nodes: [NodeID] = []
            for word in line.split(separator: " ") {
                if word.hasPrefix("PartitionName=") { name = String(word.dropFirst("PartitionName=".count)) }
                if word.hasPrefix("Nodes=") {
                    nodes = word.dropFirst("Nodes=".count).split(separator: ",").map { NodeID(String($0)) }
                }
            }
            if let name { result[PoolID(name)] = nodes }
        }
        return result
    }
}
