extension Job {
    /// How long a finished job ran, summed over its runs (preempted runs included): its kept progress,
    /// else start to finish; nil for a job that never ran. What history-based estimates learn from.
    public var recordedRuntime: Double? {
        if progressSeconds > 0 { return progressSeconds }
        guard let startedAt, let finishedAt, finishedAt > startedAt else { return nil }
        return finishedAt - startedAt
    }
}
