import ReservoirForecasting
import Testing

/// The event-adjusted model the server uses: past events are cleaned out of the history, future ones
/// put back into the forecast, for uplifts and for absolute extra demand alike.
@Suite("Event-adjusted forecasts")
struct EventAdjustedTests {
    @Test func extraDemandIsCleanedFromThePastAndAddedToTheFuture() throws {
        var history = [Double](repeating: 10, count: 100)
        for t in 50..<60 { history[t] += 5 }
        let events = [BusinessEvent(name: "past ramp", start: 50, end: 60, uplift: 0, extra: 5),
                      BusinessEvent(name: "contract", start: 102, end: 104, uplift: 0.5, extra: 8)]
        let f = try EventAdjusted(SeasonalNaive(period: 1), events: events).forecast(history, horizon: 6)
        #expect(f.mean == [10, 10, 23, 23, 10, 10], "10 × 1.5 + 8 in the contract's hours, 10 elsewhere")
        #expect(f.lower80.allSatisfy(\.isFinite) && f.upper80.allSatisfy(\.isFinite))
    }

    @Test func gapsStayGapsAndBadEventsAreRefused() throws {
        var history = (0..<200).map { 10 + Double($0 % 24) }
        history[120] = .nan
        let f = try EventAdjusted(AutoEnsemble.standard(), events: [BusinessEvent(name: "e", start: 118, end: 122, uplift: 1)]).forecast(history, horizon: 24)
        #expect(f.mean.allSatisfy(\.isFinite) && f.lower80.allSatisfy(\.isFinite))
        #expect(throws: ForecastError.self) { try EventAdjusted(SeasonalNaive(period: 1), events: [BusinessEvent(name: "e", start: 1, end: 2, uplift: 0, extra: -1)]).forecast(history, horizon: 2) }
        #expect(throws: ForecastError.self) { try EventAdjusted(SeasonalNaive(period: 1), events: [BusinessEvent(name: "e", start: 3, end: 2, uplift: 1)]).forecast(history, horizon: 2) }
    }
}
