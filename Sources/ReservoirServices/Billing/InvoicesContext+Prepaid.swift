import ReservoirCore
import ReservoirStore

extension InvoicesContext {
    /// The balance of every tenant with a prepaid account (at least one credit), for the zero-balance
    /// alert (`AlertsContext.balances`, wired by `Reservoir`). No principal: the alert pass is the system
    /// reading billing (as `requireFunds` does); people read balances through `balances(tenant:by:)`.
    public func prepaidBalances() throws -> [TenantID: Money] {
        let who = system("billing")
        var balances: [TenantID: Money] = [:]
        for tenant in try store.tenants() where !(try store.credits(tenant: tenant.id).isEmpty) {
            balances[tenant.id] = try balance(of: tenant.id, by: who).balance
        }
        return balances
    }
}
