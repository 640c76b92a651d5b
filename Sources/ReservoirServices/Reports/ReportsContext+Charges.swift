import ReservoirCore

extension ReportsContext {
    /// Each tenant's charge for `month` as it stands at `now`: the total of the invoice billing's calculator
    /// (its rules and price versions) computes from the sessions, reserved-but-idle capacity left out (the
    /// unit cost is what the work itself cost per device-hour). Tenants without billed sessions are absent.
    func charges(_ month: ReportMonth, sessions: [UsageSession], now: Double) throws -> [TenantID: Money] {
        let calculator = try billing.calculator()
        var charges: [TenantID: Money] = [:]
        for tenant in Set(sessions.filter { !$0.model.isEmpty }.map(\.tenant)) {
            let invoice = calculator.invoice(tenant: tenant, month: month, sessions: sessions, now: now)
            if !invoice.lines.isEmpty { charges[tenant] = invoice.total }
        }
        return charges
    }
}
