import GRDB
import ReservoirCore

/// Inference services (migration `v7-services`): the service rows, their adjustment records, the
/// tier-2/3 capacity requests, and the replicas found by the `service` tag in the job body.
extension SQLiteStore {
    // MARK: - Reads

    public func services(tenant: TenantID?) throws -> [InferenceService] {
        try db.read { db in
            let rows = try tenant.map {
                try String.fetchAll(db, sql: "SELECT body FROM service WHERE tenant = ? ORDER BY id", arguments: [$0.rawValue])
            } ?? String.fetchAll(db, sql: "SELECT body FROM service ORDER BY id")
            return try rows.map { try Self.decode(InferenceService.self, $0) }
        }
    }

    public func service(_ id: ServiceID) throws -> InferenceService? {
        try db.read { db in try Self.service(db, id) }
    }

    public func replicas(of service: ServiceID, states: Set<JobState>?) throws -> [Job] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM job WHERE json_extract(body, '$.service') = ? ORDER BY seq", arguments: [service.rawValue])
                .map { try Self.decode(Job.self, $0) }
                .filter { states?.contains($0.state) ?? true }
        }
    }

    public func orphanedReplicas() throws -> [Job] {
        let open = JobState.allCases.filter { !$0.isFinal }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try db.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT body FROM job WHERE state IN (\(open)) AND json_extract(body, '$.service') IS NOT NULL
                    AND json_extract(body, '$.service') NOT IN (SELECT id FROM service) ORDER BY seq
                    """
            ).map { try Self.decode(Job.self, $0) }
        }
    }

    public func adjustments(service: ServiceID, page: PageRequest) throws -> Page<ServiceAdjustment> {
        var query = Conditions()
        query.add("service = ?", service.rawValue)
        if let cursor = page.cursor { query.add("id > ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT id, body FROM service_adjustment\(query.whereClause) ORDER BY id", query.arguments, page, key: { [String($0["id"] as Int64)] }) {
                try Self.adjustment($0)
            }
        }
    }

    public func lastAdjustment(service: ServiceID) throws -> ServiceAdjustment? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT id, body FROM service_adjustment WHERE service = ? ORDER BY id DESC LIMIT 1", arguments: [service.rawValue])
                .map(Self.adjustment)
        }
    }

    public func lastReplicaChange(service: ServiceID) throws -> ServiceAdjustment? {
        try db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, body FROM service_adjustment WHERE service = ? AND (before != after OR kind = 'deployed') ORDER BY id DESC LIMIT 1",
                arguments: [service.rawValue]
            ).map(Self.adjustment)
        }
    }

    public func capacityRequests(tenant: TenantID?, state: CapacityRequestState?, page: PageRequest) throws -> Page<ServiceCapacityRequest> {
        var query = Conditions()
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if let state { query.add("state = ?", state.rawValue) }
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT seq, body FROM capacity_request\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try Self.decode(ServiceCapacityRequest.self, $0["body"])
            }
        }
    }

    public func capacityRequest(_ id: String) throws -> ServiceCapacityRequest? {
        try db.read { db in try Self.capacityRequest(db, id) }
    }

    // MARK: - Writes

    public func createService(_ service: InferenceService, adjustment: ServiceAdjustment, idempotency: IdempotencyKey?, by who: Attribution) throws -> ServiceAdjustment {
        try db.write { db in
            guard try Self.service(db, service.id) == nil else {
                throw ReservoirError(.alreadyExists, field: "name", "a service named \(service.id) exists")
            }
            try db.execute(
                sql: "INSERT INTO service (id, tenant, body) VALUES (?, ?, ?)", arguments: [service.id.rawValue, service.tenant.rawValue, try Self.json(service)])
            try Self.audit(db, who, action: "service.deploy", object: "services/\(service.id)", tenant: service.tenant, before: Nothing?.none, after: service)
            try Self.remember(db, idempotency, object: "services/\(service.id)", at: who.at)
            return try Self.insertAdjustment(db, adjustment, by: who)
        }
    }

    public func adjustService(
        _ id: ServiceID, adjustment: ServiceAdjustment, by who: Attribution, change: (inout InferenceService) throws -> Void
    ) throws -> (service: InferenceService, adjustment: ServiceAdjustment) {
        try db.write { db in
            guard let before = try Self.service(db, id) else { throw ReservoirError.notFound("id", "no service \(id)") }
            var after = before
            try change(&after)
            try db.execute(sql: "UPDATE service SET body = ? WHERE id = ?", arguments: [try Self.json(after), id.rawValue])
            try Self.audit(db, who, action: "service.\(adjustment.kind.rawValue)", object: "services/\(id)", tenant: after.tenant, before: before, after: after)
            return (after, try Self.insertAdjustment(db, adjustment, by: who))
        }
    }

    public func deleteService(_ id: ServiceID, adjustment: ServiceAdjustment, by who: Attribution) throws {
        try db.write { db in
            guard let before = try Self.service(db, id) else { throw ReservoirError.notFound("id", "no service \(id)") }
            try db.execute(sql: "DELETE FROM service WHERE id = ?", arguments: [id.rawValue])
            try Self.audit(db, who, action: "service.delete", object: "services/\(id)", tenant: before.tenant, before: before, after: Nothing?.none)
            _ = try Self.insertAdjustment(db, adjustment, by: who)
        }
    }

    public func recordCapacityRequest(_ request: ServiceCapacityRequest, adjustment: ServiceAdjustment, by who: Attribution) throws -> ServiceCapacityRequest {
        try db.write { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM capacity_request") ?? 1
            var request = request
            let digits = String(seq)
            request.id = "cr-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            if !request.nodes.isEmpty {
                try Self.moveNodes(db, request.nodes, into: request.pool, by: who)
                request.decidedAt = who.at
                request.decidedBy = who.actor
            }
            try db.execute(
                sql: "INSERT INTO capacity_request (seq, id, service, tenant, state, body) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [seq, request.id, request.service.rawValue, request.tenant.rawValue, request.state.rawValue, try Self.json(request)])
            try Self.audit(db, who, action: "capacity-request.create", object: "capacity-requests/\(request.id)", tenant: request.tenant, before: Nothing?.none, after: request)
            var adjustment = adjustment
            adjustment.request = request.id
            _ = try Self.insertAdjustment(db, adjustment, by: who)
            return request
        }
    }

    public func fulfilCapacityRequest(_ id: String, nodes: [NodeID], adjustment: ServiceAdjustment, by who: Attribution) throws -> ServiceCapacityRequest {
        try db.write { db in
            let before = try Self.openRequest(db, id)
            guard before.tier == .regionalReserve else {
                throw ReservoirError(.conflict, field: "id", "\(id) asks for a cross-region transfer, which is arranged outside Reservoir: close it when done")
            }
            try Self.moveNodes(db, nodes, into: before.pool, by: who)
            var after = before
            after.state = .fulfilled
            after.nodes = nodes
            after.decidedAt = who.at
            after.decidedBy = who.actor
            try Self.saveRequest(db, after)
            try Self.audit(db, who, action: "capacity-request.approve", object: "capacity-requests/\(id)", tenant: after.tenant, before: before, after: after)
            var adjustment = adjustment
            adjustment.request = id
            _ = try Self.insertAdjustment(db, adjustment, by: who)
            return after
        }
    }

    public func closeCapacityRequest(_ id: String, note: String, by who: Attribution) throws -> ServiceCapacityRequest {
        try db.write { db in
            let before = try Self.openRequest(db, id)
            var after = before
            after.state = .closed
            after.note = note
            after.decidedAt = who.at
            after.decidedBy = who.actor
            try Self.saveRequest(db, after)
            try Self.audit(db, who, action: "capacity-request.close", object: "capacity-requests/\(id)", tenant: after.tenant, before: before, after: after)
            return after
        }
    }

    // MARK: - Helpers

    static func service(_ db: Database, _ id: ServiceID) throws -> InferenceService? {
        try String.fetchOne(db, sql: "SELECT body FROM service WHERE id = ?", arguments: [id.rawValue]).map { try decode(InferenceService.self, $0) }
    }

    static func capacityRequest(_ db: Database, _ id: String) throws -> ServiceCapacityRequest? {
        try String.fetchOne(db, sql: "SELECT body FROM capacity_request WHERE id = ?", arguments: [id]).map { try decode(ServiceCapacityRequest.self, $0) }
    }

    private static func openRequest(_ db: Database, _ id: String) throws -> ServiceCapacityRequest {
        guard let request = try capacityRequest(db, id) else { throw ReservoirError.notFound("id", "no capacity request \(id)") }
        guard request.state.isOpen else { throw ReservoirError(.conflict, field: "state", "capacity request \(id) is already \(request.state.rawValue)") }
        return request
    }

    private static func saveRequest(_ db: Database, _ request: ServiceCapacityRequest) throws {
        try db.execute(sql: "UPDATE capacity_request SET state = ?, body = ? WHERE id = ?", arguments: [request.state.rawValue, try json(request), request.id])
    }

    private static func adjustment(_ row: Row) throws -> ServiceAdjustment {
        var adjustment = try decode(ServiceAdjustment.self, row["body"])
        adjustment.id = Int(row["id"] as Int64)
        return adjustment
    }

    /// Records an adjustment with its audit entry; a scaling also puts its notice into the outbox here, in the same transaction.
    private static func insertAdjustment(_ db: Database, _ adjustment: ServiceAdjustment, by who: Attribution) throws -> ServiceAdjustment {
        try db.execute(
            sql: """
                INSERT INTO service_adjustment (service, tenant, at, before, after, actor, tier, kind, reason, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                adjustment.service.rawValue, adjustment.tenant.rawValue, adjustment.at, adjustment.before, adjustment.after, adjustment.actor,
                adjustment.tier.rawValue, adjustment.kind.rawValue, adjustment.reason, try json(adjustment),
            ])
        var stored = adjustment
        stored.id = Int(db.lastInsertedRowID)
        try audit(db, who, action: "service.adjustment", object: "services/\(adjustment.service)/adjustments/\(stored.id)", tenant: adjustment.tenant, before: Nothing?.none, after: stored)
        if let notice = OutboxNotification.serviceScaled(stored) { try enqueue(db, notice) }
        return stored
    }

    /// Moves idle reserve nodes into `pool`; anything else (a busy node, one outside a reserve pool) refuses the move.
    private static func moveNodes(_ db: Database, _ nodes: [NodeID], into pool: PoolID, by who: Attribution) throws {
        for id in nodes {
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM node WHERE id = ?", arguments: [id.rawValue]) else {
                throw ReservoirError.notFound("nodes", "no node \(id)")
            }
            let before = try decode(Node.self, body)
            let from = try String.fetchOne(db, sql: "SELECT body FROM pool WHERE id = ?", arguments: [before.pool.rawValue]).map { try decode(Pool.self, $0) }
            guard from?.isRegionalReserve == true else {
                throw ReservoirError(.conflict, field: "nodes", "node \(id) is in pool \(before.pool), which is no reserve pool")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM allocation WHERE node = ? LIMIT 1", arguments: [id.rawValue]) == nil else {
                throw ReservoirError(.conflict, field: "nodes", "node \(id) holds work and cannot leave the reserve")
            }
            var after = before
            after.pool = pool
            try db.execute(sql: "UPDATE node SET pool = ?, body = ? WHERE id = ?", arguments: [pool.rawValue, try json(after), id.rawValue])
            try audit(db, who, action: "node.move", object: "nodes/\(id)", before: before, after: after)
        }
    }
}
