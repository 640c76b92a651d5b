/// A taint repels jobs that do not tolerate it (Kubernetes semantics, `NoSchedule` only).
public struct Taint: Codable, Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String = "") {
        self.key = key
        self.value = value
    }
}

/// A toleration lets a job onto nodes with a matching taint; an empty value tolerates any value.
public struct Toleration: Codable, Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String = "") {
        self.key = key
        self.value = value
    }

    public func tolerates(_ taint: Taint) -> Bool {
        key == taint.key && (value.isEmpty || value == taint.value)
    }
}

/// Whether a node takes new work.
public enum NodeState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Healthy and schedulable.
    case ready
    /// Running work continues; nothing new is placed (drain).
    case cordoned
    /// Unreachable or failed; its work is lost.
    case down
}

/// A machine in a pool: CPU, memory, devices and where it sits.
public struct Node: Codable, Hashable, Sendable {
    public var id: NodeID
    public var pool: PoolID
    public var cpuMilli: Int
    public var memoryMiB: Int
    public var devices: [Device]
    public var labels: [String: String]
    public var taints: [Taint]
    public var rack: String?
    public var state: NodeState

    public init(
        id: NodeID, pool: PoolID, cpuMilli: Int, memoryMiB: Int, devices: [Device] = [],
        labels: [String: String] = [:], taints: [Taint] = [], rack: String? = nil, state: NodeState = .ready
    ) {
        self.id = id
        self.pool = pool
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.devices = devices
        self.labels = labels
        self.taints = taints
        self.rack = rack
        self.state = state
    }

    /// The GPU model of the node's accelerators; mixed nodes report the first.
    public var gpuModel: String? { devices.first(where: { $0.kind != .cpu })?.model }
    public var gpuCount: Int { devices.filter { $0.kind != .cpu }.count }
}
