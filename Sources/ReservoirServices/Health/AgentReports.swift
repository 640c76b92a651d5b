import ReservoirCore
import ReservoirStore

/// What the server did with an agent report.
public struct AgentReportReceipt: Codable, Hashable, Sendable {
    public var node: NodeID
    public var devices: Int
    /// Samples handed on to telemetry.
    public var samples: Int
    /// Health changes the report caused (failures, recoveries), in order.
    public var events: [DeviceHealthEvent]
    /// Jobs taken off devices that left service.
    public var requeued: [JobID]
    public var failed: [JobID]
    /// Devices that reported healthy again but stay out of service until an operator returns them.
    public var awaitingOperator: [DeviceID]

    public init(node: NodeID, devices: Int, samples: Int, events: [DeviceHealthEvent], requeued: [JobID], failed: [JobID], awaitingOperator: [DeviceID]) {
        (self.node, self.devices, self.samples, self.events) = (node, devices, samples, events)
        (self.requeued, self.failed, self.awaitingOperator) = (requeued, failed, awaitingOperator)
    }
}

extension HealthContext {
    /// A node agent's report: the whole report is checked first (unknown node → 404 naming `node`;
    /// unknown devices, duplicated or out-of-order samples, too many → 400 naming the field), then its
    /// samples go on to telemetry, which refuses values out of range the same way; a refused report
    /// stores nothing. Then the
    /// discovery is reconciled with the inventory: a device of the node the agent did not find fails
    /// (`missing`), XID or ECC errors fail it (`xid`, `ecc`), a MIG mode change is recorded, and a failed
    /// device found healthy again returns to service when the policy says so (`recovered`).
    public func report(_ report: AgentReport, by principal: Principal) async throws -> AgentReportReceipt {
        try access.require(principal, .reportTelemetry, tenant: nil)
        guard let node = try store.node(report.node) else {
            throw ReservoirError.notFound("node", "no node \(report.node) in the inventory")
        }
        try validate(report, node: node)
        try telemetry.ingest(report.samples, principal)

        let who = attribution(principal)
        var changes: [DeviceHealthChange] = []
        var awaiting: [DeviceID] = []
        let found = Dictionary(uniqueKeysWithValues: report.devices.map { ($0.index, $0) })
        for device in node.devices where device.kind != .cpu {
            guard let seen = found[device.index] else {
                changes.append(DeviceHealthChange(
                    index: device.index, state: .failed, cause: .missing,
                    detail: "not in the node agent's discovery (it found \(report.devices.count) GPU\(report.devices.count == 1 ? "" : "s"))"))
                continue
            }
            let samples = report.samples.filter { $0.device == device.id }
            let xids = samples.reduce(0) { $0 + ($1.xidErrors ?? 0) }
            let eccs = samples.reduce(0) { $0 + ($1.eccErrors ?? 0) }
            let mig = seen.migEnabled.flatMap { $0 != device.inMIGMode ? $0 : nil }
            if xids > 0 {
                let code = seen.lastXid.flatMap { $0 != 0 ? "XID \($0), " : nil } ?? ""
                changes.append(DeviceHealthChange(index: device.index, state: .failed, cause: .xid, detail: "\(code)\(xids) XID error\(xids == 1 ? "" : "s") reported", migEnabled: mig))
            } else if eccs > 0 {
                changes.append(DeviceHealthChange(index: device.index, state: .failed, cause: .ecc, detail: "\(eccs) uncorrectable ECC error\(eccs == 1 ? "" : "s") reported", migEnabled: mig))
            } else if device.state == .failed, let last = try store.healthEvents(device: device.id, page: PageRequest(limit: 1)).items.first,
                      last.to == .failed, last.isFault {
                // Found again with no new errors after a fault the agent saw.
                if configuration.health.recovery == .automatic {
                    changes.append(DeviceHealthChange(
                        index: device.index, state: .available, cause: .recovered, detail: "reported healthy again after \(last.cause.rawValue)", migEnabled: mig))
                } else {
                    awaiting.append(device.id)
                    if let mig { changes.append(.migMode(index: device.index, enabled: mig)) }
                }
            } else if let mig {
                changes.append(.migMode(index: device.index, enabled: mig))
            }
        }
        let outcome = try await apply(node: node.id, changes, by: who)
        return AgentReportReceipt(
            node: node.id, devices: report.devices.count, samples: report.samples.count, events: outcome.events,
            requeued: outcome.displaced.filter { $0.state.isPending }.map(\.id), failed: outcome.displaced.filter { $0.state == .failed }.map(\.id),
            awaitingOperator: awaiting)
    }

    /// Every field of the report against the node and the bounds; the first problem is the answer.
    func validate(_ report: AgentReport, node: Node) throws {
        try Bounds.check(report.devices.count, "devices", in: Bounds.nodeGPUs, unit: "devices")
        try Bounds.check(report.samples.count, "samples", in: Bounds.agentSamples, unit: "samples")
        var indices = Set<Int>()
        for (i, device) in report.devices.enumerated() {
            let field = "devices[\(i)]"
            guard node.devices.contains(where: { $0.index == device.index }) else {
                throw ReservoirError.invalid("\(field).index", "node \(node.id) has no device \(device.index) in the inventory")
            }
            guard indices.insert(device.index).inserted else { throw ReservoirError.invalid("\(field).index", "device \(device.index) is listed twice") }
            try InputLimits.text(device.name, field: "\(field).name", maxBytes: InputLimits.nameBytes)
            if let uuid = device.uuid { try InputLimits.text(uuid, field: "\(field).uuid", maxBytes: InputLimits.nameBytes) }
            if let model = device.model { try InputLimits.text(model, field: "\(field).model", maxBytes: InputLimits.symbolBytes) }
            if let memory = device.memoryMiB { try Bounds.check(memory, "\(field).memoryMiB", in: Bounds.catalogMemoryMiB, unit: "MiB") }
            if let xid = device.lastXid { try Bounds.check(xid, "\(field).lastXid", in: Bounds.reportedXid) }
            try InputLimits.count(device.migInstances.count, field: "\(field).migInstances")
            try InputLimits.count(device.links.count, field: "\(field).links")
            for (j, mig) in device.migInstances.enumerated() {
                if let profile = mig.profile { try InputLimits.text(profile, field: "\(field).migInstances[\(j)].profile", maxBytes: InputLimits.symbolBytes) }
                if let uuid = mig.uuid { try InputLimits.text(uuid, field: "\(field).migInstances[\(j)].uuid", maxBytes: InputLimits.nameBytes) }
                for (value, name) in [(mig.gpuInstance, "gpuInstance"), (mig.computeInstance, "computeInstance")] {
                    if let value { try Bounds.check(value, "\(field).migInstances[\(j)].\(name)", in: 0...1_000) }
                }
                for (value, name) in [(mig.memoryMiB, "memoryMiB"), (mig.memoryUsedMiB, "memoryUsedMiB")] {
                    if let value { try Bounds.check(value, "\(field).migInstances[\(j)].\(name)", in: Bounds.catalogMemoryMiB, unit: "MiB") }
                }
            }
            for (j, link) in device.links.enumerated() {
                try Bounds.check(link.peer, "\(field).links[\(j)].peer", in: Bounds.nodeGPUs)
                try InputLimits.text(link.kind, field: "\(field).links[\(j)].kind", maxBytes: 16)
            }
        }
        // Each sample's values are telemetry's to check (`TelemetryContext.ingest`); what only a report can
        // get wrong is checked here: a sample of another node's device, two of one device at one instant,
        // or a device's samples out of order.
        let devices = Set(node.devices.map(\.id))
        var last: [DeviceID: Double] = [:]
        for (i, sample) in report.samples.enumerated() {
            let field = "samples[\(i)]"
            guard devices.contains(sample.device) else {
                throw ReservoirError.invalid("\(field).device", "\(sample.device) is not a device of node \(node.id)")
            }
            if let previous = last[sample.device] {
                guard sample.at != previous else { throw ReservoirError.invalid("\(field).at", "a second sample of \(sample.device) at the same instant") }
                guard sample.at > previous else { throw ReservoirError.invalid("\(field).at", "samples of \(sample.device) must be oldest first") }
            }
            last[sample.device] = sample.at
        }
    }
}
