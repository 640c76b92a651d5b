import Foundation
import Yams

/// The settings as operators read them: the effective configuration as YAML (`config show`) and a short
/// summary (`config check`). Secrets are never shown.
extension LoadedSettings {
    /// Keys whose values are secrets (a Slurm JWT); shown as `<hidden>`.
    public static let secretKeys: Set<String> = ["jwt"]

    /// The effective configuration, every key with its value (defaults included), as YAML.
    public func yaml() throws -> String {
        let text = try YAMLEncoder().encode(settings)
        guard let node = try Yams.compose(yaml: text) else { return text }
        return try Yams.serialize(node: Self.presented(node))
    }

    /// A few lines an operator checks at a glance.
    public var summary: [String] {
        let s = settings
        let c = s.scheduler.cycle
        var lines = [
            "server: \(s.server.host):\(s.server.port), data in \(s.server.dataDir), demo \(s.server.demo ? "on" : "off"), log level \(s.server.logLevel)",
            "scheduler: placement \(c.placementPolicy), queue \(c.queuePolicy.rawValue), cycle every \(s.scheduler.cycleIntervalSeconds) s, "
                + "reconcile every \(s.scheduler.reconcileIntervalSeconds) s, preemption \(c.preemption.enabled ? "on, grace \(c.preemption.graceSeconds) s" : "off"), "
                + "aging \(c.agingClassesPerHour) classes/h, backfill \(c.backfill.enabled ? "on" : "off")",
            "engines: simulator at \(s.engines.simulator.speed)× (failure rate \(s.engines.simulator.failureRate)), Slurm polled every \(s.engines.slurm.pollIntervalSeconds) s",
            "planning: \(Self.count(s.planning.supply.count, "model with supply terms", "models with supply terms")), \(Self.count(s.planning.offers.count, "offer")), expansion at \(s.planning.policy.expansionThreshold) sustained \(s.planning.policy.sustainedHours) h",
        ]
        if let d = description {
            lines.append("regions: \(Self.count(s.regions?.count ?? 0, "region")), \(Self.count(d.clusters, "cluster")) (\(d.slurmClusters) on Slurm), \(Self.count(d.pools, "pool")), imported at start")
        }
        return lines
    }

    private static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    /// The tree as shown: secrets hidden, numbers as people write them.
    private static func presented(_ node: Node) -> Node {
        if let map = node.mapping {
            return Node.mapping(.init(map.map { pair in
                (pair.key, pair.key.string.map(secretKeys.contains) == true ? Node("<hidden>") : presented(pair.value))
            }))
        }
        if let list = node.sequence { return Node.sequence(.init(list.map(presented))) }
        // Yams writes numbers as `6e+1`; people write `60.0`.
        if let scalar = node.scalar, scalar.style == .plain || scalar.style == .any, scalar.string.contains("e"), let number = Double(scalar.string) {
            return Node("\(number)")
        }
        return node
    }
}
