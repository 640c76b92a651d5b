import Foundation
import ReservoirCore
import ReservoirEngine
import Testing

@testable import ReservoirSlurm

/// The engine against a real Slurm 22.05 (see `SlurmTestCluster` for how CI starts it). No mocks: every
/// assertion reads Slurm's own view back through `sacctmgr`, `scontrol`, `sacct` or the job's output file.
/// Serialized: the suites share one 4-node × 8-GPU cluster.
@Suite(.serialized, .enabled(if: SlurmTestCluster.shouldRun, "no Slurm dev cluster and CI unset"))
struct SlurmClusterTests {
    @Test func tenantClassesQuotaAndPoolExistInSlurm() async throws {
        let engine = try SlurmTestCluster.engine()
        let tenant = TenantID("Team-\(UUID().uuidString.prefix(6))")
        try await engine.ensureTenant(Tenant(id: tenant, name: "Team A", weight: 2))
        try await engine.setQuota(Quota(tenant: tenant, pool: "gpu", guaranteedMilli: 4000, limitMilli: 12_000))
        try await engine.ensureTenant(Tenant(id: tenant))  // repeat: a no-op, not an error

        let account = tenant.rawValue.lowercased()
        let assoc = try await SlurmTestCluster.run("sacctmgr", ["-n", "-P", "list", "association", "where", "account=\(account)", "format=account,user,grptres,qos"])
        #expect(assoc.contains("\(account)||gres/gpu=12|"), "account-level GrpTRES: \(assoc)")
        #expect(assoc.contains("\(account)|reservoir|"), "the REST user is a member: \(assoc)")
        #expect(assoc.contains("reservoir-p0"), "the user may use the class QOS: \(assoc)")

        let qos = try await SlurmTestCluster.run("sacctmgr", ["-n", "-P", "list", "qos", "format=name,priority,preempt"])
        #expect(qos.contains("reservoir-p0|4000|reservoir-p1,reservoir-p2,reservoir-p3"), "\(qos)")
        #expect(qos.contains("reservoir-p2|2000|reservoir-p3"), "\(qos)")

        try await engine.ensurePool(Pool(id: "train", cluster: "slurm"), nodes: ["rn1", "rn2"])
        let partition = try await SlurmTestCluster.run("scontrol", ["show", "partition", "train"])
        #expect(partition.contains("Nodes=rn[1-2]"), "\(partition)")
        let inventory = try await engine.inventory()
        #expect(inventory.count == 4)
        #expect(inventory.first { $0.id == "rn1" }?.pool == "train")
        #expect(inventory.allSatisfy { $0.gpuCount == 8 && $0.gpuModel == "A100-80GB" })
    }

    /// A 2-GPU job runs with `CUDA_VISIBLE_DEVICES`, completes, and its metered GPU-seconds equal sacct's.
    /// Both placement modes: pinned to the node Reservoir chose, or left to Slurm.
    @Test(arguments: [SlurmPlacementMode.reservoir, .slurm])
    func twoGPUJobRunsCompletesAndIsMetered(mode: SlurmPlacementMode) async throws {
        let engine = try SlurmTestCluster.engine(defaultPlacement: mode)
        try await engine.ensureTenant(Tenant(id: "default-tenant"))
        let job = SlurmTestCluster.jobID("e2e-\(mode.rawValue)")
        let since = Date().timeIntervalSince1970 - 5
        let events = Task {
            var kinds: [EngineEvent.Kind] = []
            for await event in engine.events() where event.job == job {
                kinds.append(event.kind)
                if event.kind == .succeeded || event.kind == .failed { break }
            }
            return kinds
        }
        let slurmID = try await engine.submit(SlurmTestCluster.spec(job, gpus: 2, runtime: 3, node: "rn4"))
        #expect(try await engine.submit(SlurmTestCluster.spec(job, gpus: 2, runtime: 3, node: "rn4")) == slurmID, "idempotent")

        let done = try await SlurmTestCluster.waitFor(engine, job, .succeeded)
        #expect(done.phase == .succeeded, "\(done)")
        #expect(done.engineID == slurmID)
        let eventKinds = await events.value
        #expect(eventKinds.contains(.started) && eventKinds.last == .succeeded, "\(eventKinds)")

        let out = try String(contentsOfFile: "\(SlurmTestCluster.base)/jobs/\(job.rawValue)-\(slurmID).out", encoding: .utf8)
        let devices = out.split(separator: "CUDA_VISIBLE_DEVICES=").last?.prefix { $0 != "\n" } ?? ""
        #expect(devices.split(separator: ",").count == 2, "output: \(out)")
        if mode == .reservoir { #expect(out.contains(" on rn4 "), "pinned to rn4: \(out)") }

        // Accounting is eventually consistent: slurmctld sends the end record to slurmdbd asynchronously.
        var usage: [EngineUsageRecord] = []
        for _ in 0..<40 where usage.first?.finishedAt == nil {
            usage = try await engine.usage(since: since).filter { $0.job == job }
            if usage.first?.finishedAt == nil { try await Task.sleep(for: .milliseconds(500)) }
        }
        let sacct = try await SlurmTestCluster.run("sacct", ["-j", slurmID, "-X", "-n", "-P", "-o", "ElapsedRaw,AllocTRES"])
        let elapsed = try #require(Double(sacct.split(separator: "|").first ?? ""))
        #expect(usage.count == 1)
        #expect(usage.first?.gpus == 2)
        #expect(usage.first?.gpuSeconds == 2 * elapsed, "sacct: \(sacct)")

        // Once the controller forgets it, accounting still knows it: reconciliation must not rerun it.
        #expect(try await engine.accounted([job])[job]?.job_state == "COMPLETED")
        #expect(try await engine.reconcile(expected: [SlurmTestCluster.spec(job, gpus: 2)]).allSatisfy { $0.kind != .resubmitted })
    }

    /// The quota's Slurm backstop: with `GrpTRES=gres/gpu=2`, a second 2-GPU job waits in Slurm for the limit.
    /// (Reservoir's own admission keeps such a job out of Slurm in the first place; this is the safety net.)
    @Test func quotaLimitIsEnforcedBySlurm() async throws {
        let engine = try SlurmTestCluster.engine()
        let tenant = TenantID("quota-\(UUID().uuidString.prefix(6).lowercased())")
        try await engine.ensureTenant(Tenant(id: tenant))
        try await engine.setQuota(Quota(tenant: tenant, pool: "gpu", guaranteedMilli: 2000, limitMilli: 2000))
        let first = SlurmTestCluster.jobID("quota-a")
        let second = SlurmTestCluster.jobID("quota-b")
        try await engine.submit(SlurmTestCluster.spec(first, tenant: tenant, gpus: 2, runtime: 300, priority: .p2))
        try await SlurmTestCluster.waitFor(engine, first, .running)
        let secondID = try await engine.submit(SlurmTestCluster.spec(second, tenant: tenant, gpus: 2, runtime: 300, priority: .p2))
        // slurmctld gives a pending job its reason on its next scheduling pass ("None" until then): poll for it.
        var waiting = ""
        for _ in 0..<60 {
            waiting = try await SlurmTestCluster.run("squeue", ["-h", "-j", secondID, "-o", "%T %r"])
            if !waiting.contains("None") { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(waiting.contains("PENDING AssocGrpGRES"), "\(waiting)")
        try await engine.cancel(first)
        try await engine.cancel(second)
    }

    @Test func cancelReachesSlurm() async throws {
        let engine = try SlurmTestCluster.engine()
        let job = SlurmTestCluster.jobID("cancel")
        let slurmID = try await engine.submit(SlurmTestCluster.spec(job, runtime: 300, node: "rn2"))
        try await SlurmTestCluster.waitFor(engine, job, .running)
        try await engine.cancel(job)
        #expect(try await SlurmTestCluster.waitFor(engine, job, .cancelled).phase == .cancelled)
        let state = try await SlurmTestCluster.run("scontrol", ["show", "job", slurmID])
        #expect(state.contains("JobState=CANCELLED"), "\(state)")
        try await engine.cancel(job)  // cancelling a finished job succeeds silently
    }

    /// Preemption requeues the Slurm job held (same id, accounting keeps the first run); resubmitting
    /// the same Reservoir job resumes that copy instead of making a second one.
    @Test func preemptRequeuesAndResubmitResumes() async throws {
        let engine = try SlurmTestCluster.engine()
        let job = SlurmTestCluster.jobID("preempt")
        let spec = SlurmTestCluster.spec(job, runtime: 300, node: "rn3")
        let slurmID = try await engine.submit(spec)
        try await SlurmTestCluster.waitFor(engine, job, .running)
        try await engine.preempt(job, graceSeconds: 0)
        #expect(try await SlurmTestCluster.waitFor(engine, job, .preempted).phase == .preempted)
        let held = try await SlurmTestCluster.run("scontrol", ["show", "job", slurmID])
        #expect(held.contains("JobState=PENDING") && held.contains("Restarts=1"), "\(held)")

        #expect(try await engine.submit(spec) == slurmID, "resubmit resumes the same Slurm job")
        #expect(try await SlurmTestCluster.waitFor(engine, job, .running, timeout: .seconds(30)).phase == .running)
        try await engine.cancel(job)
        let runs = try await SlurmTestCluster.run("sacct", ["-j", slurmID, "-X", "-D", "-n", "-P", "-o", "State"])
        #expect(runs.contains("REQUEUED"), "the preempted run is accounted: \(runs)")
    }

    @Test func preemptWithGraceSignalsThenRequeues() async throws {
        let engine = try SlurmTestCluster.engine()
        let job = SlurmTestCluster.jobID("grace")
        try await engine.submit(SlurmTestCluster.spec(job, runtime: 300, node: "rn3"))
        try await SlurmTestCluster.waitFor(engine, job, .running)
        try await engine.preempt(job, graceSeconds: 1)
        #expect(try await SlurmTestCluster.waitFor(engine, job, .preempted, timeout: .seconds(20)).phase == .preempted)
        try await engine.cancel(job)
    }
}
