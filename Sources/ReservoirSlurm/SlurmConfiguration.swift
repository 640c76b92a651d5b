import Foundation
import ReservoirCore
import ReservoirEngine

/// Who decides where a pool's jobs run.
public enum SlurmPlacementMode: String, Codable, Hashable, Sendable {
    /// Reservoir places: jobs go to Slurm pinned to the nodes Reservoir chose (`--nodelist`).
    case reservoir
    /// Slurm places: Reservoir only admits by quota and class; Slurm's own scheduler picks nodes.
    case slurm
}

/// A Slurm GRES type as Reservoir's catalog knows it.
public struct SlurmGPUModel: Codable, Hashable, Sendable {
    public var model: String
    public var memoryMiB: Int
    public init(model: String, memoryMiB: Int) {
        self.model = model
        self.memoryMiB = memoryMiB
    }
}

/// Everything `SlurmEngine` needs to reach and drive one Slurm cluster.
///
/// The engine runs on a host that is a Slurm client (it calls `sacctmgr`, `scontrol`, `sacct`), so
/// besides the REST URL and token it needs the `slurm.conf` path and the partitions file it rewrites.
/// `scripts/slurm-dev-cluster.sh` writes all of these to `$BASE/env`; `init(environmentFile:)` reads it.
public struct SlurmConfiguration: Sendable {
    /// Where `scripts/slurm-dev-cluster.sh start` leaves its env file: `RESERVOIR_SLURM_ENV` (a path),
    /// else `$RESERVOIR_SLURM_DIR/env`, else `/tmp/reservoir-slurm/env`.
    public static var devClusterEnvironmentFile: String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["RESERVOIR_SLURM_ENV"], !path.isEmpty { return path }
        return (env["RESERVOIR_SLURM_DIR"] ?? "/tmp/reservoir-slurm") + "/env"
    }

    /// slurmrestd base URL, e.g. `http://127.0.0.1:16820`.
    public var url: String
    /// The Slurm user the REST calls act as (`X-SLURM-USER-NAME`); jobs run as this user.
    public var user: String
    /// JWT for that user. Read afresh from `tokenFile` on every request when set, so rotation works.
    public var token: String?
    public var tokenFile: String?
    /// `SLURM_CONF` for the CLI tools. Never pass a JWT to them (they would authenticate with it and fail).
    public var slurmConf: String?
    /// The file `Include`d by slurm.conf that holds Reservoir's partitions; nil: pools are not provisioned.
    public var partitionsFile: String?
    /// Slurm's `ClusterName`, for associations.
    public var clusterName: String
    /// The partition jobs of pool-less specs go to, and the catch-all partition nodes belong to.
    public var defaultPartition: String
    /// Placement per pool; pools not listed use `defaultPlacement`.
    public var placement: [PoolID: SlurmPlacementMode]
    public var defaultPlacement: SlurmPlacementMode
    /// Where job output goes (`<dir>/<job tag>-<slurm id>.out`, stdout and stderr together); must be
    /// writable by `user` on every node and readable by Reservoir (a shared filesystem), which serves logs from it.
    public var jobsDirectory: String
    /// How often `events()` polls the controller.
    public var pollInterval: Duration
    /// Prefix of the QOS names made from priority classes (`reservoir-p0` … `reservoir-p3`).
    public var qosPrefix: String
    /// GRES type (as in `gpu:a100:8`) → catalog model; unknown types keep their name upper-cased.
    public var gpuModels: [String: SlurmGPUModel]
    /// What a job *without a command* runs (a job with one runs it: `SlurmJobScript`). The default
    /// sleeps for the job's remaining runtime and prints the GPUs Slurm gave it, as the simulator "runs"
    /// it, so placeholder and demo jobs keep holding their devices for their declared runtime.
    public var script: @Sendable (EngineJobSpec) -> String
    /// This Reservoir's instance id (its database's, see `Store.instanceID`), added to every job tag so
    /// jobs of another Reservoir, or of an earlier database with the same job numbers, are never taken
    /// for ours. Nil: untagged ids (tests and single-use clusters).
    public var instance: String?
    /// Per-request timeout for REST calls.
    public var requestTimeout: Duration
    /// How long after a controller (re)start reconciliation waits before repairing, so the controller has
    /// re-registered its nodes and drained the ones with duplicate jobs (measured: ~9 s).
    public var reconcileSettle: Duration = .seconds(15)

    public init(
        url: String, user: String = "reservoir", token: String? = nil, tokenFile: String? = nil,
        slurmConf: String? = nil, partitionsFile: String? = nil, clusterName: String = "reservoir",
        defaultPartition: String = "gpu", placement: [PoolID: SlurmPlacementMode] = [:],
        defaultPlacement: SlurmPlacementMode = .reservoir, jobsDirectory: String = "/tmp",
        pollInterval: Duration = .seconds(1), qosPrefix: String = "reservoir",
        gpuModels: [String: SlurmGPUModel] = ["a100": SlurmGPUModel(model: "A100-80GB", memoryMiB: 81_920)],
        script: @escaping @Sendable (EngineJobSpec) -> String = SlurmConfiguration.sleepScript,
        requestTimeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.user = user
        self.token = token
        self.tokenFile = tokenFile
        self.slurmConf = slurmConf
        self.partitionsFile = partitionsFile
        self.clusterName = clusterName
        self.defaultPartition = defaultPartition
        self.placement = placement
        self.defaultPlacement = defaultPlacement
        self.jobsDirectory = jobsDirectory
        self.pollInterval = pollInterval
        self.qosPrefix = qosPrefix
        self.gpuModels = gpuModels
        self.script = script
        self.requestTimeout = requestTimeout
    }

    /// The default job body: report the allocation, then sleep the remaining runtime (60 s if unknown).
    public static let sleepScript: @Sendable (EngineJobSpec) -> String = { spec in
        let seconds = max(1, Int((spec.runtimeSeconds ?? 60).rounded(.up)))
        return """
            #!/bin/bash
            echo "reservoir job \(spec.job.rawValue) on $SLURMD_NODENAME slurm=$SLURM_JOB_ID CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES"
            sleep \(seconds)
            echo "reservoir job \(spec.job.rawValue) done"

            """
    }

    /// Reads the `KEY=value` file written by `scripts/slurm-dev-cluster.sh start`.
    public init(environmentFile path: String) throws(SlurmError) {
        try self.init(environment: try Self.environment(file: path))
    }

    /// The `KEY=value` lines of an env file (`#` comments skipped).
    public static func environment(file path: String) throws(SlurmError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SlurmError(.configuration, "cannot read \(path)")
        }
        var env: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            env[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return env
    }

    /// Builds a configuration from `SLURM_REST_URL`, `SLURMRESTD_TOKEN` or `SLURM_JWT_FILE`, `SLURM_CONF`,
    /// `SLURM_PARTITIONS_FILE`, `SLURM_CLUSTER`, `SLURM_JOBS_DIR` and `SLURM_REST_USER`.
    public init(environment env: [String: String]) throws(SlurmError) {
        guard let url = env["SLURM_REST_URL"], !url.isEmpty else {
            throw SlurmError(.configuration, "SLURM_REST_URL is not set")
        }
        guard env["SLURMRESTD_TOKEN"] != nil || env["SLURM_JWT_FILE"] != nil else {
            throw SlurmError(.configuration, "neither SLURMRESTD_TOKEN nor SLURM_JWT_FILE is set")
        }
        self.init(
            url: url, user: env["SLURM_REST_USER"] ?? "reservoir", token: env["SLURMRESTD_TOKEN"],
            tokenFile: env["SLURM_JWT_FILE"], slurmConf: env["SLURM_CONF"], partitionsFile: env["SLURM_PARTITIONS_FILE"],
            clusterName: env["SLURM_CLUSTER"] ?? "reservoir", jobsDirectory: env["SLURM_JOBS_DIR"] ?? "/tmp"
        )
    }

    func placementMode(for pool: PoolID?) -> SlurmPlacementMode {
        pool.flatMap { placement[$0] } ?? defaultPlacement
    }

    func currentToken() throws(SlurmError) -> String {
        if let tokenFile, let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { return trimmed }
        }
        guard let token else { throw SlurmError(.configuration, "no JWT: token file unreadable and no token set") }
        return token
    }
}
