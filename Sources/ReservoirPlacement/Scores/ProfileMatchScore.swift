import ReservoirCore

/// Profile matching: each kind of work goes to the devices that suit it. Inference prefers
/// low-latency devices, training large memory, tests the cheapest GPU-hour.
///
/// The score, highest first in weight: a node whose `reservoir.io/workload` label (set from its pool)
/// names the pod's kind (4: operators dedicate pools); a node whose device class (`ProfileBuilder`,
/// carried by the scheduling snapshot) is the one the kind prefers (2); how well the catalog's figures
/// suit the kind (0…1, the whole answer when devices are not profiled); minus 3 × the share of the
/// node's devices flagged unreliable by recent faults, so a faulty node loses to a healthy one of the
/// same class, and a wholly faulty node even to one of another class. Pods without a kind score 0.
public struct ProfileMatchScore: ScorePlugin {
    public static let name = "profile"
    public static let label = "reservoir.io/workload"
    static let labelWeight = 4.0
    static let classWeight = 2.0
    static let faultWeight = 3.0
    /// The catalog's models by every spelling (name and aliases), lowercased: `GPUCatalog.model(named:)`
    /// answered once per spelling instead of lowercasing the whole catalog for every node scored
    /// (that was a quarter of a deep-queue cycle's CPU).
    private let modelsBySpelling: [String: GPUModel]

    public init(catalog: GPUCatalog = .standard) {
        var bySpelling: [String: GPUModel] = [:]
        for model in catalog.models {
            for spelling in [model.name] + model.aliases {
                let key = spelling.lowercased()
                // `model(named:)` takes the first model with a matching spelling.
                if bySpelling[key] == nil { bySpelling[key] = model }
            }
        }
        modelsBySpelling = bySpelling
    }

    public func score(_ pod: PodRequest, node index: Int, in cluster: ClusterState) -> Double {
        guard let kind = pod.kind else { return 0 }
        let node = cluster.nodes[index]
        var score = node.labels[Self.label] == kind.rawValue ? Self.labelWeight : 0
        if let wanted = DeviceClass.preferred(by: kind), node.deviceClass == wanted { score += Self.classWeight }
        if !node.recentFaults.isEmpty, node.gpuCount > 0 {
            score -= Self.faultWeight * Double(node.recentFaults.count) / Double(node.gpuCount)
        }
        guard pod.gpus > 0, let model = modelsBySpelling[node.model.lowercased()], !model.opaque else { return score }
        return score + Self.fit(kind, model)
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
