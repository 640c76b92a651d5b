import ReservoirCore

/// The simulator's stand-in for a job's output: a few lines that say what would run, how far it got
/// and how it ended, so `reservoir job logs` answers on the demo as it does on a real engine.
extension SimulatedCluster {
    /// The synthetic output of `job`'s latest run as of the simulated clock; nil for a job never run.
    public func log(_ job: JobID) -> String? {
        guard let run = runs[job] else { return nil }
        var lines = ["starting \(run.spec.command?.summary ?? "(no command: holding the devices for the declared runtime)")"]
        let runtime = max(0.001, run.endsAt - run.startedAt)
        let reached = (run.finishedAt ?? now) - run.startedAt
        for quarter in 1...3 where reached >= runtime * Double(quarter) / 4 {
            lines.append("progress \(quarter * 25)%")
        }
        switch run.phase {
        case .succeeded, .failed: lines.append("exited \(run.exitCode ?? 0)")
        case .cancelled: lines.append("cancelled")
        case .preempted: lines.append("preempted")
        case .pending, .running, .unknown: break
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
