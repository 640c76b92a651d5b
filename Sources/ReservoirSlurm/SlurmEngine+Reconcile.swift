import Foundation
import ReservoirCore
import ReservoirEngine

/// Usage from Slurm's accounting and repair after a controller crash.
extension SlurmEngine: EngineReconciling {
    /// One record per run of a tagged job from `sacct` (allocations only, `-D` so requeued runs count).
    ///
    /// `sacct` rather than dbv0.0.38: the REST query returns one record per job, hiding requeued runs,
    /// and rejects most time filters in 22.05. `SLURM_TIME_FORMAT=%s` makes times epoch seconds.
    public func usage(since: Double) async throws -> [EngineUsageRecord] {
        let ago = max(0, Int(Date().timeIntervalSince1970 - since))
        let out = try await cli.run("sacct", [
            "-a", "-X", "-D", "-P", "-n", "--starttime=now-\(ago)seconds", "--endtime=now",
            "-o", "JobIDRaw,JobName,Comment,Account,Partition,State,Start,End,ElapsedRaw,AllocTRES",
        ], environment: ["SLURM_TIME_FORMAT": "%s"])
        return out.stdout.split(separator: "\n").compactMap { SlurmUsageParser.record(line: String($0), instance: configuration.instance) }
    }

    /// Repairs what a controller crash leaves behind (slurm-notes, durability tests 2 and 3):
    ///
    /// 1. waits until the controller answers again;
    /// 2. resumes nodes drained with "Duplicate jobid" (the controller re-dispatched a job still running there);
    /// 3. cancels extra live copies of one Reservoir job, keeping the oldest (it is the one running);
    /// 4. releases jobs Slurm held after a failed relaunch (`launch_failed_requeued_held`), and expected jobs
    ///    held by user (an interrupted pin, or a relaunch Slurm requeued held after a "Duplicate jobid" drain);
    /// 5. resubmits every expected job the controller does not know and accounting shows no finished run
    ///    of (lost in the crash, its id maybe reused; accounting may still say RUNNING for such a job);
    /// 6. reports live tagged jobs Reservoir does not expect, without touching them.
    public func reconcile(expected: [EngineJobSpec]) async throws -> [EngineRepair] {
        try await waitForController(timeout: .seconds(90))
        try await settleAfterRestart()
        var repairs = try await reconcilePass(expected: expected)
        if !repairs.filter({ $0.kind != .orphan }).isEmpty {
            // A repair can surface the next problem (a released job re-dispatched onto a stale node).
            try? await Task.sleep(for: .seconds(3))
            repairs += try await reconcilePass(expected: expected).filter { $0.kind != .orphan }
        }
        for repair in repairs { logger.notice("reconciled", metadata: ["repair": "\(repair.kind.rawValue)", "message": "\(repair.message)"]) }
        return repairs
    }

    /// A freshly restarted controller drains "Duplicate jobid" nodes only once the slurmds have registered
    /// and it tries to relaunch (measured: 9 s after start). Waits until `reconcileSettle` after its boot.
    func settleAfterRestart() async throws(SlurmError) {
        let out = try await cli.run("scontrol", ["show", "config"], environment: ["SLURM_TIME_FORMAT": "%s"])
        guard let line = out.stdout.split(separator: "\n").first(where: { $0.hasPrefix("BOOT_TIME") }),
            let boot = line.split(separator: "=").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return }
        let settle = Double(configuration.reconcileSettle.components.seconds)
        let wait = boot + settle - Date().timeIntervalSince1970
        if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
    }

    private func reconcilePass(expected: [EngineJobSpec]) async throws -> [EngineRepair] {
        var repairs: [EngineRepair] = []
        let nodes = try await rest.request(.GET, "/slurm/v0.0.38/nodes", as: SlurmNodesReply.self).nodes ?? []
        for node in nodes where (node.reason ?? "").localizedCaseInsensitiveContains("duplicate jobid") {
            try await cli.run("scontrol", ["update", "NodeName=\(node.name)", "State=RESUME"])
            repairs.append(EngineRepair(kind: .nodeResumed, node: NodeID(node.name), message: "node \(node.name) drained by Slurm (\(node.reason ?? "")); resumed"))
        }
        let listing = try await taggedJobs()
        for (job, copies) in listing.sorted(by: { $0.key < $1.key }) {
            let live = copies.filter { !isFinal($0) }.sorted { $0.job_id < $1.job_id }
            for extra in live.dropFirst() {
                _ = try await rest.request(.DELETE, "/slurm/v0.0.38/job/\(extra.job_id)", as: SlurmErrorsReply.self)
                repairs.append(EngineRepair(kind: .duplicateCancelled, job: job, engineID: String(extra.job_id),
                                            message: "second live copy \(extra.job_id) of \(job) cancelled; kept \(live[0].job_id)"))
            }
            // Held by Slurm after a failed relaunch, or held by user while Reservoir expects it to run: a pin
            // interrupted before its release, or a relaunch after a "Duplicate jobid" drain that Slurm requeued
            // held (measured). Reservoir's own preemptions never reach here: a job being evicted is not expected.
            let heldWhileExpected = live.first.map { $0.state_reason == "JobHeldUser" } ?? false && expected.contains { $0.job == job }
            if let kept = live.first, SlurmMapping.isSlurmHeld(reason: kept.state_reason) || heldWhileExpected {
                let id = String(kept.job_id)
                if let spec = expected.first(where: { $0.job == job }), !pinnedNodes(spec).isEmpty {
                    try await cli.run("scontrol", ["update", "JobId=\(id)", "NodeList=\(pinnedNodes(spec).joined(separator: ","))"])
                }
                try await cli.run("scontrol", ["release", id])
                try await cli.run("scontrol", ["update", "JobId=\(id)", "StartTime=now"], check: false)
                repairs.append(EngineRepair(kind: .jobReleased, job: job, engineID: id,
                                            message: "job \(id) of \(job) held by Slurm (\(kept.state_reason ?? "")); released"))
            }
        }
        let expectedIDs = Set(expected.map(\.job))
        let absent = expected.filter { listing[$0.job] == nil }
        let finished = try await accounted(absent.map(\.job))
        for spec in absent {
            if let run = finished[spec.job], isFinal(run) {
                // Finished while Reservoir was away and already purged from the controller: not lost.
                logger.notice("expected job found only in accounting", metadata: ["reservoir.job": "\(spec.job)", "slurm.state": "\(run.job_state ?? "?")"])
                continue
            }
            let id = try await submitFresh(spec)
            repairs.append(EngineRepair(kind: .resubmitted, job: spec.job, engineID: String(id),
                                        message: "\(spec.job) missing on Slurm (lost in a controller crash?); resubmitted as \(id)"))
        }
        for (job, copies) in listing where !expectedIDs.contains(job) {
            for copy in copies where !isFinal(copy) {
                repairs.append(EngineRepair(kind: .orphan, job: job, engineID: String(copy.job_id),
                                            message: "live Slurm job \(copy.job_id) tagged \(job) is not expected by Reservoir; left alone"))
            }
        }
        _ = try await taggedJobs()
        return repairs
    }

    /// Polls `scontrol ping` until the controller answers (REST answers even while it is down).
    func waitForController(timeout: Duration) async throws(SlurmError) {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let out = try await cli.run("scontrol", ["ping"], check: false)
            if out.status == 0, out.stdout.contains("UP") { return }
            guard clock.now < deadline else { throw SlurmError(.unreachable, "slurmctld did not answer within \(timeout)") }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}

/// Parses `sacct -P` lines of `JobIDRaw,JobName,Comment,Account,Partition,State,Start,End,ElapsedRaw,AllocTRES`.
enum SlurmUsageParser {
    static func record(line: String, instance: String?) -> EngineUsageRecord? {
        let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard f.count >= 10, let job = SlurmMapping.reservoirJob(comment: f[2], name: f[1], instance: instance),
            let start = Double(f[6]), start > 0
        else { return nil }
        let elapsed = Double(f[8]) ?? 0
        let gpus = gpuCount(allocTRES: f[9])
        return EngineUsageRecord(
            job: job, engineID: f[0], tenant: f[3].isEmpty ? nil : TenantID(f[3]), pool: f[4].isEmpty ? nil : PoolID(f[4]),
            gpus: gpus, startedAt: start, finishedAt: Double(f[7]), gpuSeconds: Double(gpus) * elapsed,
            state: f[5].split(separator: " ").first.map(String.init) ?? f[5]
        )
    }

    /// `billing=1,cpu=1,gres/gpu:a100=2,gres/gpu=2,mem=2000M,node=1` → 2 (the untyped total).
    static func gpuCount(allocTRES: String) -> Int {
        for item in allocTRES.split(separator: ",") where item.hasPrefix("gres/gpu=") {
            return Int(item.dropFirst("gres/gpu=".count)) ?? 0
        }
        return 0
    }
}
