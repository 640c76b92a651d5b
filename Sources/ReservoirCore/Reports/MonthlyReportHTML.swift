/// The report as one self-contained HTML page: inline CSS, two inline SVG charts, tables; no script and no
/// external URL, so it can be mailed or put on a portal as it is. Well-formed (every element closed,
/// text escaped), so XML tools read it too.
public enum MonthlyReportHTML {
    public static func render(_ report: MonthlyReport) -> String {
        """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>Transparency report \(escape(report.month))</title>
            <style>\(style)</style>
            </head>
            <body>
            <h1>Transparency report \(escape(report.month))</h1>
            \(body(report))
            </body>
            </html>

            """
    }

    /// The report's content under its title: paragraphs, tables (each in a `table-wrap` division, header
    /// cells scoped) and the two SVG charts (class `chart`), with no inline style or script, so a page
    /// with a strict Content-Security-Policy (the web console) can embed it under its own heading.
    public static func body(_ report: MonthlyReport) -> String {
        var body: [String] = []
        body.append(
            "<p>Figures from \(escape(InstantText.iso(report.since))) to \(escape(InstantText.iso(report.asOf)))\(report.complete ? "" : " (month still running)").</p>")
        for note in report.notes { body.append(#"<p class="note">\#(escape(note))</p>"#) }
        body.append(section("Headline and trend", ["Figure", "This month", "Previous month", "Change"], report.headline.map {
            ["\($0.label) (\($0.unit))", ReportNumber.text($0.value), ReportNumber.text($0.previous), ReportNumber.change($0.change)]
        }))
        let level = report.waterLevel
        body.append("<h2>Water level</h2>")
        body.append(ReportCharts.waterLevel(level.byModel))
        body.append(table(["Model", "GPUs", "Allocated (mean)", "Free", "Allocated %", "GPU-h used"], level.byModel.map(MonthlyReportMarkdown.waterRow)
            + [MonthlyReportMarkdown.waterRow(level.total)]))
        body.append(table(["Region / model", "GPUs", "Allocated (mean)", "Free", "Allocated %", "GPU-h used"], level.byRegion.map(MonthlyReportMarkdown.waterRow)))
        let use = report.utilization
        body.append("<h2>Utilization</h2>")
        body.append("<p>Mean GPU utilization \(ReportNumber.text(use.gpuMeanPercent)) %, GPU memory in use \(ReportNumber.text(use.memoryMeanPercent)) %.</p>")
        body.append(ReportCharts.dailyUtilization(use.daily))
        body.append(table(["Model", "GPU %", "Memory %"], use.byModel.map { [$0.model, ReportNumber.text($0.gpuMeanPercent), ReportNumber.text($0.memoryMeanPercent)] }))
        let q = report.queueWait, i = report.incidents
        body.append(section("Queue wait and incidents", ["Measure", "Value"], [
            ["Jobs first admitted", "\(q.jobs)"], ["Queue wait p50 (min)", ReportNumber.text(q.p50Seconds.map { $0 / 60 })],
            ["Queue wait p95 (min)", ReportNumber.text(q.p95Seconds.map { $0 / 60 })], ["Failed jobs", "\(i.failedJobs)"],
            ["Preemptions", "\(i.preemptions)"], ["Device faults", "\(i.deviceFaults)" + MonthlyReportMarkdown.causes(i.faultsByCause)],
        ]))
        body.append(ranked("Red list: highest utilization", report.redList.highestUtilization, "red"))
        body.append(ranked("Red list: lowest unit cost", report.redList.lowestUnitCost, "red"))
        body.append(ranked("Black list: lowest utilization", report.blackList.lowestUtilization, "black"))
        body.append(ranked("Black list: long idle", report.blackList.longIdle, "black"))
        body.append(ranked("Black list: largest gap between granted and used", report.blackList.largestGap, "black"))
        body.append(section("Top applications by utilization", ["Application", "Tenant", "GPU %", "Memory %", "GPU-h"], report.topApplications.map {
            ["\($0.kind) \($0.name)" + ($0.name == $0.id ? "" : " (\($0.id))"), $0.tenant, ReportNumber.text($0.gpuMeanPercent),
             ReportNumber.text($0.memoryMeanPercent), ReportNumber.text($0.usedGPUHours)]
        }))
        let r = report.reclamations
        body.append("<h2>Reclamations</h2>")
        body.append("<p>\(r.count) reclamation(s), \(ReportNumber.text(r.freedGPUHours)) GPU-hours freed\(escape(MonthlyReportMarkdown.causes(r.byReason))).</p>")
        body.append(table(["Day", "Reason", "Tenant", "What", "GPU-h freed"], r.records.map {
            [$0.day, $0.reason, $0.tenant, $0.object, ReportNumber.text($0.freedGPUHours)]
        }))
        return body.joined(separator: "\n")
    }

    static let style = """
        body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}\
        table{border-collapse:collapse;margin:0.5em 0 1.5em}\
        th,td{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left}\
        td.n{text-align:right}\
        h2.red{color:#b30000}h2.black{color:#000}\
        p.note{color:#555;font-style:italic}
        """

    /// Text with `&`, `<`, `>` and quotes escaped.
    static func escape(_ text: String) -> String { MarkupText.escaped(text) }

    private static func ranked(_ title: String, _ list: [RankedSubject], _ tone: String) -> String {
        "<h2 class=\"\(tone)\">\(escape(title))</h2>\n"
            + table(["#", "Subject", "Tenant", "Measure", "GPU-h used", "Detail"], list.enumerated().map { index, entry in
                ["\(index + 1)", entry.subject, entry.tenant, MonthlyReportMarkdown.measure(entry), ReportNumber.text(entry.usedGPUHours), entry.detail]
            })
    }

    private static func section(_ title: String, _ header: [String], _ rows: [[String]]) -> String {
        "<h2>\(escape(title))</h2>\n" + table(header, rows)
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p><em>None.</em></p>" }
        let head = "<tr>" + header.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr>"
        let lines = rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
        return "<div class=\"table-wrap\"><table>\n" + ([head] + lines).joined(separator: "\n") + "\n</table></div>"
    }
}
