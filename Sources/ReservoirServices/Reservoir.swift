import Foundation
import Logging
import ReservoirCore
import ReservoirEngine
import ReservoirScheduling
import ReservoirStore

/// The application: the store, the engine and the clock, and the use cases built on them.
/// HTTP and CLI are thin shells over this type; all rules live here or below.
public final class Reservoir: Sendable {
    public let store: any Store
    public let engine: any ExecutionEngine
    public let configuration: Configuration
    public let logger: Logger
    let clock: @Sendable () -> Double
    /// Wakes the scheduler early when something changed (a submission, a completion).
    let wakeups: Wakeups
    /// Wakes engine provisioning early when tenancy or inventory changed.
    let provisioningWakeups: Wakeups

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

    public init(
        store: any Store, engine: any ExecutionEngine, configuration: Configuration = Configuration(), logger: Logger,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.engine = engine
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.wakeups = Wakeups()
        self.provisioningWakeups = Wakeups()
    }

    public func now() -> Double { clock() }

    func attribution(_ principal: Principal) -> Attribution { Attribution(actor: principal.actor, at: clock()) }
    func system(_ component: String) -> Attribution { Attribution(actor: "system:\(component)", at: clock()) }
}
