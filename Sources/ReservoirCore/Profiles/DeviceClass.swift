/// What a device is best at, for profile matching (SPEC §4): inference wants low latency (memory
/// bandwidth), training large memory, tests the cheapest GPU-hour. Set per device by
/// `ProfileBuilder` from its model's figures relative to the other models of the reservoir.
public enum DeviceClass: String, Codable, Hashable, Sendable, CaseIterable {
    case lowLatency = "low-latency"
    case largeMemory = "large-memory"
    case economy
    /// Nothing stands out: a one-model reservoir, or a model whose figures are undisclosed.
    case general

    /// The class each kind of work is sent to; nil when the kind has no preference (batch).
    public static func preferred(by kind: WorkloadKind) -> DeviceClass? {
        switch kind {
        case .inference: .lowLatency
        case .training: .largeMemory
        case .test: .economy
        case .batch: nil
        }
    }
}

/// A catalog price band, for people: `low` under 1 per device-hour, `mid` under 2.5, `high` above.
public enum PriceClass: String, Codable, Hashable, Sendable, CaseIterable {
    case low, mid, high

    public init(pricePerHour: Double) {
        self = pricePerHour < 1 ? .low : pricePerHour < 2.5 ? .mid : .high
    }
}
