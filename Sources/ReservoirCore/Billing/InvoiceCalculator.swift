import Foundation

/// Computes a tenant's invoice for one month from plain inputs: the usage sessions overlapping the month,
/// the capacity reserved for the tenant, the price versions and the billing rules. Pure and deterministic:
/// the same inputs give the same invoice, which is what lets a closed month be reissued byte for byte.
///
/// - Only the part of each session inside the month (and before `now`) is billed, so a session spanning
///   two months is split at the boundary, and an open session counts up to `now`.
/// - Each part is cut again where a new price version takes effect and billed at the version in force.
/// - Preemptible sessions are billed at the spot price (the version's, else on-demand × `spotFactor`).
/// - Quantities are milli-GPU (a share or MIG slice is its fraction of a device); time is counted to the
///   millisecond, exactly.
/// - Minimum billing period: a session shorter than `minimumBillingSeconds` is topped up to it once, when
///   it closes, in the month it ends, at the price in force at its last instant. A month that is over
///   therefore never gains a top-up later. Segments of one allocation split by a resize are one
///   allocation: a segment closed by `resized`, and the segment that follows it, are never topped up.
/// - Volume = the period's on-demand + spot device-hours (top-ups included); its discount (`VolumeDiscount`)
///   applies to on-demand and spot lines alike.
/// - Reserved-idle: per pool, model and price version, the reserved device-hours minus the tenant's used
///   device-hours there (never below zero), at on-demand × `reservedIdleFactor`, undiscounted.
/// - Lines are grouped by (project when `byProject`, model, rate class, unit price); hours are stated to six
///   places and each amount is `hours × unitPrice × (1 − discount)` rounded to the cent, half away from
///   zero; the total is the sum of the rounded lines.
public struct InvoiceCalculator: Sendable {
    public var rules: BillingRules
    public var prices: PriceBook

    public init(rules: BillingRules, prices: [PriceVersion]) {
        self.rules = rules
        self.prices = PriceBook(prices)
    }

    public init(rules: BillingRules, prices: PriceBook) {
        self.rules = rules
        self.prices = prices
    }

    /// The invoice of `tenant` for `month` as it stands at `now` (`open` while the month runs, `closed`
    /// once it is over). Sessions and reservations of other tenants are ignored; `byProject` splits the
    /// lines per project (showback), the discount staying the tenant's.
    public func invoice(
        tenant: TenantID, month: ReportMonth, sessions: [UsageSession], reserved: [ReservedCapacity] = [], now: Double, byProject: Bool = false
    ) -> Invoice {
        let since = month.since, until = min(month.until, now)
        let own = sessions.filter { $0.tenant == tenant && !$0.model.isEmpty && $0.gpuMilli > 0 }
        var usage: [LineKey: Decimal] = [:]  // milli-GPU × milliseconds
        var used: [SpanKey: Decimal] = [:]
        for session in own {
            let end = min(session.endedAt ?? now, until)
            for span in prices.pieces(of: session.model, from: max(session.startedAt, since), until: end) {
                let quantity = Self.duration(span.from, span.until) * Decimal(session.gpuMilli)
                usage[key(session, span.version, byProject), default: 0] += quantity
                used[SpanKey(pool: session.pool, model: session.model, version: span.version?.effectiveFrom), default: 0] += quantity
            }
            if let topUp = topUp(session, among: own, month: month, now: now) {
                usage[key(session, topUp.version, byProject), default: 0] += topUp.quantity
            }
        }
        let volume = usage.values.reduce(0, +) / Self.perHour
        let discount = VolumeDiscount.fraction(volumeHours: volume, tiers: rules.discountTiers, mode: rules.discountMode)
        var quantities = usage.map { ($0.key, $0.value, discount) }
        quantities += idle(reserved.filter { $0.tenant == tenant }, used: used, since: since, until: until, byProject: byProject).map { ($0.key, $0.value, Decimal(0)) }

        var lines: [InvoiceLine] = []
        for (key, quantity, discount) in quantities {
            let hours = Money(quantity / Self.perHour).rounded(scale: 6).value
            guard hours > 0 else { continue }
            let amount = (key.unitPrice * (hours * (1 - discount))).rounded()
            lines.append(InvoiceLine(model: key.model, rateClass: key.rateClass, hours: hours, unitPrice: key.unitPrice, discount: discount, amount: amount, project: byProject ? key.project : nil))
        }
        lines.sort { ($0.project ?? "", $0.model, Self.order($0.rateClass), $0.unitPrice) < ($1.project ?? "", $1.model, Self.order($1.rateClass), $1.unitPrice) }
        let total = lines.reduce(Money.zero) { $0 + $1.amount }
        return Invoice(tenant: tenant, period: month.description, status: now >= month.until ? .closed : .open, currency: rules.currency, lines: lines, total: total)
    }

    /// The minimum-period top-up of `session` billed in `month`: only once it has closed, in the month
    /// holding its last instant, and never for a segment of a resized allocation.
    private func topUp(_ session: UsageSession, among sessions: [UsageSession], month: ReportMonth, now: Double) -> (quantity: Decimal, version: PriceVersion?)? {
        guard let ended = session.endedAt, ended <= now, session.closedBy != .resized else { return nil }
        let lastInstantInMonth = ended > session.startedAt ? (ended > month.since && ended <= month.until) : (ended >= month.since && ended < month.until)
        let missing = Self.millis(Double(rules.minimumBillingSeconds)) - Self.duration(session.startedAt, ended)
        guard lastInstantInMonth, missing > 0 else { return nil }
        let followsResize = sessions.contains { $0.job == session.job && $0.closedBy == .resized && $0.endedAt == session.startedAt && $0.id != session.id }
        guard !followsResize else { return nil }
        let version = prices.pieces(of: session.model, from: session.startedAt, until: ended).last?.version ?? prices.version(of: session.model, at: session.startedAt)
        return (missing * Decimal(session.gpuMilli), version)
    }

    /// Reserved device-time not used, per pool, model and price version, as invoice quantities.
    private func idle(_ reserved: [ReservedCapacity], used: [SpanKey: Decimal], since: Double, until: Double, byProject: Bool) -> [LineKey: Decimal] {
        var held: [SpanKey: (quantity: Decimal, version: PriceVersion?, projects: Set<String?>)] = [:]
        for capacity in reserved where capacity.gpuMilli > 0 && !capacity.model.isEmpty {
            for span in prices.pieces(of: capacity.model, from: max(capacity.from, since), until: min(capacity.until, until)) {
                let key = SpanKey(pool: capacity.pool, model: capacity.model, version: span.version?.effectiveFrom)
                held[key, default: (0, span.version, [])].quantity += Self.duration(span.from, span.until) * Decimal(capacity.gpuMilli)
                held[key]?.projects.insert(capacity.project)
            }
        }
        var lines: [LineKey: Decimal] = [:]
        for (key, hold) in held {
            let usedThere = used.filter { $0.key.model == key.model && $0.key.version == key.version && (key.pool == nil || $0.key.pool == key.pool) }.values.reduce(0, +)
            guard hold.quantity > usedThere else { continue }
            let unit = (hold.version?.pricePerHour ?? .zero) * rules.reservedIdleFactor
            let project = hold.projects.count == 1 ? hold.projects.first ?? nil : nil
            lines[LineKey(project: byProject ? project : nil, model: key.model, rateClass: .reservedIdle, unitPrice: unit), default: 0] += hold.quantity - usedThere
        }
        return lines
    }

    private func key(_ session: UsageSession, _ version: PriceVersion?, _ byProject: Bool) -> LineKey {
        let onDemand = version?.pricePerHour ?? .zero
        let unit = session.preemptible ? (version?.spotPricePerHour ?? onDemand * rules.spotFactor) : onDemand
        return LineKey(project: byProject ? session.project : nil, model: session.model, rateClass: session.preemptible ? .spot : .onDemand, unitPrice: unit)
    }

    /// Milli-GPU-milliseconds in one device-hour.
    private static let perHour = Decimal(1000 * 3_600_000)

    /// Seconds as whole milliseconds, exactly (instants are stored as `Double` seconds).
    static func millis(_ seconds: Double) -> Decimal {
        Decimal(Int64((seconds * 1000).rounded()))
    }

    /// Milliseconds from `from` to `until`, each instant taken to the millisecond first so that pieces
    /// cut from one session add up to the whole.
    static func duration(_ from: Double, _ until: Double) -> Decimal { millis(until) - millis(from) }

    private static func order(_ rateClass: RateClass) -> Int { RateClass.allCases.firstIndex(of: rateClass) ?? 0 }

    private struct LineKey: Hashable {
        var project: String?
        var model: String
        var rateClass: RateClass
        var unitPrice: Money
    }

    private struct SpanKey: Hashable {
        var pool: PoolID?
        var model: String
        var version: Double?
    }
}
