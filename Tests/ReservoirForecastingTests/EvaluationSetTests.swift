import Foundation
import ReservoirCore
import Testing
@testable import ReservoirForecasting

@Suite struct EvaluationSetTests {
    @Test func protocolShapeIsTheProtocolOn800Hours() {
        #expect(BacktestPlan.protocolShape(count: 800) == .openbProtocol)
        #expect(BacktestPlan.protocolShape(count: EvaluationSet.subWindowHours).origins == (13...25).map { 24 * $0 })
    }

    @Test func syntheticDrawsAreSplitBySeed() {
        let set = EvaluationSet.synthetic()
        #expect(set.count == 2 * SyntheticSeries.allCases.count)
        #expect(set.allSatisfy { $0.plan == .openbProtocol })
        let development = set.filter { $0.part == .development }, report = set.filter { $0.part == .report }
        #expect(development.count == report.count)
        // The same structures, other noise: no reported draw equals a development one.
        for (d, r) in zip(development, report) {
            #expect(d.values != r.values)
            #expect(d.name.split(separator: "/").last == r.name.split(separator: "/").last)
        }
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
        let memory = try OpenbDemandSeries.derive(from: pods, resource: .memory)
        #expect(Array(memory.gpuInUse.prefix(4)) == [1, 2, 2, 1])
        let count = try OpenbDemandSeries.derive(from: pods, resource: .pods)
        #expect(Array(count.gpuInUse.prefix(4)) == [1, 2, 2, 1])
        #expect(Array(count.gpuArrived.prefix(3)) == [0, 1, 0])
        let series = try EvaluationSet.openb(variant: "gpushare40", pods: pods)
        let columns = ["gpu", "cpu", "memory", "pods"].flatMap { ["\($0)_in_use", "\($0)_arrived"] }
        #expect(series.map(\.name) == columns.map { "openb-gpushare40/\($0)" })
        // Reported: GPUs and CPU cores; developed on: memory and pods, never reported.
        #expect(series.map(\.part) == [.report, .report, .report, .report, .development, .development, .development, .development])
        let defaults = try EvaluationSet.openb(variant: "default", pods: pods)
        #expect(defaults.filter { $0.part == .report }.map(\.name).contains("openb-default/gpu_in_use[0..<632]"))
        #expect(try EvaluationSet.openb(variant: "cpu050", pods: pods).allSatisfy { !$0.name.contains("gpu") })
    }
}
