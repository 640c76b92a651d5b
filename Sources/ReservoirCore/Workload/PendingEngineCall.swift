/// An engine call whose intent Reservoir has committed but the engine has not confirmed (the call
/// failed: Slurm down, a timeout). The user's answer is already given; the reconciler retries the call.
public enum PendingEngineCall: String, Codable, Hashable, Sendable, CaseIterable {
    /// A cancel: the job keeps its devices until the engine confirms, then becomes `cancelled`.
    case cancel
    /// An elastic resize: the store holds the new placements; the engine still runs the old size.
    case resize
    /// A stop with the checkpoint grace period (a reclaimed grant's running job): the scheduler tells the
    /// engine to preempt it with the grace (setting `evictionRequestedAt`), and its preemption ends the job
    /// instead of requeueing it; the reconciler cancels it outright once the grace has passed unconfirmed.
    case stop

    /// Whether the job is on its way out: its engine copy may rightly stop, and an eviction ends it.
    public var endsJob: Bool { self == .cancel || self == .stop }
}
