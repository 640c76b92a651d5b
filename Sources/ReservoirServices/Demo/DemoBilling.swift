import Foundation
import ReservoirCore

extension DemoContext {
    /// Something to bill: the four weeks of history already span last month and this one; on top, an
    /// A100-80GB price rise of 10 % in the middle of this month so far (the invoice shows both prices),
    /// and prepaid accounts opened at the start of the history — `nlp` with plenty of credit, `vision`
    /// topped up to only 100.00 above its charges so far, so it runs dry within hours (reserved-idle
    /// capacity keeps costing) and `billing.zeroBalance` shows (an alert by default). Each written
    /// through the billing and invoices contexts on a clock set back to when it happened.
    func seedBilling() throws {
        let finance = Principal(user: User(id: "finance", roles: [.finance]))
        let now = clock()
        let month = ReportMonth(containing: now)
        let model = "A100-80GB"
        if let current = try billing.prices(model: model, at: now, by: finance).first {
            let change = (month.since + (now - month.since) / 2).rounded(.down)
            _ = try billing.earlier(by: now - change + 60).setPrice(
                PriceInput(
                    model: model, effectiveFrom: change, pricePerHour: (current.pricePerHour * Decimal(string: "1.1")!).rounded(),
                    note: "demo: list price up 10 % mid-month"),
                by: finance)
        }
        let opened = try store.jobs(tenant: nil, states: [.succeeded], limit: 1_000_000).compactMap(\.startedAt).min() ?? now
        let back = now - opened
        _ = try invoices.earlier(by: back).addCredit(tenant: "nlp", amount: Money(Decimal(250_000)), note: "demo: annual prepayment PO-2026-114", by: finance)
        var charges = Money.zero
        for month in InvoicesContext.months(from: ReportMonth(containing: opened), through: month) {
            charges += try billing.charges(tenant: "vision", month: month).total
        }
        _ = try invoices.earlier(by: back).addCredit(
            tenant: "vision", amount: (charges + Money(Decimal(100))).rounded(), note: "demo: a top-up that barely covers the month", by: finance)
    }
}

extension BillingContext {
    /// This context on a clock `seconds` behind (the demo's past; see `Runtime.earlier(by:)`).
    func earlier(by seconds: Double) -> BillingContext { BillingContext(store: store, runtime: runtime.earlier(by: seconds)) }
}

extension InvoicesContext {
    /// This context on a clock `seconds` behind (the demo's past; see `Runtime.earlier(by:)`).
    func earlier(by seconds: Double) -> InvoicesContext { InvoicesContext(store: store, runtime: runtime.earlier(by: seconds), charges: charges) }
}

extension TenancyContext {
    /// This context on a clock `seconds` behind (the demo's past; see `Runtime.earlier(by:)`).
    func earlier(by seconds: Double) -> TenancyContext { TenancyContext(store: store, runtime: runtime.earlier(by: seconds), grants: grants) }
}
