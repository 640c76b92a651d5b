import Foundation
import Logging
@testable import ReservoirComposition
import ReservoirCore
import ReservoirEngine
import ReservoirServices
import ReservoirSlurm
import ReservoirStore
import Testing

/// The composition root builds the system from the settings: the application gets the scheduler settings,
/// the description is imported, the demo adds its job stream, Slurm engines get the shared engine settings.
@Suite("Composition root")
struct CompositionRootTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test("settings reach the application; the description is imported; the demo adds its job stream")
    func builds() async throws {
        let path = try SettingsLoaderTests.file("""
            scheduler: {placementPolicy: fgd, cycleIntervalSeconds: 0.25, reconcileIntervalSeconds: 7, preemption: {graceSeconds: 4}}
            planning: {horizonHours: 48}
            telemetry: {sampleIntervalSeconds: 15}
            services: {reserve: automatic, reserveAfterSeconds: 30}
            regions:
              - id: r1
                clusters: [{id: c1, pools: [{id: p1, nodes: [{name: n, count: 3, model: A100-80GB, gpus: 8, cpu: 64, memoryGiB: 512}]}]}]
            """)
        let loaded = try SettingsLoader.load(SettingsSources(file: path))
        let root = try await CompositionRoot.build(loaded, store: try SQLiteStore(path: nil), logger: Self.quiet)
        let configuration = root.reservoir.configuration
        #expect(configuration.scheduler.placementPolicy == "fgd")
        #expect(configuration.cycleInterval == 0.25)
        #expect(configuration.reconcileInterval == 7)
        #expect(configuration.preemptionGraceSeconds == 4)
        #expect(configuration.planning.horizonHours == 48)
        #expect(configuration.services.reserve == .automatic && configuration.services.reserveAfterSeconds == 30)
        // engine events, scheduler, provisioning, autoscaler, grant expiry (the lease pass), idle allocations, notification delivery,
        // review escalation, alerts, telemetry
        #expect(root.services.count == 10 && root.services.contains { $0 is AlertService } && root.services.contains { $0 is IdleAllocationService } && root.services.contains { $0 is TelemetryService } && root.services.contains { $0 is NotificationDeliveryService })
        #expect(root.services.contains { $0 is GrantExpiryService } && root.services.contains { $0 is ReviewEscalationService })
        #expect(configuration.telemetry.sampleIntervalSeconds == 15)

        let engine = try #require(root.reservoir.engine as? any TelemetryReporting)
        #expect(try await engine.deviceSamples(at: 0, load: [:]).isEmpty)
        try root.importDescription(by: Principal(user: User(id: "admin", roles: [.operator_])))
        #expect(try root.store.inventory().nodes.count == 3)
        #expect(try await engine.deviceSamples(at: 0, load: [:]).count == 24, "the simulator reads the nodes imported after it was built")

        var demo = loaded
        demo.settings.server.demo = true
        let withDemo = try await CompositionRoot.build(demo, store: try SQLiteStore(path: nil), logger: Self.quiet)
        #expect(withDemo.services.count == 11)
    }

    @Test("server.clockOffsetSeconds shifts the clock the application reads; out of range is refused by name")
    func shiftedClock() async throws {
        let path = try SettingsLoaderTests.file("server: {clockOffsetSeconds: 86400}")
        let loaded = try SettingsLoader.load(SettingsSources(file: path))
        let root = try await CompositionRoot.build(loaded, store: try SQLiteStore(path: nil), logger: Self.quiet, clock: { 1_000 })
        #expect(root.reservoir.now() == 87_400)
        let unshifted = try await CompositionRoot.build(
            SettingsLoader.load(SettingsSources()), store: try SQLiteStore(path: nil), logger: Self.quiet, clock: { 1_000 })
        #expect(unshifted.reservoir.now() == 1_000)
        let error = #expect(throws: SettingsError.self) {
            try SettingsLoader.load(SettingsSources(environment: ["RESERVOIR_SERVER_CLOCK_OFFSET_SECONDS": "1e12"]))
        }
        #expect(error?.problems.contains { $0.hasPrefix("server.clockOffsetSeconds:") } == true, "\(String(describing: error))")
    }

    @Test("the shared Slurm settings are applied to each cluster's configuration")
    func slurmSettings() throws {
        var shared = SlurmEngineSettings()
        shared.pollIntervalSeconds = 0.25
        shared.requestTimeoutSeconds = 5
        shared.qosPrefix = "rsv"
        shared.gpuModels = ["h100": SlurmGPUModel(model: "H100-80GB", memoryMiB: 81_559)]
        var configuration = SlurmConfiguration(url: "http://127.0.0.1:1")
        shared.apply(to: &configuration)
        #expect(configuration.pollInterval == .milliseconds(250))
        #expect(configuration.requestTimeout == .seconds(5))
        #expect(configuration.qosPrefix == "rsv")
        #expect(configuration.gpuModels["h100"]?.model == "H100-80GB")
        #expect(SlurmEngineSettings().pollIntervalSeconds == 1, "defaults are SlurmConfiguration's own")
    }
}
