/// An engine call whose intent Reservoir has committed but the engine has not confirmed (the call
/// failed: Slurm down, a timeout). The user's answer is already given; the reconciler retries the call.
public enum PendingEngineCall: String, Codable, Hashable, Sendable, CaseIterable {
    /// A cancel: the job keeps its devices until the engine confirms, then becomes `cancelled`.
    case cancel
    /// An elastic resize: the store holds the new placements; the engine still runs the old size.
    case resize
}
