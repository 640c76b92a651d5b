import Foundation
import ReservoirCore

/// Reads of issued invoices and prepaid credits.
public protocol InvoiceReader: Sendable {
    /// The invoice issued for `tenant` and `period` (`YYYY-MM`), as the exact bytes first served; nil when
    /// none was issued yet.
    func issuedInvoice(tenant: TenantID, period: String) throws -> Data?
    /// Every credit of the tenant, oldest first.
    func credits(tenant: TenantID) throws -> [Credit]
    /// The credit `credit-<n>`, if any.
    func credit(_ id: String) throws -> Credit?
}

/// The invoices context's port. An invoice of a month that is over is issued once: the first document
/// stored for (tenant, period) is kept, and a second issue (a concurrent reader, a retry) returns it
/// unchanged, so a closed month is served byte-identical for ever. Credits are appended, never edited.
public protocol InvoiceStore: InvoiceReader {
    /// Stores `document` as the issued invoice of (`tenant`, `period`) with its audit entry, unless one is
    /// stored already; returns the stored document either way.
    func issueInvoice(tenant: TenantID, period: String, document: Data, total: Money, by who: Attribution) throws -> Data
    /// Appends a credit (its id assigned here) with its audit entry, and the client's idempotency key.
    func addCredit(tenant: TenantID, amount: Money, note: String, idempotency: IdempotencyKey?, by who: Attribution) throws -> Credit
}
