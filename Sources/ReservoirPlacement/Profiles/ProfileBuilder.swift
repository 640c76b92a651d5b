import ReservoirCore

/// Builds every accelerator's `DeviceProfile` from one snapshot of what is known about it: pure,
/// no store and no clock (the caller picks the 7- and 30-day windows), so the same input gives the same classes.
///
/// Classes are rules, not k-means (docs/decisions/0006-resource-profiles.md): over the catalog models
/// present in the inventory, each model's memory, memory bandwidth and cheapness (lowest price ÷ its
/// price) are divided by the best of the models present; the figure in which the model leads the
/// models' mean the most names the class (large-memory, low-latency, economy; leads within 0.05 of
/// each other tie, and the tie goes in that order). A model below the mean in all three, a reservoir
/// of one model, or an undisclosed model, is `general`. Faults set the `unreliable` flag, which placement
/// scores down; utilization, recent kinds and runtimes are shown, not classified on.
public struct ProfileBuilder: Sendable {
    /// What the builder reads, taken at one instant.
    public struct Input: Sendable {
        public var nodes: [Node]
        public var catalog: GPUCatalog
        /// Mean GPU utilization (0…100) over the last 7 days per device that reported.
        public var utilization7d: [DeviceID: Double]
        /// Faults in the last 30 days per device that had any.
        public var faults30d: [DeviceID: Int]
        /// What the jobs that held devices in the last 30 days (running or finished) did on each.
        public var recentWork: DeviceWork

        public init(
            nodes: [Node], catalog: GPUCatalog, utilization7d: [DeviceID: Double] = [:],
            faults30d: [DeviceID: Int] = [:], recentWork: DeviceWork = DeviceWork()
        ) {
            self.nodes = nodes
            self.catalog = catalog
            self.utilization7d = utilization7d
            self.faults30d = faults30d
            self.recentWork = recentWork
        }
    }

    /// A device with at least this many faults in 30 days is unreliable.
    public var unreliableFaults: Int

    public init(unreliableFaults: Int = 1) { self.unreliableFaults = max(1, unreliableFaults) }

    /// One profile per accelerator (CPU devices have none), in node and index order.
    public func profiles(_ input: Input) -> [DeviceProfile] {
        let classes = ModelClasses(nodes: input.nodes, catalog: input.catalog)
        var out: [DeviceProfile] = []
        for node in input.nodes.sorted(by: { $0.id < $1.id }) {
            let accelerators = node.devices.filter { $0.kind != .cpu }.sorted { $0.index < $1.index }
            var islandSizes: [Int: Int] = [:]
            for d in accelerators { if let island = d.nvlinkIsland { islandSizes[island, default: 0] += 1 } }
            for d in accelerators {
                let model = input.catalog.model(named: d.model)
                let name = model?.name ?? d.model
                let (deviceClass, reason) = classes.classify(name)
                let faults = input.faults30d[d.id] ?? 0
                let used = input.recentWork.byDevice[d.id]
                out.append(DeviceProfile(
                    device: d.id, node: node.id, index: d.index, pool: node.pool, model: name,
                    memoryMiB: d.memoryMiB > 0 ? d.memoryMiB : model?.memoryMiB ?? 0,
                    memoryBandwidthGBps: model?.memoryBandwidthGBps ?? 0,
                    nvlink: d.nvlinkIsland.map { (islandSizes[$0] ?? 0) > 1 } ?? false,
                    pricePerHour: model?.pricePerHour ?? 0, utilization7d: input.utilization7d[d.id], faults30d: faults,
                    recentKinds: used?.kinds ?? [:], meanRuntimeSeconds: used?.meanRuntime,
                    deviceClass: deviceClass, unreliable: faults >= unreliableFaults,
                    reason: faults >= unreliableFaults ? reason + "; unreliable: \(faults) fault\(faults == 1 ? "" : "s") in 30 days" : reason
                ))
            }
        }
        return out
    }
}

/// The class of each catalog model present, by the rules above.
struct ModelClasses {
    private var classes: [String: (DeviceClass, String)] = [:]

    init(nodes: [Node], catalog: GPUCatalog) {
        var present: [String: GPUModel] = [:]
        for node in nodes {
            for d in node.devices where d.kind != .cpu {
                if let m = catalog.model(named: d.model), !m.opaque, m.memoryMiB > 0, m.pricePerHour > 0, m.memoryBandwidthGBps > 0 {
                    present[m.name] = m
                }
            }
        }
        guard present.count > 1 else {
            for name in present.keys { classes[name] = (.general, "the only model of the reservoir") }
            return
        }
        let maxBandwidth = present.values.map(\.memoryBandwidthGBps).max()!
        let maxMemory = Double(present.values.map(\.memoryMiB).max()!)
        let minPrice = present.values.map(\.pricePerHour).min()!
        func shares(_ m: GPUModel) -> [Double] { [Double(m.memoryMiB) / maxMemory, m.memoryBandwidthGBps / maxBandwidth, minPrice / m.pricePerHour] }
        var means = [0.0, 0.0, 0.0]
        for m in present.values { for (k, v) in shares(m).enumerated() { means[k] += v / Double(present.count) } }
        // Order of the near-ties: memory is the hard limit of training, so it wins one.
        let order: [DeviceClass] = [.largeMemory, .lowLatency, .economy]
        for (name, m) in present {
            let share = shares(m)
            let lead = share.indices.map { share[$0] - means[$0] }
            guard lead.max()! > 0 else {
                classes[name] = (.general, "general: below the mean of the reservoir's models in memory, bandwidth and price alike")
                continue
            }
            let best = lead.indices.first { lead[$0] >= lead.max()! - Self.nearTie }!
            let figure = [
                "memory \(m.memoryMiB / 1024) GiB (largest \(Int(maxMemory) / 1024))",
                "memory bandwidth \(Int(m.memoryBandwidthGBps)) GB/s (fastest \(Int(maxBandwidth)))",
                "price \(m.pricePerHour) per GPU-hour (cheapest \(minPrice))",
            ][best]
            classes[name] = (order[best], "\(order[best].rawValue): its \(figure) stands out most against the reservoir's models")
        }
    }

    /// Leads closer than this to the best count as a tie.
    static let nearTie = 0.05

    func classify(_ model: String) -> (DeviceClass, String) {
        classes[model] ?? (.general, "undisclosed or unknown model: no figures to compare")
    }
}
