import ReservoirCore
import ReservoirServices

/// Every setting an operator may change, as the configuration file holds it (`serve --config FILE`,
/// docs/CONFIG.md). Each section is a `SettingsGroup`; a key's default is the property's initial value.
///
/// Adding a section is a change to this file: a property (the key is its name) and its line in
/// `problems()`. Key paths, environment variables (`RESERVOIR_<SECTION>_<KEY>`), `config show` and the
/// documentation check are all derived from the type.
public struct ReservoirSettings: Codable, Sendable, SettingsGroup {
    public var server = ServerSettings()
    public var engines = EngineSettings()
    public var scheduler = SchedulerSettings()
    public var planning = PlanningSettings()
    public var profiles = ProfileSettings()
    public var metrics = MetricsSettings()
    public var telemetry = TelemetrySettings()
    /// Device health: what a failing device does to its work, and who returns it to service.
    public var health = HealthPolicy()
    public var services = ServicesSettings()
    public var notifications = NotificationSettings()
    /// Resource requests: approval tiers, compliance rules, the emergency green channel.
    public var requests = RequestSettings()
    /// Leases: terms per kind, notices, extensions, idle reclamation.
    public var leases = LeaseSettings()
    /// Alerts: thresholds of the built-in rules, the pass interval, Alertmanager.
    public var alerts = AlertSettings()
    /// Billing: currency, minimum billing period, volume discounts, spot and reserved-idle rates.
    public var billing = BillingSettings()
    /// The cluster description imported at start (docs/CONFIG.md, "Cluster description"); nil: none.
    /// A file holding only `regions:` is the `--config` file of earlier versions, and still valid.
    public var regions: [ClusterDescription.RegionSpec]?

    public init() {}

    /// Every value out of its range or set, each naming its key path; empty when all are valid.
    public func problems() -> [ReservoirError] {
        server.problems(at: "server") + engines.problems(at: "engines") + scheduler.problems(at: "scheduler")
            + planning.problems(at: "planning") + telemetry.problems(at: "telemetry") + services.problems(at: "services")
            + profiles.problems(at: "profiles") + notifications.problems(at: "notifications")
            + requests.problems(at: "requests") + leases.problems(at: "leases")
            + alerts.problems(at: "alerts")
            + billing.problems(at: "billing")
    }
}

/// A group of settings: a section of the file, or a group inside one. Its keys are its coding keys, and
/// the keys of groups nested in it; anything else (a number, a name, a list, a map) is one key.
public protocol SettingsGroup: Codable, Sendable {}
