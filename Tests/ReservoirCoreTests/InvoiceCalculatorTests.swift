import Foundation
import ReservoirCore
import Testing

/// Hand-computed invoices. November 2026 (30 days, 720 h); model `A` costs 1.00 an hour unless a test says
/// otherwise; the default rules (USD, 60 s minimum, tiers 100/500/1000 h at ×0.9/×0.8/×0.7, spot ×0.4,
/// reserved-idle ×0.5).
private let november = try! ReportMonth("2026-11")
private let october = try! ReportMonth("2026-10")
private let t0 = november.since
private let afterNovember = november.until + 1

private func session(
    _ job: JobID = "j-1", tenant: TenantID = "nlp", project: String? = nil, pool: PoolID? = "train", model: String = "A", gpuMilli: Int = 1000,
    preemptible: Bool = false, from: Double, seconds: Double?, closedBy: UsageCloseReason? = .ended, id: Int64 = 0
) -> UsageSession {
    UsageSession(
        id: id, job: job, tenant: tenant, project: project, pool: pool, model: model, gpuMilli: gpuMilli, preemptible: preemptible, startedAt: from,
        endedAt: seconds.map { from + $0 }, closedBy: seconds == nil ? nil : closedBy)
}

private func calculator(_ prices: [PriceVersion] = [PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: Money("1.00")!)], mode: DiscountMode = .marginal) -> InvoiceCalculator {
    InvoiceCalculator(rules: BillingRules(discountMode: mode), prices: prices)
}

private func money(_ text: String) -> Money { Money(text)! }

@Suite("Invoice calculator: hand-computed invoices")
struct InvoiceCalculatorTests {
    @Test func aShortSessionIsBilledTheMinimumOnceItCloses() {
        let calc = calculator([PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("3.60"))])
        // 30 s → 60 s = 0.016667 h × 3.60 = 0.0600012 → 0.06.
        let short = calc.invoice(tenant: "nlp", month: november, sessions: [session(from: t0 + 100, seconds: 30)], now: afterNovember)
        #expect(short.lines.map(\.hours) == [Decimal(string: "0.016667")!])
        #expect(short.total == money("0.06"))
        // 90 s is above the minimum: 0.025 h × 3.60 = 0.09.
        let long = calc.invoice(tenant: "nlp", month: november, sessions: [session(from: t0 + 100, seconds: 90)], now: afterNovember)
        #expect(long.total == money("0.09"))
        // Preempted after 30 s: the platform stopped it, no top-up.
        let preempted = calc.invoice(tenant: "nlp", month: november, sessions: [session(from: t0 + 100, seconds: 30, closedBy: .preempted)], now: afterNovember)
        #expect(preempted.lines.map(\.hours) == [Decimal(string: "0.008333")!])
        // Still open after 30 s: no top-up yet, 30 s counted up to now.
        let open = calc.invoice(tenant: "nlp", month: november, sessions: [session(from: t0 + 100, seconds: nil)], now: t0 + 130)
        #expect(open.lines.map(\.hours) == [Decimal(string: "0.008333")!] && open.status == .open)
    }

    @Test func theMinimumTopUpGoesToTheMonthTheSessionEnds() {
        // 20 s before midnight of Oct 31 to 10 s after: October bills its 20 s, November its 10 s + the 30 s top-up.
        let s = session(from: t0 - 20, seconds: 30)
        let calc = calculator([PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("36.00"))])
        let oct = calc.invoice(tenant: "nlp", month: october, sessions: [s], now: afterNovember)
        let nov = calc.invoice(tenant: "nlp", month: november, sessions: [s], now: afterNovember)
        #expect(oct.lines.map(\.hours) == [Decimal(string: "0.005556")!] && oct.total == money("0.20"))
        #expect(nov.lines.map(\.hours) == [Decimal(string: "0.011111")!] && nov.total == money("0.40"))
        // October computed while the session was still open is the same invoice as after it closed.
        let octEarly = calc.invoice(tenant: "nlp", month: october, sessions: [session(from: t0 - 20, seconds: nil)], now: t0 + 5)
        #expect(octEarly.lines == oct.lines)
    }

    /// `deviceHours` of model A on four GPUs (so a month holds up to 2880 h).
    private func total(_ deviceHours: Double, _ mode: DiscountMode) -> (Money, Decimal) {
        let s = session(gpuMilli: 4000, from: t0, seconds: deviceHours / 4 * 3600)
        let invoice = calculator(mode: mode).invoice(tenant: "nlp", month: november, sessions: [s], now: afterNovember)
        return (invoice.total, invoice.lines.first?.discount ?? -1)
    }

    @Test func wholeVolumeTiersOnBothSidesOfEveryBoundary() {
        #expect(total(99, .whole) == (money("99.00"), 0))
        #expect(total(100, .whole) == (money("90.00"), Decimal(string: "0.1")!))
        #expect(total(101, .whole) == (money("90.90"), Decimal(string: "0.1")!))
        #expect(total(499, .whole) == (money("449.10"), Decimal(string: "0.1")!))
        #expect(total(501, .whole) == (money("400.80"), Decimal(string: "0.2")!))
        #expect(total(999, .whole) == (money("799.20"), Decimal(string: "0.2")!))
        #expect(total(1001, .whole) == (money("700.70"), Decimal(string: "0.3")!))
    }

    @Test func marginalTiersOnBothSidesOfEveryBoundary() {
        #expect(total(99, .marginal) == (money("99.00"), 0))
        #expect(total(100, .marginal) == (money("100.00"), 0))
        // 100 + 1 × 0.9 = 100.90 (discount 1 − 100.9/101 = 0.000990).
        #expect(total(101, .marginal) == (money("100.90"), Decimal(string: "0.00099")!))
        // 100 + 399 × 0.9 = 459.10.
        #expect(total(499, .marginal) == (money("459.10"), Decimal(string: "0.07996")!))
        // 100 + 400 × 0.9 + 1 × 0.8 = 460.80.
        #expect(total(501, .marginal) == (money("460.80"), Decimal(string: "0.08024")!))
        // 100 + 360 + 499 × 0.8 = 859.20.
        #expect(total(999, .marginal) == (money("859.20"), Decimal(string: "0.13994")!))
        // 100 + 360 + 400 + 1 × 0.7 = 860.70.
        #expect(total(1001, .marginal) == (money("860.70"), Decimal(string: "0.14016")!))
    }

    @Test func marginalNeverBillsMoreHoursForLess() {
        var previous = Money.zero
        for hours in stride(from: 90.0, through: 1010, by: 10) {
            let (amount, _) = total(hours, .marginal)
            #expect(amount > previous)
            previous = amount
        }
        // Whole volume does: 99 h cost more than 100 h.
        #expect(total(99, .whole).0 > total(100, .whole).0)
    }

    @Test func preemptibleWorkIsBilledAtTheSpotRate() {
        let prices = [
            PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("2.00")),
            PriceVersion(model: "B", effectiveFrom: 0, pricePerHour: money("3.00"), spotPricePerHour: money("1.25")),
        ]
        let sessions = [
            session("j-1", from: t0, seconds: 3 * 3600),
            session("j-2", preemptible: true, from: t0, seconds: 3 * 3600),
            session("j-3", model: "B", preemptible: true, from: t0, seconds: 2 * 3600),
        ]
        let invoice = calculator(prices).invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember)
        // A on-demand 3 h × 2.00 = 6.00; A spot 3 h × 2.00 × 0.4 = 2.40; B spot (its own price) 2 h × 1.25 = 2.50.
        #expect(invoice.lines.map { "\($0.model) \($0.rateClass.rawValue) \($0.hours) \($0.unitPrice) \($0.amount)" } == [
            "A on-demand 3 2.00 6.00", "A spot 3 0.80 2.40", "B spot 2 1.25 2.50",
        ])
        #expect(invoice.total == money("10.90"))
    }

    @Test func fractionalSharesAndMIGSlicesBillTheirShareOfADevice() {
        let prices = [PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("2.00")), PriceVersion(model: "H", effectiveFrom: 0, pricePerHour: money("2.40"))]
        var mig = session("j-2", model: "H", gpuMilli: 375, from: t0, seconds: 8 * 3600)
        mig.migProfile = "3g.40gb"
        let sessions = [session("j-1", gpuMilli: 250, from: t0, seconds: 4 * 3600), mig]
        let invoice = calculator(prices).invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember)
        // A quarter GPU for 4 h = 1 h × 2.00; 3/8 of an H for 8 h = 3 h × 2.40 = 7.20.
        #expect(invoice.lines.map { "\($0.model) \($0.hours) \($0.amount)" } == ["A 1 2.00", "H 3 7.20"])
        // A 20 s share is topped up to 60 s of its share: 0.25 × 60 s = 15 GPU-seconds.
        let short = calculator(prices).invoice(tenant: "nlp", month: november, sessions: [session(gpuMilli: 250, from: t0, seconds: 20)], now: afterNovember)
        #expect(short.lines.map(\.hours) == [Decimal(string: "0.004167")!])
    }

    @Test func aSessionSpanningTwoMonthsIsSplitAtTheBoundary() {
        let s = session(from: t0 - 2 * 3600, seconds: 5 * 3600)
        #expect(calculator().invoice(tenant: "nlp", month: october, sessions: [s], now: afterNovember).total == money("2.00"))
        #expect(calculator().invoice(tenant: "nlp", month: november, sessions: [s], now: afterNovember).total == money("3.00"))
        // Still open at 01:00 Nov 1: October is complete and closed, November counts one hour so far.
        let open = session(from: t0 - 2 * 3600, seconds: nil)
        let octNow = calculator().invoice(tenant: "nlp", month: october, sessions: [open], now: t0 + 3600)
        #expect(octNow.status == .closed && octNow.total == money("2.00"))
        let novNow = calculator().invoice(tenant: "nlp", month: november, sessions: [open], now: t0 + 3600)
        #expect(novNow.status == .open && novNow.total == money("1.00"))
    }

    @Test func aPriceChangeMidPeriodSplitsAtTheChange() {
        let change = t0 + 14 * 86_400
        let prices = [
            PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("2.00")),
            PriceVersion(model: "A", effectiveFrom: change, pricePerHour: money("3.00")),
            PriceVersion(model: "A", effectiveFrom: november.until + 86_400, pricePerHour: money("9.00")),
        ]
        let invoice = calculator(prices).invoice(tenant: "nlp", month: november, sessions: [session(from: change - 2 * 3600, seconds: 4 * 3600)], now: afterNovember)
        #expect(invoice.lines.map { "\($0.hours) \($0.unitPrice) \($0.amount)" } == ["2 2.00 4.00", "2 3.00 6.00"])
        #expect(invoice.total == money("10.00"))
    }

    @Test func aResizeIsTwoSegmentsOfOneAllocation() {
        // Two GPUs for 1 h, resized to one GPU for 2 h: 4 device-hours.
        let sessions = [
            session(gpuMilli: 2000, from: t0, seconds: 3600, closedBy: .resized, id: 1),
            session(gpuMilli: 1000, from: t0 + 3600, seconds: 7200, id: 2),
        ]
        let invoice = calculator().invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember)
        #expect(invoice.lines.map(\.hours) == [4] && invoice.total == money("4.00"))
        // Segments of 20 s each, split by a resize: neither is topped up to the minimum (40 GPU-seconds).
        let quick = [
            session(from: t0, seconds: 20, closedBy: .resized, id: 1),
            session(from: t0 + 20, seconds: 20, id: 2),
        ]
        let short = calculator().invoice(tenant: "nlp", month: november, sessions: quick, now: afterNovember)
        #expect(short.lines.map(\.hours) == [Decimal(string: "0.011111")!])
    }

    @Test func reservedCapacityNotUsedIsBilledToItsOwner() {
        let prices = [PriceVersion(model: "A", effectiveFrom: 0, pricePerHour: money("2.00"))]
        let quota = ReservedCapacity(tenant: "nlp", pool: "train", model: "A", gpuMilli: 2000, from: 0, until: .infinity)
        let sessions = [
            session("j-1", from: t0, seconds: 100 * 3600),
            session("j-2", pool: "other", from: t0, seconds: 10 * 3600),
        ]
        let invoice = calculator(prices).invoice(tenant: "nlp", month: november, sessions: sessions, reserved: [quota], now: afterNovember)
        // Used 110 h (marginal: 100 × 2 + 10 × 2 × 0.9 = 218.00); reserved 1440 h in train, 100 used there:
        // 1340 h idle × 2.00 × 0.5 = 1340.00, undiscounted.
        #expect(invoice.lines.map { "\($0.rateClass.rawValue) \($0.hours) \($0.unitPrice) \($0.amount)" } == [
            "on-demand 110 2.00 218.00", "reserved-idle 1340 1.00 1340.00",
        ])
        #expect(invoice.total == money("1558.00"))
        // Fully used: nothing idle.
        let busy = calculator(prices).invoice(tenant: "nlp", month: november, sessions: [session(gpuMilli: 3000, from: t0, seconds: 720 * 3600)], reserved: [quota], now: afterNovember)
        #expect(!busy.lines.contains { $0.rateClass == .reservedIdle })
    }

    @Test func onlyTheTenantsBillableSessionsCountAndLinesAddUp() {
        let sessions = [
            session("j-1", project: "chat", from: t0, seconds: 3600),
            session("j-2", project: "search", gpuMilli: 500, from: t0, seconds: 3600),
            session("j-3", tenant: "vision", from: t0, seconds: 3600),
            session("j-4", model: "", gpuMilli: 0, from: t0, seconds: 3600),
        ]
        let invoice = calculator().invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember)
        #expect(invoice.lines.map(\.hours) == [Decimal(string: "1.5")!] && invoice.total == money("1.50"))
        #expect(invoice.period == "2026-11" && invoice.currency == "USD" && invoice.status == .closed)
        let byProject = calculator().invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember, byProject: true)
        #expect(byProject.lines.map { "\($0.project ?? "-") \($0.amount)" } == ["chat 1.00", "search 0.50"])
        #expect(byProject.total == byProject.lines.reduce(Money.zero) { $0 + $1.amount })
        #expect(calculator().invoice(tenant: "nlp", month: november, sessions: sessions, now: t0 - 1).lines.isEmpty)
    }

    @Test func quantitiesBeyondSixtyFourBitsStayExact() {
        // Four billion GPUs for the whole month: 2.592e9 ms × 4e12 milli-GPU overflows Int64 many times.
        let huge = [session(gpuMilli: 4_000_000_000_000, from: t0, seconds: 720 * 3600), session("j-2", gpuMilli: 4_000_000_000_000, from: t0, seconds: 720 * 3600)]
        let invoice = calculator(mode: .whole).invoice(tenant: "nlp", month: november, sessions: huge, now: afterNovember)
        #expect(invoice.lines.map(\.hours) == [Decimal(5_760_000_000_000)] && invoice.total == Money(Decimal(4_032_000_000_000)))
    }

    @Test func theSameInputsGiveTheSameBytes() throws {
        let sessions = (0..<50).map { (i: Int) -> UsageSession in
            let start: Double = t0 + Double(i) * 997.123
            return session(JobID("j-\(i)"), gpuMilli: 125 * (i % 8 + 1), from: start, seconds: Double(i) * 3001.7, id: Int64(i))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let a = try encoder.encode(calculator().invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember))
        let b = try encoder.encode(calculator().invoice(tenant: "nlp", month: november, sessions: sessions.reversed(), now: afterNovember))
        #expect(a == b)
    }
}

@Suite("Invoice calculator: a busy month")
struct InvoiceCalculatorScaleTests {
    @Test func fiftyThousandSessionsHalfOfThemShortComputeInSeconds() {
        let prices = ["A", "B", "C"].flatMap { model in
            (0..<3).map { PriceVersion(model: model, effectiveFrom: t0 + Double($0) * 10 * 86_400, pricePerHour: Money(Decimal(2 + $0))) }
        }
        let sessions = (0..<50_000).map { (i: Int) -> UsageSession in
            let start: Double = t0 + Double(i % 2_500_000)
            return session(JobID("j-\(i)"), project: "p\(i % 7)", model: ["A", "B", "C"][i % 3], gpuMilli: 125 * (i % 16 + 1), preemptible: i % 5 == 0, from: start, seconds: i % 2 == 0 ? 30 : Double(i % 86_400), closedBy: i % 4 == 0 ? .resized : .ended, id: Int64(i))
        }
        let started = Date()
        let invoice = InvoiceCalculator(rules: BillingRules(), prices: prices).invoice(tenant: "nlp", month: november, sessions: sessions, now: afterNovember, byProject: true)
        let seconds = Date().timeIntervalSince(started)
        print("InvoiceCalculator: 50000 sessions, 9 price versions, by project: \(invoice.lines.count) lines in \(String(format: "%.3f", seconds)) s")
        #expect(invoice.total == invoice.lines.reduce(Money.zero) { $0 + $1.amount } && !invoice.lines.isEmpty)
        // A debug build on a shared machine; a quadratic pass over the short sessions would take minutes.
        #expect(seconds < 10)
    }
}

@Suite("Money as JSON")
struct MoneyJSONTests {
    @Test func numbersReadAsTheDecimalTheyAreWrittenAsAndAmountsWriteAsStrings() throws {
        let read = try JSONDecoder().decode([Money].self, from: Data(#"["2.40", 0.45, 0.1, 1e2]"#.utf8))
        #expect(read.map(\.exactText) == ["2.40", "0.45", "0.10", "100.00"])
        #expect(String(decoding: try JSONEncoder().encode([Money("0.1")! + Money("0.2")!]), as: UTF8.self) == #"["0.30"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(#""1,5""#.utf8)) }
    }

    @Test("text without a digit is not an amount (Foundation alone reads \".\" and \"-\" as 0)")
    func textWithoutADigitIsRefused() {
        for text in [".", "-", "-.", "", " "] { #expect(Money(text) == nil, "\(text)") }
        #expect(Money("-.5")?.exactText == "-0.50")
        #expect(Money(".5")?.exactText == "0.50")
    }
}

@Suite("Billing rules: tiers and factors checked at load")
struct BillingRulesTests {
    @Test func theDefaultsAreValid() { #expect(BillingRules().problems(at: "billing").isEmpty) }

    @Test func tiersOutOfOrderAndFactorsOutOfRangeNameTheirKey() {
        var rules = BillingRules()
        rules.discountTiers = [DiscountTier(minHours: 500, factor: 0.8), DiscountTier(minHours: 100, factor: 0.9), DiscountTier(minHours: 900, factor: 0)]
        rules.spotFactor = 2
        let fields = rules.problems(at: "billing").compactMap(\.field)
        #expect(fields == ["billing.discountTiers[1].minHours", "billing.discountTiers[1].factor", "billing.discountTiers[2].factor", "billing.spotFactor"])
    }
}
