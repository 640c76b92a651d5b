import Foundation
import ReservoirCore
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Monthly transparency report (pure)")
struct MonthlyReportTests {
    static let november = try! ReportMonth("2026-11")
    static let day = 86_400.0

    /// Two regions; nlp runs 4 A100s for 10 days of November and 2 H100s from 3 days before its end into
    /// December; cv runs one MIG 3g.40gb slice (3/7 of an H100) for the whole month and a session open
    /// since 2026-11-20. A second month (October) has 1 A100 for 31 days for the trend.
    static func input(now: Double = november.until + 3600, charges: [TenantID: Money] = [:]) -> MonthlyReportInput {
        let n = november.since
        let sessions = [
            UsageSession(id: 1, job: "j1", tenant: "nlp", pool: "pa", model: "A100", gpuMilli: 4000, devices: 4, startedAt: n + day, endedAt: n + 11 * day),
            UsageSession(id: 2, job: "j2", tenant: "nlp", pool: "pb", model: "H100", gpuMilli: 2000, devices: 2, startedAt: november.until - 3 * day, endedAt: november.until + 2 * day),
            UsageSession(id: 3, job: "j3", tenant: "cv", pool: "pb", model: "H100", gpuMilli: 428, migProfile: "3g.40gb", startedAt: n - 5 * day, endedAt: nil),
            UsageSession(id: 4, job: "j4", tenant: "cv", pool: "pa", model: "A100", gpuMilli: 1000, startedAt: n - 31 * day, endedAt: n - 60, closedBy: .preempted),
        ]
        let jobs: [JobID: ReportJob] = [
            "j1": ReportJob(id: "j1", name: "train", tenant: "nlp", submittedAt: n + day - 600),
            "j2": ReportJob(id: "j2", name: "tune", tenant: "nlp", submittedAt: november.until - 3 * day - 60),
            "j3": ReportJob(id: "j3", name: "serve", tenant: "cv", submittedAt: n - 5 * day - 30),
            "j4": ReportJob(id: "j4", name: "old", tenant: "cv", submittedAt: n - 31 * day - 1200),
        ]
        let point = { (at: Double, gpu: Double, memory: Double) in
            UtilizationPoint(at: at, gpuUtilMean: gpu, gpuUtilMax: gpu, memoryUsedMiBMean: 0, memoryFractionMean: memory, memoryFractionMax: memory, devices: 1, samples: 10)
        }
        return MonthlyReportInput(
            month: november, now: now,
            capacity: [GPUCapacity(region: "east", model: "A100", gpus: 8), GPUCapacity(region: "west", model: "H100", gpus: 4)],
            regionOfPool: ["pa": "east", "pb": "west"], sessions: sessions, jobs: jobs, failures: [n + 2 * day, n - 2 * day], healthEvents: [],
            reclamations: [], grants: [],
            telemetry: ReportTelemetry(
                daily: [point(n, 60, 0.5), point(n + day, 40, 0.3)], byModel: ["A100": [point(n, 60, 0.5)]],
                byTenant: ["nlp": [point(n, 90, 0.8)], "cv": [point(n, 5, 0.05)]], byJob: ["j1": [point(n, 90, 0.8)], "j2": [point(n, 50, 0.5)]],
                byService: [:]),
            previousDaily: [point(n - day, 20, 0.1)], charges: charges)
    }

    @Test("water level: mean allocated GPUs from device-seconds clipped to the month, by model and region; MIG slices by share; open sessions up to now")
    func waterLevel() throws {
        let report = MonthlyReportBuilder.build(Self.input())
        let month = 30 * Self.day
        let a100 = 4.0 * 10 * Self.day / month
        let h100 = (2.0 * 3 * Self.day + 0.428 * 30 * Self.day) / month
        #expect(report.waterLevel.byModel.map(\.model) == ["A100", "H100"])
        #expect(report.waterLevel.byModel[0].allocated == ReportNumber.round(a100))
        #expect(report.waterLevel.byModel[1].allocated == ReportNumber.round(h100))
        #expect(report.waterLevel.byRegion.map { "\($0.region!)/\($0.model!)" } == ["east/A100", "west/H100"])
        #expect(report.waterLevel.total.total == 12)
        #expect(report.waterLevel.total.allocated == ReportNumber.round(a100 + h100))
        #expect(report.waterLevel.total.free == ReportNumber.round(12 - a100 - h100))
        #expect(report.complete)
        // While the month runs, it is measured up to now: 15 days in, cv's open slice counts 15 days over 15 days.
        let running = MonthlyReportBuilder.build(Self.input(now: Self.november.since + 15 * Self.day))
        #expect(!running.complete)
        #expect(running.waterLevel.byModel[1].allocated == ReportNumber.round(0.428))
        #expect(running.waterLevel.byModel[0].allocated == ReportNumber.round(4.0 * 10 / 15))
    }

    @Test("queue wait by nearest rank over jobs first admitted in the month; incidents; trend against the previous month")
    func queueIncidentsTrend() throws {
        let report = MonthlyReportBuilder.build(Self.input())
        #expect(report.queueWait.jobs == 2)
        #expect(report.queueWait.p50Seconds == 60)
        #expect(report.queueWait.p95Seconds == 600)
        #expect(report.incidents.failedJobs == 1)
        #expect(report.incidents.preemptions == 0)
        let previous = try #require(report.headline.first { $0.key == "preemptions" })
        #expect(previous.value == 0 && previous.previous == 1 && previous.change == -1)
        let allocated = try #require(report.headline.first { $0.key == "allocatedGPUs" })
        // October: j4 (1 A100, all 31 days) and j3 (the slice, its last 5 days).
        #expect(allocated.previous == ReportNumber.round((31 * Self.day - 60 + 0.428 * 5 * Self.day) / (31 * Self.day)))
        let gpu = try #require(report.headline.first { $0.key == "gpuUtilizationPercent" })
        #expect(gpu.value == 50 && gpu.previous == 20 && gpu.change == 30)
        #expect(ReportNumber.percentile([5, 1, 4, 2, 3], 0.5) == 3)
        #expect(ReportNumber.percentile([5, 1, 4, 2, 3], 0.95) == 5)
        #expect(ReportNumber.percentile([], 0.5) == nil)
    }

    @Test("red and black lists: utilization by tenant, unit cost as exact money, applications by utilization")
    func lists() throws {
        let report = MonthlyReportBuilder.build(Self.input(charges: ["nlp": Money("1000.00")!, "cv": Money("10.00")!]))
        #expect(report.redList.highestUtilization.map(\.subject) == ["tenant:nlp", "tenant:cv"])
        #expect(report.blackList.lowestUtilization.map(\.subject) == ["tenant:cv", "tenant:nlp"])
        // nlp: 4 × 240 h + 2 × 72 h = 1104 GPU-h; cv: 0.428 × 720 h = 308.16 GPU-h.
        #expect(report.redList.lowestUnitCost.map(\.subject) == ["tenant:cv", "tenant:nlp"])
        #expect(report.redList.lowestUnitCost.map { $0.cost?.text() } == ["0.03", "0.91"])
        #expect(report.topApplications.map(\.id) == ["j1", "j2"])
        #expect(report.notes.allSatisfy { !$0.contains("unit-cost") })
        #expect(MonthlyReportBuilder.build(Self.input()).notes.contains { $0.contains("unit-cost") })
    }

    @Test("the same input gives the same bytes; HTML is well-formed, self-contained and holds the two SVG charts; Markdown has tables")
    func renderings() throws {
        let a = MonthlyReportBuilder.build(Self.input()), b = MonthlyReportBuilder.build(Self.input())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(a) == encoder.encode(b))
        let html = MonthlyReportHTML.render(a)
        #expect(html == MonthlyReportHTML.render(b))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").range(of: "http") == nil)
        let document = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
        let parser = XMLParser(data: Data(document.utf8))
        #expect(parser.parse(), "HTML is not well-formed: \(String(describing: parser.parserError))")
        let markdown = MonthlyReportMarkdown.render(a)
        #expect(markdown == MonthlyReportMarkdown.render(b))
        #expect(markdown.contains("| east / A100 | 8 | 1.3 | 6.7 | 16.7 | 960.0 |"))
        #expect(markdown.contains("## Black list: long idle"))
    }

    @Test("Accept picks the format")
    func accept() {
        #expect(ReportFormat(accept: "text/html,application/xhtml+xml") == .html)
        #expect(ReportFormat(accept: "text/markdown; charset=utf-8") == .markdown)
        #expect(ReportFormat(accept: "*/*") == nil)
    }
}
