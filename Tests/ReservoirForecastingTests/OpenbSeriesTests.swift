import Foundation
import ReservoirCore
import Testing
@testable import ReservoirForecasting
import ReservoirTestSupport

/// The derived openb series reproduces `shared/bench/forecast-openb-default-hourly.csv` to 2 decimals.
@Suite struct OpenbSeriesTests {
    static let hourly = "bench/forecast-openb-default-hourly.csv"

    @Test(SharedData.required(Self.hourly))
    func derivedDefaultSeriesMatchesSharedCSV() throws {
        guard let podsCSV = try SharedData.text("data/openb/openb_pod_list_default.csv"), let hourlyCSV = try SharedData.text(Self.hourly) else { return }
        let pods = try OpenbTrace.parsePods(csv: podsCSV)
        let series = try OpenbDemandSeries.derive(from: pods)
        #expect(series.firstHour == 2784)
        let expected = CSVTable(text: hourlyCSV)
        #expect(series.gpuInUse.count == expected.rows.count)
        for (i, row) in expected.rows.enumerated() {
            let inUse = try #require(expected.value("gpu_in_use", in: row).flatMap(Double.init))
            let arrived = try #require(expected.value("gpu_arrived", in: row).flatMap(Double.init))
            #expect(abs(series.gpuInUse[i] - inUse) < 0.005, "gpu_in_use at hour_index \(i)")
            #expect(abs(series.gpuArrived[i] - arrived) < 0.005, "gpu_arrived at hour_index \(i)")
        }
        #expect(series.csv == hourlyCSV)
    }

    @Test func neverScheduledPodsCountFromCreation() throws {
        // a: 0.5 GPU, scheduled at 1 h, deleted at 48 h. b: deleted at exactly 24 h, so the window starts at
        // hour 24. c: 2 GPUs, never scheduled, created at 25 h, deleted at 27 h: demand from creation.
        let csv = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            a,1000,1024,1,500,,LS,Running,0,172800,3600
            b,1000,1024,1,1000,,LS,Running,82800,86400,82800
            c,1000,1024,2,1000,,BE,Pending,90000,97200,
            """
        let pods = try OpenbTrace.parsePods(csv: csv)
        let s = try OpenbDemandSeries.derive(from: pods)
        #expect(s.firstHour == 24)
        #expect(s.gpuInUse.count == 24)   // hours 24…47; hour 48 holds the last timestamp
        #expect(Array(s.gpuInUse.prefix(4)) == [0.5, 2.5, 2.5, 0.5])
        #expect(Array(s.gpuArrived.prefix(3)) == [0, 2, 0])
    }
}
