import ReservoirCore
import ReservoirPlacement
import Yams

/// The YAML cluster description (the `--config` file and `reservoir import`). See docs/CONFIG.md.
///
/// ```yaml
/// regions:
///   - id: cn-north
///     clusters:
///       - id: bj-sim
///         engine: simulated
///         pools:
///           - id: bj-training
///             purpose: training          # training | inference | testing | mixed
///             sharing: exclusive         # exclusive | time-slicing | memory-limited | mig
///             reserved: 0.05             # dynamic reserve, fraction of GPUs
///             nodes:
///               - name: bj-a100          # with count > 1: bj-a100-01, bj-a100-02, …
///                 count: 4
///                 model: A100-80GB
///                 gpus: 8
///                 cpu: 128               # cores
///                 memoryGiB: 1024
///                 nvlinkIslands: 1       # GPUs split evenly into islands
///                 rack: r1
///                 labels: {zone: a}
///                 taints: [{key: dedicated, value: infer}]
///                 mig: false             # GPUs in MIG mode; default: true exactly in a `sharing: mig` pool
/// ```
public struct ClusterDescription: Codable, Sendable {
    public struct RegionSpec: Codable, Sendable {
        public var id: String
        public var name: String?
        public var clusters: [ClusterSpec]
    }

    public struct ClusterSpec: Codable, Sendable {
        public var id: String
        public var engine: EngineKind?
        /// Connection settings when `engine: slurm` (see docs/SLURM.md).
        public var slurm: SlurmSpec?
        public var pools: [PoolSpec]
    }

    /// How to reach a Slurm cluster (docs/SLURM.md): an env file such as the one
    /// `scripts/slurm-dev-cluster.sh` writes, and/or the keys themselves, which win over the file's.
    public struct SlurmSpec: Codable, Sendable {
        public var envFile: String?
        /// slurmrestd base URL.
        public var url: String?
        /// The Slurm user REST calls act as; jobs run as this user.
        public var user: String?
        /// A file holding the JWT, re-read on every request (or `jwt` with the token itself).
        public var jwtFile: String?
        public var jwt: String?
        /// `slurm.conf` for the CLI tools (`sacctmgr`, `scontrol`, `sacct`).
        public var slurmConf: String?
        /// The file `Include`d by slurm.conf where Reservoir writes its pools as partitions.
        public var partitionsFile: String?
        /// Slurm's `ClusterName`.
        public var cluster: String?
        public var defaultPartition: String?
        /// Where job output goes; writable by `user` on every node.
        public var jobsDirectory: String?
        /// Who places jobs of pools that do not say: `reservoir` (default) or `slurm`.
        public var placement: String?

        /// The settings as the env file's keys, for the ones given here.
        public var environmentOverrides: [String: String] {
            let pairs: [(String, String?)] = [
                ("SLURM_REST_URL", url), ("SLURM_REST_USER", user), ("SLURM_JWT_FILE", jwtFile), ("SLURMRESTD_TOKEN", jwt),
                ("SLURM_CONF", slurmConf), ("SLURM_PARTITIONS_FILE", partitionsFile), ("SLURM_CLUSTER", cluster),
                ("SLURM_JOBS_DIR", jobsDirectory),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
        }
    }

    /// A cluster driven by Slurm: its settings and each pool's placement choice (nil: the cluster default).
    public struct SlurmCluster: Sendable {
        public var cluster: ClusterID
        public var slurm: SlurmSpec
        public var placement: [PoolID: String]
    }

    /// Clusters with `engine: slurm`; each must carry a `slurm:` block.
    public func slurmClusters() throws -> [SlurmCluster] {
        try regions.flatMap(\.clusters).filter { $0.engine == .slurm }.map { c in
            guard let slurm = c.slurm else {
                throw ReservoirError.invalid("clusters.\(c.id).slurm", "a cluster with engine slurm needs a slurm: block (envFile or url, jwtFile…)")
            }
            var placement: [PoolID: String] = [:]
            for pool in c.pools { if let mode = pool.placement { placement[PoolID(pool.id)] = mode } }
            return SlurmCluster(cluster: ClusterID(c.id), slurm: slurm, placement: placement)
        }
    }

    public struct PoolSpec: Codable, Sendable {
        public var id: String
        public var purpose: PoolPurpose?
        public var sharing: GPUSharingMode?
        public var reserved: Double?
        public var labels: [String: String]?
        /// Nodes described here (simulated clusters, or documentation of a real one).
        public var nodes: [NodeSpec]?
        /// For a Slurm cluster: names of the Slurm nodes that make up this pool; their CPUs, memory and
        /// GPUs are read from the controller at start (`slurmNodes: [rn3, rn4]`).
        public var slurmNodes: [String]?
        /// For a Slurm cluster: `reservoir` (jobs pinned to the nodes Reservoir chose) or `slurm`
        /// (Reservoir admits by quota and class, Slurm picks nodes).
        public var placement: String?
    }

    public struct NodeSpec: Codable, Sendable {
        public var name: String
        public var count: Int?
        public var model: String?
        public var gpus: Int?
        public var cpu: Double
        public var memoryGiB: Double
        public var nvlinkIslands: Int?
        public var rack: String?
        public var labels: [String: String]?
        public var taints: [Taint]?
        /// Whether the node's GPUs run in MIG mode (nil: as the pool shares, true in a `mig` pool).
        public var mig: Bool?
    }

    public var regions: [RegionSpec]

    /// Parses YAML text strictly (unknown keys refused) and checks its limits; errors name the offending field.
    public static func parse(yaml: String) throws -> ClusterDescription {
        try YAMLGuard.check(yaml)
        let description = try BodyDecoding.yaml(ClusterDescription.self, from: yaml)
        try description.checkLimits()
        return description
    }

    /// Expands counts and resolves models against the catalog into an inventory. `discovered` holds the
    /// nodes each engine-backed cluster reported, which `slurmNodes` entries are taken from.
    public func inventory(catalog: GPUCatalog, discovered: [ClusterID: [ReservoirCore.Node]] = [:]) throws -> Inventory {
        var inventory = Inventory()
        for region in regions {
            inventory.regions.append(Region(id: RegionID(region.id), name: region.name))
            for cluster in region.clusters {
                inventory.clusters.append(Cluster(id: ClusterID(cluster.id), region: RegionID(region.id), engine: cluster.engine ?? .simulated))
                for pool in cluster.pools {
                    inventory.pools.append(Pool(
                        id: PoolID(pool.id), cluster: ClusterID(cluster.id), purpose: pool.purpose ?? .mixed,
                        sharing: pool.sharing ?? .timeSlicing, reservedFraction: pool.reserved ?? 0, labels: pool.labels ?? [:]))
                    for spec in pool.nodes ?? [] {
                        // Bounded before expansion: `count` multiplies, and an import must fit in memory.
                        let total = try Bounds.sum(inventory.nodes.count, spec.count ?? 1, "nodes.\(spec.name).count")
                        try Bounds.check(total, "nodes", in: Bounds.importNodes, unit: "nodes in one import")
                        inventory.nodes += try nodes(spec, pool: PoolID(pool.id), mig: spec.mig ?? (pool.sharing == .mig), catalog: catalog)
                    }
                    for name in pool.slurmNodes ?? [] {
                        guard var node = discovered[ClusterID(cluster.id)]?.first(where: { $0.id.rawValue == name }) else {
                            throw ReservoirError.notFound(
                                "pools.\(pool.id).slurmNodes", "cluster \(cluster.id) reports no node \(name)")
                        }
                        node.pool = PoolID(pool.id)
                        inventory.nodes.append(node)
                    }
                }
            }
        }
        try inventory.validate()
        return inventory
    }

    private func nodes(_ spec: NodeSpec, pool: PoolID, mig: Bool, catalog: GPUCatalog) throws -> [ReservoirCore.Node] {
        let count = spec.count ?? 1
        let gpus = spec.gpus ?? 0
        let field = "nodes.\(spec.name)"
        try Bounds.check(count, "\(field).count", in: Bounds.nodeCount)
        try Bounds.check(gpus, "\(field).gpus", in: Bounds.nodeGPUs)
        let cpuMilli = try Bounds.milli(spec.cpu, "\(field).cpu", in: Bounds.nodeCores, unit: "cores")
        let memoryMiB = Int((try Bounds.check(spec.memoryGiB, "\(field).memoryGiB", in: Bounds.nodeMemoryGiB, unit: "GiB") * 1024).rounded())
        let islands = try Bounds.check(spec.nvlinkIslands ?? 1, "\(field).nvlinkIslands", in: Bounds.nvlinkIslands)
        var model: GPUModel?
        if gpus > 0 {
            guard let name = spec.model, let m = catalog.model(named: name) else {
                throw ReservoirError.notFound("nodes.\(spec.name).model", "unknown device model \(spec.model ?? "(missing)"); add it to the catalog first")
            }
            model = m
            if mig, MIGGeometry.profiles[m.name] == nil {
                throw ReservoirError.invalid(
                    "nodes.\(spec.name).mig", "\(m.name) has no MIG geometry; MIG models: \(MIGGeometry.profiles.keys.sorted().joined(separator: ", "))")
            }
        }
        let width = String(count).count < 2 ? 2 : String(count).count
        return (1...count).map { i in
            let id = NodeID(count == 1 ? spec.name : spec.name + "-" + String(repeating: "0", count: max(0, width - String(i).count)) + String(i))
            let devices = (0..<gpus).map { g in
                Device(node: id, index: g, kind: model?.kind ?? .gpu, model: model?.name ?? "", memoryMiB: model?.memoryMiB ?? 0,
                       nvlinkIsland: model?.kind == .gpu && islands > 0 ? g * islands / max(gpus, 1) : nil, migEnabled: mig)
            }
            return ReservoirCore.Node(
                id: id, pool: pool, cpuMilli: cpuMilli, memoryMiB: memoryMiB, devices: devices,
                labels: spec.labels ?? [:], taints: spec.taints ?? [], rack: spec.rack)
        }
    }
}
