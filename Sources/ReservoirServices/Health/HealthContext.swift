import ReservoirCore
import ReservoirEngine
import ReservoirStore

/// Device health: a device fails (XID or ECC errors, missing from its node agent's discovery) or an
/// operator sets it to maintenance, failed or back to available. Each change is one transaction with
/// its health event and audit entry; a device leaving service leaves scheduling (`DeviceState.isSchedulable`)
/// and the work on it is requeued with its progress kept, or failed, per `HealthPolicy` — then the
/// engine is told, as for a preemption without grace.
public struct HealthContext: ApplicationContext {
    public typealias Store = DeviceHealthStore & InventoryReader
    let store: any Store
    let engine: any ExecutionEngine
    /// Where agent reports' samples go on to (telemetry's ingest).
    let telemetry: TelemetryForwarding
    public let runtime: Runtime

    /// An operator sets a device's state (maintenance, failed, available); the change is a health event with cause `operator`.
    public func setDeviceState(_ id: DeviceID, state: DeviceState, by principal: Principal) async throws -> DeviceHealthOutcome {
        try access.require(principal, .changeInventory, tenant: nil)
        guard state != .allocated else { throw ReservoirError.invalid("state", "allocated is derived from allocations and cannot be set") }
        let (node, device) = try locate(id, field: "device")
        let detail = "set to \(state.rawValue) by \(principal.actor)"
        return try await apply(node: node, [DeviceHealthChange(index: device.index, state: state, cause: .operatorAction, detail: detail)], by: attribution(principal))
    }

    /// A device's health history, newest first.
    public func history(_ id: DeviceID, page: PageRequest, by principal: Principal) throws -> Page<DeviceHealthEvent> {
        try access.requireAny(principal, .readInventory)
        _ = try locate(id, field: "id")
        return try store.healthEvents(device: id, page: page)
    }

    /// Commits the changes, then tells the engine about the displaced jobs (after the commit, as
    /// evictions are) and wakes the scheduler, which no longer sees the devices as schedulable.
    func apply(node: NodeID, _ changes: [DeviceHealthChange], by who: Attribution) async throws -> DeviceHealthOutcome {
        guard !changes.isEmpty else { return DeviceHealthOutcome(events: [], displaced: []) }
        let outcome = try store.changeDeviceHealth(node: node, changes, displaced: configuration.health.displacedWork, by: who)
        for job in outcome.displaced {
            do {
                if job.state.isPending {
                    try await engine.preempt(job.id, graceSeconds: 0)
                } else {
                    try await engine.cancel(job.id)
                }
            } catch {
                // The job has left its devices in the store; reconciliation settles the engine's copy.
                logger.error("engine could not stop a job on a device that left service", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            }
        }
        for event in outcome.events {
            logger.notice("device health changed", metadata: [
                "device": "\(event.device)", "from": "\(event.from.rawValue)", "to": "\(event.to.rawValue)", "cause": "\(event.cause.rawValue)", "detail": "\(event.detail)",
            ])
        }
        if !outcome.events.isEmpty { wakeups.poke() }
        return outcome
    }

    /// The node and device of `id` (`<node>/gpu<index>`); 404 naming `field` when there is none.
    func locate(_ id: DeviceID, field: String) throws -> (NodeID, Device) {
        if let node = try Device.node(of: id).flatMap(store.node), let device = node.devices.first(where: { $0.id == id }) {
            return (node.id, device)
        }
        throw ReservoirError.notFound(field, "no device \(id)")
    }
}

/// The seam to telemetry: an agent report's samples are handed on to `reservoir.telemetry.ingest`, which
/// checks each value's range (a 4xx naming `samples[i].<field>`), deduplicates per device and minute,
/// attributes and stores them, all or nothing — before any health change of the report is written.
public struct TelemetryForwarding: Sendable {
    let ingest: @Sendable ([DeviceSample], Principal) throws -> Void

    public init(_ ingest: @escaping @Sendable ([DeviceSample], Principal) throws -> Void) { self.ingest = ingest }
}
