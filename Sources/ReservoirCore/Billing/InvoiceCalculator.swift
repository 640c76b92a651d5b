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
///   Nor is a segment the scheduler ended by preemption: stopping it early was the platform's choice.
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
        // Exact integer quantities (milli-GPU × milliseconds) until the lines are made.
        var usage: [UsageKey: ExactQuantity] = [:]
        var used: [SpanKey: ExactQuantity] = [:]
        let resizedEnds = Set(own.compactMap { s in s.closedBy == .resized ? s.endedAt.map { JobInstant(job: s.job, at: $0) } : nil })
        for session in own {
            let end = min(session.endedAt ?? now, until)
            for span in prices.pieces(of: session.model, from: max(session.startedAt, since), until: end) {
                let quantity = ExactQuantity(milliseconds: Self.duration(span.from, span.until), gpuMilli: session.gpuMilli)
                usage[UsageKey(session, span.version, byProject), default: ExactQuantity()] += quantity
                used[SpanKey(pool: session.pool, model: session.model, version: span.version?.effectiveFrom), default: ExactQuantity()] += quantity
            }
            if let topUp = topUp(session, resizedEnds: resizedEnds, month: month, now: now) {
                usage[UsageKey(session, topUp.version, byProject), default: ExactQuantity()] += topUp.quantity
            }
        }
        let volume = usage.values.reduce(Decimal(0)) { $0 + $1.value } / Self.perHour
        let discount = VolumeDiscount.fraction(volumeHours: volume, tiers: rules.discountTiers, mode: rules.discountMode)
        var quantities: [LineKey: (quantity: Decimal, discount: Decimal)] = [:]
        for (key, quantity) in usage {
            quantities[line(key), default: (0, discount)].quantity += quantity.value
        }
        for (key, quantity) in idle(reserved.filter { $0.tenant == tenant }, used: used, since: since, until: until, byProject: byProject) {
            quantities[key, default: (0, 0)].quantity += quantity
        }

        var lines: [InvoiceLine] = []
        for (key, figures) in quantities {
            let hours = Money(figures.quantity / Self.perHour).rounded(scale: 6).value
            guard hours > 0 else { continue }
            let amount = (key.unitPrice * (hours * (1 - figures.discount))).rounded()
            lines.append(InvoiceLine(
                model: key.model, rateClass: key.rateClass, hours: hours, unitPrice: key.unitPrice, discount: figures.discount, amount: amount, project: key.project))
        }
        lines.sort { ($0.project ?? "", $0.model, Self.order($0.rateClass), $0.unitPrice) < ($1.project ?? "", $1.model, Self.order($1.rateClass), $1.unitPrice) }
        let total = lines.reduce(Money.zero) { $0 + $1.amount }
        return Invoice(tenant: tenant, period: month.description, status: now >= month.until ? .closed : .open, currency: rules.currency, lines: lines, total: total)
    }

    /// The minimum-period top-up of `session` billed in `month`: only once it has closed, in the month
    /// holding its last instant, and never for a segment of a resized allocation or a preempted one.
    private func topUp(_ session: UsageSession, resizedEnds: Set<JobInstant>, month: ReportMonth, now: Double) -> (quantity: ExactQuantity, version: PriceVersion?)? {
        guard let ended = session.endedAt, ended <= now, session.closedBy != .resized, session.closedBy != .preempted else { return nil }
        let lastInstantInMonth = ended > session.startedAt ? (ended > month.since && ended <= month.until) : (ended >= month.since && ended < month.until)
        let missing = Int64(rules.minimumBillingSeconds) * 1000 - Self.duration(session.startedAt, ended)
        guard lastInstantInMonth, missing > 0 else { return nil }
        guard !resizedEnds.contains(JobInstant(job: session.job, at: session.startedAt)) else { return nil }
        let version = prices.pieces(of: session.model, from: session.startedAt, until: ended).last?.version ?? prices.version(of: session.model, at: session.startedAt)
        return (ExactQuantity(milliseconds: missing, gpuMilli: session.gpuMilli), version)
    }

    /// Reserved device-time not used, per pool, model and price version, as invoice quantities.
    private func idle(_ reserved: [ReservedCapacity], used: [SpanKey: ExactQuantity], since: Double, until: Double, byProject: Bool) -> [LineKey: Decimal] {
        var held: [SpanKey: (quantity: ExactQuantity, version: PriceVersion?, projects: Set<String?>)] = [:]
        for capacity in reserved where capacity.gpuMilli > 0 && !capacity.model.isEmpty {
            for span in prices.pieces(of: capacity.model, from: max(capacity.from, since), until: min(capacity.until, until)) {
                let key = SpanKey(pool: capacity.pool, model: capacity.model, version: span.version?.effectiveFrom)
                held[key, default: (ExactQuantity(), span.version, [])].quantity += ExactQuantity(milliseconds: Self.duration(span.from, span.until), gpuMilli: capacity.gpuMilli)
                held[key]?.projects.insert(capacity.project)
            }
        }
        var lines: [LineKey: Decimal] = [:]
        for (key, hold) in held {
            let usedThere = used.filter { $0.key.model == key.model && $0.key.version == key.version && (key.pool == nil || $0.key.pool == key.pool) }
                .values.reduce(Decimal(0)) { $0 + $1.value }
            let reserved = hold.quantity.value
            guard reserved > usedThere else { continue }
            let unit = (hold.version?.pricePerHour ?? .zero) * rules.reservedIdleFactor
            let project = hold.projects.count == 1 ? hold.projects.first ?? nil : nil
            lines[LineKey(project: byProject ? project : nil, model: key.model, rateClass: .reservedIdle, unitPrice: unit), default: 0] += reserved - usedThere
        }
        return lines
    }

    /// The invoice line usage of `key` lands on: its rate class at the version's price for it.
    private func line(_ key: UsageKey) -> LineKey {
        let version = key.version.flatMap { prices.version(of: key.model, at: $0) }
        let onDemand = version?.pricePerHour ?? .zero
        let unit = key.spot ? (version?.spotPricePerHour ?? onDemand * rules.spotFactor) : onDemand
        return LineKey(project: key.project, model: key.model, rateClass: key.spot ? .spot : .onDemand, unitPrice: unit)
    }

    /// Milli-GPU-milliseconds in one device-hour.
    private static let perHour = Decimal(1000 * 3_600_000)

    /// Seconds as whole milliseconds, exactly (instants are stored as `Double` seconds).
    static func millis(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return 0 }
        return Int64(max(-1e15, min(1e15, (seconds * 1000).rounded())))
    }

    /// Milliseconds from `from` to `until`, each instant taken to the millisecond first so that pieces
    /// cut from one session add up to the whole.
    static func duration(_ from: Double, _ until: Double) -> Int64 { millis(until) - millis(from) }

    private static func order(_ rateClass: RateClass) -> Int { RateClass.allCases.firstIndex(of: rateClass) ?? 0 }

    /// Where a segment closed by `resized` ended: the next segment of the job starts there.
    private struct JobInstant: Hashable {
        var job: JobID
        var at: Double
    }

    /// Usage before it is priced: who, what, on-demand or spot, under which version.
    private struct UsageKey: Hashable {
        var project: String?
        var model: String
        var spot: Bool
        /// The price version's `effectiveFrom`; nil before the model's first version.
        var version: Double?

        init(_ session: UsageSession, _ version: PriceVersion?, _ byProject: Bool) {
            project = byProject ? session.project : nil
            model = session.model
            spot = session.preemptible
            self.version = version?.effectiveFrom
        }
    }

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
