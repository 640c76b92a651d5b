import Foundation
import ReservoirCore
import Testing
@testable import ReservoirForecasting

@Suite struct EvaluationSetTests {
    @Test func protocolShapeIsTheProtocolOn800Hours() {
        #expect(BacktestPlan.protocolShape(count: 800) == .openbProtocol)
        #expect(BacktestPlan.protocolShape(count: EvaluationSet.subWindowHours).origins == (13...25).map { 24 * $0 })
    }

    @Test func syntheticSeriesAreDevelopment() {
        let set = EvaluationSet.synthetic()
        #expect(set.count == SyntheticSeries.allCases.count)
        #expect(set.allSatisfy { $0.part == .development && $0.plan == .openbProtocol })
    }

    @Test func cpuSeriesSumsCoresOfEveryPod() throws {
        let csv = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            a,4000,1024,1,500,,LS,Running,0,172800,3600
            b,2000,1024,0,0,,LS,Running,82800,86400,82800
            c,8000,1024,2,1000,,BE,Pending,90000,97200,
            """
        let pods = try OpenbTrace.parsePods(csv: csv)
        let cpu = try OpenbDemandSeries.derive(from: pods, resource: .cpu)
        #expect(Array(cpu.gpuInUse.prefix(4)) == [4, 12, 12, 4])
        #expect(Array(cpu.gpuArrived.prefix(3)) == [0, 8, 0])
        let series = try EvaluationSet.openb(variant: "gpushare40", pods: pods)
        #expect(series.map(\.name) == ["gpu_in_use", "gpu_arrived", "cpu_in_use", "cpu_arrived"].map { "openb-gpushare40/\($0)" })
        #expect(series.allSatisfy { $0.part == .heldOut })
        #expect(try EvaluationSet.openb(variant: "default", pods: pods).filter { $0.part == .development }.count == 2)
    }
}
