/// Where a job is in its life.
///
/// ```
/// queued → admitted → running → succeeded | failed
///    ↑         │          │
///    └─────────┴──────────┴── preempted (requeued with its progress kept)
/// any non-final state → cancelled
/// ```
public enum JobState: String, Codable, Hashable, Sendable, CaseIterable {
    case queued, admitted, running, succeeded, failed, cancelled, preempted

    /// Final states never change again.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }

    /// Whether the job holds devices in this state.
    public var holdsDevices: Bool { self == .admitted || self == .running }

    /// Whether the job waits for the scheduler in this state.
    public var isPending: Bool { self == .queued || self == .preempted }

    /// The transitions the state machine allows.
    public func canTransition(to next: JobState) -> Bool {
        switch (self, next) {
        case (.queued, .admitted), (.queued, .cancelled):
            true
        case (.admitted, .running), (.admitted, .failed), (.admitted, .cancelled), (.admitted, .preempted),
             (.admitted, .queued):
            true
        case (.running, .succeeded), (.running, .failed), (.running, .cancelled), (.running, .preempted):
            true
        case (.preempted, .admitted), (.preempted, .cancelled), (.preempted, .queued):
            true
        default:
            false
        }
    }
}
