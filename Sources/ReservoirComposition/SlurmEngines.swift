import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirSlurm
import ReservoirStore

/// The engines besides the simulator: one `SlurmEngine` per `engine: slurm` cluster of the description,
/// each checked by reading its node list (which also gives the pools their nodes).
struct SlurmEngines {
    var engines: [ClusterID: any ExecutionEngine] = [:]
    /// The nodes each Slurm cluster reported, for the pools' `slurmNodes`.
    var discovered: [ClusterID: [Node]] = [:]

    static func make(
        _ description: ClusterDescription?, source: String, shared: SlurmEngineSettings, store: any Store, logger: Logger
    ) async throws -> SlurmEngines {
        var result = SlurmEngines()
        for spec in try description?.slurmClusters() ?? [] {
            let where_ = "\(source): cluster \(spec.cluster)"
            var environment = try spec.slurm.envFile.map { try SlurmConfiguration.environment(file: $0) } ?? [:]
            environment.merge(spec.slurm.environmentOverrides) { _, override in override }
            var settings: SlurmConfiguration
            do {
                settings = try SlurmConfiguration(environment: environment)
            } catch {
                throw StartupError("\(where_): \(error)")
            }
            shared.apply(to: &settings)
            settings.instance = try store.instanceID()
            if let partition = spec.slurm.defaultPartition { settings.defaultPartition = partition }
            settings.defaultPlacement = try mode(spec.slurm.placement ?? "reservoir", at: "\(where_): slurm.placement")
            for (pool, name) in spec.placement {
                settings.placement[pool] = try mode(name, at: "\(where_): pool \(pool) placement")
            }
            let engine = SlurmEngine(configuration: settings, logger: logger)
            do {
                result.discovered[spec.cluster] = try await engine.inventory()
            } catch {
                throw StartupError("\(where_): cannot reach Slurm at \(settings.url): \(error)")
            }
            result.engines[spec.cluster] = engine
        }
        return result
    }

    private static func mode(_ name: String, at field: String) throws -> SlurmPlacementMode {
        guard let mode = SlurmPlacementMode(rawValue: name) else { throw StartupError("\(field) must be reservoir or slurm, not \(name)") }
        return mode
    }
}

/// Why the server could not start with a configuration that is valid on paper (a Slurm cluster that
/// cannot be reached, an env file that cannot be read): one line for the operator.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
