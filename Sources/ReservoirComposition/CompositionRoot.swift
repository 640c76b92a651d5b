import Foundation
import Hummingbird
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirHTTP
import ReservoirServices
import ReservoirSlurm
import ReservoirStore
import ServiceLifecycle

/// The one place the running system is put together from its settings: the store, the engines (the
/// simulator, and one `SlurmEngine` per Slurm cluster, behind one `EngineRegistry`), the application
/// (`Reservoir`), the background services and the HTTP application. Nothing else builds them; the HTTP
/// module only routes what it is given.
public struct CompositionRoot: Sendable {
    public let settings: ReservoirSettings
    public let store: SQLiteStore
    public let reservoir: Reservoir
    /// The cluster description of the configuration, imported by `importDescription`.
    public let description: ClusterDescriptionText?
    /// The nodes each Slurm cluster reported at start, for the description's `slurmNodes`.
    let discovered: [ClusterID: [Node]]

    /// Builds everything from loaded settings. `store`: the SQLite database to use instead of the one in
    /// `server.dataDir` (tests pass an in-memory one). Reaches every Slurm cluster the description names.
    /// `clock`: the time source, shifted by `server.clockOffsetSeconds` (tests and demos).
    public static func build(
        _ loaded: LoadedSettings, source: String = "configuration", store: SQLiteStore? = nil, logger: Logger,
        clock base: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) async throws -> CompositionRoot {
        let settings = loaded.settings
        let offset = settings.server.clockOffsetSeconds
        let clock: @Sendable () -> Double = { base() + offset }
        let store = try store ?? openStore(in: settings.server.dataDir)
        let description = try loaded.description.map { try ClusterDescription.parse(yaml: $0.yaml) }
        let slurm = try await SlurmEngines.make(description, source: source, shared: settings.engines.slurm, store: store, logger: logger)
        let driven = Set(slurm.engines.keys)
        let simulator = SimulatedEngine(
            inventory: { simulatedNodes(store, besides: driven) }, speed: settings.engines.simulator.speed,
            failureRate: settings.engines.simulator.failureRate, xidOnFailure: settings.engines.simulator.xidOnFailure, clock: clock)
        let engine = EngineRegistry(engines: slurm.engines, fallback: simulator) { pool in
            (try? store.inventory().pools.first { $0.id == pool })?.cluster
        }
        let reservoir = Reservoir(store: store, engine: engine, configuration: settings.applicationConfiguration, logger: logger, clock: clock)
        return CompositionRoot(settings: settings, store: store, reservoir: reservoir, description: loaded.description, discovered: slurm.discovered)
    }

    /// Imports the configuration's cluster description (a no-op without one); importing again replaces
    /// objects with the same ids, so every start brings the inventory up to the file.
    public func importDescription(by principal: Principal) throws {
        guard let description else { return }
        _ = try reservoir.inventory.importDescription(yaml: description.yaml, discovered: discovered, by: principal)
    }

    /// The services that run beside the HTTP server; the demo job stream when `server.demo` is on.
    public var services: [any Service] {
        Self.backgroundServices(reservoir) + (settings.server.demo ? [DemoWorkload(reservoir: reservoir)] : [])
    }

    /// The HTTP application on `server.host` and `server.port`, with the background services.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        ReservoirServer.application(
            reservoir, host: settings.server.host, port: settings.server.port, services: services, onServerRunning: onServerRunning)
    }

    /// Every server runs these: engine events, the scheduler loop (with reconciliation), provisioning, the
    /// autoscaler, the grants' expiry pass, notification delivery, review escalation, the alert pass and the telemetry sampler
    /// of the engines that read their devices (inference replicas get the traffic their services offer them).
    public static func backgroundServices(_ reservoir: Reservoir) -> [any Service] {
        [
            EngineEventService(reservoir: reservoir), SchedulerService(reservoir: reservoir), ProvisioningService(reservoir: reservoir),
            AutoscalerService(reservoir: reservoir), GrantExpiryService(reservoir: reservoir), IdleAllocationService(reservoir: reservoir),
            NotificationDeliveryService(reservoir: reservoir, channels: NotificationDeliveryService.configuredChannels(reservoir)),
            ReviewEscalationService(reservoir: reservoir), AlertService(reservoir: reservoir),
            TelemetryService(reservoir: reservoir, offeredLoad: { reservoir.services.offeredLoad(at: $0) }),
        ]
    }

    /// An HTTP application over an application built elsewhere (tests that wire their own engines).
    public static func application(
        _ reservoir: Reservoir, host: String, port: Int, extraServices: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        ReservoirServer.application(
            reservoir, host: host, port: port, services: backgroundServices(reservoir) + extraServices, onServerRunning: onServerRunning)
    }

    /// The nodes the simulator drives: those of clusters without an engine of their own, read from the store
    /// when asked (the demo seeds its inventory after start; an import adds nodes while running).
    private static func simulatedNodes(_ store: SQLiteStore, besides driven: Set<ClusterID>) -> [Node] {
        guard let inventory = try? store.inventory() else { return [] }
        let clusterOfPool = Dictionary(inventory.pools.map { ($0.id, $0.cluster) }, uniquingKeysWith: { a, _ in a })
        return inventory.nodes.filter { clusterOfPool[$0.pool].map { !driven.contains($0) } ?? true }
    }

    private static func openStore(in directory: String) throws -> SQLiteStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try SQLiteStore(path: (directory as NSString).appendingPathComponent("reservoir.sqlite"))
    }
}

extension ReservoirSettings {
    /// The application layer's part of the settings.
    public var applicationConfiguration: Reservoir.Configuration {
        var configuration = Reservoir.Configuration(scheduler: scheduler.cycle, cycleInterval: scheduler.cycleIntervalSeconds, planning: planning)
        configuration.reconcileInterval = scheduler.reconcileIntervalSeconds
        configuration.profiles = profiles
        configuration.metrics = metrics
        configuration.telemetry = telemetry
        configuration.health = health
        configuration.services = services
        configuration.notifications = notifications
        configuration.requests = server.demo ? requests.withDemoDefaults() : requests
        configuration.leases = leases
        configuration.alerts = alerts
        configuration.billing = billing
        return configuration
    }
}
