import Foundation
import ReservoirCore
import Testing
@testable import ReservoirServices

/// The capacity plan fits its models in parallel; each answer must be the one fitting it alone gives,
/// in the models' order, errors included.
@Suite struct ParallelForecastTests {
    @Test func parallelForecastsEqualOneByOne() throws {
        let week = 7 * 24
        let histories: [[Double]] = [
            (0..<(2 * week)).map { 10 + 4 * sin(2 * Double.pi * Double($0) / 24) + Double($0 % 7) },
            (0..<week).map { Double(($0 * 37) % 11) },
            Array(repeating: 3, count: 24),  // too short: a conflict, not a crash
        ]
        let models = ["A", "B", "C"]
        let parallel = PlanningContext.forecastInParallel(histories, horizon: 48, models: models)
        #expect(parallel.count == 3)
        for index in histories.indices {
            switch (parallel[index], Result { () throws(ReservoirError) in
                try PlanningContext.forecastDemand(histories[index], horizon: 48, model: models[index]) }) {
            case let (.success(a), .success(b)): #expect(a == b)
            case let (.failure(a), .failure(b)): #expect(a.message == b.message)
            default: Issue.record("model \(models[index]): parallel and one-by-one disagree")
            }
        }
        if case .failure(let error) = parallel[2] { #expect(error.message.contains("C")) } else { Issue.record("short history forecast") }
    }
}
