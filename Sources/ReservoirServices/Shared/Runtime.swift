import Foundation
import Logging
import ReservoirCore

/// What every application context shares besides its store: the clock (injectable, so tests and the
/// demo fast-forward days), the logger, the access policy, the settings, and the wake-up signals by
/// which a change tells the scheduler and engine provisioning to look again.
public struct Runtime: Sendable {
    public let configuration: Reservoir.Configuration
    public let logger: Logger
    public let access: AccessPolicy
    let clock: @Sendable () -> Double
    /// Wakes the scheduler early when something changed (a submission, a completion).
    let wakeups: Wakeups
    /// Wakes engine provisioning early when tenancy or inventory changed.
    let provisioningWakeups: Wakeups
    /// Wakes the notification delivery worker when a change committed notices to the outbox, so they
    /// leave now rather than at the next poll.
    let notificationWakeups: Wakeups

    init(configuration: Reservoir.Configuration, logger: Logger, access: AccessPolicy, clock: @escaping @Sendable () -> Double) {
        self.configuration = configuration
        self.logger = logger
        self.access = access
        self.clock = clock
        self.wakeups = Wakeups()
        self.provisioningWakeups = Wakeups()
        self.notificationWakeups = Wakeups()
    }
}

/// A context's shortcuts to its runtime, so use cases read as `attribution(principal)`, `clock()`.
protocol ApplicationContext: Sendable {
    var runtime: Runtime { get }
}

extension ApplicationContext {
    func clock() -> Double { runtime.clock() }
    var logger: Logger { runtime.logger }
    var configuration: Reservoir.Configuration { runtime.configuration }
    var access: AccessPolicy { runtime.access }
    var wakeups: Wakeups { runtime.wakeups }
    var provisioningWakeups: Wakeups { runtime.provisioningWakeups }
    var notificationWakeups: Wakeups { runtime.notificationWakeups }
    func attribution(_ principal: Principal) -> Attribution { Attribution(actor: principal.actor, at: clock()) }
    func system(_ component: String) -> Attribution { Attribution(actor: "system:\(component)", at: clock()) }
}
