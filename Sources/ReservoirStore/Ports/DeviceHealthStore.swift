import ReservoirCore

/// One device's change of health on a node: its new state and why, and (from a node agent) the MIG
/// mode it reports. A change that changes nothing writes nothing.
public struct DeviceHealthChange: Hashable, Sendable {
    public var index: Int
    /// The new state; nil leaves the state as it is (a MIG mode change alone).
    public var state: DeviceState?
    public var cause: HealthCause
    public var detail: String
    /// The MIG mode the agent found; nil leaves it as recorded.
    public var migEnabled: Bool?

    public init(index: Int, state: DeviceState?, cause: HealthCause, detail: String, migEnabled: Bool? = nil) {
        self.index = index
        self.state = state
        self.cause = cause
        self.detail = detail
        self.migEnabled = migEnabled
    }

    /// A MIG mode change alone: the state stays, so no health event is written (the change is audited).
    public static func migMode(index: Int, enabled: Bool) -> DeviceHealthChange {
        DeviceHealthChange(index: index, state: nil, cause: .recovered, detail: "MIG mode \(enabled ? "enabled" : "disabled")", migEnabled: enabled)
    }
}

/// What happens to work running on a device that leaves service (failed or maintenance).
public enum DisplacedWork: String, Codable, Hashable, Sendable, CaseIterable {
    /// Back to the queue with its progress kept (like a preemption without grace).
    case requeue
    /// Ended as failed.
    case fail
}

/// What one health change committed: the events written and the jobs taken off the devices.
public struct DeviceHealthOutcome: Hashable, Sendable {
    public var events: [DeviceHealthEvent]
    /// Jobs that held a device leaving service, as they are after the change.
    public var displaced: [Job]

    public init(events: [DeviceHealthEvent], displaced: [Job]) {
        self.events = events
        self.displaced = displaced
    }
}

/// The health context's port: device health changes, each one transaction with its health events,
/// audit entries and the displaced jobs (their allocations released in the same transaction), and
/// the health history by page.
public protocol DeviceHealthStore: DeviceHealthReader {
    /// Applies `changes` to the devices of `node`; jobs holding a device that leaves service are
    /// requeued or failed per `displaced`. Throws `notFound("node")` / `notFound("device")`.
    func changeDeviceHealth(node: NodeID, _ changes: [DeviceHealthChange], displaced: DisplacedWork, by who: Attribution) throws -> DeviceHealthOutcome
    /// A device's health events, newest first.
    func healthEvents(device: DeviceID, page: PageRequest) throws -> Page<DeviceHealthEvent>
}
