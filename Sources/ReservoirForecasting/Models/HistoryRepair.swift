/// What the ensemble corrects in a history before fitting, because every member would otherwise read it as
/// demand: a day recorded as zeros (a collector outage). Detected from the history alone; a documented
/// fallback (docs/FORECASTING.md).
enum HistoryRepair {
    /// `history` with every run of at least `period` consecutive zeros that has data on both sides marked
    /// as a gap (NaN, later filled from one day earlier), when zeros are otherwise rare (under 5 % of the
    /// other hours): a whole day of nothing in a series that is almost never nothing is a recording gap,
    /// not demand. A run at the end of the history is kept (demand may really have stopped).
    static func zeroDaysAsGaps(_ history: [Double], period: Int) -> [Double] {
        var runs: [Range<Int>] = []
        var start: Int?
        for t in history.indices {
            if history[t] == 0 { if start == nil { start = t } } else if let s = start {
                if t - s >= period, s > 0 { runs.append(s..<t) }
                start = nil
            }
        }
        guard !runs.isEmpty else { return history }
        let inRuns = runs.reduce(0) { $0 + $1.count }
        let otherZeros = history.filter { $0 == 0 }.count - inRuns - (start.map { history.count - $0 } ?? 0)
        guard Double(otherZeros) < 0.05 * Double(history.count - inRuns) else { return history }
        var out = history
        for run in runs { for t in run { out[t] = .nan } }
        return out
    }
}
