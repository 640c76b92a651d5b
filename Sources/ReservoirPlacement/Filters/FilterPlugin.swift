import ReservoirCore

/// A filter says whether a node can take a pod at all; a "no" carries a short reason that is
/// counted across nodes to explain why a pod waits.
public protocol FilterPlugin: Sendable {
    static var name: String { get }
    /// Nil when the node fits, else the reason it does not.
    func reject(_ pod: PodRequest, on node: NodeCapacity) -> String?
    /// What the answer depends on; lets the placer skip repeating work (default: `.state`).
    var dependsOn: FilterDependency { get }
}

/// What a filter's answer depends on besides the pod.
public enum FilterDependency: Sendable {
    /// Only the node's fixed description and the pod's constraints (model, selector, tolerations):
    /// the placer remembers the answer per node and constraint set.
    case description
    /// Exactly the resource-fit check the placer runs itself on every node first.
    case resources
    /// Anything else: asked every time.
    case state
}

extension FilterPlugin {
    public var dependsOn: FilterDependency { .state }
}

/// The filters every placement runs, in the order that rejects cheapest first.
public enum DefaultFilters {
    public static let all: [any FilterPlugin] = [HealthFilter(), ModelFilter(), SelectorFilter(), TaintFilter(), ResourceFitFilter()]
}

/// Cordoned or down nodes take nothing new.
public struct HealthFilter: FilterPlugin {
    public var dependsOn: FilterDependency { .description }
    public static let name = "health"
    public static let reason = "node not schedulable"
    public init() {}
    public func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? {
        node.schedulable ? nil : Self.reason
    }
}

/// GPU pods need a node of an allowed model (`V100M16|V100M32`).
public struct ModelFilter: FilterPlugin {
    public var dependsOn: FilterDependency { .description }
    public static let name = "model"
    public static let reason = "GPU model not allowed"
    public static let noGPU = "node has no GPUs"
    public init() {}
    public func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? {
        guard pod.gpus > 0 else { return nil }
        if node.gpuCount == 0 { return Self.noGPU }
        if let models = pod.models, !models.contains(node.model) { return Self.reason }
        return nil
    }
}

/// Node labels must match the pod's selector.
public struct SelectorFilter: FilterPlugin {
    public var dependsOn: FilterDependency { .description }
    public static let name = "selector"
    public static let reason = "node labels do not match selector"
    public init() {}
    public func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? {
        for (k, v) in pod.nodeSelector where node.labels[k] != v { return Self.reason }
        return nil
    }
}

/// Every node taint must be tolerated.
public struct TaintFilter: FilterPlugin {
    public var dependsOn: FilterDependency { .description }
    public static let name = "taint"
    public static let reason = "untolerated taint"
    public init() {}
    public func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? {
        for taint in node.taints where !pod.tolerations.contains(where: { $0.tolerates(taint) }) { return Self.reason }
        return nil
    }
}

/// CPU, memory and GPU capacity (Kubernetes NodeResourcesFit plus the GPU-share check of the
/// openb simulator's Open-Gpu-Share filter, plus MIG geometry).
public struct ResourceFitFilter: FilterPlugin {
    public static let name = "resources"
    public static let cpu = "insufficient CPU"
    public static let memory = "insufficient memory"
    public static let gpu = "insufficient GPU"
    public static let gpuMemory = "insufficient GPU memory"
    public static let migMode = "GPUs in MIG mode"
    public static let notMIG = "GPUs not in MIG mode"
    public static let migProfile = "MIG profile not offered by the GPU model"
    public static let migGeometry = "no free MIG slot for the profile"
    public var dependsOn: FilterDependency { .resources }
    public init() {}
    public func reject(_ pod: PodRequest, on node: NodeCapacity) -> String? { Self.check(pod, node) }

    /// The check itself, statically dispatched so the placer can run it on every node cheaply.
    @inline(__always)
    public static func check(_ pod: PodRequest, _ node: NodeCapacity) -> String? {
        if node.freeCPU < pod.cpuMilli { return Self.cpu }
        if node.freeMemory < pod.memoryMiB { return Self.memory }
        if pod.gpus == 0 { return nil }
        if let name = pod.migProfile {
            guard node.migEnabled else { return Self.notMIG }
            guard let profile = MIGGeometry.profile(name, model: node.model) else { return Self.migProfile }
            return MIGGeometry.choose(profile, on: node) == nil ? Self.migGeometry : nil
        }
        if node.migEnabled { return Self.migMode }
        if pod.isShare {
            var milliFits = false
            for g in node.gpuFree.indices where node.gpuFree[g] >= pod.gpuMilli {
                if node.gpuMemoryFree[g] >= pod.shareMemoryMiB { return nil }
                milliFits = true
            }
            return milliFits ? Self.gpuMemory : Self.gpu
        }
        return node.fullyFreeGPUs >= pod.gpus ? nil : Self.gpu
    }
}
