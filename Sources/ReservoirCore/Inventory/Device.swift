/// The kind of accelerator (or plain CPU socket) a device is.
public enum DeviceKind: String, Codable, Hashable, Sendable, CaseIterable {
    case gpu, npu, cpu
}

/// Life-cycle state of a device as operators see it.
public enum DeviceState: String, Codable, Hashable, Sendable, CaseIterable {
    case available, allocated, reserved, maintenance, failed

    /// Whether the scheduler may place new work on a device in this state.
    public var isSchedulable: Bool { self == .available || self == .allocated }
}

/// One accelerator on a node. `index` is its position on the node (CUDA ordinal).
public struct Device: Codable, Hashable, Sendable {
    public var id: DeviceID
    public var node: NodeID
    public var index: Int
    public var kind: DeviceKind
    /// Catalog model name, e.g. `A100-80GB` or an opaque openb code such as `G2`.
    public var model: String
    public var memoryMiB: Int
    /// NVLink/NVSwitch island on the node; devices in one island talk fastest. Nil: PCIe only.
    public var nvlinkIsland: Int?
    public var numaNode: Int?
    /// Operator-set state; `allocated` is derived from allocations and never stored as a cause.
    public var state: DeviceState
    /// True when the GPU runs in MIG mode (`nvidia-smi -mig 1`): it then takes only MIG instances.
    /// Set by the cluster description or import (a node agent will report it); nil, as stored
    /// before MIG mode was recorded, means not in MIG mode.
    public var migEnabled: Bool?

    public init(
        node: NodeID, index: Int, kind: DeviceKind = .gpu, model: String, memoryMiB: Int,
        nvlinkIsland: Int? = nil, numaNode: Int? = nil, state: DeviceState = .available, migEnabled: Bool = false
    ) {
        self.id = Device.id(node: node, index: index)
        self.node = node
        self.index = index
        self.kind = kind
        self.model = model
        self.memoryMiB = memoryMiB
        self.nvlinkIsland = nvlinkIsland
        self.numaNode = numaNode
        self.state = state
        self.migEnabled = migEnabled ? true : nil
    }

    /// Whether the device is in MIG mode.
    public var inMIGMode: Bool { migEnabled == true }

    /// Device ids are derived from node and index so they are stable across imports.
    public static func id(node: NodeID, index: Int) -> DeviceID { DeviceID("\(node.rawValue)/gpu\(index)") }

    /// The node a device id names (`<node>/gpu<index>`, as `id(node:index:)` makes them); nil for an id
    /// without one. Lets a use case read one node rather than the whole inventory to find a device.
    public static func node(of device: DeviceID) -> NodeID? {
        device.rawValue.range(of: "/", options: .backwards).map { NodeID(String(device.rawValue[..<$0.lowerBound])) }
    }
}
