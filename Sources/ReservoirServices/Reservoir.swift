import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirScheduling
import ReservoirStore

/// The application: one context per concern, each a small use-case type over the narrow store port
/// it needs, sharing one runtime (clock, logger, access policy, wake-ups). HTTP, CLI and the demo are
/// thin shells over these contexts; all rules live in them or below.
public final class Reservoir: Sendable {
    public let store: any Store
    public let engine: any ExecutionEngine
    public let runtime: Runtime

    /// Tokens, authentication, refused requests: tenancy & access.
    public let access: AccessContext
    /// Web console sessions: sign-in with a token, sign-out, expiry.
    public let consoleSessions: ConsoleSessionsContext
    /// Tenants, users, quotas: tenancy & access.
    public let tenancy: TenancyContext
    /// Regions, clusters, pools, nodes, devices, the catalog.
    public let inventory: InventoryContext
    /// What users do with jobs: submit, read, explain, cancel, reprioritise.
    public let jobs: JobsContext
    /// What the scheduler and the engines do with jobs: cycles, engine events, reconciliation, provisioning.
    public let scheduling: SchedulingContext
    /// Usage of devices over time.
    public let metering: MeteringContext
    /// Demand series, forecasts, capacity and what-if plans.
    public let planning: PlanningContext
    /// The audit log.
    public let audit: AuditContext
    /// The demo's seed and sample job stream.
    public let demo: DemoContext
    /// Device resource profiles and their classes.
    public let profiles: ProfilesContext
    /// Per-job runtime and peak-memory predictions, and their accuracy.
    public let predictions: PredictionsContext
    /// The estimation calculator: what a training run or an inference service needs.
    public let estimates: EstimationContext
    /// The gauges refreshed when `/metrics` is scraped (utilization, profile classes).
    public let scrapeGauges: ScrapeGauges
    /// Device samples in, utilization series out.
    public let telemetry: TelemetryContext
    /// Device health: failures, maintenance, recoveries, node agents' reports.
    public let health: HealthContext
    /// Inference services: deploy, scale (by hand and by the autoscaler), history, capacity requests.
    public let services: ServicesContext
    /// Notifications: who reads which, and their delivery from the outbox.
    public let notifications: NotificationsContext
    /// The water level per pool and model, and whether a demand fits now, must queue, must shrink or is refused.
    public let feasibility: FeasibilityContext
    /// Grants in effect: the quotas they raise, jobs under them, their expiry, and what they preempted.
    public let grants: GrantsContext
    /// Leases: notices before a grant's end, extensions, and the ended grants the lease pass reclaims.
    public let leases: LeasesContext
    /// Resource requests: intake, estimate, feasibility, routing, grants decided at intake.
    public let requests: RequestsContext
    /// Taking capacity back: grants returned, reclaimed at expiry or by force, and the records of every reclamation.
    public let reclamations: ReclamationsContext
    /// Idle inference services: candidates from the daily roll-ups, the owner's confirmation, shrink or reclaim.
    public let idleServices: IdleServicesContext
    /// Idle interactive/test allocations: notice, then reclamation (the background pass).
    public let idleAllocations: IdleAllocationsContext
    /// The monthly review of L1 grants.
    public let l1Review: L1ReviewContext
    /// Alerts: the rules' pass, their history, the alert gauges.
    public let alerts: AlertsContext
    /// The monthly transparency report.
    public let reports: ReportsContext
    /// Prices and their versions, and what a tenant's usage of a month costs.
    public let billing: BillingContext
    /// Invoices (issued once a month is over, then never changed), prepaid credits, balances, showback.
    public let invoices: InvoicesContext

    /// Settings of the application layer.
    public struct Configuration: Sendable {
        public var scheduler: SchedulerConfiguration
        /// Seconds between scheduling cycles when nothing wakes the scheduler.
        public var cycleInterval: Double
        /// Seconds a preempted job gets to checkpoint before eviction (the scheduler's setting, one source of truth).
        public var preemptionGraceSeconds: Double {
            get { scheduler.preemption.graceSeconds }
            set { scheduler.preemption.graceSeconds = newValue }
        }
        public var planning: PlanningSettings
        /// Seconds between reconciliations with the engines after the one at start.
        public var reconcileInterval: Double = 60
        /// Tests: every scheduling cycle compares the scheduler's job view with a full read of the store
        /// and fails on a difference (a full read per cycle: never in production).
        public var verifySchedulerView = false
        /// Device profiles and per-job predictions.
        public var profiles = ProfileSettings()
        /// What `/metrics` exports.
        public var metrics = MetricsSettings()
        /// Retention of device telemetry per resolution.
        public var telemetry = TelemetrySettings()
        /// What a failing device does to its work, and who returns it to service.
        public var health = HealthPolicy()
        /// Inference services: the autoscaler's interval, how reserve nodes are granted.
        public var services = ServicesSettings()
        /// Where notifications go: the log, a webhook; its retries.
        public var notifications = NotificationSettings()
        /// Request life cycle: approval tiers, compliance, the green channel.
        public var requests = RequestSettings()
        /// Leases, notices, extensions and idle reclamation.
        public var leases = LeaseSettings()
        /// Alert thresholds, the pass interval, the Alertmanager to post to.
        public var alerts = AlertSettings()
        /// Billing rules: minimum period, discounts, spot and reserved-idle rates, zero balance.
        public var billing = BillingSettings()
        /// How long a web console session lasts idle, and at most.
        public var consoleSessions = ConsoleSessionSettings()

        public init(
            scheduler: SchedulerConfiguration = SchedulerConfiguration(), cycleInterval: Double = 1, preemptionGraceSeconds: Double? = nil,
            planning: PlanningSettings = PlanningSettings()
        ) {
            self.scheduler = scheduler
            self.cycleInterval = cycleInterval
            if let preemptionGraceSeconds { self.scheduler.preemption.graceSeconds = preemptionGraceSeconds }
            self.planning = planning
        }
    }

    /// `utilization`: where the autoscaler reads replicas' utilization; by default the store's telemetry.
    public init(
        store: any Store, engine: any ExecutionEngine, configuration: Configuration = Configuration(), logger: Logger,
        access: AccessPolicy = AccessPolicy(), clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        utilization: (any TelemetryReader)? = nil
    ) {
        let runtime = Runtime(configuration: configuration, logger: logger, access: access, clock: clock)
        self.store = store
        self.engine = engine
        self.runtime = runtime
        let profiles = ProfilesContext(store: store, runtime: runtime)
        var predictions = PredictionsContext(store: store, runtime: runtime)
        let grants = GrantsContext(store: store, runtime: runtime)
        var scheduling = SchedulingContext(store: store, engine: engine, runtime: runtime)
        scheduling.deviceProfiles = profiles
        scheduling.grants = grants
        predictions.jobView = scheduling.jobView
        let access = AccessContext(store: store, runtime: runtime)
        var tenancy = TenancyContext(store: store, runtime: runtime)
        tenancy.jobView = scheduling.jobView
        tenancy.grants = grants
        let billing = BillingContext(store: store, runtime: runtime)
        self.billing = billing
        let invoices = InvoicesContext(store: store, runtime: runtime) { try billing.charges(tenant: $0, month: $1, byProject: $2) }
        self.invoices = invoices
        var inventory = InventoryContext(store: store, billing: billing, runtime: runtime)
        inventory.jobView = scheduling.jobView
        var jobs = JobsContext(store: store, engine: engine, scheduling: scheduling, runtime: runtime)
        jobs.predictions = predictions
        jobs.grants = grants
        jobs.funds = invoices
        self.grants = grants
        self.leases = LeasesContext(store: store, runtime: runtime)
        self.profiles = profiles
        self.predictions = predictions
        let estimates = EstimationContext(store: store, runtime: runtime)
        self.estimates = estimates
        self.scrapeGauges = ScrapeGauges(store: store, profiles: profiles, runtime: runtime)
        self.access = access
        self.consoleSessions = ConsoleSessionsContext(store: store, tokens: access, runtime: runtime)
        self.tenancy = tenancy
        self.inventory = inventory
        self.jobs = jobs
        self.scheduling = scheduling
        var metering = MeteringContext(store: store, engine: engine, runtime: runtime)
        metering.billing = billing
        self.metering = metering
        self.planning = PlanningContext(store: store, runtime: runtime)
        self.audit = AuditContext(store: store, runtime: runtime)
        let telemetry = TelemetryContext(store: store, runtime: runtime)
        self.telemetry = telemetry
        self.health = HealthContext(
            store: store, engine: engine, telemetry: TelemetryForwarding { samples, principal in _ = try telemetry.ingest(samples, by: principal) },
            runtime: runtime)
        let services = ServicesContext(store: store, telemetry: utilization ?? store, jobs: jobs, runtime: runtime)
        self.services = services
        self.notifications = NotificationsContext(store: store, runtime: runtime)
        var feasibilityWithView = FeasibilityContext(store: store, runtime: runtime)
        feasibilityWithView.jobView = scheduling.jobView
        let feasibility = feasibilityWithView
        self.feasibility = feasibility
        var requests = RequestsContext(store: store, jobs: jobs, runtime: runtime)
        requests.feasibility = { demand in try feasibility.assess(demand, by: nil) }
        requests.calibrationRuns = { ReferenceRun.published + (try estimates.recordedRuns()) }
        self.requests = requests
        self.reclamations = ReclamationsContext(store: store, runtime: runtime)
        self.idleServices = IdleServicesContext(store: store, services: services, runtime: runtime)
        self.idleAllocations = IdleAllocationsContext(store: store, jobs: jobs, runtime: runtime)
        self.l1Review = L1ReviewContext(store: store, runtime: runtime)
        var alerts = AlertsContext(store: store, runtime: runtime)
        alerts.jobView = scheduling.jobView
        alerts.balances = { try invoices.prepaidBalances() }
        self.alerts = alerts
        self.reports = ReportsContext(store: store, telemetry: store, billing: billing, runtime: runtime)
        self.demo = DemoContext(
            store: store, inventory: inventory, tenancy: tenancy, tokens: access, jobs: jobs, services: services, requests: requests, leases: leases,
            reclamations: reclamations, billing: billing, invoices: invoices, planning: planning, runtime: runtime)
    }

    public var configuration: Configuration { runtime.configuration }
    public var logger: Logger { runtime.logger }
    public func now() -> Double { runtime.clock() }
}
