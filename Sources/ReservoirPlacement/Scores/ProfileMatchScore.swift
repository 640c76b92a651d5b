import ReservoirCore

/// Profile matching: each kind of work goes to the devices that suit it. Inference prefers
/// low-latency models (memory bandwidth), training large memory, tests the cheapest GPU-hour.
/// A node whose `reservoir.io/workload` label (set from its pool) names the pod's kind gets a bonus
/// of 1 over anything the catalog says, so operators can dedicate pools. Unknown models and pods
/// without a kind score 0.
public struct ProfileMatchScore: ScorePlugin {
    public static let name = "profile"
    public static let label = "reservoir.io/workload"
    private let catalog: GPUCatalog

    public init(catalog: GPUCatalog = .standard) { self.catalog = catalog }

    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        guard let kind = pod.kind else { return 0 }
        let node = cluster.nodes[index]
        let bonus = node.labels[Self.label] == kind.rawValue ? 1.0 : 0.0
        guard pod.gpus > 0, let model = catalog.model(named: node.model), !model.opaque else { return bonus }
        return bonus + Self.fit(kind, model)
    }

    /// What `kind` looks for in a model, in the operator's words (for `explain`); nil when it has no preference.
    public static func preference(_ kind: WorkloadKind) -> String? {
        switch kind {
        case .inference: "memory bandwidth"
        case .training: "GPU memory"
        case .test: "lowest price per GPU-hour"
        case .batch: nil
        }
    }

    /// How well `model` suits `kind`, in 0…1.
    static func fit(_ kind: WorkloadKind, _ model: GPUModel) -> Double {
        switch kind {
        case .inference: min(model.memoryBandwidthGBps / 5_000, 1)
        case .training: min(Double(model.memoryMiB) / 150_000, 1)
        case .test: max(0, 1 - model.pricePerHour / 5)
        case .batch: 0
        }
    }
}
