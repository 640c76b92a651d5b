extension Job {
    /// How long a finished job ran, summed over its runs (preempted runs included): its kept progress,
    /// else start to finish; nil for a job that never ran. What history-based estimates learn from.
    public var recordedRuntime: Double? {
        Self.recordedRuntime(progressSeconds: progressSeconds, startedAt: startedAt, finishedAt: finishedAt)
    }

    /// `recordedRuntime` from the three fields it reads (a store reading only those of a stored job).
    public static func recordedRuntime(progressSeconds: Double, startedAt: Double?, finishedAt: Double?) -> Double? {
        if progressSeconds > 0 { return progressSeconds }
        guard let startedAt, let finishedAt, finishedAt > startedAt else { return nil }
        return finishedAt - startedAt
    }
}
