/// The monthly transparency report (SPEC §7, the source document's 资源晾晒): where capacity went, how well
/// it was used, who used it best and worst, and how the month compares with the one before. Computed by
/// `MonthlyReportBuilder` from plain inputs only, rendered as JSON (this type), Markdown and one
/// self-contained HTML page. Every list is sorted and every figure rounded to fixed places, so the same
/// data gives the same bytes.
public struct MonthlyReport: Codable, Hashable, Sendable {
    /// `YYYY-MM` (UTC).
    public var month: String
    public var since: Double
    public var until: Double
    /// The instant the figures run to: the month's end once it is over, "now" while it runs.
    public var asOf: Double
    /// False while the month is still running (its figures will still change).
    public var complete: Bool
    /// Each headline figure with the previous month's and the change.
    public var headline: [ReportFigure]
    public var waterLevel: WaterLevelSection
    public var utilization: UtilizationSection
    public var queueWait: QueueWaitSection
    public var incidents: IncidentSection
    /// Praise: highest utilization, lowest unit cost.
    public var redList: RedList
    /// Warning: lowest utilization, long idle, largest gap between granted and used.
    public var blackList: BlackList
    /// Jobs and services with the highest mean GPU utilization.
    public var topApplications: [ApplicationFigure]
    public var reclamations: ReclamationSection
    /// What the figures cannot say (no telemetry, no prices, inventory without history…).
    public var notes: [String]
}

/// One headline figure: this month's value, the previous month's and the change (this − previous; for
/// percentages, percentage points). Nil where there was nothing to measure.
public struct ReportFigure: Codable, Hashable, Sendable {
    /// Stable key, e.g. `allocationPercent`.
    public var key: String
    public var label: String
    /// `GPUs`, `%`, `GPU-h`, `min`, `count`.
    public var unit: String
    public var value: Double?
    public var previous: Double?
    public var change: Double?

    public init(key: String, label: String, unit: String, value: Double?, previous: Double?) {
        self.key = key
        self.label = label
        self.unit = unit
        self.value = value.map { ReportNumber.round($0) }
        self.previous = previous.map { ReportNumber.round($0) }
        self.change = value.flatMap { v in previous.map { ReportNumber.round(v - $0) } }
    }
}

/// The water level: GPUs in the inventory, the mean allocated over the month (device-seconds of the usage
/// sessions over the month's seconds) and what stayed free, by region and model.
public struct WaterLevelSection: Codable, Hashable, Sendable {
    public var total: WaterLevelRow
    /// One row per model, all regions together.
    public var byModel: [WaterLevelRow]
    /// One row per region and model.
    public var byRegion: [WaterLevelRow]
}

public struct WaterLevelRow: Codable, Hashable, Sendable {
    /// Nil in the totals and the per-model rows.
    public var region: String?
    /// Nil in the total row.
    public var model: String?
    /// GPUs the inventory holds now.
    public var total: Int
    /// Mean GPUs allocated over the month.
    public var allocated: Double
    /// `total − allocated`, never below 0.
    public var free: Double
    /// `allocated / total` in percent (0 without GPUs).
    public var allocatedPercent: Double
    /// Device-hours metered (quantity × hours, fractional GPUs and MIG slices by their share).
    public var usedGPUHours: Double
}

public struct UtilizationSection: Codable, Hashable, Sendable {
    /// Mean GPU utilization (%) over every sample of the month; nil without telemetry.
    public var gpuMeanPercent: Double?
    /// Mean GPU memory in use (% of the devices' memory); nil without telemetry.
    public var memoryMeanPercent: Double?
    /// One point per day that has a roll-up.
    public var daily: [DailyUtilization]
    /// Means per GPU model.
    public var byModel: [ModelUtilization]
}

public struct DailyUtilization: Codable, Hashable, Sendable {
    /// `YYYY-MM-DD` (UTC).
    public var day: String
    public var gpuMeanPercent: Double
    public var memoryMeanPercent: Double
}

public struct ModelUtilization: Codable, Hashable, Sendable {
    public var model: String
    public var gpuMeanPercent: Double
    public var memoryMeanPercent: Double
}

/// Time from submission to first admission of the jobs first admitted in the month.
public struct QueueWaitSection: Codable, Hashable, Sendable {
    public var jobs: Int
    public var p50Seconds: Double?
    public var p95Seconds: Double?
}

public struct IncidentSection: Codable, Hashable, Sendable {
    /// Jobs that ended `failed` in the month.
    public var failedJobs: Int
    /// Allocation segments the scheduler closed by preemption in the month.
    public var preemptions: Int
    /// Device health events that took a device out (XID, ECC, missing).
    public var deviceFaults: Int
    /// Faults by cause (`xid`, `ecc`, `missing`), sorted by cause.
    public var faultsByCause: [CountByKey]
}

public struct CountByKey: Codable, Hashable, Sendable {
    public var key: String
    public var count: Int
}

/// A tenant (or another subject) ranked by one measure.
public struct RankedSubject: Codable, Hashable, Sendable {
    /// `tenant:nlp`, `grant:G12`, `job:J7`, `service:chat`.
    public var subject: String
    public var tenant: String
    /// The measure the list ranks by, in `unit`; nil where it is money (`cost`).
    public var value: Double?
    /// A unit cost (amount per device-hour, exact, rounded to the cent half away from zero), for the cost list.
    public var cost: Money?
    public var unit: String
    /// Device-hours metered in the month (the weight behind the measure).
    public var usedGPUHours: Double
    /// What the figure means for this subject, in words.
    public var detail: String
}

public struct RedList: Codable, Hashable, Sendable {
    public var highestUtilization: [RankedSubject]
    /// Amount charged per device-hour used (InvoiceCalculator's amounts); empty without prices.
    public var lowestUnitCost: [RankedSubject]
}

public struct BlackList: Codable, Hashable, Sendable {
    public var lowestUtilization: [RankedSubject]
    /// Jobs and services whose every day in the month stayed idle (peak GPU and memory below the idle line).
    public var longIdle: [RankedSubject]
    /// Grants: GPU-hours granted in the month minus GPU-hours used under them.
    public var largestGap: [RankedSubject]
}

public struct ApplicationFigure: Codable, Hashable, Sendable {
    /// `job` or `service`.
    public var kind: String
    public var id: String
    public var name: String
    public var tenant: String
    public var gpuMeanPercent: Double
    public var memoryMeanPercent: Double
    public var usedGPUHours: Double
}

public struct ReclamationSection: Codable, Hashable, Sendable {
    public var count: Int
    public var freedGPUHours: Double
    public var byReason: [CountByKey]
    /// The records, oldest first.
    public var records: [ReclaimedItem]
}

public struct ReclaimedItem: Codable, Hashable, Sendable {
    public var id: String
    /// `YYYY-MM-DD` (UTC).
    public var day: String
    public var reason: String
    public var tenant: String
    /// `grant G12`, `service chat`, `job J7`.
    public var object: String
    public var freedGPUHours: Double
}
