/// Computes the monthly transparency report from plain inputs (no clock, no store): the same input gives
/// the same report.
///
/// Definitions (docs/REPORTS.md): a month running now is measured up to `now`. **Allocated** is the
/// mean number of GPUs held over the month: the usage sessions' device-seconds inside the month
/// (fractional GPUs and MIG slices by their share, open sessions up to now) over the month's seconds.
/// **Queue wait** is, for each job first admitted in the month, its first admission (the start of its
/// earliest usage session: a session opens in the transaction that admits the job) minus its submission;
/// p50 and p95 by nearest rank. **Utilization** is the sample-weighted mean of the telemetry's day
/// roll-ups. The previous month is computed the same way for the trend.
public enum MonthlyReportBuilder {
    public static func build(_ input: MonthlyReportInput) -> MonthlyReport {
        let current = Period(since: input.month.since, end: min(max(input.now, input.month.since), input.month.until))
        let previousMonth = ReportMonth(containing: input.month.since - 1)
        let previous = Period(since: previousMonth.since, end: min(max(input.now, previousMonth.since), previousMonth.until))
        let waterLevel = waterLevel(input, current)
        let utilization = utilization(input)
        let waits = waits(input, current)
        let incidents = incidents(input, current)
        let reclamations = reclamations(input, current)
        let rankings = ReportRankings(input: input, period: current)
        return MonthlyReport(
            month: input.month.description, since: input.month.since, until: input.month.until, asOf: current.end,
            complete: input.now >= input.month.until,
            headline: headline(
                input, previous: previous, level: waterLevel, utilization: utilization, waits: waits, incidents: incidents, reclamations: reclamations),
            waterLevel: waterLevel, utilization: utilization, queueWait: queueWait(waits), incidents: incidents,
            redList: RedList(highestUtilization: rankings.highestUtilization, lowestUnitCost: rankings.lowestUnitCost),
            blackList: BlackList(lowestUtilization: rankings.lowestUtilization, longIdle: rankings.longIdle, largestGap: rankings.largestGap),
            topApplications: rankings.topApplications, reclamations: reclamations, notes: notes(input, current, rankings))
    }

    /// A stretch of time the report measures: `[since, end)`, `end` being the month's end or now.
    struct Period {
        var since: Double
        var end: Double
        var seconds: Double { end - since }
        func contains(_ t: Double) -> Bool { t >= since && t < end }
    }

    // MARK: - Water level

    static func waterLevel(_ input: MonthlyReportInput, _ period: Period) -> WaterLevelSection {
        struct Key: Hashable, Comparable {
            var region: String, model: String
            static func < (a: Key, b: Key) -> Bool { (a.region, a.model) < (b.region, b.model) }
        }
        var total: [Key: Int] = [:]
        for entry in input.capacity { total[Key(region: entry.region, model: entry.model), default: 0] += entry.gpus }
        var used: [Key: Double] = [:]
        for session in input.sessions where !session.model.isEmpty {
            let region = session.pool.flatMap { input.regionOfPool[$0] } ?? "unknown"
            used[Key(region: region, model: session.model), default: 0] += session.gpuSeconds(from: period.since, to: period.end, now: input.now)
        }
        func row(region: String?, model: String?, total: Int, gpuSeconds: Double) -> WaterLevelRow {
            let allocated = period.seconds > 0 ? gpuSeconds / period.seconds : 0
            return WaterLevelRow(
                region: region, model: model, total: total, allocated: ReportNumber.round(allocated), free: ReportNumber.round(max(0, Double(total) - allocated)),
                allocatedPercent: ReportNumber.round(total > 0 ? allocated / Double(total) * 100 : 0), usedGPUHours: ReportNumber.round(gpuSeconds / 3600))
        }
        let keys = Set(total.keys).union(used.keys.filter { used[$0]! > 0 }).sorted()
        let byRegion = keys.map { row(region: $0.region, model: $0.model, total: total[$0] ?? 0, gpuSeconds: used[$0] ?? 0) }
        let models = Set(keys.map(\.model)).sorted()
        let byModel = models.map { model in
            let of = keys.filter { $0.model == model }
            return row(region: nil, model: model, total: of.reduce(0) { $0 + (total[$1] ?? 0) }, gpuSeconds: of.reduce(0) { $0 + (used[$1] ?? 0) })
        }
        let all = row(region: nil, model: nil, total: total.values.reduce(0, +), gpuSeconds: used.values.reduce(0, +))
        return WaterLevelSection(total: all, byModel: byModel, byRegion: byRegion)
    }

    // MARK: - Utilization

    static func utilization(_ input: MonthlyReportInput) -> UtilizationSection {
        let means = ReportNumber.means(input.telemetry.daily)
        let daily = input.telemetry.daily.filter { $0.samples > 0 }.sorted { $0.at < $1.at }.map {
            DailyUtilization(
                day: ReportNumber.day($0.at), gpuMeanPercent: ReportNumber.round($0.gpuUtilMean), memoryMeanPercent: ReportNumber.round($0.memoryFractionMean * 100))
        }
        let byModel = input.telemetry.byModel.keys.sorted().compactMap { model -> ModelUtilization? in
            guard let m = ReportNumber.means(input.telemetry.byModel[model]!) else { return nil }
            return ModelUtilization(model: model, gpuMeanPercent: ReportNumber.round(m.gpu), memoryMeanPercent: ReportNumber.round(m.memory))
        }
        return UtilizationSection(
            gpuMeanPercent: means.map { ReportNumber.round($0.gpu) }, memoryMeanPercent: means.map { ReportNumber.round($0.memory) }, daily: daily, byModel: byModel)
    }

    // MARK: - Queue wait

    /// Seconds from submission to first admission of every job first admitted in `period`.
    static func waits(_ input: MonthlyReportInput, _ period: Period) -> [Double] {
        var firstAdmission: [JobID: Double] = [:]
        for session in input.sessions { firstAdmission[session.job] = min(firstAdmission[session.job] ?? .infinity, session.startedAt) }
        return firstAdmission.keys.sorted().compactMap { job in
            guard let admitted = firstAdmission[job], period.contains(admitted), let submitted = input.jobs[job]?.submittedAt else { return nil }
            return max(0, admitted - submitted)
        }
    }

    /// The section of the period's `waits` (seconds, from `waits(_:_:)`).
    static func queueWait(_ waits: [Double]) -> QueueWaitSection {
        QueueWaitSection(
            jobs: waits.count, p50Seconds: ReportNumber.percentile(waits, 0.5).map { ReportNumber.round($0) },
            p95Seconds: ReportNumber.percentile(waits, 0.95).map { ReportNumber.round($0) })
    }

    // MARK: - Incidents and reclamations

    static func incidents(_ input: MonthlyReportInput, _ period: Period) -> IncidentSection {
        let faults = input.healthEvents.filter { $0.isFault && period.contains($0.at) }
        let causes = Dictionary(grouping: faults, by: \.cause.rawValue)
        return IncidentSection(
            failedJobs: input.failures.filter(period.contains).count, preemptions: preemptions(input, period), deviceFaults: faults.count,
            faultsByCause: causes.keys.sorted().map { CountByKey(key: $0, count: causes[$0]!.count) })
    }

    static func preemptions(_ input: MonthlyReportInput, _ period: Period) -> Int {
        input.sessions.filter { $0.closedBy == .preempted && $0.endedAt.map(period.contains) == true }.count
    }

    static func reclamations(_ input: MonthlyReportInput, _ period: Period) -> ReclamationSection {
        let records = input.reclamations.filter { period.contains($0.at) }.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
        let reasons = Dictionary(grouping: records, by: \.reason.rawValue)
        return ReclamationSection(
            count: records.count, freedGPUHours: ReportNumber.round(records.reduce(0) { $0 + $1.freedGPUHours }),
            byReason: reasons.keys.sorted().map { CountByKey(key: $0, count: reasons[$0]!.count) },
            records: records.map {
                ReclaimedItem(
                    id: $0.id, day: ReportNumber.day($0.at), reason: $0.reason.rawValue, tenant: $0.tenant.rawValue, object: "\($0.kind.rawValue) \($0.object)",
                    freedGPUHours: ReportNumber.round($0.freedGPUHours))
            })
    }

    // MARK: - Headline and trend

    /// The headline figures: this month's from the sections already computed, the previous month's computed here.
    static func headline(
        _ input: MonthlyReportInput, previous: Period, level: WaterLevelSection, utilization: UtilizationSection, waits waitsNow: [Double],
        incidents incidentsNow: IncidentSection, reclamations reclaimedNow: ReclamationSection
    ) -> [ReportFigure] {
        let before = waterLevel(input, previous).total
        let now = level.total
        let previousMeans = ReportNumber.means(input.previousDaily)
        let waitsBefore = waits(input, previous)
        let incidentsBefore = incidents(input, previous)
        let reclaimedBefore = reclamations(input, previous)
        func minutes(_ waits: [Double], _ p: Double) -> Double? { ReportNumber.percentile(waits, p).map { $0 / 60 } }
        return [
            ReportFigure(key: "totalGPUs", label: "GPUs in the inventory", unit: "GPUs", value: Double(now.total), previous: Double(before.total)),
            ReportFigure(key: "allocatedGPUs", label: "Mean GPUs allocated", unit: "GPUs", value: now.allocated, previous: before.allocated),
            ReportFigure(key: "allocationPercent", label: "Allocated share", unit: "%", value: now.allocatedPercent, previous: before.allocatedPercent),
            ReportFigure(key: "usedGPUHours", label: "GPU-hours used", unit: "GPU-h", value: now.usedGPUHours, previous: before.usedGPUHours),
            ReportFigure(key: "gpuUtilizationPercent", label: "Mean GPU utilization", unit: "%", value: utilization.gpuMeanPercent, previous: previousMeans?.gpu),
            ReportFigure(
                key: "memoryUtilizationPercent", label: "Mean GPU memory in use", unit: "%", value: utilization.memoryMeanPercent, previous: previousMeans?.memory),
            ReportFigure(key: "queueWaitP50Minutes", label: "Queue wait p50", unit: "min", value: minutes(waitsNow, 0.5), previous: minutes(waitsBefore, 0.5)),
            ReportFigure(key: "queueWaitP95Minutes", label: "Queue wait p95", unit: "min", value: minutes(waitsNow, 0.95), previous: minutes(waitsBefore, 0.95)),
            ReportFigure(
                key: "failedJobs", label: "Failed jobs", unit: "count", value: Double(incidentsNow.failedJobs), previous: Double(incidentsBefore.failedJobs)),
            ReportFigure(
                key: "preemptions", label: "Preemptions", unit: "count", value: Double(incidentsNow.preemptions), previous: Double(incidentsBefore.preemptions)),
            ReportFigure(
                key: "deviceFaults", label: "Device faults", unit: "count", value: Double(incidentsNow.deviceFaults), previous: Double(incidentsBefore.deviceFaults)),
            ReportFigure(key: "reclamations", label: "Reclamations", unit: "count", value: Double(reclaimedNow.count), previous: Double(reclaimedBefore.count)),
            ReportFigure(
                key: "freedGPUHours", label: "GPU-hours reclaimed", unit: "GPU-h", value: reclaimedNow.freedGPUHours, previous: reclaimedBefore.freedGPUHours),
        ]
    }

    static func notes(_ input: MonthlyReportInput, _ period: Period, _ rankings: ReportRankings) -> [String] {
        var notes: [String] = []
        if input.now < input.month.until { notes.append("The month is still running: figures run to \(InstantText.iso(period.end)) and will change.") }
        notes.append("GPU totals are today's inventory (it keeps no history), the previous month's included.")
        if input.telemetry.daily.isEmpty {
            notes.append("No telemetry in the month: utilization figures and the utilization lists are empty.")
        } else if rankings.highestUtilization.isEmpty && rankings.topApplications.isEmpty {
            notes.append("No telemetry attributed to tenants, jobs or services (e.g. seeded history): the utilization lists are empty.")
        }
        if input.charges.isEmpty { notes.append("No charges for the month: the unit-cost list is empty.") }
        return notes
    }
}
