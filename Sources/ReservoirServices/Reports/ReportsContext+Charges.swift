import Foundation
import ReservoirCore

extension ReportsContext {
    /// Each tenant's charge for `month` as it stands at `now`: the total of the invoice `InvoiceCalculator`
    /// computes from the sessions (reserved-but-idle capacity left out: the unit cost is what the work
    /// itself cost per device-hour). Tenants without billed sessions are absent.
    func charges(_ month: ReportMonth, sessions: [UsageSession], catalog: GPUCatalog, now: Double) throws -> [TenantID: Money] {
        let (rules, prices) = try pricing?() ?? (BillingRules(), Self.listPrices(catalog))
        let calculator = InvoiceCalculator(rules: rules, prices: prices)
        var charges: [TenantID: Money] = [:]
        for tenant in Set(sessions.filter { !$0.model.isEmpty }.map(\.tenant)) {
            let invoice = calculator.invoice(tenant: tenant, month: month, sessions: sessions, now: now)
            if !invoice.lines.isEmpty { charges[tenant] = invoice.total }
        }
        return charges
    }

    /// The catalog's list price of each model as a version in force since 0 (what billing seeds when a
    /// model has no version of its own).
    static func listPrices(_ catalog: GPUCatalog) -> [PriceVersion] {
        catalog.models.compactMap { model in
            Decimal(string: "\(model.pricePerHour)").map { PriceVersion(model: model.name, effectiveFrom: 0, pricePerHour: Money($0)) }
        }
    }
}
