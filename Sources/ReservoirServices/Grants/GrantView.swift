import ReservoirCore

/// A grant as `GET /v1/grants` shows it: the grant, what its jobs hold now, its jobs, and — the green
/// channel's report (SPEC §5.6: every use is reported) — the jobs evicted to make room for them.
public struct GrantView: Codable, Sendable, Equatable {
    /// The most jobs one grant lists (newest first).
    public static let jobLimit = PageRequest.maximumLimit

    /// One job under the grant.
    public struct JobUse: Codable, Sendable, Equatable {
        public var id: JobID
        public var state: JobState
        /// Milli-GPU the whole job holds when running.
        public var gpuMilli: Int
    }

    /// A job evicted for one of the grant's jobs. Another tenant's job is named only to readers of every
    /// tenant (operators, finance); a member reads its class and state.
    public struct Preemption: Codable, Sendable, Equatable {
        public var job: JobID?
        public var tenant: TenantID?
        public var priority: PriorityClass
        public var state: JobState
    }

    public var grant: Grant
    /// Milli-GPU held now by the grant's admitted and running jobs.
    public var usedGPUMilli: Int
    public var jobs: [JobUse]
    public var preempted: [Preemption]
}
