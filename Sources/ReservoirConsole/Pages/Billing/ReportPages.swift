import ReservoirCore
import ReservoirServices

/// `/console/reports`: the months whose transparency report can be read (the running one and the year
/// before it); `/console/reports/{YYYY-MM}`: the report itself, the same `MonthlyReportHTML` the API
/// serves as `format=html`, embedded under the console's heading (its body carries no inline style or
/// script, so the console's Content-Security-Policy holds). Every human role may read it.
struct ReportPages: ConsolePageGroup {
    static let reports = ConsolePage(id: "reports", title: "Monthly reports", section: .reports, action: .readReports, navPath: "/console/reports")
    static let report = ConsolePage(id: "report", title: "Monthly report", section: .reports, action: .readReports)

    /// Months listed: the running one and the eleven before it.
    static let monthsListed = 12

    var pages: [ConsolePage] { [Self.reports, Self.report] }
    var templates: [String: String] { ["reports": Self.listTemplate, "report": Self.reportTemplate] }

    func register(on routes: ConsoleRoutes) {
        routes.get("/console/reports", Self.reports) { request in
            var month = ReportMonth(containing: request.reservoir.now())
            var months: [[String: any Sendable]] = []
            for index in 0..<Self.monthsListed {
                months.append(["month": month.description, "running": index == 0])
                month = ReportMonth(containing: month.since - 1)
            }
            return .render(Self.reports, "reports", ["months": months])
        }
        routes.get("/console/reports/{month}", Self.report) { request in
            let month = try ReportMonth(try request.parameter("month"))
            let report = try await request.reservoir.reports.offloaded { [principal = request.principal] in try $0.monthly(month: month, by: principal) }
            return .render(Self.report, "report", [
                "title": "Transparency report \(report.month)", "month": report.month, "report": MonthlyReportHTML.body(report),
            ])
        }
    }

    static let listTemplate = """
        {{<layout}}{{$main}}
        <p>The transparency report of a month: water level, utilization, queue wait, incidents, the red and black lists, top applications and reclamations, against the month before.</p>
        <ul class="months">
        {{#months}}<li><a href="/console/reports/{{month}}">{{month}}</a>{{#running}} (running: figures up to now){{/running}}</li>{{/months}}
        </ul>
        {{/main}}{{/layout}}
        """

    static let reportTemplate = """
        {{<layout}}{{$main}}
        <p><a href="/console/reports">All months</a> · the same report as one HTML file for mail or a portal: <code>GET /v1/reports/monthly?month={{month}}&amp;format=html</code></p>
        <div class="report">
        {{{report}}}
        </div>
        {{/main}}{{/layout}}
        """
}
