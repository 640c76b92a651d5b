import Foundation
import ReservoirCore
import ReservoirStore

/// Invoices, prepaid credits and balances. An invoice is the billing calculator's charges of one tenant
/// for one calendar month (UTC). While the month runs it is `open` and computed on every read; once
/// the month is over, the first read issues it: the document is stored (`closed`) and served
/// byte-identical ever after, so a later price version, a session closed late or a changed rule never
/// changes a bill already issued.
public struct InvoicesContext: ApplicationContext {
    public typealias Store = InvoiceStore & TenancyReader & NotificationStore & IdempotencyStore
    /// One tenant's charges for one month up to now, as an invoice (its status is set here); with the
    /// flag, its lines split per project (showback).
    public typealias Charges = @Sendable (TenantID, ReportMonth, _ byProject: Bool) throws -> Invoice
    let store: any Store
    public let runtime: Runtime
    let charges: Charges

    init(store: any Store, runtime: Runtime, charges: @escaping Charges) {
        self.store = store
        self.runtime = runtime
        self.charges = charges
    }

    // MARK: - Invoices

    /// The invoice of `tenant` (members: their own, and the default) for `month` (`YYYY-MM`, UTC; default:
    /// the running month). A malformed or future month is a 400 naming `month`; a tenant the caller may
    /// not read is a 403 naming `tenant`; an unknown one a 404.
    public func invoice(tenant asked: TenantID?, month text: String?, by principal: Principal) throws -> InvoiceDocument {
        let tenant = try billedTenant(asked, principal)
        return try document(tenant, try billedMonth(text), by: attribution(principal))
    }

    /// The invoice of a month: issued (stored, closed) when the month is over, computed (open) while it runs.
    func document(_ tenant: TenantID, _ month: ReportMonth, by who: Attribution) throws -> InvoiceDocument {
        if let stored = try store.issuedInvoice(tenant: tenant, period: month.description) { return try InvoiceDocument(stored: stored) }
        var invoice = try charges(tenant, month, false)
        guard month.until <= who.at else {
            invoice.status = .open
            return try InvoiceDocument(encoding: invoice)
        }
        invoice.status = .closed
        let issued = try InvoiceDocument(encoding: invoice)
        return try InvoiceDocument(stored: try store.issueInvoice(tenant: tenant, period: month.description, document: issued.json, total: invoice.total, by: who))
    }

    // MARK: - Showback

    /// Showback/chargeback of `month` (default: the running one) per tenant and project: device-hours,
    /// amount, and the reserved-but-idle hours and their cost; every tenant the caller may read
    /// (members: their own), or `tenant`.
    public func showback(month text: String?, tenant asked: TenantID?, by principal: Principal) throws -> Showback {
        let scope = try access.listedTenant(asked: asked, principal, .readBilling)
        let month = try billedMonth(text)
        if let scope { try requireTenant(scope) }
        let tenants = try scope.map { [$0] } ?? store.tenants().map(\.id)
        let invoices = try tenants.map { try charges($0, month, true) }
        return Showback(
            period: month.description, status: month.until <= clock() ? .closed : .open, currency: invoices.first?.currency ?? "",
            invoices: invoices)
    }

    // MARK: - Credits and balances

    /// Finance tops up a tenant's prepaid account (the first credit opens it). The amount must be more than
    /// zero, at most `Credit.maximumAmount`, in whole cents (400 `amount`); anyone but finance is refused (403).
    /// With an idempotency key, a retry (a lost answer) gets the first top-up's credit: money is never added twice.
    public func addCredit(tenant: TenantID, amount: Money, note: String, idempotencyKey: String? = nil, by principal: Principal) throws -> CreditReceipt {
        try access.require(principal, .manageBilling, tenant: tenant, field: "tenant")
        try Credit.checkAmount(amount)
        try InputLimits.name(note, field: "note")
        try requireTenant(tenant)
        let key = try Idempotency.key(idempotencyKey, route: "POST /v1/tenants/{id}/credits", request: TopUp(tenant: tenant, amount: amount, note: note), by: principal)
        let credit: Credit
        if let earlier = try Idempotency.replay(key, in: store), let first = try store.credit(String(earlier.dropFirst("credits/".count))) {
            credit = first
        } else {
            credit = try store.addCredit(tenant: tenant, amount: amount, note: note, idempotency: key, by: attribution(principal))
        }
        return CreditReceipt(credit: credit, balance: try balance(of: credit.tenant, by: attribution(principal)))
    }

    /// What a top-up asks, as its idempotency key's fingerprint covers it.
    private struct TopUp: Encodable {
        var tenant: TenantID
        var amount: Money
        var note: String
    }

    /// The balances of every tenant the caller may read (members: their own), or of `tenant`: a page of
    /// them by tenant id.
    public func balances(tenant asked: TenantID?, page: PageRequest = PageRequest(), by principal: Principal) throws -> Page<Balance> {
        let scope = try access.listedTenant(asked: asked, principal, .readBilling)
        let who = attribution(principal)
        if let only = scope {
            try requireTenant(only)
            return Page(items: [try balance(of: only, by: who)], next: nil)
        }
        let tenants = try store.tenants(page: page)
        return Page(items: try tenants.items.map { try balance(of: $0.id, by: who) }, next: tenants.next)
    }

    /// Credits minus the charges of every month from the account's opening month (the first credit's)
    /// through the running one, up to now; without an account, the running month only.
    func balance(of tenant: TenantID, by who: Attribution) throws -> Balance {
        let credits = try store.credits(tenant: tenant)
        let now = ReportMonth(containing: who.at)
        let opened = credits.first.map { ReportMonth(containing: $0.at) }
        var months: [Balance.Month] = []
        var currency = ""
        for month in Self.months(from: opened ?? now, through: now) {
            let invoice = try document(tenant, month, by: who).invoice
            currency = invoice.currency
            months.append(Balance.Month(period: invoice.period, status: invoice.status, total: invoice.total))
        }
        return Balance(
            tenant: tenant, currency: currency, openedIn: opened?.description, credits: credits.reduce(.zero) { $0 + $1.amount }, months: months,
            at: who.at)
    }

    // MARK: - Helpers

    /// The tenant an invoice is for: the one asked (within the caller's reach) or the caller's own.
    private func billedTenant(_ asked: TenantID?, _ principal: Principal) throws -> TenantID {
        guard let tenant = try access.listedTenant(asked: asked, principal, .readBilling) ?? asked else {
            throw ReservoirError.invalid("tenant", "is required: name the tenant to invoice")
        }
        try requireTenant(tenant)
        return tenant
    }

    /// The month asked (default: the running one); malformed or not begun yet: 400 naming `month`.
    private func billedMonth(_ text: String?) throws -> ReportMonth {
        let month = try text.map { text throws(ReservoirError) in try ReportMonth(text) } ?? ReportMonth(containing: clock())
        guard month.since <= clock() else { throw ReservoirError.invalid("month", "\(month) has not begun; only the running month or earlier ones are billed") }
        return month
    }

    private func requireTenant(_ tenant: TenantID) throws {
        guard try store.tenants().contains(where: { $0.id == tenant }) else { throw ReservoirError.notFound("tenant", "no tenant \(tenant)") }
    }

    /// The months from `first` through `last`, in order.
    static func months(from first: ReportMonth, through last: ReportMonth) -> [ReportMonth] {
        var months: [ReportMonth] = []
        var month = first
        while month.since <= last.since {
            months.append(month)
            month = ReportMonth(containing: month.until)
        }
        return months
    }
}
