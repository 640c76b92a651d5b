/// Why a device's health changed.
public enum HealthCause: String, Codable, Hashable, Sendable, CaseIterable {
    /// The source reported XID errors.
    case xid
    /// The source reported uncorrectable ECC errors.
    case ecc
    /// The device was missing from the node agent's discovery.
    case missing
    /// An operator set the state (maintenance, back to service).
    case operatorAction = "operator"
    /// The device reported healthy again and was returned to service.
    case recovered
}

/// One entry of a device's health history: a state change and why. Kept for good (they are few),
/// so a device's 30-day fault count and its story can always be told.
public struct DeviceHealthEvent: Codable, Hashable, Sendable {
    public var device: DeviceID
    public var node: NodeID
    public var at: Double
    public var from: DeviceState
    public var to: DeviceState
    public var cause: HealthCause
    /// What the source said, in words (`XID 79: GPU has fallen off the bus`).
    public var detail: String
    /// Who: `agent:<user>`, `user:<id>` or `system:<component>`.
    public var actor: String

    public init(device: DeviceID, node: NodeID, at: Double, from: DeviceState, to: DeviceState, cause: HealthCause, detail: String, actor: String) {
        self.device = device
        self.node = node
        self.at = at
        self.from = from
        self.to = to
        self.cause = cause
        self.detail = detail
        self.actor = actor
    }

    /// Whether the event counts as a fault in a device's profile (not an operator's maintenance or a recovery).
    public var isFault: Bool { cause == .xid || cause == .ecc || cause == .missing }
}
