import Hummingbird
import ReservoirCore
import ReservoirServices

/// The monthly transparency report, as JSON, Markdown or one self-contained HTML page.
struct ReportsController {
    let reservoir: Reservoir

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/reports/monthly", "The monthly transparency report: water level by model and region, utilization, queue wait, incidents, the red and black lists, top applications, reclamations and the trend against the previous month; JSON, or Markdown / a self-contained HTML page with `format` or `Accept: text/markdown` / `text/html`",
                action: .readReports,
                query: [
                    QueryParameter("month", Schema.string(maxBytes: 7, minLength: 7, pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM (UTC); default: this month; a month not yet begun is 400"),
                    QueryParameter("format", .cases(ReportFormat.self), "json (default), markdown or html; wins over the Accept header"),
                ],
                answers: .ok(Components.monthlyReport, or: ["text/markdown", "text/html"]), errors: [.forbidden]
            ) { r, _, p in
                let month = try r.query("month").map { text throws(ReservoirError) in try ReportMonth(text) }
                let format = try r.query("format", oneOf: ReportFormat.self) ?? r.headers[.accept].flatMap(ReportFormat.init(accept:)) ?? .json
                let report = try await reservoir.reports.offloaded { try $0.monthly(month: month, by: p) }
                switch format {
                case .json: return try Coding.json(report)
                case .markdown: return Coding.text(MonthlyReportMarkdown.render(report), contentType: format.mediaType)
                case .html: return Coding.text(MonthlyReportHTML.render(report), contentType: format.mediaType)
                }
            },
        ]
    }
}
