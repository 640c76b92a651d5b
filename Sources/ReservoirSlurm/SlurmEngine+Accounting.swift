import Foundation
import ReservoirCore
import ReservoirEngine

/// Looking jobs up in accounting when the controller has forgotten them.
///
/// slurmctld drops finished jobs after `MinJobAge` (default 300 s). Without this, a job that finished
/// while Reservoir was away would look "missing" to reconciliation and run a second time.
extension SlurmEngine {
    /// The latest accounted run of each of `jobs` within `window`, keyed by Reservoir id.
    func accounted(_ jobs: [JobID], window: Duration = .seconds(14 * 86_400)) async throws(SlurmError) -> [JobID: SlurmJob] {
        guard !jobs.isEmpty else { return [:] }
        var result: [JobID: SlurmJob] = [:]
        // sacct takes a comma-separated name list; chunk it to keep the command line short.
        for chunk in stride(from: 0, to: jobs.count, by: 200).map({ Array(jobs[$0..<min($0 + 200, jobs.count)]) }) {
            let names = chunk.map { SlurmMapping.name(for: $0, instance: configuration.instance) }.joined(separator: ",")
            let out = try await cli.run("sacct", [
                "-a", "-X", "-P", "-n", "--starttime=now-\(window.components.seconds)seconds", "--endtime=now",
                "--name=\(names)", "-o", "JobIDRaw,JobName,Comment,State,Start,End,ExitCode",
            ], environment: ["SLURM_TIME_FORMAT": "%s"])
            for line in out.stdout.split(separator: "\n") {
                let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard f.count >= 6, let id = Int(f[0]), let job = SlurmMapping.reservoirJob(comment: f[2], name: f[1], instance: configuration.instance) else { continue }
                let state = f[3].split(separator: " ").first.map(String.init) ?? f[3]
                let copy = SlurmJob(
                    job_id: id, name: f[1], comment: f[2], job_state: state, start_time: Int(f[4]), end_time: Int(f[5]),
                    exit_code: f.count > 6 ? SlurmMapping.waitStatus(sacct: f[6]) : nil
                )
                if (result[job]?.job_id ?? -1) < id { result[job] = copy }
            }
        }
        return result
    }
}
