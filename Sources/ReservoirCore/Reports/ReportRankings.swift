import Foundation

/// The red and black lists and the top applications of one month (the source document's 红黑榜): tenants by
/// utilization and unit cost, jobs and services by utilization and idleness, grants by the gap between the
/// GPU-hours granted and used. Subjects with less than `ReportRules.minimumGPUHours` in the month are not
/// ranked by utilization (too little to judge); ties break by subject, so the order is stable.
struct ReportRankings {
    var highestUtilization: [RankedSubject] = []
    var lowestUtilization: [RankedSubject] = []
    var lowestUnitCost: [RankedSubject] = []
    var longIdle: [RankedSubject] = []
    var largestGap: [RankedSubject] = []
    var topApplications: [ApplicationFigure] = []

    init(input: MonthlyReportInput, period: MonthlyReportBuilder.Period) {
        let rules = input.rules
        func hours(_ session: UsageSession) -> Double { session.gpuSeconds(from: period.since, to: period.end, now: input.now) / 3600 }
        let billed = input.sessions.filter { !$0.model.isEmpty }

        // Tenants.
        var tenantHours: [TenantID: Double] = [:]
        for session in billed { tenantHours[session.tenant, default: 0] += hours(session) }
        let judged = tenantHours.filter { $0.value >= rules.minimumGPUHours }
        let utilization = judged.keys.compactMap { tenant -> RankedSubject? in
            guard let means = input.telemetry.byTenant[tenant].flatMap(ReportNumber.means) else { return nil }
            return RankedSubject(
                subject: "tenant:\(tenant)", tenant: tenant.rawValue, value: ReportNumber.round(means.gpu), cost: nil, unit: "%",
                usedGPUHours: ReportNumber.round(judged[tenant]!),
                detail: "mean GPU \(ReportNumber.text(means.gpu)) %, memory \(ReportNumber.text(means.memory)) %")
        }
        highestUtilization = Self.top(utilization, rules.listLength) { ($0.value ?? 0) > ($1.value ?? 0) }
        lowestUtilization = Self.top(utilization, rules.listLength) { ($0.value ?? 0) < ($1.value ?? 0) }
        lowestUnitCost = Self.top(
            judged.keys.compactMap { tenant -> RankedSubject? in
                guard let amount = input.charges[tenant] else { return nil }
                let used = judged[tenant]!
                let unit = Money(amount.value / Decimal(used)).rounded()
                return RankedSubject(
                    subject: "tenant:\(tenant)", tenant: tenant.rawValue, value: nil, cost: unit, unit: "per GPU-h", usedGPUHours: ReportNumber.round(used),
                    detail: "charged \(amount.rounded().text()) for \(ReportNumber.text(used)) GPU-h")
            }, rules.listLength
        ) { ($0.cost ?? .zero) < ($1.cost ?? .zero) }

        // Applications: a service's replicas together, other jobs one by one.
        var appHours: [String: Double] = [:]
        var appTenant: [String: TenantID] = [:]
        for session in billed {
            let key = session.service.map { "service:\($0)" } ?? "job:\(session.job)"
            appHours[key, default: 0] += hours(session)
            appTenant[key] = session.tenant
        }
        var applications: [(key: String, figure: ApplicationFigure, points: [UtilizationPoint])] = []
        for key in appHours.keys.sorted() where appHours[key]! >= rules.minimumGPUHours {
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            let points = parts[0] == "service" ? input.telemetry.byService[ServiceID(parts[1])] : input.telemetry.byJob[JobID(parts[1])]
            guard let points, let means = ReportNumber.means(points) else { continue }
            let name = parts[0] == "job" ? input.jobs[JobID(parts[1])]?.name ?? parts[1] : parts[1]
            applications.append(
                (key, ApplicationFigure(
                    kind: parts[0], id: parts[1], name: name, tenant: appTenant[key]!.rawValue, gpuMeanPercent: ReportNumber.round(means.gpu),
                    memoryMeanPercent: ReportNumber.round(means.memory), usedGPUHours: ReportNumber.round(appHours[key]!)), points))
        }
        topApplications = Array(
            applications.map(\.figure).sorted { ($0.gpuMeanPercent, $1.kind + $1.id) > ($1.gpuMeanPercent, $0.kind + $0.id) }.prefix(rules.listLength))
        longIdle = Self.top(
            applications.compactMap { app -> RankedSubject? in
                let days = app.points.filter { $0.samples > 0 }
                guard !days.isEmpty, days.allSatisfy({ $0.gpuUtilMax < rules.idlePercent && $0.memoryFractionMax * 100 < rules.idlePercent }) else { return nil }
                return RankedSubject(
                    subject: app.key, tenant: app.figure.tenant, value: Double(days.count), cost: nil, unit: "days", usedGPUHours: app.figure.usedGPUHours,
                    detail: "\(days.count) day(s) with telemetry, every one below \(ReportNumber.text(rules.idlePercent, places: 0)) % GPU and memory at peak")
            }, rules.listLength
        ) { ($0.value!, $0.usedGPUHours) > ($1.value!, $1.usedGPUHours) }

        // Grants: GPU-hours granted inside the month against those used under them.
        var grantHours: [GrantID: Double] = [:]
        for session in billed { if let grant = session.grant { grantHours[grant, default: 0] += hours(session) } }
        largestGap = Self.top(
            input.grants.compactMap { grant -> RankedSubject? in
                let from = max(grant.startsAt, period.since), to = min(grant.endsAt ?? period.end, period.end)
                let granted = Double(grant.gpuMilli) / 1000 * max(0, to - from) / 3600
                let used = grantHours[grant.id] ?? 0
                guard granted > 0, granted - used > 0 else { return nil }
                return RankedSubject(
                    subject: "grant:\(grant.id)", tenant: grant.tenant.rawValue, value: ReportNumber.round(granted - used), cost: nil, unit: "GPU-h",
                    usedGPUHours: ReportNumber.round(used),
                    detail: "granted \(ReportNumber.text(granted)) GPU-h in the month, used \(ReportNumber.text(used)) (\(ReportNumber.text(used / granted * 100)) %)")
            }, rules.listLength
        ) { ($0.value ?? 0) > ($1.value ?? 0) }
    }

    /// The first `length` of `items` in `order`, ties broken by subject.
    static func top(_ items: [RankedSubject], _ length: Int, by order: (RankedSubject, RankedSubject) -> Bool) -> [RankedSubject] {
        Array(items.sorted { order($0, $1) || (!order($1, $0) && $0.subject < $1.subject) }.prefix(length))
    }
}
