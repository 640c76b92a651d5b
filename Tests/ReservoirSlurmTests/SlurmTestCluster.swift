import Foundation
import ReservoirCore
import ReservoirEngine
@testable import ReservoirSlurm

/// Finds the dev cluster that `scripts/slurm-dev-cluster.sh start` brought up.
///
/// How CI runs these tests (the lead's `.ci/run`), on a fresh Debian 12 machine as root:
///
///     scripts/slurm-dev-cluster.sh start     # ~30 s cold (apt install + start), ~5 s warm
///     CI=1 swift test                        # the Slurm suites read $RESERVOIR_SLURM_DIR/env
///     scripts/slurm-dev-cluster.sh stop
///
/// The cluster is found through `RESERVOIR_SLURM_ENV` (a path), else `$RESERVOIR_SLURM_DIR/env`, else
/// `/tmp/reservoir-slurm/env`. The suites are skipped only when no cluster is found **and** `CI` is unset;
/// with `CI` set they run and fail loudly if the cluster is not up.
enum SlurmTestCluster {
    static var environmentFile: String { SlurmConfiguration.devClusterEnvironmentFile }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    static var isPresent: Bool { FileManager.default.fileExists(atPath: environmentFile) }

    /// Whether the cluster suites run at all: always in CI, else only when a cluster is there.
    static var shouldRun: Bool { isCI || isPresent }

    static var base: String { (environmentFile as NSString).deletingLastPathComponent }

    static func configuration(
        placement: [PoolID: SlurmPlacementMode] = [:], defaultPlacement: SlurmPlacementMode = .reservoir
    ) throws -> SlurmConfiguration {
        guard isPresent else {
            throw SlurmError(.configuration, "no Slurm dev cluster: \(environmentFile) missing; run scripts/slurm-dev-cluster.sh start")
        }
        var configuration = try SlurmConfiguration(environmentFile: environmentFile)
        configuration.placement = placement
        configuration.defaultPlacement = defaultPlacement
        configuration.pollInterval = .milliseconds(250)
        return configuration
    }

    static func engine(
        placement: [PoolID: SlurmPlacementMode] = [:], defaultPlacement: SlurmPlacementMode = .reservoir
    ) throws -> SlurmEngine {
        SlurmEngine(configuration: try configuration(placement: placement, defaultPlacement: defaultPlacement))
    }

    /// Runs a Slurm CLI tool against the dev cluster.
    static func run(_ tool: String, _ arguments: [String]) async throws -> String {
        let conf = try configuration().slurmConf
        return try await SlurmCommand(slurmConf: conf).run(tool, arguments).stdout
    }

    /// The repository root, for calling the cluster script.
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// A job id unique to this test run, so reruns on a warm cluster never see old jobs.
    static func jobID(_ label: String) -> JobID {
        JobID("\(label)-\(UUID().uuidString.prefix(8).lowercased())")
    }

    static func spec(
        _ job: JobID, tenant: TenantID = "default-tenant", gpus: Int = 1, runtime: Double = 3, node: NodeID? = nil,
        pool: PoolID? = nil, priority: PriorityClass = .p2
    ) -> EngineJobSpec {
        let request = ResourceRequest(gpus: gpus, cpuMilli: 1000, memoryMiB: 1000)
        let placements = node.map {
            [ReplicaPlacement(replica: 0, node: $0, deviceIndices: Array(0..<gpus), gpuMilli: 1000, cpuMilli: 1000, memoryMiB: 1000)]
        } ?? []
        return EngineJobSpec(
            job: job, name: job.rawValue, tenant: tenant, pool: pool, priority: priority, preemptible: true, request: request,
            replicas: 1, placements: placements, runtimeSeconds: runtime, timeLimitSeconds: 600
        )
    }

    /// Polls `status` until the job reaches `phase` or `timeout` passes; returns the last report.
    @discardableResult
    static func waitFor(
        _ engine: SlurmEngine, _ job: JobID, _ phase: EngineJobPhase, timeout: Duration = .seconds(60)
    ) async throws -> EngineJobReport {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var report = try await engine.status(job)
        while report.phase != phase, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            report = try await engine.status(job)
        }
        return report
    }
}
