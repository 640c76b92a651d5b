import GRDB
import ReservoirCore

/// Pages of every list, by key: each query filters, resumes after the cursor's sort key and stops at
/// `limit + 1` rows through an index that ends in the list's order (see migration `v6-list-pages`), so
/// a page costs the same on page 1 and page 500 and never decodes more than one page of bodies.
extension SQLiteStore {
    public func jobs(_ filter: JobListFilter, page: PageRequest) throws -> Page<Job> {
        var query = Self.jobConditions(filter)
        if let cursor = page.cursor { query.add("seq < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT seq, change_seq, body FROM job\(query.whereClause) ORDER BY seq DESC", query.arguments, page, key: { [String($0["seq"] as Int64)] }) {
                try decodedJob($0)
            }
        }
    }

    public func countJobs(_ filter: JobListFilter) throws -> Int {
        let query = Self.jobConditions(filter)
        return try db.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job\(query.whereClause)", arguments: StatementArguments(query.arguments)) ?? 0
        }
    }

    public func events(job: JobID, page: PageRequest) throws -> Page<JobEvent> {
        var query = Conditions()
        query.add("job = ?", job.rawValue)
        if let cursor = page.cursor { query.add("id > ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT * FROM job_event\(query.whereClause) ORDER BY id", query.arguments, page, key: { [String($0["id"] as Int64)] }) {
                JobEvent(at: $0["at"], kind: $0["kind"], message: $0["message"])
            }
        }
    }

    public func auditEntries(_ filter: AuditListFilter, page: PageRequest) throws -> Page<AuditEntry> {
        var query = Conditions()
        if let object = filter.object { query.add("(object = ? OR object LIKE ?)", object, object + "/%") }
        if let tenant = filter.tenant { query.add("tenant = ?", tenant.rawValue) }
        if let since = filter.since { query.add("at >= ?", since) }
        if let until = filter.until { query.add("at < ?", until) }
        if let actor = filter.actor { query.add("actor = ?", actor) }
        if let action = filter.action { query.add("(action = ? OR action LIKE ?)", action, action + ".%") }
        if let cursor = page.cursor { query.add("id < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT * FROM audit\(query.whereClause) ORDER BY id DESC", query.arguments, page, key: { [String($0["id"] as Int64)] }) {
                AuditEntry(row: $0)
            }
        }
    }

    public func tenants(page: PageRequest) throws -> Page<Tenant> {
        var query = Conditions()
        if let cursor = page.cursor { query.add("id > ?", try cursor.text(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT id, body FROM tenant\(query.whereClause) ORDER BY id", query.arguments, page, key: { [$0["id"]] }) {
                try Self.decode(Tenant.self, $0["body"])
            }
        }
    }

    public func users(tenant: TenantID?, page: PageRequest) throws -> Page<User> {
        var query = Conditions()
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if let cursor = page.cursor { query.add("id > ?", try cursor.text(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT id, body FROM user\(query.whereClause) ORDER BY id", query.arguments, page, key: { [$0["id"]] }) {
                try Self.decode(User.self, $0["body"])
            }
        }
    }

    /// Oldest first, as `tokens(user:)`; two tokens made in the same instant are ordered by id.
    public func tokens(user: UserID?, page: PageRequest) throws -> Page<TokenInfo> {
        var query = Conditions()
        if let user { query.add("user = ?", user.rawValue) }
        if let cursor = page.cursor { query.add("(created_at, id) > (?, ?)", try cursor.number(0), try cursor.text(1)) }
        return try db.read { db in
            try Self.page(
                db, "SELECT * FROM token\(query.whereClause) ORDER BY created_at, id", query.arguments, page,
                key: { [String($0["created_at"] as Double), $0["id"]] }, item: TokenInfo.init(row:))
        }
    }

    public func quotas(tenant: TenantID?, pool: PoolID?, page: PageRequest) throws -> Page<Quota> {
        var query = Conditions()
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if let pool { query.add("pool = ?", pool.rawValue) }
        if let cursor = page.cursor { query.add("(tenant, pool, model) > (?, ?, ?)", try cursor.text(0), try cursor.text(1), try cursor.text(2)) }
        return try db.read { db in
            try Self.page(
                db, "SELECT * FROM quota\(query.whereClause) ORDER BY tenant, pool, model", query.arguments, page,
                key: { [$0["tenant"], $0["pool"], $0["model"]] }, item: Self.quota(row:))
        }
    }

    public func nodes(pool: PoolID?, state: NodeState?, page: PageRequest) throws -> Page<Node> {
        var query = Conditions()
        if let pool { query.add("pool = ?", pool.rawValue) }
        if let state { query.add("json_extract(body, '$.state') = ?", state.rawValue) }
        if let cursor = page.cursor { query.add("id > ?", try cursor.text(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT id, body FROM node\(query.whereClause) ORDER BY id", query.arguments, page, key: { [$0["id"]] }) {
                try Self.decode(Node.self, $0["body"])
            }
        }
    }

    public func forecastRecords(page: PageRequest) throws -> Page<ForecastRecord> {
        var query = Conditions()
        if let cursor = page.cursor { query.add("id < ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT id, body FROM forecast_record\(query.whereClause) ORDER BY id DESC", query.arguments, page, key: { [String($0["id"] as Int64)] }) {
                var record = try Self.decode(ForecastRecord.self, $0["body"])
                record.id = $0["id"]
                return record
            }
        }
    }

    /// Sessions overlapping `[since, until)`, oldest first.
    public func usageSessions(tenant: TenantID?, since: Double, until: Double, openOnly: Bool, page: PageRequest) throws -> Page<UsageSession> {
        var query = Conditions()
        Self.usageOverlap(&query, since: since, until: until)
        if let tenant { query.add("tenant = ?", tenant.rawValue) }
        if openOnly { query.add("ended_at IS NULL") }
        if let cursor = page.cursor { query.add("id > ?", try cursor.integer(0)) }
        return try db.read { db in
            try Self.page(db, "SELECT * FROM usage_session\(query.whereClause) ORDER BY id", query.arguments, page, key: { [String($0["id"] as Int64)] }, item: Self.usageSession(row:))
        }
    }

    // MARK: - Helpers

    /// The conditions of a job list, shared by its pages and its count.
    static func jobConditions(_ filter: JobListFilter) -> Conditions {
        var query = Conditions()
        if let tenant = filter.tenant { query.add("tenant = ?", tenant.rawValue) }
        if let states = filter.states, !states.isEmpty {
            let sorted = states.map(\.rawValue).sorted()
            query.add("state IN (\(sorted.map { _ in "?" }.joined(separator: ",")))", arguments: sorted)
        }
        if let pool = filter.pool { query.add("pool = ?", pool.rawValue) }
        if let since = filter.since { query.add("submitted_at >= ?", since) }
        if let until = filter.until { query.add("submitted_at < ?", until) }
        // A grant's jobs are few and of one tenant: name the tenant too and the tenant index finds them.
        if let grant = filter.grant { query.add("json_extract(body, '$.grant') = ?", grant.rawValue) }
        return query
    }

    /// Runs an ordered `sql` with `LIMIT limit + 1` and turns the rows into a page (the extra row only says more exist).
    static func page<Item>(
        _ db: Database, _ sql: String, _ arguments: [any DatabaseValueConvertible], _ request: PageRequest,
        key: (Row) -> [String], item: (Row) throws -> Item
    ) throws -> Page<Item> {
        let rows = try Row.fetchAll(db, sql: sql + " LIMIT ?", arguments: StatementArguments(arguments + [request.fetchLimit]))
        let kept = rows.prefix(request.limit)
        return Page(items: try kept.map(item), next: rows.count > request.limit ? kept.last.map { Cursor(key: key($0)) } : nil)
    }
}

/// A WHERE clause built condition by condition, with its arguments in order.
struct Conditions {
    private var clauses: [String] = []
    private(set) var arguments: [any DatabaseValueConvertible] = []

    mutating func add(_ clause: String, _ values: any DatabaseValueConvertible...) { add(clause, arguments: values) }

    mutating func add(_ clause: String, arguments values: [any DatabaseValueConvertible]) {
        clauses.append(clause)
        arguments.append(contentsOf: values)
    }

    /// ` WHERE a AND b`, or empty.
    var whereClause: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }
}
