/// Everything the monthly report is computed from, read by the reports context and handed over as plain
/// values, so the computation is pure and a test can check it against its own arithmetic.
public struct MonthlyReportInput: Sendable {
    public var month: ReportMonth
    /// Reservoir's clock: a month still running is measured up to here.
    public var now: Double
    /// GPUs in the inventory now, per region and canonical model (the inventory keeps no history, so the
    /// previous month's total is today's too).
    public var capacity: [GPUCapacity]
    /// The region each pool sits in.
    public var regionOfPool: [PoolID: String]
    /// Usage sessions overlapping the previous month and this one, their models canonical.
    public var sessions: [UsageSession]
    /// The jobs those sessions belong to.
    public var jobs: [JobID: ReportJob]
    /// Jobs that ended `failed` in either month, with when (they need not have held devices).
    public var failures: [Double]
    /// Device health events of both months.
    public var healthEvents: [DeviceHealthEvent]
    /// Reclamation records of both months.
    public var reclamations: [ReclamationRecord]
    /// Grants whose window overlaps the month.
    public var grants: [Grant]
    /// Day roll-ups of this month.
    public var telemetry: ReportTelemetry
    /// Day roll-ups of the whole reservoir in the previous month (for the trend).
    public var previousDaily: [UtilizationPoint]
    /// What each tenant is charged for the month (the billing calculator's invoice totals); empty
    /// without prices, and then the unit-cost list stays empty.
    public var charges: [TenantID: Money]
    /// Thresholds and list lengths.
    public var rules: ReportRules

    public init(
        month: ReportMonth, now: Double, capacity: [GPUCapacity], regionOfPool: [PoolID: String], sessions: [UsageSession], jobs: [JobID: ReportJob],
        failures: [Double], healthEvents: [DeviceHealthEvent], reclamations: [ReclamationRecord], grants: [Grant], telemetry: ReportTelemetry,
        previousDaily: [UtilizationPoint], charges: [TenantID: Money], rules: ReportRules = ReportRules()
    ) {
        self.month = month
        self.now = now
        self.capacity = capacity
        self.regionOfPool = regionOfPool
        self.sessions = sessions
        self.jobs = jobs
        self.failures = failures
        self.healthEvents = healthEvents
        self.reclamations = reclamations
        self.grants = grants
        self.telemetry = telemetry
        self.previousDaily = previousDaily
        self.charges = charges
        self.rules = rules
    }
}

/// GPUs of one model in one region.
public struct GPUCapacity: Hashable, Sendable {
    public var region: String
    public var model: String
    public var gpus: Int

    public init(region: String, model: String, gpus: Int) {
        self.region = region
        self.model = model
        self.gpus = gpus
    }
}

/// What the report needs of a job: its name, owner and when it was submitted.
public struct ReportJob: Hashable, Sendable {
    public var id: JobID
    public var name: String
    public var tenant: TenantID
    public var submittedAt: Double

    public init(id: JobID, name: String, tenant: TenantID, submittedAt: Double) {
        self.id = id
        self.name = name
        self.tenant = tenant
        self.submittedAt = submittedAt
    }
}

/// The month's day roll-ups, whole reservoir and per subject the lists rank.
public struct ReportTelemetry: Sendable {
    public var daily: [UtilizationPoint]
    public var byModel: [String: [UtilizationPoint]]
    public var byTenant: [TenantID: [UtilizationPoint]]
    public var byJob: [JobID: [UtilizationPoint]]
    public var byService: [ServiceID: [UtilizationPoint]]

    public init(
        daily: [UtilizationPoint] = [], byModel: [String: [UtilizationPoint]] = [:], byTenant: [TenantID: [UtilizationPoint]] = [:],
        byJob: [JobID: [UtilizationPoint]] = [:], byService: [ServiceID: [UtilizationPoint]] = [:]
    ) {
        self.daily = daily
        self.byModel = byModel
        self.byTenant = byTenant
        self.byJob = byJob
        self.byService = byService
    }
}

/// How long the lists are and where "idle" starts.
public struct ReportRules: Hashable, Sendable {
    /// Entries per list.
    public var listLength: Int
    /// A day is idle when its peak GPU utilization and peak memory are both below this percentage.
    public var idlePercent: Double
    /// Subjects with fewer device-hours in the month are left out of the rankings (too little to judge).
    public var minimumGPUHours: Double

    public init(listLength: Int = 5, idlePercent: Double = 10, minimumGPUHours: Double = 1) {
        self.listLength = listLength
        self.idlePercent = idlePercent
        self.minimumGPUHours = minimumGPUHours
    }
}
