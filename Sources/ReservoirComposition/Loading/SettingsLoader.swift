import ReservoirCore
import ReservoirServices
import Yams

/// Reads the configuration: the defaults, the file over them, then environment variables and flags key by
/// key; decodes the result strictly (an unknown key is named with the key probably meant) and checks every
/// value and the cluster description. All problems are reported together, each with its key and where it
/// was set (a line of the file, an environment variable, a flag).
public enum SettingsLoader {
    public static func load(_ sources: SettingsSources) throws(SettingsError) -> LoadedSettings {
        var layers = SettingsLayers()
        if let file = sources.file { layers.read(file: file) }
        layers.apply(environment: sources.environment)
        layers.apply(flags: sources.flags)
        let settings = layers.decode()
        var description: ClusterDescriptionText?
        if let regions = layers.tree.node(at: ["regions"]), !layers.problems.contains(where: { $0.field?.hasPrefix("regions") == true }) {
            do {
                description = try checkedDescription(regions)
            } catch let error as ReservoirError {
                layers.add(error)
            } catch {
                layers.add(.invalid("regions", "\(error)"))
            }
        }
        guard let settings, layers.problems.isEmpty else {
            throw SettingsError(source: sources.file ?? "the configuration", problems: layers.problems.map { "\($0.field ?? "file"): \($0.message)" })
        }
        return LoadedSettings(settings: settings, description: description)
    }

    /// The cluster description part of the file, checked as `reservoir import` checks one, and the Slurm
    /// placement modes `serve` will need.
    private static func checkedDescription(_ regions: Yams.Node) throws -> ClusterDescriptionText {
        let yaml = try Yams.serialize(node: Yams.Node.mapping(.init([(Yams.Node("regions"), regions)])))
        let description = try ClusterDescription.parse(yaml: yaml)
        let slurm = try description.slurmClusters()
        for cluster in slurm {
            for (pool, mode) in [(nil as String?, cluster.slurm.placement)] + cluster.placement.map({ ($0.key.rawValue, Optional($0.value)) }) {
                guard let mode, !["reservoir", "slurm"].contains(mode) else { continue }
                let field = pool.map { "pools.\($0).placement" } ?? "clusters.\(cluster.cluster).slurm.placement"
                throw ReservoirError.invalid(field, "'\(mode)' is not valid; expected one of: reservoir, slurm")
            }
        }
        let clusters = description.regions.flatMap(\.clusters)
        return ClusterDescriptionText(yaml: yaml, clusters: clusters.count, pools: clusters.map(\.pools.count).reduce(0, +), slurmClusters: slurm.count)
    }
}
