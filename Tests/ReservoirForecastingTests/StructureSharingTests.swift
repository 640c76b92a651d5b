import Foundation
import Testing
@testable import ReservoirForecasting

/// The ensemble's speed-up (issue 19 part 4): members' structure searches shared by each week of validation
/// cuts, coefficients refitted at each cut, nothing after a cut used to forecast from it.
@Suite struct StructureSharingTests {
    /// A member whose "structure" is the length it was searched on, and whose forecast reports it.
    struct SearchedLength: StructureSearching {
        var name: String { "searched_length" }
        var structureKey: String { name }
        func structure(_ y: [Double]) -> Int? { y.count }
        func forecast(_ y: [Double], horizon: Int, structure: Int) throws(ForecastError) -> Forecast {
            Forecast(mean: Array(repeating: Double(structure), count: horizon), standardDeviation: Array(repeating: 1, count: horizon))
        }
        func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
            try forecast(history, horizon: horizon, structure: history.count)
        }
    }

    @Test func validationCutsSearchOnTheWholeWeekBeforeThem() throws {
        let history = (0..<672).map(Double.init)
        var cache = MemberForecasts(searchSpan: 168)
        let member = SearchedLength()
        // The final forecast searches on the whole history, whatever the cache held before.
        #expect(try cache.forecast(member, index: 0, history: history, length: 672, horizon: 1).mean == [672])
        // A cut searches on the history up to the cut rounded down to a whole week, never past the cut.
        #expect(try cache.forecast(member, index: 0, history: history, length: 666, horizon: 1).mean == [504])
        #expect(try cache.forecast(member, index: 0, history: history, length: 504, horizon: 1).mean == [504])
        #expect(try cache.forecast(member, index: 0, history: history, length: 480, horizon: 1).mean == [336])
        // Below one week, the cut itself.
        #expect(try cache.forecast(member, index: 0, history: history, length: 100, horizon: 1).mean == [100])
        // A backtest's later origin sees length 672 as a cut: searched on 672 rounded down, not the final answer.
        let longer = history + (0..<24).map(Double.init)
        #expect(try cache.forecast(member, index: 0, history: longer, length: 672, horizon: 1).mean == [672])
        #expect(try cache.forecast(member, index: 0, history: longer, length: 680, horizon: 1).mean == [672])
        // Span 0 searches at every cut.
        var every = MemberForecasts()
        #expect(try every.forecast(member, index: 0, history: history, length: 666, horizon: 1).mean == [666])
    }

    /// `forecast(y, structure: structure(y))` is the member's own forecast, number for number.
    @Test func aMembersOwnStructureGivesItsOwnForecast() throws {
        var random = SeededRandom(seed: 7)
        let y = (0..<(24 * 16)).map { t in 30 + 8 * sin(2 * Double.pi * Double(t) / 24) + random.gaussian(sd: 2) }
        func check<M: StructureSearching>(_ model: M) throws {
            let structure = try #require(model.structure(y))
            let own = try model.forecast(y, horizon: 48)
            let shared = try model.forecast(y, horizon: 48, structure: structure)
            #expect(own.mean == shared.mean && own.lower80 == shared.lower80, "\(model.name)")
        }
        try check(AutoArima(period: 24))
        try check(AutoArima(period: 24, robust: true))
        try check(Arima(spec: ArimaSpec(p: 1, d: 1, q: 1)))
        try check(HarmonicRegression(periods: [24, 168]))
        try check(HarmonicRegression(periods: [24, 168], logTransform: true))
        try check(DampedETS(period: 24))
    }
}
