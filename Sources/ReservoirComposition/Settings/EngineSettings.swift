import ReservoirCore
import ReservoirSlurm

/// How the engines behave (`engines:`). Which clusters exist, and how to reach each Slurm cluster, is
/// the cluster description's (`regions:`, docs/SLURM.md); these are the settings shared by all of them.
public struct EngineSettings: Codable, Sendable, SettingsGroup {
    public var simulator = SimulatorSettings()
    public var slurm = SlurmEngineSettings()

    public init() {}

    func problems(at path: String) -> [ReservoirError] {
        simulator.problems(at: "\(path).simulator") + slurm.problems(at: "\(path).slurm")
    }
}

/// The embedded simulated cluster, which runs every pool no other engine drives.
public struct SimulatorSettings: Codable, Sendable, SettingsGroup {
    /// Simulated seconds per real second.
    public var speed = 60.0
    /// Probability that a simulated job fails (failure injection).
    public var failureRate = 0.0
    /// Report an XID error on the devices of a job whose injected failure just happened (device-health drills).
    public var xidOnFailure = false

    public init() {}

    func problems(at path: String) -> [ReservoirError] {
        [Rule.within(speed, 0.001...1_000_000, "\(path).speed"), Rule.within(failureRate, 0...1, "\(path).failureRate")].compactMap { $0 }
    }
}

/// Settings every `SlurmEngine` shares; defaults are `SlurmConfiguration`'s own.
public struct SlurmEngineSettings: Codable, Sendable, SettingsGroup {
    private static let base = SlurmConfiguration(url: "")

    /// Seconds between polls of the controller's job list (engine events).
    public var pollIntervalSeconds = seconds(base.pollInterval)
    /// Seconds one REST call may take.
    public var requestTimeoutSeconds = seconds(base.requestTimeout)
    /// Seconds reconciliation waits after a controller restart before repairing.
    public var reconcileSettleSeconds = seconds(base.reconcileSettle)
    /// Prefix of the QOS made from priority classes (`<prefix>-p0` … `<prefix>-p3`).
    public var qosPrefix = base.qosPrefix
    /// GRES type (as in `gpu:a100:8`) → catalog model and its memory.
    public var gpuModels = base.gpuModels

    public init() {}

    /// The shared settings applied to one cluster's configuration.
    func apply(to configuration: inout SlurmConfiguration) {
        configuration.pollInterval = .milliseconds(Int((pollIntervalSeconds * 1000).rounded()))
        configuration.requestTimeout = .milliseconds(Int((requestTimeoutSeconds * 1000).rounded()))
        configuration.reconcileSettle = .milliseconds(Int((reconcileSettleSeconds * 1000).rounded()))
        configuration.qosPrefix = qosPrefix
        configuration.gpuModels = gpuModels
    }

    func problems(at path: String) -> [ReservoirError] {
        var found = [
            Rule.within(pollIntervalSeconds, 0.05...3_600, "\(path).pollIntervalSeconds"),
            Rule.within(requestTimeoutSeconds, 1...3_600, "\(path).requestTimeoutSeconds"),
            Rule.within(reconcileSettleSeconds, 0...3_600, "\(path).reconcileSettleSeconds"),
            Rule.symbol(qosPrefix, "\(path).qosPrefix"),
        ]
        for (gres, model) in gpuModels.sorted(by: { $0.key < $1.key }) {
            found.append(Rule.symbol(gres, "\(path).gpuModels.\(gres)"))
            found.append(Rule.notEmpty(model.model, "\(path).gpuModels.\(gres).model"))
            found.append(Rule.within(model.memoryMiB, 1...(1 << 24), "\(path).gpuModels.\(gres).memoryMiB"))
        }
        return found.compactMap { $0 }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
