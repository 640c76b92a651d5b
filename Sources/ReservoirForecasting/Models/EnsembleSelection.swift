/// Every ensemble member's validation error at each of a set of cuts in a series' own history: the
/// evidence `AutoEnsemble` ranks members and chooses how to combine them on.
struct MemberValidation {
    /// Cuts whose window holds at least one observed lead and whose MASE scale is positive, oldest last.
    var cuts: [Int]
    /// Leads 1…`leads` are scored (those inside the history).
    var leads: Int
    /// The seasonal-naive MAE of the history before each cut (the protocol's MASE scale).
    var scales: [Double]
    /// Per member, its MASE at every cut; a member that could not forecast from every cut is absent.
    var errors: [Int: [Double]]

    init(_ y: [Double], cuts candidates: [Int], leads: Int, horizon: Int, members: [any Forecaster], period: Int,
         cache: inout MemberForecasts)
    {
        var cuts: [Int] = [], scales: [Double] = []
        for cut in candidates where cut < y.count {
            let scale = Statistics.seasonalNaiveScale(Array(y[0..<cut]), period: period)
            if scale > 0 { cuts.append(cut); scales.append(scale) }
        }
        self.cuts = cuts
        self.leads = leads
        self.scales = scales
        errors = [:]
        guard !cuts.isEmpty else { return }
        for (i, member) in members.enumerated() {
            var perCut: [Double] = []
            for j in cuts.indices {
                guard let f = try? cache.forecast(member, index: i, history: y, length: cuts[j], horizon: horizon) else { break }
                perCut.append(mase(f.mean, y, at: j))
            }
            if perCut.count == cuts.count { errors[i] = perCut }
        }
    }

    /// MASE of `mean` forecast from cut `j` over the scored leads.
    func mase(_ mean: [Double], _ y: [Double], at j: Int) -> Double {
        let cut = cuts[j]
        let window = 0..<min(leads, y.count - cut, mean.count)
        return window.reduce(0) { $0 + abs(y[cut + $1] - mean[$1]) } / Double(window.count) / scales[j]
    }

    /// Each member's median error over the cuts, leaving out cut `excluded` (to forecast from that cut with
    /// members ranked on the others). The median, not the mean: a few windows spoiled by an outage or a spike
    /// that no model could foresee must not decide the ranking (on the development series the mean, a
    /// trimmed mean and a recency-weighted mean all ranked worse).
    func scores(excluding excluded: Int? = nil) -> [Int: Double] {
        errors.mapValues { e in Statistics.quantile(e.indices.filter { $0 != excluded }.map { e[$0] }, 0.5) }
    }
}

/// One part of the ensemble's forecast (leads 1…s, or the later leads): its members ranked on validation
/// cuts, with all of them or without one.
struct RankedPart {
    /// The validation cuts the ranking is made on.
    var cuts: [Int]
    /// Member scores (lower is better) leaving out the cut at that index (nil: on every cut).
    var scores: (Int?) -> [Int: Double]
    /// How many of the best members are averaged.
    var top: Int

    /// The `top` best members forecasting from `length`, ranked without the validation cut at `length` when
    /// it is one (so the interval is calibrated on forecasts whose members were not chosen on the window
    /// they are scored on); ties go to the earlier member.
    func members(leavingOut length: Int) -> [Int] {
        scores(cuts.firstIndex(of: length)).sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(top).map(\.key)
    }
}
