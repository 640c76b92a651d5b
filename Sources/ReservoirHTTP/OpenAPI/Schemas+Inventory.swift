import ReservoirCore
import ReservoirServices

/// Regions, clusters, pools, nodes, devices, the catalog and inventory import.
extension Components {
    static let region = Component("Region", .object(required: ["id": .string(), "name": .string()]))

    static let cluster = Component("Cluster", .object(required: ["id": .string(), "region": .string(), "engine": .cases(EngineKind.self)]))

    /// `PoolView`.
    static let poolView = Component("Pool", .object(required: [
        "id": .string(), "cluster": .string(), "region": .string(), "engine": .cases(EngineKind.self),
        "purpose": .cases(PoolPurpose.self), "sharing": .cases(GPUSharingMode.self),
        "reservedFraction": .number(Bounds.reservedFraction), "labels": .map(.string()),
        "nodes": .integer(minimum: 0), "gpus": .integer(minimum: 0), "gpusByModel": .map(.integer(minimum: 0)),
        "allocatedGPUs": .number(minimum: 0), "runningJobs": .integer(minimum: 0), "waitingJobs": .integer(minimum: 0),
    ]))

    /// `NodeView`.
    static let nodeView = Component("Node", .object(
        required: [
            "id": .string(), "pool": .string(), "state": .cases(NodeState.self),
            "cpuMilli": .integer(minimum: 0), "memoryMiB": .integer(minimum: 0),
            "allocatedCPUMilli": .integer(minimum: 0), "allocatedMemoryMiB": .integer(minimum: 0),
            "gpus": .integer(minimum: 0), "allocatedGPUs": .number(minimum: 0), "freeGPUs": .number(minimum: 0),
            "labels": .map(.string()), "taints": .array(taint.ref), "devices": .array(deviceView.ref),
        ],
        optional: ["model": .string().described("GPU model of the node's accelerators"), "rack": .string()]))

    /// `DeviceView`.
    static let deviceView = Component("Device", .object(
        required: [
            "id": .string(), "node": .string(), "pool": .string(), "index": .integer(minimum: 0), "kind": .cases(DeviceKind.self),
            "model": .string(), "memoryMiB": .integer(minimum: 0), "state": .cases(DeviceState.self),
            "allocatedMilli": .integer(minimum: 0), "mig": .boolean,
        ],
        optional: ["nvlinkIsland": .integer(minimum: 0)]))

    static let taint = Component("Taint", .object(required: ["key": .symbol, "value": .text(maxBytes: InputLimits.valueBytes)]))

    /// A catalog entry, as listed and as `PUT /v1/catalog/{name}` takes it (the path names it).
    static let gpuModel = Component("GPUModel", .object(required: [
        "name": .symbol, "kind": .cases(DeviceKind.self), "vendor": .name, "memoryMiB": .integer(Bounds.catalogMemoryMiB),
        "fp16TFLOPS": .number(Bounds.catalogFigure), "bf16TFLOPS": .number(Bounds.catalogFigure),
        "memoryBandwidthGBps": .number(Bounds.catalogFigure), "pricePerHour": .number(Bounds.catalogFigure),
        "defaultEfficiency": .number(Bounds.efficiency),
        "aliases": .array(.text(maxBytes: InputLimits.symbolBytes), maxItems: InputLimits.entries), "opaque": .boolean,
    ]))

    static let nodeStateChange = Component("NodeStateChange", .object(required: ["state": .cases(NodeState.self)]))

    /// `allocated` is derived from what jobs hold and cannot be set.
    static let deviceStateChange = Component(
        "DeviceStateChange", .object(required: ["state": .cases(DeviceState.allCases.filter { $0 != .allocated }.map(\.rawValue))]))

    static let importSummary = Component("ImportSummary", .object(required: [
        "regions": .integer(minimum: 0), "clusters": .integer(minimum: 0), "pools": .integer(minimum: 0),
        "nodes": .integer(minimum: 0), "devices": .integer(minimum: 0),
    ]))

    // MARK: The cluster description (`POST /v1/import`, YAML or JSON)

    static let clusterDescription = Component("ClusterDescription", .input(required: [
        "regions": .array(regionSpec.ref, maxItems: InputLimits.descriptionEntries),
    ]))

    static let regionSpec = Component("RegionSpec", .input(
        required: ["id": .identifier, "clusters": .array(clusterSpec.ref, maxItems: InputLimits.descriptionEntries)],
        optional: ["name": .name]))

    static let clusterSpec = Component("ClusterSpec", .input(
        required: ["id": .identifier, "pools": .array(poolSpec.ref, maxItems: InputLimits.descriptionEntries)],
        optional: ["engine": .cases(EngineKind.self), "slurm": slurmSpec.ref]))

    static let slurmSpec = Component("SlurmSpec", .input(required: [:], optional: Dictionary(uniqueKeysWithValues: [
        "envFile", "url", "user", "jwtFile", "jwt", "slurmConf", "partitionsFile", "cluster", "defaultPartition", "jobsDirectory", "placement",
    ].map { ($0, Schema.text()) })))

    static let poolSpec = Component("PoolSpec", .input(
        required: ["id": .identifier],
        optional: [
            "purpose": .cases(PoolPurpose.self), "sharing": .cases(GPUSharingMode.self), "reserved": .number(Bounds.reservedFraction),
            "labels": .labels, "nodes": .array(nodeSpec.ref, maxItems: InputLimits.descriptionEntries),
            "slurmNodes": .array(.symbol, maxItems: InputLimits.descriptionEntries),
            "placement": Schema.symbol.described("For a Slurm cluster: reservoir or slurm"),
        ]))

    static let nodeSpec = Component("NodeSpec", .input(
        required: [
            "name": .identifier, "cpu": number(Bounds.nodeCores, "cores"), "memoryGiB": number(Bounds.nodeMemoryGiB, "GiB"),
        ],
        optional: [
            "count": .integer(Bounds.nodeCount), "model": .text(maxBytes: InputLimits.symbolBytes), "gpus": .integer(Bounds.nodeGPUs),
            "nvlinkIslands": .integer(Bounds.nvlinkIslands), "rack": .symbol, "labels": .labels,
            "taints": .array(taint.ref, maxItems: InputLimits.entries), "mig": .boolean,
        ]))

    private static func number(_ range: ClosedRange<Double>, _ unit: String) -> Schema { Schema.number(range).described(unit) }
}
