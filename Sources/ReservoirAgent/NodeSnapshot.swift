import ReservoirCore

/// One look at a node's GPUs, merged from the tools that were asked (the CSV query for readings,
/// `-L` for MIG profiles, `-q` for MIG instance ids, `topo -m` for links), and turned into the report
/// the server takes.
public struct NodeSnapshot: Hashable, Sendable {
    public var gpus: [GPUReading]
    /// Links by GPU index, from `topo -m`.
    public var links: [Int: [DeviceLink]]

    /// Merges the sources by GPU index: the first source that states a field wins.
    public init(sources: [[GPUReading]], topology: [NvidiaSMITopology.Row] = []) {
        var byIndex: [Int: GPUReading] = [:]
        for source in sources {
            for reading in source {
                byIndex[reading.index] = byIndex[reading.index].map { $0.filled(from: reading) } ?? reading
            }
        }
        gpus = byIndex.keys.sorted().compactMap { byIndex[$0] }
        links = Dictionary(topology.map { ($0.gpu, $0.links) }, uniquingKeysWith: { a, _ in a })
    }

    /// This snapshot with what `source` adds (a DCGM exporter's utilization of GPUs in MIG mode, its
    /// XID codes, GPUs the other tools did not list); where both state a field, this snapshot's stands.
    public func filled(from source: [GPUReading]) -> NodeSnapshot {
        var merged = NodeSnapshot(sources: [gpus, source])
        merged.links = links
        return merged
    }

    /// The discovery part of a report: every GPU with its catalog model.
    public func devices(catalog: GPUCatalog) -> [DiscoveredDevice] {
        gpus.map { gpu in
            DiscoveredDevice(
                index: gpu.index, uuid: gpu.uuid, name: gpu.name ?? "unknown", model: gpu.name.flatMap { ModelNames.catalogModel($0, in: catalog) },
                memoryMiB: gpu.memoryTotalMiB, migEnabled: gpu.migEnabled, migInstances: gpu.migInstances, links: links[gpu.index] ?? [],
                lastXid: gpu.lastXid)
        }
    }

    /// One sample per GPU that reported its utilization and memory in use (a GPU in MIG mode reports
    /// no utilization to nvidia-smi, so it has none: a made-up zero would read as idle). XID and ECC
    /// counts are those new since `baseline`.
    public func samples(node: NodeID, at: Double, baseline: ErrorBaseline) -> [DeviceSample] {
        gpus.compactMap { gpu in
            guard let util = gpu.gpuUtilPercent, let used = gpu.memoryUsedMiB else { return nil }
            return DeviceSample(
                device: Device.id(node: node, index: gpu.index), at: at, gpuUtilPercent: util, memoryUsedMiB: used, powerWatts: gpu.powerWatts,
                temperatureCelsius: gpu.temperatureCelsius, xidErrors: baseline.newXid(gpu), eccErrors: baseline.newECC(gpu))
        }
    }

    public func report(node: NodeID, at: Double, catalog: GPUCatalog, baseline: ErrorBaseline) -> AgentReport {
        AgentReport(node: node, devices: devices(catalog: catalog), samples: samples(node: node, at: at, baseline: baseline))
    }
}

/// The error counters an agent saw in its previous look, so a report carries only new errors:
/// nvidia-smi's ECC counts grow from driver load, DCGM's XID gauge holds the last code seen.
public struct ErrorBaseline: Hashable, Sendable {
    var ecc: [Int: Int] = [:]
    var xid: [Int: Int] = [:]

    public init() {}

    /// The baseline after `snapshot` was reported.
    public func after(_ snapshot: NodeSnapshot) -> ErrorBaseline {
        var next = self
        for gpu in snapshot.gpus {
            if let count = gpu.eccUncorrected { next.ecc[gpu.index] = count }
            if let code = gpu.lastXid { next.xid[gpu.index] = code }
        }
        return next
    }

    /// Uncorrectable ECC errors since the previous look (all of them on the first).
    func newECC(_ gpu: GPUReading) -> Int? {
        gpu.eccUncorrected.map { max(0, $0 - (ecc[gpu.index] ?? 0)) }
    }

    /// 1 when the last XID code changed to a non-zero one since the previous look, else 0.
    func newXid(_ gpu: GPUReading) -> Int? {
        gpu.lastXid.map { $0 != 0 && $0 != xid[gpu.index] ? 1 : 0 }
    }
}

/// Maps the driver's product names to catalog models: the name itself, then without the vendor's
/// prefix (`NVIDIA A10G` → `A10G` → `A10`; `Tesla T4` → `T4`).
public enum ModelNames {
    public static func catalogModel(_ name: String, in catalog: GPUCatalog) -> String? {
        if let model = catalog.canonicalName(name) { return model }
        for prefix in ["NVIDIA ", "Tesla "] where name.hasPrefix(prefix) {
            if let model = catalogModel(String(name.dropFirst(prefix.count)), in: catalog) { return model }
        }
        return nil
    }
}
