import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirStore
import Testing

/// `/metrics` needs no login, so a tenant's money (month-to-date charges, prepaid balance) is on it only
/// when the operator turns `metrics.perTenantMoney` on: a tenant sees only its own bills. Each case uses
/// its own tenant, since the Prometheus registry is shared by the whole test process.
@Suite("/metrics: tenants' money only with metrics.perTenantMoney")
struct MetricsMoneyTests {
    @Test("the default scrape has neither charges nor balance per tenant; with metrics.perTenantMoney both appear", arguments: [false, true])
    func money(perTenantMoney: Bool) async throws {
        var configuration = Reservoir.Configuration(cycleInterval: 0.1)
        configuration.metrics.perTenantMoney = perTenantMoney
        let engine = SimulatedEngine(nodes: [], speed: 1000, clock: { Date().timeIntervalSince1970 })
        let reservoir = Reservoir(store: try SQLiteStore(path: nil), engine: engine, configuration: configuration, logger: InProcessServer.quietLogger)
        try reservoir.access.bootstrap(operatorToken: Fixture.operatorToken)
        let tenant = TenantID(perTenantMoney ? "money-shown" : "money-hidden")
        _ = try reservoir.tenancy.createTenant(Tenant(id: tenant), by: Principal(user: User(id: "admin", roles: [.operator_])))
        _ = try reservoir.invoices.addCredit(
            tenant: tenant, amount: Money("10.00")!, note: "PO-1", by: Principal(user: User(id: "fin", roles: [.finance])))

        try await InProcessServer.with(reservoir) { api, reservoir in
            try reservoir.alerts.pass()
            let scrape = try await api.get("/metrics", token: nil)
            #expect(scrape.status == 200)
            let charges = scrape.text.contains(#"reservoir_tenant_charges_month_to_date{tenant="\#(tenant)"}"#)
            let balance = scrape.text.contains(#"reservoir_tenant_credit_balance{tenant="\#(tenant)"} 10"#)
            #expect(charges == perTenantMoney && balance == perTenantMoney, "\(scrape.text)")
        }
    }
}
