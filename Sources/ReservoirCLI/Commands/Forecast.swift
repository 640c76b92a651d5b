import ArgumentParser

/// `reservoir forecast …`: demand forecasting and backtests.
struct Forecast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast demand and backtest the forecasters.",
        subcommands: [ForecastBacktest.self, ForecastDeriveOpenb.self, ForecastSeriesCommand.self, ForecastBench.self]
    )
}
