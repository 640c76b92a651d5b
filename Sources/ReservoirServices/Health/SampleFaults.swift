import ReservoirCore
import ReservoirStore

extension HealthContext {
    /// XID and ECC errors in samples the system took itself (an engine's telemetry: the simulator's
    /// failure drills, `engines.simulator.xidOnFailure`) fail their devices as an agent's would, attributed
    /// to `system:telemetry`. Samples of devices not in the inventory are left to telemetry's checks.
    @discardableResult
    public func recordFaults(in samples: [DeviceSample]) async throws -> DeviceHealthOutcome {
        let faulty = samples.filter { ($0.xidErrors ?? 0) > 0 || ($0.eccErrors ?? 0) > 0 }
        guard !faulty.isEmpty else { return DeviceHealthOutcome(events: [], displaced: []) }
        var byNode: [NodeID: [DeviceHealthChange]] = [:]
        for node in try store.inventory().nodes {
            for device in node.devices {
                let mine = faulty.filter { $0.device == device.id }
                let xids = mine.reduce(0) { $0 + ($1.xidErrors ?? 0) }
                let eccs = mine.reduce(0) { $0 + ($1.eccErrors ?? 0) }
                if xids > 0 {
                    byNode[node.id, default: []].append(DeviceHealthChange(
                        index: device.index, state: .failed, cause: .xid, detail: "\(xids) XID error\(xids == 1 ? "" : "s") in the engine's telemetry"))
                } else if eccs > 0 {
                    byNode[node.id, default: []].append(DeviceHealthChange(
                        index: device.index, state: .failed, cause: .ecc, detail: "\(eccs) uncorrectable ECC error\(eccs == 1 ? "" : "s") in the engine's telemetry"))
                }
            }
        }
        var outcome = DeviceHealthOutcome(events: [], displaced: [])
        for (node, changes) in byNode.sorted(by: { $0.key < $1.key }) {
            let applied = try await apply(node: node, changes, by: system("telemetry"))
            outcome.events += applied.events
            outcome.displaced += applied.displaced
        }
        return outcome
    }
}
