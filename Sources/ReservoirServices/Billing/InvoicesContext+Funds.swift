import ReservoirCore
import ReservoirStore

extension InvoicesContext {
    /// Asked before new work of `tenant` is taken (a job, a request, a service): only a tenant with a
    /// prepaid account (a credit) at or below zero is affected. With `billing.zeroBalance: block` the work
    /// is refused (409 naming `balance`, with the balance); with `alert` it goes on, and the tenant and
    /// finance are told through the outbox once per top-up (the notice id counts the credits, so a tenant
    /// that runs dry again after its next top-up is told again, never twice for the same one).
    func requireFunds(_ tenant: TenantID, for work: String) throws {
        let credits = try store.credits(tenant: tenant)
        guard !credits.isEmpty else { return }
        let balance = try balance(of: tenant, by: system("billing"))
        guard balance.exhausted else { return }
        let amount = "\(balance.balance.text()) \(balance.currency)"
        switch configuration.billing.zeroBalance {
        case .block:
            throw ReservoirError(
                .conflict, field: "balance",
                "tenant \(tenant)'s prepaid balance is \(amount): no new \(work) until finance adds credit (reservoir credit add \(tenant) --amount …)")
        case .alert:
            let subject = "tenant \(tenant)'s prepaid balance is \(amount); work goes on (billing.zeroBalance: alert) until finance adds credit"
            for recipient in [NotificationRecipient.tenant(tenant), .role(.finance)] {
                try store.enqueueNotification(OutboxNotification(
                    id: "billing-exhausted-\(tenant)-\(credits.count)-\(recipient.kind.rawValue)", recipient: recipient, topic: "billing.balance-exhausted",
                    subject: subject, body: OutboxNotification.body(balance), createdAt: balance.at))
            }
            notificationWakeups.poke()
        }
    }
}
