import Foundation
import Logging
import ReservoirCore
import ReservoirEngine

/// Drives a real Slurm cluster: Reservoir decides, Slurm runs.
///
/// Jobs go through slurmrestd (v0.0.38, JWT); what REST cannot do reliably in 22.05 goes through the CLI
/// (`sacctmgr -i`, `scontrol`, `sacct`). Every Slurm job carries its Reservoir id in its name and comment,
/// and the engine never trusts a Slurm job id alone: slurmctld saves state asynchronously, so a job
/// acknowledged less than ~3 s before a controller crash is lost and its id reused (slurm-notes).
///
/// ```swift
/// let engine = SlurmEngine(configuration: try SlurmConfiguration(environmentFile: "/tmp/reservoir-slurm/env"))
/// try await engine.ensureTenant(Tenant(id: "team-a"))
/// try await engine.submit(spec)             // idempotent per JobID
/// for await event in engine.events() { … }  // polls the controller
/// let repairs = try await engine.reconcile(expected: committedSpecs) // after reconnecting
/// ```
public actor SlurmEngine: ExecutionEngine {
    public nonisolated let kind: EngineKind = .slurm
    public nonisolated let configuration: SlurmConfiguration
    let rest: SlurmRESTClient
    let cli: SlurmCommand
    let logger: Logger

    /// Slurm id of the live copy of each job this engine knows; loaded from the controller on first use
    /// and after reconciliation. Always re-checked against the tag before it is acted on.
    var known: [JobID: Int]?
    /// Submits in progress, so two concurrent submits of one job make one Slurm job.
    var inFlight: [JobID: Task<String, any Error>] = [:]
    /// Grace-period evictions waiting to requeue, so a cancel can stop them.
    var evictions: [JobID: Task<Void, Never>] = [:]
    var quotas: [TenantID: [String: Quota]] = [:]
    var partitions: [PoolID: [NodeID]]?
    var classesReady = false

    public init(configuration: SlurmConfiguration, logger: Logger = Logger(label: "reservoir.slurm")) {
        self.configuration = configuration
        self.rest = SlurmRESTClient(configuration: configuration)
        self.cli = SlurmCommand(slurmConf: configuration.slurmConf)
        self.logger = logger
    }

    // MARK: Jobs

    @discardableResult
    public func submit(_ spec: EngineJobSpec) async throws -> String {
        if let running = inFlight[spec.job] { return try await running.value }
        let task = Task { try await self.submitOnce(spec) }
        inFlight[spec.job] = task
        defer { inFlight[spec.job] = nil }
        return try await task.value
    }

    /// Idempotent submit: a live tagged copy is left alone, a copy this engine preempted (held) is
    /// re-pinned and released, anything else gets a fresh Slurm job.
    private func submitOnce(_ spec: EngineJobSpec) async throws(SlurmError) -> String {
        if let existing = try await liveCopy(of: spec.job) {
            let phase = SlurmMapping.phase(of: existing)
            if phase == .preempted {
                try await resume(existing, spec: spec)
            }
            return String(existing.job_id)
        }
        let id = try await submitFresh(spec)
        known?[spec.job] = id
        return String(id)
    }

    /// Posts a new Slurm job. Pinned jobs are submitted held, pinned with `scontrol`, then released,
    /// because v0.0.38 has no node-list field.
    func submitFresh(_ spec: EngineJobSpec) async throws(SlurmError) -> Int {
        let nodes = pinnedNodes(spec)
        let script = spec.command.map { SlurmJobScript.render($0, job: spec.job) } ?? configuration.script(spec)
        let request = SlurmSubmitRequest(script: script, job: submitJob(spec, hold: !nodes.isEmpty))
        let reply = try await rest.request(
            .POST, "/slurm/v0.0.38/job/submit", body: request, as: SlurmSubmitReply.self, tolerating: ["held state"]
        )
        guard let id = reply.job_id else { throw SlurmError(.malformed, "submit of \(spec.job) returned no job_id") }
        if !nodes.isEmpty {
            do {
                try await cli.run("scontrol", ["update", "JobId=\(id)", "NodeList=\(nodes.joined(separator: ","))"])
                try await cli.run("scontrol", ["release", String(id)])
            } catch {
                _ = try? await cli.run("scancel", [String(id)], check: false)
                throw error
            }
        }
        logger.info("submitted", metadata: ["reservoir.job": "\(spec.job)", "slurm.job": "\(id)", "slurm.nodes": "\(nodes)"])
        return id
    }

    /// Brings a preempted (requeued and held) copy back: new pin, no requeue delay, release.
    private func resume(_ job: SlurmJob, spec: EngineJobSpec) async throws(SlurmError) {
        let id = String(job.job_id)
        let nodes = pinnedNodes(spec)
        if !nodes.isEmpty { try await cli.run("scontrol", ["update", "JobId=\(id)", "NodeList=\(nodes.joined(separator: ","))"]) }
        try await cli.run("scontrol", ["update", "JobId=\(id)", "Comment=\(SlurmMapping.comment(for: spec.job, instance: configuration.instance))"])
        try await cli.run("scontrol", ["release", id])
        // A requeued job waits for a BeginTime about two minutes out; Reservoir already decided it runs now.
        try await cli.run("scontrol", ["update", "JobId=\(id)", "StartTime=now"], check: false)
        logger.info("resumed preempted job", metadata: ["reservoir.job": "\(spec.job)", "slurm.job": "\(id)"])
    }

    func pinnedNodes(_ spec: EngineJobSpec) -> [String] {
        guard configuration.placementMode(for: spec.pool) == .reservoir else { return [] }
        return Array(Set(spec.placements.map(\.node.rawValue))).sorted()
    }

    func submitJob(_ spec: EngineJobSpec, hold: Bool) -> SlurmSubmitRequest.Job {
        let request = spec.request
        let cpus = max(1, (request.cpuMilli + 999) / 1000)
        let gpus = SlurmMapping.gpusPerReplica(request)
        let gresType = request.models.count == 1 ? gresType(forModel: request.models[0]) : nil
        let nodeCount = pinnedNodes(spec).count
        return SlurmSubmitRequest.Job(
            name: SlurmMapping.name(for: spec.job, instance: configuration.instance), comment: SlurmMapping.comment(for: spec.job, instance: configuration.instance),
            account: SlurmAccounts.account(spec.tenant),
            partition: spec.pool?.rawValue ?? configuration.defaultPartition,
            qos: classesReady ? SlurmMapping.qos(spec.priority, prefix: configuration.qosPrefix) : nil,
            current_working_directory: spec.command?.workingDirectory ?? configuration.jobsDirectory,
            standard_output: outputPattern(spec.job),
            environment: SlurmJobScript.environment(spec.command, job: spec.job),
            tasks: max(1, spec.replicas), nodes: nodeCount > 0 ? [nodeCount, nodeCount] : nil, cpus_per_task: cpus,
            memory_per_cpu: max(1, (request.memoryMiB + cpus - 1) / cpus),
            gpus_per_task: gpus > 0 ? (gresType.map { "\($0):\(gpus)" } ?? String(gpus)) : nil,
            time_limit: spec.timeLimitSeconds.map { max(1, Int(($0 / 60).rounded(.up))) },
            hold: hold ? true : nil, requeue: true
        )
    }

    func gresType(forModel model: String) -> String? {
        configuration.gpuModels.first { $0.value.model == model || $0.key.caseInsensitiveCompare(model) == .orderedSame }?.key
    }

    public func cancel(_ job: JobID) async throws {
        evictions.removeValue(forKey: job)?.cancel()
        for copy in try await taggedJobs()[job] ?? [] where !isFinal(copy) {
            _ = try await rest.request(.DELETE, "/slurm/v0.0.38/job/\(copy.job_id)", as: SlurmErrorsReply.self)
            logger.info("cancelled", metadata: ["reservoir.job": "\(job)", "slurm.job": "\(copy.job_id)"])
        }
    }

    /// Signals the job (SIGTERM, so it can checkpoint), then after `graceSeconds` requeues it held:
    /// the Slurm job keeps its id and accounting, shows as preempted, and a later `submit` releases it.
    public func preempt(_ job: JobID, graceSeconds: Double) async throws {
        guard let copy = try await liveCopy(of: job) else { return }
        let id = String(copy.job_id)
        let phase = SlurmMapping.phase(of: copy)
        guard phase == .running else {
            if phase == .pending { try await cli.run("scontrol", ["hold", id], check: false) }
            return
        }
        guard graceSeconds > 0 else {
            try await requeueHold(id, job: job)
            return
        }
        // Mark first: if the job exits on the signal before the grace ends, it still counts as preempted.
        try await cli.run("scontrol", ["update", "JobId=\(id)", "Comment=\(SlurmMapping.preemptedComment(for: job, instance: configuration.instance))"])
        try await cli.run("scancel", ["--signal=TERM", "--full", id], check: false)
        let cli = self.cli
        evictions[job] = Task { [logger] in
            try? await Task.sleep(for: .seconds(graceSeconds))
            guard !Task.isCancelled else { return }
            do {
                // Fails harmlessly when the job already ended on the signal (it is then preempted by its mark).
                try await cli.run("scontrol", ["requeuehold", id])
            } catch {
                logger.warning("requeue after grace failed", metadata: ["slurm.job": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func requeueHold(_ id: String, job: JobID) async throws(SlurmError) {
        try await cli.run("scontrol", ["requeuehold", id])
        logger.info("preempted", metadata: ["reservoir.job": "\(job)", "slurm.job": "\(id)"])
    }

    /// The job's state: by its remembered id when that still carries the tag (one small request), else
    /// from the full listing, else from accounting (the controller forgets finished jobs after `MinJobAge`).
    public func status(_ job: JobID) async throws -> EngineJobReport {
        if let id = known?[job],
            let copy = try? await rest.request(.GET, "/slurm/v0.0.38/job/\(id)", as: SlurmJobsReply.self).jobs?.first,
            SlurmMapping.reservoirJob(comment: copy.comment, name: copy.name, instance: configuration.instance) == job
        {
            return report(job, copy)
        }
        if let copy = current(of: try await taggedJobs()[job] ?? []) { return report(job, copy) }
        // Only a *finished* run in accounting counts: one accounting still shows running but the controller
        // does not know was lost in a crash (measured) and is for `reconcile` to resubmit.
        if let copy = try await accounted([job])[job], isFinal(copy) { return report(job, copy) }
        return EngineJobReport(job: job, engineID: "", phase: .unknown)
    }

    public func jobs() async throws -> [EngineJobReport] {
        try await taggedJobs().compactMap { job, copies in current(of: copies).map { report(job, $0) } }
            .sorted { $0.job < $1.job }
    }
}
