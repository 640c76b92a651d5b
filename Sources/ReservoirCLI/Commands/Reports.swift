import ArgumentParser
import Foundation
import ReservoirCore

/// `reservoir report monthly --month 2026-11 [--format json|markdown|html] [-o FILE]`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports published to everyone: the monthly transparency report.", subcommands: [MonthlyReportCommand.self])
}

/// The monthly transparency report, printed or written to a file, as the server renders it.
struct MonthlyReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monthly",
        abstract: "The monthly transparency report: water level, utilization, queue wait, incidents, red and black lists, top applications, reclamations, trend.")
    @OptionGroup var client: ClientOptions
    @Option(help: "The month, YYYY-MM (UTC); default: this month.") var month: String?
    @Option(help: "json, markdown (default) or html (one self-contained page with SVG charts).") var format: ReportFormat = .markdown
    @Option(name: [.short, .customLong("output")], help: "Write the report to this file instead of printing it.") var output: String?

    func run() async throws {
        let format = client.json ? .json : format
        var query = ["format=\(format.rawValue)"]
        if let month { query.append("month=\(month)") }
        let reply = try await client.client.get("/v1/reports/monthly?" + query.joined(separator: "&"))
        // A JSON reply of another shape is an error here, not a file of the wrong thing.
        if format == .json { _ = try reply.decode(MonthlyReport.self) }
        if let output {
            try reply.data.write(to: URL(fileURLWithPath: output))
            print("wrote the \(month ?? "current month")'s report (\(format.rawValue), \(reply.data.count) bytes) to \(output)")
        } else {
            print(reply.text, terminator: reply.text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
