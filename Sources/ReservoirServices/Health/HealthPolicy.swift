import ReservoirStore

/// How device health acts (config file section `health:`, docs/CONFIG.md).
public struct HealthPolicy: Codable, Sendable, Hashable {
    /// Who returns a device to service once the agent reports it healthy again.
    public enum Recovery: String, Codable, Sendable, Hashable, CaseIterable {
        /// An operator does (`reservoir device set-state ID available`): a GPU that threw XIDs is
        /// usually looked at before it takes work again. The default.
        case operator_ = "operator"
        /// The server does, as soon as the agent finds the device again with no new errors.
        case automatic
    }

    /// What happens to work on a device that fails or goes into maintenance (default: requeue, progress kept).
    public var displacedWork: DisplacedWork
    public var recovery: Recovery

    public init(displacedWork: DisplacedWork = .requeue, recovery: Recovery = .operator_) {
        self.displacedWork = displacedWork
        self.recovery = recovery
    }
}
