import GRDB
import ReservoirCore

/// Resource requests and their grants (migration `v9-requests`). Every write is one transaction holding
/// the request, the grant it creates or changes, the notices announcing it (the outbox) and the audit
/// entries; a change re-reads the request inside that transaction, so two concurrent decisions are
/// serialized and the second meets the first's state.
extension SQLiteStore {
    // MARK: - Reads

    public func request(_ id: RequestID) throws -> AllocationRequest? {
        try db.read { db in try Self.request(db, id) }
    }

    public func requests(_ filter: RequestFilter, page: PageRequest) throws -> Page<AllocationRequest> {
        var query = Conditions()
        if let tenant = filter.tenant { query.add("tenant = ?", tenant.rawValue) }
        if let states = filter.states, !states.isEmpty {
            let sorted = states.map(\.rawValue).sorted()
            query.add("state IN (\(sorted.map { _ in "?" }.joined(separator: ",")))", arguments: sorted)
        }
        if let applicant = filter.applicant { query.add("applicant = ?", applicant.rawValue) }
        if let reviewer = filter.reviewer { query.add("seq IN (SELECT request FROM request_reviewer WHERE reviewer = ?)", reviewer.rawValue) }
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT seq, body FROM request\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try Self.decode(AllocationRequest.self, $0["body"])
            }
        }
    }

    public func overdueRequests(at time: Double) throws -> [AllocationRequest] {
        try db.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT body FROM request WHERE due_at < ? AND escalated_at IS NULL AND state IN ('submitted', 'under-review')
                    ORDER BY due_at, seq
                    """,
                arguments: [time]
            ).map { try Self.decode(AllocationRequest.self, $0) }
        }
    }

    public func grant(_ id: GrantID) throws -> Grant? {
        try db.read { db in try Self.grant(db, id) }
    }

    /// Grants in state active, decoded once per change of the grant table (memoised: read by every submission and cycle).
    public func activeGrants() throws -> [Grant] {
        try memoised(caches.activeGrants, tables: ["resource_grant"], Self.readActiveGrants)
    }

    static func readActiveGrants(_ db: Database) throws -> [Grant] {
        try String.fetchAll(db, sql: "SELECT body FROM resource_grant WHERE state = ? ORDER BY seq", arguments: [GrantState.active.rawValue])
            .map { try Self.decode(Grant.self, $0) }
    }

    public func grants(tenant: TenantID?, state: GrantState?, emergency: Bool?, page: PageRequest) throws -> Page<Grant> {
        var query = Conditions()
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if let state { query.add("state = ?", state.rawValue) }
        if let emergency { query.add("emergency = ?", emergency) }
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT seq, body FROM resource_grant\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try Self.decode(Grant.self, $0["body"])
            }
        }
    }

    // MARK: - Writes

    public func createRequest(
        _ request: AllocationRequest, grant: Grant?, notices: [OutboxNotification], idempotency: IdempotencyKey?, by who: Attribution
    ) throws {
        try db.write { db in
            try Self.insert(db, NewRequest(request: request, grant: grant, notices: notices), seq: nil, idempotency: idempotency, by: who)
        }
    }

    public func createRequest(
        idempotency: IdempotencyKey?, by who: Attribution, build: (RequestID) throws -> NewRequest
    ) throws -> NewRequest {
        try db.write { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM request") ?? 1
            let new = try build(.numbered(seq))
            try Self.insert(db, new, seq: seq, idempotency: idempotency, by: who)
            return new
        }
    }

    @discardableResult
    public func updateRequest(
        _ id: RequestID, action: String, by who: Attribution, change: (inout AllocationRequest) throws -> RequestChangeEffects
    ) throws -> AllocationRequest {
        try db.write { db in
            guard let before = try Self.request(db, id) else { throw ReservoirError.notFound("id", "no request \(id)") }
            var after = before
            let effects = try change(&after)
            guard after.id == before.id, after.tenant == before.tenant else {
                throw ReservoirError(.conflict, field: "id", "a request change cannot move request \(id) to another id or tenant")
            }
            try Self.save(db, after)
            try Self.audit(db, who, action: "request.\(action)", object: "requests/\(id)", tenant: after.tenant, before: before, after: after)
            if let grant = effects.grant { try Self.store(db, grant, action: action, by: who) }
            for notice in effects.notices { try Self.enqueue(db, notice) }
            return after
        }
    }

    @discardableResult
    public func updateGrant(
        _ id: GrantID, action: String, by who: Attribution, change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification]
    ) throws -> Grant {
        try db.write { db in try Self.changeGrant(db, id, action: action, by: who, change: change) }
    }

    // MARK: - Helpers

    /// Applies `change` to grant `id` and its request inside the caller's transaction: both rows, their
    /// audit entries and the notices it returns (shared by `updateGrant` and `reclaimGrant`).
    static func changeGrant(
        _ db: Database, _ id: GrantID, action: String, by who: Attribution, change: (inout Grant, inout AllocationRequest) throws -> [OutboxNotification]
    ) throws -> Grant {
        guard let grant = try Self.grant(db, id) else { throw ReservoirError.notFound("id", "no grant \(id)") }
        guard let request = try Self.request(db, grant.request) else {
            throw ReservoirError(.unavailable, "grant \(id) names request \(grant.request), which is not stored")
        }
        var (newGrant, newRequest) = (grant, request)
        let notices = try change(&newGrant, &newRequest)
        guard newGrant.id == id, newRequest.id == request.id else {
            throw ReservoirError(.conflict, field: "id", "a grant change cannot rename grant \(id) or its request")
        }
        try Self.store(db, newGrant, action: action, by: who)
        if newRequest != request {
            try Self.save(db, newRequest)
            try Self.audit(db, who, action: "request.\(action)", object: "requests/\(request.id)", tenant: request.tenant, before: request, after: newRequest)
        }
        for notice in notices { try Self.enqueue(db, notice) }
        return newGrant
    }

    static func request(_ db: Database, _ id: RequestID) throws -> AllocationRequest? {
        try String.fetchOne(db, sql: "SELECT body FROM request WHERE id = ?", arguments: [id.rawValue]).map { try decode(AllocationRequest.self, $0) }
    }

    static func grant(_ db: Database, _ id: GrantID) throws -> Grant? {
        try String.fetchOne(db, sql: "SELECT body FROM resource_grant WHERE id = ?", arguments: [id.rawValue]).map { try decode(Grant.self, $0) }
    }

    /// Inserts a new request (under `seq` when numbered here, else the next row) with its grant, notices,
    /// audit entry and idempotency key.
    private static func insert(_ db: Database, _ new: NewRequest, seq: Int64?, idempotency: IdempotencyKey?, by who: Attribution) throws {
        let request = new.request
        guard try self.request(db, request.id) == nil else {
            throw ReservoirError(.alreadyExists, field: "id", "a request \(request.id) exists")
        }
        try db.execute(
            sql: "INSERT INTO request (seq, id, tenant, applicant, state, due_at, escalated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                seq, request.id.rawValue, request.tenant.rawValue, request.applicant.rawValue, request.state.rawValue, request.routing?.dueAt,
                request.routing?.escalatedAt, try json(request),
            ])
        try saveReviewers(db, request, seq: db.lastInsertedRowID)
        try audit(db, who, action: "request.submit", object: "requests/\(request.id)", tenant: request.tenant, before: Nothing?.none, after: request)
        if let grant = new.grant { try store(db, grant, action: "submit", by: who) }
        for notice in new.notices { try enqueue(db, notice) }
        try remember(db, idempotency, object: "requests/\(request.id)", at: who.at)
    }

    /// Rewrites a stored request: its body, the columns lists read, and its current reviewers.
    private static func save(_ db: Database, _ request: AllocationRequest) throws {
        try db.execute(
            sql: "UPDATE request SET state = ?, due_at = ?, escalated_at = ?, body = ? WHERE id = ?",
            arguments: [request.state.rawValue, request.routing?.dueAt, request.routing?.escalatedAt, try json(request), request.id.rawValue])
        guard let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM request WHERE id = ?", arguments: [request.id.rawValue]) else { return }
        try db.execute(sql: "DELETE FROM request_reviewer WHERE request = ?", arguments: [seq])
        try saveReviewers(db, request, seq: seq)
    }

    /// Records who may decide the request now; a decided request is in no one's inbox.
    private static func saveReviewers(_ db: Database, _ request: AllocationRequest, seq: Int64) throws {
        guard request.state.awaitsDecision, let reviewers = request.routing?.reviewers else { return }
        for reviewer in Set(reviewers) {
            try db.execute(sql: "INSERT INTO request_reviewer (reviewer, request) VALUES (?, ?)", arguments: [reviewer.rawValue, seq])
        }
    }

    /// Inserts or rewrites a grant, with its audit entry (`grant.create` the first time, else `grant.<action>`).
    private static func store(_ db: Database, _ grant: Grant, action: String, by who: Attribution) throws {
        let before = try self.grant(db, grant.id)
        guard before != grant else { return }
        if let before {
            guard before.request == grant.request, before.tenant == grant.tenant else {
                throw ReservoirError(.conflict, field: "grant", "grant \(grant.id) belongs to request \(before.request) of \(before.tenant)")
            }
            try db.execute(
                sql: "UPDATE resource_grant SET pool = ?, state = ?, emergency = ?, starts_at = ?, ends_at = ?, body = ? WHERE id = ?",
                arguments: [grant.pool.rawValue, grant.state.rawValue, grant.emergency != nil, grant.startsAt, grant.endsAt, try json(grant), grant.id.rawValue])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO resource_grant (id, request, tenant, pool, state, emergency, starts_at, ends_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    grant.id.rawValue, grant.request.rawValue, grant.tenant.rawValue, grant.pool.rawValue, grant.state.rawValue, grant.emergency != nil,
                    grant.startsAt, grant.endsAt, try json(grant),
                ])
        }
        try audit(
            db, who, action: before == nil ? "grant.create" : "grant.\(action)", object: "grants/\(grant.id)", tenant: grant.tenant, before: before,
            after: grant)
    }
}
