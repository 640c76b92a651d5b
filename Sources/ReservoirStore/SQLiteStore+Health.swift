import GRDB
import ReservoirCore

/// Device health: state changes with their cause, the jobs they displace, and the history.
extension SQLiteStore {
    public func changeDeviceHealth(node id: NodeID, _ changes: [DeviceHealthChange], displaced policy: DisplacedWork, by who: Attribution) throws -> DeviceHealthOutcome {
        try db.write { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [id.rawValue]) else {
                throw ReservoirError.notFound("node", "no node \(id)")
            }
            let before = try Self.decode(Node.self, body)
            var node = before
            var events: [DeviceHealthEvent] = []
            var leaving: [(device: DeviceID, reason: String)] = []
            for change in changes {
                guard let i = node.devices.firstIndex(where: { $0.index == change.index }) else {
                    throw ReservoirError.notFound("device", "node \(id) has no device \(change.index)")
                }
                let device = node.devices[i]
                if let mig = change.migEnabled, mig != device.inMIGMode {
                    node.devices[i].migEnabled = mig ? true : nil
                    try Self.audit(
                        db, who, action: "device.mig-mode", object: "devices/\(device.id)", before: ["migEnabled": device.inMIGMode], after: ["migEnabled": mig])
                }
                guard let state = change.state, state != device.state else { continue }
                node.devices[i].state = state
                let event = DeviceHealthEvent(
                    device: device.id, node: id, at: who.at, from: device.state, to: state, cause: change.cause, detail: change.detail, actor: who.actor)
                try db.execute(
                    sql: "INSERT INTO device_health (device, node, at, from_state, to_state, cause, detail, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [device.id.rawValue, id.rawValue, who.at, device.state.rawValue, state.rawValue, change.cause.rawValue, change.detail, who.actor])
                try Self.audit(db, who, action: "device.\(state.rawValue)", object: "devices/\(device.id)", before: Optional<DeviceHealthEvent>.none, after: event)
                events.append(event)
                if !state.isSchedulable { leaving.append((device.id, "device \(device.id) \(state.rawValue) (\(change.cause.rawValue): \(change.detail))")) }
            }
            guard node != before else { return DeviceHealthOutcome(events: [], displaced: []) }
            try db.execute(sql: "UPDATE node SET body = ? WHERE id = ?", arguments: [try Self.json(node), id.rawValue])
            var displaced: [Job] = []
            for (device, reason) in leaving {
                let jobs = try String.fetchAll(db, sql: "SELECT DISTINCT job FROM allocation WHERE device = ? ORDER BY job", arguments: [device.rawValue])
                for job in jobs.map({ JobID($0) }) where !displaced.contains(where: { $0.id == job }) {
                    if let moved = try Self.displace(db, job, reason: reason, policy: policy, by: who) { displaced.append(moved) }
                }
            }
            return DeviceHealthOutcome(events: events, displaced: displaced)
        }
    }

    /// Takes a job off a device that left service: requeued with its progress kept, or failed; a job
    /// whose cancel is under way is cancelled. Its allocations go in the same transaction.
    private static func displace(_ db: Database, _ id: JobID, reason: String, policy: DisplacedWork, by who: Attribution) throws -> Job? {
        guard let job = try Self.job(db, id) else { return nil }
        let ran: (inout Job) -> Void = { $0.progressSeconds += max(0, who.at - ($0.startedAt ?? who.at)) }
        if job.pendingEngineCall?.endsJob == true {
            return try transition(db, id, from: [.admitted, .running], to: .cancelled, by: who, message: "cancelled (\(reason))") { $0.finishedAt = who.at }
        }
        switch policy {
        case .requeue:
            return try transition(db, id, from: [.admitted, .running], to: .preempted, by: who, message: "requeued with progress kept: \(reason)") {
                ran(&$0)
                $0.startedAt = nil
            }
        case .fail:
            return try transition(db, id, from: [.admitted, .running], to: .failed, by: who, message: "failed: \(reason)") {
                ran(&$0)
                $0.finishedAt = who.at
                $0.message = "failed: \(reason)"
            }
        }
    }

    public func healthEvents(device: DeviceID?, since: Double) throws -> [DeviceHealthEvent] {
        var query = Conditions()
        if let device { query.add("device = ?", device.rawValue) }
        query.add("at >= ?", since)
        return try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device_health\(query.whereClause) ORDER BY at, id", arguments: StatementArguments(query.arguments)).map(Self.healthEvent)
        }
    }

    public func healthEvents(device: DeviceID, page: PageRequest) throws -> Page<DeviceHealthEvent> {
        var query = Conditions()
        query.add("device = ?", device.rawValue)
        if let cursor = page.cursor { query.add("id < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT * FROM device_health\(query.whereClause) ORDER BY id DESC", query.arguments, page, key: { [String($0["id"] as Int64)] }, item: Self.healthEvent)
        }
    }

    private static func healthEvent(_ row: Row) throws -> DeviceHealthEvent {
        guard let from = DeviceState(rawValue: row["from_state"]), let to = DeviceState(rawValue: row["to_state"]), let cause = HealthCause(rawValue: row["cause"]) else {
            throw ReservoirError(.unavailable, "unreadable device_health row \(row["id"] as Int64)")
        }
        return DeviceHealthEvent(device: DeviceID(row["device"]), node: NodeID(row["node"]), at: row["at"], from: from, to: to, cause: cause, detail: row["detail"], actor: row["actor"])
    }
}
