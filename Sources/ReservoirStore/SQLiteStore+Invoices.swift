import Foundation
import GRDB
import ReservoirCore

/// Issued invoices and prepaid credits (migration `v13-invoices`). An issued invoice is kept as the
/// bytes first served, keyed by (tenant, period), so it is never recomputed; amounts are stored as
/// exact decimal text, never as SQLite reals.
extension SQLiteStore {
    // MARK: - Reads

    public func issuedInvoice(tenant: TenantID, period: String) throws -> Data? {
        try db.read { db in try Self.issuedInvoice(db, tenant: tenant, period: period) }
    }

    public func credits(tenant: TenantID) throws -> [Credit] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, tenant, amount, note, at, actor FROM credit WHERE tenant = ? ORDER BY seq", arguments: [tenant.rawValue])
                .map(Self.credit)
        }
    }

    public func credit(_ id: String) throws -> Credit? {
        guard id.hasPrefix("credit-"), let seq = Int64(id.dropFirst("credit-".count)) else { return nil }
        return try db.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, tenant, amount, note, at, actor FROM credit WHERE seq = ?", arguments: [seq]).map(Self.credit)
        }
    }

    // MARK: - Writes

    public func issueInvoice(tenant: TenantID, period: String, document: Data, total: Money, by who: Attribution) throws -> Data {
        try db.write { db in
            if let stored = try Self.issuedInvoice(db, tenant: tenant, period: period) { return stored }
            try db.execute(
                sql: "INSERT INTO invoice (tenant, period, issued_at, total, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [tenant.rawValue, period, who.at, total.exactText, String(decoding: document, as: UTF8.self)])
            try Self.audit(
                db, who, action: "invoice.issue", object: "invoices/\(tenant)/\(period)", tenant: tenant, before: Nothing?.none,
                after: ["period": period, "total": total.exactText])
            return document
        }
    }

    public func addCredit(tenant: TenantID, amount: Money, note: String, idempotency: IdempotencyKey?, by who: Attribution) throws -> Credit {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO credit (tenant, amount, note, at, actor) VALUES (?, ?, ?, ?, ?)",
                arguments: [tenant.rawValue, amount.exactText, note, who.at, who.actor])
            let credit = Credit(id: "credit-\(db.lastInsertedRowID)", tenant: tenant, amount: amount, note: note, at: who.at, actor: who.actor)
            try Self.audit(db, who, action: "credit.add", object: "tenants/\(tenant)/credits/\(credit.id)", tenant: tenant, before: Nothing?.none, after: credit)
            try Self.remember(db, idempotency, object: "credits/\(credit.id)", at: who.at)
            return credit
        }
    }

    // MARK: - Helpers

    private static func issuedInvoice(_ db: Database, tenant: TenantID, period: String) throws -> Data? {
        try String.fetchOne(db, sql: "SELECT body FROM invoice WHERE tenant = ? AND period = ?", arguments: [tenant.rawValue, period]).map { Data($0.utf8) }
    }

    private static func credit(_ row: Row) throws -> Credit {
        let text: String = row["amount"]
        guard let amount = Money(text) else { throw ReservoirError(.unavailable, "credit \(row["seq"] as Int64) holds an unreadable amount") }
        return Credit(
            id: "credit-\(row["seq"] as Int64)", tenant: TenantID(row["tenant"] as String), amount: amount, note: row["note"], at: row["at"],
            actor: row["actor"])
    }
}
