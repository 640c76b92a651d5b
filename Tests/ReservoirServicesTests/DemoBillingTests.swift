import Foundation
import ReservoirCore
import ReservoirEngine
import ReservoirStore
import ReservoirTestSupport
import Testing

@testable import ReservoirServices

@Suite("Demo billing")
struct DemoBillingTests {
    static let now = 1_796_428_800.0  // 2026-12-05T00:00:00Z: the history spans November and December

    @Test("a fresh demo has last month to bill, a price rise this month, a well-funded nlp and a vision near zero")
    func somethingToBill() throws {
        let store = try SQLiteStore(path: nil)
        let reservoir = Reservoir(store: store, engine: SimulatedEngine(nodes: [], clock: { Self.now }), logger: World.logger, clock: { Self.now })
        _ = try reservoir.demo.seed(by: World.operatorPrincipal)
        let finance = Principal(user: User(id: "finance", roles: [.finance]))

        let november = try reservoir.invoices.invoice(tenant: "nlp", month: "2026-11", by: finance).invoice
        #expect(november.status == .closed && november.total > .zero && november.lines.contains { $0.rateClass == .spot })
        #expect(november.lines.reduce(Money.zero) { $0 + $1.amount } == november.total)

        let a100 = try reservoir.billing.prices(model: "A100-80GB", by: finance)
        #expect(a100.count == 2 && a100.last.map { $0.effectiveFrom > ReportMonth(containing: Self.now).since } == true, "\(a100)")
        #expect(a100.last?.pricePerHour == Money("2.64")!, "2.40 + 10 %")

        let balances = try reservoir.invoices.balances(tenant: nil, by: finance).items
        let nlp = try #require(balances.first { $0.tenant == "nlp" }), vision = try #require(balances.first { $0.tenant == "vision" })
        #expect(nlp.account && nlp.openedIn == "2026-11" && nlp.balance > Money(Decimal(100_000)), "\(nlp)")
        #expect(vision.account && vision.balance == Money("100.00")!, "topped up to 100.00 above its charges: \(vision)")
        #expect(balances.filter(\.account).count == 2)

        let showback = try reservoir.invoices.showback(month: "2026-11", tenant: nil, by: finance)
        #expect(Set(showback.rows.filter { $0.reservedIdleHours > 0 }.map(\.tenant)) == ["nlp", "vision", "search", "research"], "idle guarantees cost their owners")
        #expect(showback.total == showback.rows.reduce(Money.zero) { $0 + $1.total })
    }
}
