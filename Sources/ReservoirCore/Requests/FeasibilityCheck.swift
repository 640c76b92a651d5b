import Foundation

/// SPEC §5.3's feasibility check: a demand against the measured water level and the compliance rules,
/// answered fits now / must queue (with an estimated start) / must shrink (with what would fit) /
/// refused. Pure, so the rules are tested without a store or a clock.
public struct FeasibilityCheck: Sendable {
    public var gauge: WaterLevelGauge
    /// Request categories that may never take the strategic reserve.
    public var forbiddenOnStrategicReserve: Set<RequestCategory>
    /// The largest share (0…1) of a pool's GPUs one tenant may hold, its running work and live grants together.
    public var maxTenantShare: Double

    public init(gauge: WaterLevelGauge, forbiddenOnStrategicReserve: Set<RequestCategory>, maxTenantShare: Double) {
        self.gauge = gauge
        self.forbiddenOnStrategicReserve = forbiddenOnStrategicReserve
        self.maxTenantShare = maxTenantShare
    }

    /// The answer for `demand`. Without a pool every pool with the model is weighed and the best answer
    /// wins (fits now, then the earliest start, then the most that fits), ordinary pools before the
    /// strategic reserve; `waterLevel` lists every pool weighed. A model the caller spelled differently
    /// from the catalog must be canonical already (the context does that).
    public func assess(_ demand: ResourceDemand) -> FeasibilityReport {
        let terms = demand.terms
        let candidates = gauge.levels.filter { level in
            (terms.pool.map { $0 == level.pool } ?? true) && (terms.model.map { $0 == level.model } ?? true)
        }
        guard !candidates.isEmpty else {
            let place = [terms.model.map { "no \($0) GPUs" } ?? "no GPUs", terms.pool.map { "in pool \($0)" } ?? "in any pool"].joined(separator: " ")
            return FeasibilityReport(verdict: .refused, pool: terms.pool, model: terms.model, violations: ["inventory: there are \(place)"],
                                     message: "Cannot be met: there are \(place).")
        }
        let answers = candidates.map { answer(demand, on: $0) }
        let best = answers.min { rank($0) < rank($1) }!
        var report = best
        report.waterLevel = candidates
        if report.verdict == .refused && answers.count > 1 {
            report.violations = Array(Set(answers.flatMap(\.violations))).sorted()
        }
        return report
    }

    /// Orders answers: verdict, then ordinary before strategic reserve, then soonest start, then most that fits, then most free.
    private func rank(_ r: FeasibilityReport) -> (Int, Int, Double, Int, Int, String) {
        let order: [FeasibilityReport.Verdict: Int] = [.fitsNow: 0, .mustQueue: 1, .mustShrink: 2, .refused: 3]
        let level = r.waterLevel.first
        return (order[r.verdict]!, r.usesStrategicReserve ? 1 : 0, r.estimatedStart ?? 0, -(r.fits?.gpus ?? 0), -(level?.free ?? 0), r.pool?.rawValue ?? "")
    }

    /// The answer on one pool and model (its `waterLevel` holds just that level, for ranking).
    private func answer(_ demand: ResourceDemand, on level: WaterLevel) -> FeasibilityReport {
        let gpus = demand.terms.gpus
        var terms = demand.terms
        terms.pool = level.pool
        terms.model = level.model
        let place = "\(level.model) in pool \(level.pool)"
        func report(_ verdict: FeasibilityReport.Verdict, start: Double? = nil, fits: Int? = nil, violations: [String] = [], _ message: String) -> FeasibilityReport {
            var shrunk = terms
            shrunk.gpus = fits ?? 0
            return FeasibilityReport(
                verdict: verdict, pool: level.pool, model: level.model, estimatedStart: start, fits: fits.map { _ in shrunk }, violations: violations,
                usesStrategicReserve: level.strategicReserve && verdict != .refused, waterLevel: [level], message: message)
        }
        if level.strategicReserve && forbiddenOnStrategicReserve.contains(demand.category) {
            return report(.refused, violations: ["compliance.strategicReserveForbiddenCategories: \(demand.category.rawValue) requests may not take the strategic reserve (pool \(level.pool))"],
                          "Refused on pool \(level.pool): it is the strategic reserve, which \(demand.category.rawValue) requests may not take.")
        }
        // The tenant's share of the pool: what it holds already plus this demand (the green channel is exempt).
        let poolTotal = gauge.levels.filter { $0.pool == level.pool }.reduce(0) { $0 + $1.total }
        let shareCap = demand.emergency ? Int.max : Int((maxTenantShare * Double(poolTotal)).rounded(.down))
        let holds = gauge.holdings[demand.tenant]?[level.pool] ?? 0
        let shareRoom = max(0, shareCap - holds)
        let share = "compliance.maxTenantShare: tenant \(demand.tenant) holds \(holds) of pool \(level.pool)'s \(poolTotal) GPUs and may hold at most \(shareCap) (\(Int(maxTenantShare * 100)) %)"
        let capacity = level.capacity(emergency: demand.emergency)
        let most = min(capacity, shareCap)
        guard gpus <= most else {
            let violations = gpus > shareCap ? [share] : []
            let why = gpus > shareCap
                ? "the tenant share rule allows at most \(shareCap) GPUs of the pool"
                : "\(place) can give at most \(capacity) GPUs to one demand\(demand.emergency ? "" : " outside the dynamic reserve")"
            guard most > 0 else {
                return report(.refused, violations: violations.isEmpty ? ["capacity: \(place) has no usable GPUs for it"] : violations, "Cannot be met on \(place): \(why).")
            }
            let now = min(most, level.availableNow(emergency: demand.emergency), shareRoom)
            let when = now >= most ? "that many fit now" : "\(now) fit now, the rest as running work ends"
            return report(.mustShrink, fits: most, violations: violations, "Too large for \(place): asked \(gpus) GPUs, \(why); at most \(most) would fit (\(when)).")
        }
        let available = min(level.availableNow(emergency: demand.emergency), shareRoom)
        if gpus <= available {
            let how = demand.emergency && gpus > level.free
                ? " using the dynamic reserve\(gpus > level.free + level.dynamicReserve ? " and preempting lower classes" : "")" : ""
            let reserve = level.strategicReserve ? " It takes the strategic reserve: the committee decides." : ""
            return report(.fitsNow, "Fits now on \(place)\(how): \(available) GPUs available, \(gpus) asked.\(reserve)")
        }
        let partial = available > 0 ? available : nil
        let fitsNote = partial.map { " \($0) GPUs would fit now." } ?? ""
        if gpus > shareRoom {
            return report(.mustQueue, fits: partial,
                          "Must queue on \(place): \(share), so it waits until the tenant's own work ends or its grants expire; no estimated start.\(fitsNote)")
        }
        let start = estimatedStart(gpus - available, level: level)
        let queuedNote = level.queued > 0 ? " \(level.queued) GPUs of queued work also wait there and may go first." : ""
        let when = start.map { "expected to start when running work ends by its declared runtimes (start + runtime − progress) at \(InstantText.iso($0))" }
            ?? "no estimated start: the running work that holds it declared no runtime"
        return report(.mustQueue, start: start, fits: partial, "Must queue on \(place): \(available) GPUs free of \(gpus) asked; \(when).\(queuedNote)\(fitsNote)")
    }

    /// When running work on `level` is expected to give back `missing` more GPUs; nil when the releases
    /// known from declared runtimes do not add up to it.
    private func estimatedStart(_ missing: Int, level: WaterLevel) -> Double? {
        var freed = 0
        for release in gauge.releases where release.pool == level.pool && release.model == level.model {
            freed += release.gpus
            if freed >= missing { return release.at }
        }
        return nil
    }
}
