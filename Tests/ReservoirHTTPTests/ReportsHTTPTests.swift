import Foundation
import ReservoirCore
import ReservoirServices
import ReservoirTestSupport
import Testing

/// The monthly transparency report through the API (JSON, Markdown, HTML by `format` or `Accept`) and the
/// CLI (`reservoir report monthly`, printed or written with `-o`).
@Suite("End to end: the monthly transparency report")
struct ReportsHTTPTests {
    @Test("a member reads this month's report as JSON, Markdown and HTML; the CLI prints it and writes the HTML page")
    func formats() async throws {
        try #require(Executable.reservoir != nil, "build the reservoir executable first (swift build)")
        let dir = try Executable.temporaryDirectory("reservoir-report-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await InProcessServer.with { api, reservoir in
            let t = try await Fixture.setUp(api)
            let job = try await api.post("/v1/jobs", token: t.alice, json: ["name": "train", "runtimeSeconds": 60, "request": ["gpus": 2]])
            let jobID = try #require(job.object["id"] as? String, "\(job.text)")
            #expect(try await api.waitForJob(jobID, token: t.alice) { $0 == "succeeded" }.final == "succeeded")
            let month = ReportMonth(containing: reservoir.now()).description

            let json = try await api.get("/v1/reports/monthly", token: t.alice)
            #expect(json.status == 200 && json.headers["content-type"]?.hasPrefix("application/json") == true, "\(json.text)")
            let report = try JSONDecoder().decode(MonthlyReport.self, from: json.body)
            #expect(report.month == month && !report.complete)
            #expect(report.waterLevel.total.total > 0 && report.queueWait.jobs == 1, "\(report.waterLevel.total) \(report.queueWait)")

            let markdown = try await api.get("/v1/reports/monthly?format=markdown&month=\(month)", token: t.bob)
            #expect(markdown.headers["content-type"]?.hasPrefix("text/markdown") == true)
            #expect(markdown.text.hasPrefix("# Transparency report \(month)") && markdown.text.contains("## Water level by model"))

            let html = try await api.send(.GET, "/v1/reports/monthly", token: t.alice, headers: ["Accept": "text/html"])
            #expect(html.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(html.text.components(separatedBy: "<svg ").count - 1 == 2)
            let format = try await api.get("/v1/reports/monthly?format=json", token: t.alice)
            #expect(format.headers["content-type"]?.hasPrefix("application/json") == true, "format wins over Accept")

            let future = try await api.get("/v1/reports/monthly?month=2999-01", token: t.alice)
            #expect(future.status == 400 && future.errorField == "month", "\(future.text)")
            let malformed = try await api.get("/v1/reports/monthly?month=11-2026", token: t.alice)
            #expect(malformed.status == 400 && malformed.errorField == "month", "\(malformed.text)")

            let printed = try await runCLI(["report", "monthly", "--month", month], server: api.base, token: t.alice, directory: dir)
            #expect(printed.status == 0 && printed.stdout.hasPrefix("# Transparency report \(month)"), "\(printed.stdout)\(printed.stderr)")
            let file = dir.appendingPathComponent("report.html").path
            let written = try await runCLI(["report", "monthly", "--format", "html", "-o", file], server: api.base, token: t.alice, directory: dir)
            #expect(written.status == 0 && written.stdout.contains(file), "\(written.stdout)\(written.stderr)")
            let page = try String(contentsOfFile: file, encoding: .utf8)
            #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg "))
            let bad = try await runCLI(["report", "monthly", "--month", "2999-01"], server: api.base, token: t.alice, directory: dir)
            #expect(bad.status != 0 && bad.stderr.contains("month"), "\(bad.stderr)")
        }
    }
}
