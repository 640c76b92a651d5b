import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirStore
import ReservoirTestSupport
import Testing

/// Prices as versions (seeded from the catalog, appended by finance or by a catalog edit, never
/// rewriting the past) and a month's charges from the store's sessions, prices and quotas.
@Suite("Billing context: price versions and charges")
struct BillingContextTests {
    static let finance = Principal(user: User(id: "fin", roles: [.finance]))
    static let november = try! ReportMonth("2026-11")
    static let day = 86_400.0

    /// The World (pool p1: eight A100-80GB at list 2.40; alpha and beta guaranteed 4 GPUs each) on November 10.
    private func world() throws -> World { try World(clock: ManualClock(Self.november.since + 9 * Self.day)) }

    private func field(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as ReservoirError {
            return "\(error.code) \(error.field ?? "-")"
        } catch {
            return "\(error)"
        }
    }

    @Test func aModelWithoutVersionsCostsItsListPriceFromTheEpoch() throws {
        let w = try world()
        let versions = try w.reservoir.billing.prices(model: "A100-80GB", by: w.member)
        #expect(versions == [PriceVersion(model: "A100-80GB", effectiveFrom: 0, pricePerHour: Money("2.40")!, setBy: "system:catalog", note: "catalog list price")])
        #expect(try w.reservoir.billing.prices(model: "a100", at: w.clock.now, by: w.member).map(\.pricePerHour) == [Money("1.80")!])
    }

    @Test func financeAddsAVersionFromNowOnAndBadOnesChangeNothing() throws {
        let w = try world()
        let billing = w.reservoir.billing
        let later = w.clock.now + 2 * Self.day
        let good = PriceInput(model: "A100-80GB", effectiveFrom: later, pricePerHour: Money("3.00")!, spotPricePerHour: Money("1.00")!, note: "new hardware contract")
        #expect(field { try billing.setPrice(good, by: w.member) } == "permission_denied -")
        #expect(field { try billing.setPrice(good, by: World.operatorPrincipal) } == "permission_denied -")
        var bad = good
        bad.pricePerHour = Money("-1")!
        #expect(field { try billing.setPrice(bad, by: Self.finance) } == "invalid_argument pricePerHour")
        bad.pricePerHour = .zero
        #expect(field { try billing.setPrice(bad, by: Self.finance) } == "invalid_argument pricePerHour")
        bad = good
        bad.model = "Z9000"
        #expect(field { try billing.setPrice(bad, by: Self.finance) } == "invalid_argument model")
        bad = good
        bad.effectiveFrom = w.clock.now - 1
        #expect(field { try billing.setPrice(bad, by: Self.finance) } == "invalid_argument effectiveFrom")
        bad = good
        bad.spotPricePerHour = Money("3.50")
        #expect(field { try billing.setPrice(bad, by: Self.finance) } == "invalid_argument spotPricePerHour")
        #expect(try w.store.priceVersions(model: nil).isEmpty)

        let added = try billing.setPrice(good, by: Self.finance)
        #expect(added.setBy == "user:fin" && added.pricePerHour == Money("3.00")!)
        #expect(field { try billing.setPrice(good, by: Self.finance) } == "conflict effectiveFrom")
        #expect(try w.store.priceVersions(model: nil).map { "\($0.effectiveFrom == 0 ? "0" : "later") \($0.pricePerHour)" } == ["0 2.40", "later 3.00"])
        #expect(try billing.prices(model: "A100-80GB", at: later - 1, by: w.member).map(\.pricePerHour) == [Money("2.40")!])
        #expect(try billing.prices(model: "A100-80GB", at: later, by: w.member).map(\.pricePerHour) == [Money("3.00")!])
        #expect(try w.store.auditEntries(object: "prices/A100-80GB", tenant: nil, limit: 10).count == 2)
    }

    @Test func aCatalogPriceEditIsAVersionFromNowAndTheMonthBeforeKeepsItsPrice() throws {
        let w = try world()
        try history(w, start: Self.november.since + 1 * Self.day, hours: 10, gpus: 1)
        let before = try w.reservoir.billing.charges(tenant: "alpha", month: Self.november).lines.filter { $0.rateClass == .onDemand }
        var model = try #require(w.store.catalog().model(named: "A100-80GB"))
        model.pricePerHour = 9.99
        _ = try w.reservoir.inventory.upsertCatalogModel(model, by: World.operatorPrincipal)
        let versions = try w.store.priceVersions(model: "A100-80GB")
        #expect(versions.map(\.pricePerHour) == [Money("2.40")!, Money("9.99")!], "\(versions)")
        let after = try w.reservoir.billing.charges(tenant: "alpha", month: Self.november).lines.filter { $0.rateClass == .onDemand }
        #expect(after == before && after.map(\.amount) == [Money("24.00")!], "\(before) \(after)")
    }

    @Test func aCatalogPriceEditIsCheckedLikeAPriceVersion() throws {
        let w = try world()
        for bad in [0, 2.1234567] {
            var model = try #require(w.store.catalog().model(named: "A100-80GB"))
            model.pricePerHour = bad
            #expect(field { try w.reservoir.inventory.upsertCatalogModel(model, by: World.operatorPrincipal) } == "invalid_argument pricePerHour", "\(bad)")
        }
        #expect(try w.store.catalog().model(named: "A100-80GB")?.pricePerHour == 2.40)
        #expect(try w.store.priceVersions(model: "A100-80GB").isEmpty)
    }

    @Test func aMonthsChargesSplitAtAPriceChangeAndBillIdleGuaranteedQuota() throws {
        let w = try world()
        // 3.00 from Nov 12; a 2-GPU run from Nov 11 20:00 to Nov 12 04:00.
        _ = try w.reservoir.billing.setPrice(PriceInput(model: "A100-80GB", effectiveFrom: Self.november.since + 11 * Self.day, pricePerHour: Money("3.00")!), by: Self.finance)
        try history(w, start: Self.november.since + 11 * Self.day - 4 * 3600, hours: 8, gpus: 2)
        w.clock.advance(30 * Self.day)
        let invoice = try w.reservoir.billing.charges(tenant: "alpha", month: Self.november, by: w.member)
        // Used: 8 device-hours at 2.40 = 19.20 and 8 at 3.00 = 24.00. Reserved (4 GPUs, any model → the
        // pool's A100-80GB) from the quota's creation with the World on Nov 10, not from Nov 1: 2 days × 4
        // = 192 h − 8 used = 184 h × 1.20 = 220.80; 19 days × 4 = 1824 h − 8 = 1816 h × 1.50 = 2724.00.
        #expect(invoice.lines.map { "\($0.rateClass.rawValue) \($0.hours) \($0.unitPrice) \($0.amount)" } == [
            "on-demand 8 2.40 19.20", "on-demand 8 3.00 24.00", "reserved-idle 184 1.20 220.80", "reserved-idle 1816 1.50 2724.00",
        ])
        #expect(invoice.total == Money("2988.00")! && invoice.status == .closed)
        #expect(field { try w.reservoir.billing.charges(tenant: "alpha", month: Self.november, by: w.other) } == "permission_denied tenant")
    }

    /// Idle reserved-capacity lines of `tenant`'s charges for `month`, as "hours unit amount".
    private func idle(_ w: World, _ tenant: TenantID, _ month: ReportMonth) throws -> [String] {
        try w.reservoir.billing.charges(tenant: tenant, month: month).lines.filter { $0.rateClass == .reservedIdle }.map { "\($0.hours) \($0.unitPrice) \($0.amount)" }
    }

    @Test func aQuotaIsChargedOnlyFromWhenItWasSetNeverBeforeTheTenantOrQuotaExisted() throws {
        let w = try world()  // alpha's 4 guaranteed GPUs set on Nov 10
        w.clock.advance(30 * Self.day)
        // Nov 10 to Dec 1: 21 days × 4 = 2016 idle hours at 2.40 × 0.5; not 30 days.
        #expect(try idle(w, "alpha", Self.november) == ["2016 1.20 2419.20"])
        for month in ["1970-01", "2026-10"] {
            let invoice = try w.reservoir.billing.charges(tenant: "alpha", month: try ReportMonth(month))
            #expect(invoice.lines.isEmpty && invoice.total == .zero, "\(month): \(invoice.lines)")
        }
        // A second quota (for A100-80GB by name) set on Dec 12: held from then, beside the first from Dec 1.
        w.clock.advance(2 * Self.day)
        let setAt = w.clock.now
        _ = try w.reservoir.tenancy.setQuota(Quota(tenant: "alpha", pool: "p1", model: "A100-80GB", guaranteedMilli: 1000, limitMilli: 2000), by: World.operatorPrincipal)
        w.clock.advance(Self.day)
        let december = try ReportMonth("2026-12")
        let held = try w.reservoir.billing.reserved(tenant: "alpha", month: december)
        #expect(held.map { "\($0.gpuMilli) \($0.from - december.since) \($0.until - december.since)" }.sorted() == [
            "1000 \(setAt - december.since) \(december.until - december.since)", "4000 0.0 \(december.until - december.since)",
        ], "\(held)")
    }

    @Test func aQuotaRaisedMidMonthChargesEachAmountForItsPieceAndADeletedOneStops() throws {
        let w = try world()  // alpha and beta: 4 guaranteed GPUs each from Nov 10
        w.clock.advance(10 * Self.day)  // Nov 20
        _ = try w.reservoir.tenancy.setQuota(Quota(tenant: "alpha", pool: "p1", guaranteedMilli: 6000, limitMilli: 8000), by: World.operatorPrincipal)
        try w.reservoir.tenancy.deleteQuota(tenant: "beta", pool: "p1", model: Quota.anyModel, by: World.operatorPrincipal)
        w.clock.advance(5 * Self.day)  // Nov 25: a change of the limit alone changes nothing billed
        _ = try w.reservoir.tenancy.setQuota(Quota(tenant: "alpha", pool: "p1", guaranteedMilli: 6000, limitMilli: 7000), by: World.operatorPrincipal)
        w.clock.advance(10 * Self.day)
        // alpha: 10 days × 4 = 960 h + 11 days × 6 = 1584 h = 2544 h × 1.20 = 3052.80. beta: 10 days × 4 = 960 h × 1.20 = 1152.00.
        #expect(try idle(w, "alpha", Self.november) == ["2544 1.20 3052.80"])
        #expect(try idle(w, "beta", Self.november) == ["960 1.20 1152.00"])
        #expect(try idle(w, "beta", try ReportMonth("2026-12")).isEmpty)
    }

    /// A finished run of alpha in p1 on A100-80GBs, as seeded history (one closed session).
    private func history(_ w: World, start: Double, hours: Double, gpus: Int) throws {
        var job = Job(id: "j", name: "run", tenant: "alpha", submittedBy: "alice", pool: "p1", request: ResourceRequest(gpus: gpus), preemptible: false)
        job.state = .succeeded
        job.startedAt = start
        job.finishedAt = start + hours * 3600
        try w.store.insertHistory([(job: job, model: "A100-80GB")], by: Attribution(actor: "test", at: start))
    }
}
