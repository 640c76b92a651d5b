import Foundation
import ReservoirCore
import ReservoirStore
import ReservoirTestSupport
import Testing

@testable import ReservoirServices

/// `InvoicesContext` over the real store with a stand-in calculator whose price the test changes: a month
/// that is over is issued once and then served byte-identical (JSON and CSV) whatever the charges become;
/// the running month is open and never stored; credits and balances; who may see and do what.
@Suite("Invoices: issued once, byte-identical; credits and balances")
struct InvoicesContextTests {
    /// The stand-in calculator: `hours` A100 hours at `price`, one line per project.
    final class Charges: @unchecked Sendable {
        private let lock = NSLock()
        private var _price = Money("2.50")!
        var price: Money {
            get { lock.withLock { _price } }
            set { lock.withLock { _price = newValue } }
        }
        private(set) var calls = 0

        func invoice(_ tenant: TenantID, _ month: ReportMonth, _ byProject: Bool) -> Invoice {
            lock.withLock { calls += 1 }
            let projects: [(String?, Decimal)] = byProject ? [("nlp-a", 10), (nil, 2.5)] : [(nil, 12.5)]
            var lines = projects.map { project, hours in
                InvoiceLine(model: "A100-80GB", rateClass: .onDemand, hours: hours, unitPrice: price, discount: 0, amount: (price * hours).rounded(), project: project)
            }
            if byProject {
                lines.append(InvoiceLine(model: "A100-80GB", rateClass: .reservedIdle, hours: 4, unitPrice: price, discount: 0, amount: (price * 2).rounded(), project: "nlp-a"))
            }
            return Invoice(tenant: tenant, period: month.description, status: .open, currency: "EUR", lines: lines, total: lines.reduce(.zero) { $0 + $1.amount })
        }
    }

    /// The domain error `body` fails with; nil when it succeeds.
    static func failure(_ body: () throws -> Any) -> ReservoirError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ReservoirError
        }
    }

    static let finance = Principal(user: User(id: "fin", roles: [.finance]))

    /// A world on 2026-12-05 with alpha and beta, and invoices computed by `charges`.
    static func world(_ charges: Charges) throws -> (World, InvoicesContext) {
        let w = try World(clock: ManualClock(1_796_428_800))  // 2026-12-05T00:00:00Z
        let context = InvoicesContext(store: w.store, runtime: w.reservoir.runtime) { charges.invoice($0, $1, $2) }
        return (w, context)
    }

    @Test("a month that is over is issued on the first read and never changes: same JSON and CSV bytes after a price change; one audit entry")
    func closedMonthIsFrozen() throws {
        let charges = Charges()
        let (w, invoices) = try Self.world(charges)
        let first = try invoices.invoice(tenant: "alpha", month: "2026-11", by: Self.finance)
        #expect(first.invoice.status == .closed && first.invoice.total == Money("31.25")!, "12.5 h × 2.50")
        #expect(try w.store.issuedInvoice(tenant: "alpha", period: "2026-11") == first.json, "stored as served")

        charges.price = Money("9.99")!  // a later price version, a session closed late: none reaches an issued month
        w.clock.advance(40 * 86_400)
        let again = try invoices.invoice(tenant: "alpha", month: "2026-11", by: w.member)
        #expect(again.json == first.json && again.csv == first.csv, "byte-identical")
        #expect(first.csv == "tenant,period,status,currency,model,rate_class,project,hours,unit_price,discount,amount\r\n"
            + "alpha,2026-11,closed,EUR,A100-80GB,on-demand,,12.5,2.50,0,31.25\r\nalpha,2026-11,closed,EUR,total,,,,,,31.25\r\n")
        let issued = try w.store.auditEntries(AuditListFilter(), page: PageRequest(limit: 1000)).items.filter { $0.action == "invoice.issue" }
        #expect(issued.count == 1 && issued.first?.actor == "user:fin", "issued once, by the first reader: \(issued)")
    }

    @Test("the running month is open, follows the charges and is not stored")
    func runningMonthIsOpen() throws {
        let charges = Charges()
        let (w, invoices) = try Self.world(charges)
        let now = try invoices.invoice(tenant: nil, month: nil, by: w.member)
        #expect(now.invoice.status == .open && now.invoice.period == "2026-12" && now.invoice.tenant == "alpha")
        charges.price = Money("3.00")!
        #expect(try invoices.invoice(tenant: "alpha", month: "2026-12", by: w.member).invoice.total == Money("37.50")!)
        #expect(try w.store.issuedInvoice(tenant: "alpha", period: "2026-12") == nil)
    }

    @Test("bad months, other tenants, unknown tenants: a 4xx naming the field; nothing issued")
    func refusals() throws {
        let (w, invoices) = try Self.world(Charges())
        for month in ["2027-01", "2026-13", "november"] {
            let e = Self.failure { try invoices.invoice(tenant: "alpha", month: month, by: Self.finance) }
            #expect(e?.code == .invalidArgument && e?.field == "month", "\(month): \(String(describing: e))")
        }
        #expect(Self.failure { try invoices.invoice(tenant: "beta", month: "2026-11", by: w.member) }.map { "\($0.code) \($0.field ?? "-")" } == "permission_denied tenant")
        #expect(Self.failure { try invoices.invoice(tenant: nil, month: "2026-11", by: Self.finance) }.map { "\($0.code) \($0.field ?? "-")" } == "invalid_argument tenant")
        #expect(Self.failure { try invoices.invoice(tenant: "gamma", month: "2026-11", by: Self.finance) }.map { "\($0.code) \($0.field ?? "-")" } == "not_found tenant")
        #expect(Self.failure { try invoices.showback(month: "2027-01", tenant: nil, by: Self.finance) }?.field == "month")
        #expect(Self.failure { try invoices.balances(tenant: "beta", by: w.member) }?.code == .permissionDenied)
        #expect(try w.store.issuedInvoice(tenant: "alpha", period: "2026-11") == nil, "nothing issued by a refused read")
    }

    @Test("credits: finance only, amount > 0 in whole cents and bounded; balance = credits − charges from the opening month on")
    func creditsAndBalances() throws {
        let charges = Charges()
        let (w, invoices) = try Self.world(charges)
        let operatorPrincipal = World.operatorPrincipal
        #expect(Self.failure { try invoices.addCredit(tenant: "alpha", amount: Money("10")!, note: "mine", by: w.member) }?.code == .permissionDenied)
        #expect(Self.failure { try invoices.addCredit(tenant: "alpha", amount: Money("10")!, note: "ops", by: operatorPrincipal) }?.code == .permissionDenied)
        for bad in ["0", "-5", "0.005", "1000000000.01"] {
            #expect(Self.failure { try invoices.addCredit(tenant: "alpha", amount: Money(bad)!, note: "x", by: Self.finance) }?.field == "amount", "\(bad)")
        }
        #expect(Self.failure { try invoices.addCredit(tenant: "alpha", amount: Money("5")!, note: "", by: Self.finance) }?.field == "note")
        #expect(Self.failure { try invoices.addCredit(tenant: "gamma", amount: Money("5")!, note: "x", by: Self.finance) }?.code == .notFound)
        #expect(try w.store.credits(tenant: "alpha").isEmpty, "nothing stored by a refused top-up")

        let before = try #require(try invoices.balances(tenant: "alpha", by: w.member).items.first)
        #expect(!before.account && before.months.map(\.period) == ["2026-12"] && before.balance == Money("-31.25")! && !before.exhausted)

        // Credited in November: November (closed, issued) and December (running) are charged.
        w.clock.advance(-10 * 86_400)
        let receipt = try invoices.addCredit(tenant: "alpha", amount: Money("50.00")!, note: "PO-17", by: Self.finance)
        #expect(receipt.credit.id == "credit-1" && receipt.credit.actor == "user:fin" && receipt.balance.openedIn == "2026-11")
        w.clock.advance(10 * 86_400)
        _ = try invoices.addCredit(tenant: "alpha", amount: Money("12.5")!, note: "PO-18", by: Self.finance)
        let balance = try #require(try invoices.balances(tenant: nil, by: Self.finance).items.first { $0.tenant == "alpha" })
        #expect(balance.months.map(\.period) == ["2026-11", "2026-12"] && balance.months.map(\.status) == [.closed, .open])
        #expect(balance.credits == Money("62.50")! && balance.charges == Money("62.50")! && balance.balance == .zero && balance.exhausted)
        #expect(try w.store.issuedInvoice(tenant: "alpha", period: "2026-11") != nil, "a balance issues the months that are over")
        #expect(try invoices.balances(tenant: nil, by: w.member).items.map(\.tenant) == ["alpha"], "members see their own")
        #expect(try w.store.auditEntries(AuditListFilter(), page: PageRequest(limit: 1000)).items.filter { $0.action == "credit.add" }.count == 2)
    }

    @Test("showback adds up per-project lines per tenant: used hours and amount, reserved-idle hours and cost")
    func showback() throws {
        let (w, invoices) = try Self.world(Charges())
        let all = try invoices.showback(month: "2026-11", tenant: nil, by: Self.finance)
        #expect(all.status == .closed && all.currency == "EUR" && all.rows.map(\.tenant) == ["alpha", "alpha", "beta", "beta"])
        let row = try #require(all.rows.first { $0.tenant == "alpha" && $0.project == "nlp-a" })
        #expect(row.deviceHours == 10 && row.amount == Money("25.00")! && row.reservedIdleHours == 4 && row.reservedIdleCost == Money("5.00")!)
        #expect(row.total == Money("30.00")! && all.total == Money("72.50")!, "2 × (25 + 5 + 6.25)")
        #expect(try invoices.showback(month: nil, tenant: nil, by: w.member).rows.allSatisfy { $0.tenant == "alpha" })
    }

    @Test("an exhausted prepaid account under billing.zeroBalance: alert lets work go on and tells the tenant and finance once per top-up")
    func zeroBalanceAlert() throws {
        let (w, invoices) = try Self.world(Charges())
        #expect(w.reservoir.configuration.billing.zeroBalance == .alert, "the default")
        try invoices.requireFunds("alpha", for: "jobs")  // no account: nothing to check
        _ = try invoices.addCredit(tenant: "alpha", amount: Money("10.00")!, note: "small", by: Self.finance)
        try invoices.requireFunds("alpha", for: "jobs")
        try invoices.requireFunds("alpha", for: "requests")
        let notices = try w.store.notifications(for: nil, page: PageRequest()).items.filter { $0.topic == "billing.balance-exhausted" }
        #expect(notices.map(\.recipient.description).sorted() == ["role:finance", "tenant:alpha"], "once each, however often asked: \(notices)")
        #expect(notices.allSatisfy { $0.subject.contains("-21.25 EUR") }, "10.00 − 31.25: \(notices.map(\.subject))")
        _ = try invoices.addCredit(tenant: "alpha", amount: Money("1.00")!, note: "still short", by: Self.finance)
        try invoices.requireFunds("alpha", for: "jobs")
        #expect(try w.store.notifications(for: nil, page: PageRequest()).items.filter { $0.topic == "billing.balance-exhausted" }.count == 4, "told again after the next top-up")
    }
}
