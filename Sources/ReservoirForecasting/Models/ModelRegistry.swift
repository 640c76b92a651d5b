/// The models a backtest compares, in table order: the baselines the protocol names, then Reservoir's own.
public enum ModelRegistry {
    /// `period` is the daily season in samples (24 for hourly data), `weeklyPeriod` the weekly one.
    public static func standard(period: Int = 24, weeklyPeriod: Int = 168) -> [any Forecaster] {
        let ensemble = AutoEnsemble.standard(period: period, weeklyPeriod: weeklyPeriod)
        return [SeasonalNaive(period: 1), SeasonalNaive(period: period), SeasonalNaive(period: weeklyPeriod)]
            + ensemble.members.filter { !($0 is SeasonalNaive) } + [ensemble]
    }
}
