import ArgumentParser
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirSlurm
import ReservoirStore

/// The engines `serve` drives besides the simulator: one `SlurmEngine` per `engine: slurm` cluster of
/// the config file, each checked by reading its node list (which also gives the pools their nodes).
struct ServeEngines {
    var engines: [ClusterID: any ExecutionEngine] = [:]
    /// The nodes each Slurm cluster reported, for the pools' `slurmNodes`.
    var discovered: [ClusterID: [Node]] = [:]

    static func make(_ description: ClusterDescription?, configPath: String, store: any Store, logger: Logger) async throws -> ServeEngines {
        var result = ServeEngines()
        for spec in try description?.slurmClusters() ?? [] {
            let where_ = "\(configPath): cluster \(spec.cluster)"
            var environment = try spec.slurm.envFile.map { try SlurmConfiguration.environment(file: $0) } ?? [:]
            environment.merge(spec.slurm.environmentOverrides) { _, override in override }
            var settings: SlurmConfiguration
            do {
                settings = try SlurmConfiguration(environment: environment)
            } catch {
                throw ValidationError("\(where_): \(error)")
            }
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
                throw ValidationError("\(where_): cannot reach Slurm at \(settings.url): \(error)")
            }
            result.engines[spec.cluster] = engine
        }
        return result
    }

    private static func mode(_ name: String, at field: String) throws -> SlurmPlacementMode {
        guard let mode = SlurmPlacementMode(rawValue: name) else { throw ValidationError("\(field) must be reservoir or slurm, not \(name)") }
        return mode
    }
}
