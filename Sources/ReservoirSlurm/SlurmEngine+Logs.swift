import Foundation
import ReservoirCore
import ReservoirEngine

/// A job's output, read from the file Slurm writes under the jobs directory.
///
/// The file is `<jobs directory>/<job>-<slurm id>.out` (stdout and stderr together; the Slurm id keeps
/// two Reservoirs' jobs of the same number apart). Reservoir reads it directly, so the jobs directory
/// must be on a filesystem the Reservoir host shares with the nodes (as on the dev cluster, where they
/// are one machine). The file read is that of the job's current Slurm copy, found by its tag.
extension SlurmEngine: LogReadingEngine {
    /// The `standard_output` pattern Slurm fills in with the job id (`%j`).
    nonisolated func outputPattern(_ job: JobID) -> String {
        "\(configuration.jobsDirectory)/\(job.rawValue)-%j.out"
    }

    public func logs(_ job: JobID, pool: PoolID?, from offset: Int, limit: Int) async throws -> EngineLogChunk? {
        let copy = try await status(job)
        guard copy.phase != .unknown, copy.phase != .pending, !copy.engineID.isEmpty else { return nil }
        let path = outputPattern(job).replacingOccurrences(of: "%j", with: copy.engineID)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SlurmError(.configuration, "cannot read \(path): the jobs directory must be readable by Reservoir")
        }
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        let start = min(max(0, offset), size)
        try handle.seek(toOffset: UInt64(start))
        let window = [UInt8](try handle.read(upToCount: min(limit, size - start)) ?? Data())
        return EngineLogChunk(window: window, at: start, size: size, location: path)
    }
}
