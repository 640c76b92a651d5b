/// The report as Markdown: headings and tables, the same figures as the JSON in fixed formats.
public enum MonthlyReportMarkdown {
    public static func render(_ report: MonthlyReport) -> String {
        var out: [String] = ["# Transparency report \(report.month)", ""]
        out.append("Figures from \(InstantText.iso(report.since)) to \(InstantText.iso(report.asOf))\(report.complete ? "" : " (month still running)").")
        out.append("")
        for note in report.notes { out.append("> \(note)") }
        if !report.notes.isEmpty { out.append("") }

        section(&out, "Headline and trend", ["Figure", "This month", "Previous month", "Change"], report.headline.map {
            [$0.label + " (\($0.unit))", ReportNumber.text($0.value), ReportNumber.text($0.previous), ReportNumber.change($0.change)]
        })
        let level = report.waterLevel
        section(&out, "Water level by model", ["Model", "GPUs", "Allocated (mean)", "Free", "Allocated %", "GPU-h used"], level.byModel.map(waterRow)
            + [waterRow(level.total)])
        section(&out, "Water level by region", ["Region / model", "GPUs", "Allocated (mean)", "Free", "Allocated %", "GPU-h used"], level.byRegion.map(waterRow))
        let use = report.utilization
        out.append("## Utilization")
        out.append("")
        out.append("Mean GPU utilization \(ReportNumber.text(use.gpuMeanPercent)) %, GPU memory in use \(ReportNumber.text(use.memoryMeanPercent)) %.")
        out.append("")
        table(&out, ["Model", "GPU %", "Memory %"], use.byModel.map { [$0.model, ReportNumber.text($0.gpuMeanPercent), ReportNumber.text($0.memoryMeanPercent)] })
        table(&out, ["Day", "GPU %", "Memory %"], use.daily.map { [$0.day, ReportNumber.text($0.gpuMeanPercent), ReportNumber.text($0.memoryMeanPercent)] })
        out.append("## Queue wait and incidents")
        out.append("")
        let q = report.queueWait, i = report.incidents
        table(&out, ["Measure", "Value"], [
            ["Jobs first admitted", "\(q.jobs)"], ["Queue wait p50 (min)", ReportNumber.text(q.p50Seconds.map { $0 / 60 })],
            ["Queue wait p95 (min)", ReportNumber.text(q.p95Seconds.map { $0 / 60 })], ["Failed jobs", "\(i.failedJobs)"],
            ["Preemptions", "\(i.preemptions)"], ["Device faults", "\(i.deviceFaults)" + causes(i.faultsByCause)],
        ])
        ranked(&out, "Red list: highest utilization", report.redList.highestUtilization)
        ranked(&out, "Red list: lowest unit cost", report.redList.lowestUnitCost)
        ranked(&out, "Black list: lowest utilization", report.blackList.lowestUtilization)
        ranked(&out, "Black list: long idle", report.blackList.longIdle)
        ranked(&out, "Black list: largest gap between granted and used", report.blackList.largestGap)
        section(&out, "Top applications by utilization", ["Application", "Tenant", "GPU %", "Memory %", "GPU-h"], report.topApplications.map {
            ["\($0.kind) \($0.name)" + ($0.name == $0.id ? "" : " (\($0.id))"), $0.tenant, ReportNumber.text($0.gpuMeanPercent), ReportNumber.text($0.memoryMeanPercent),
             ReportNumber.text($0.usedGPUHours)]
        })
        let r = report.reclamations
        out.append("## Reclamations")
        out.append("")
        out.append("\(r.count) reclamation(s), \(ReportNumber.text(r.freedGPUHours)) GPU-hours freed\(causes(r.byReason)).")
        out.append("")
        table(&out, ["Day", "Reason", "Tenant", "What", "GPU-h freed"], r.records.map { [$0.day, $0.reason, $0.tenant, $0.object, ReportNumber.text($0.freedGPUHours)] })
        return out.joined(separator: "\n")
    }

    static func waterRow(_ row: WaterLevelRow) -> [String] {
        [[row.region, row.model].compactMap { $0 }.joined(separator: " / ").nonEmpty ?? "All", "\(row.total)", ReportNumber.text(row.allocated),
         ReportNumber.text(row.free), ReportNumber.text(row.allocatedPercent), ReportNumber.text(row.usedGPUHours)]
    }

    /// A ranked subject's measure as text: money for the cost list, the value and unit otherwise.
    static func measure(_ subject: RankedSubject) -> String {
        if let cost = subject.cost { return "\(cost.text()) \(subject.unit)" }
        return "\(ReportNumber.text(subject.value)) \(subject.unit)"
    }

    static func causes(_ counts: [CountByKey]) -> String {
        counts.isEmpty ? "" : " (" + counts.map { "\($0.key) \($0.count)" }.joined(separator: ", ") + ")"
    }

    private static func ranked(_ out: inout [String], _ title: String, _ list: [RankedSubject]) {
        section(&out, title, ["#", "Subject", "Tenant", "Measure", "GPU-h used", "Detail"], list.enumerated().map { index, entry in
            ["\(index + 1)", entry.subject, entry.tenant, measure(entry), ReportNumber.text(entry.usedGPUHours), entry.detail]
        })
    }

    private static func section(_ out: inout [String], _ title: String, _ header: [String], _ rows: [[String]]) {
        out.append("## \(title)")
        out.append("")
        table(&out, header, rows)
    }

    private static func table(_ out: inout [String], _ header: [String], _ rows: [[String]]) {
        guard !rows.isEmpty else {
            out.append("_None._")
            out.append("")
            return
        }
        out.append("| " + header.joined(separator: " | ") + " |")
        out.append("|" + header.map { _ in "---|" }.joined())
        for row in rows { out.append("| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |") }
        out.append("")
    }
}

extension String {
    /// Nil for the empty string.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
