import Foundation
import ReservoirCore
import ReservoirEngine

/// A job's output, read from the file Slurm writes under the jobs directory.
///
/// The file is `<jobs directory>/<job tag>-<slurm id>.out` (stdout and stderr together). Reservoir
/// reads it directly, so the jobs directory must be on a filesystem the Reservoir host shares with
/// the nodes (as on the dev cluster, where they are one machine). A job resubmitted after its Slurm copy
/// was lost writes a new file; the newest (highest Slurm id) is the job's output.
extension SlurmEngine: LogReadingEngine {
    /// The `standard_output` pattern Slurm fills in with the job id (`%j`).
    nonisolated func outputPattern(_ job: JobID) -> String {
        "\(configuration.jobsDirectory)/\(SlurmMapping.tag(job, instance: configuration.instance))-%j.out"
    }

    /// The newest output file of `job`, if Slurm has written one.
    nonisolated func outputFile(_ job: JobID) -> String? {
        let prefix = SlurmMapping.tag(job, instance: configuration.instance) + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.jobsDirectory)) ?? []
        let newest = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(prefix), name.hasSuffix(".out"), let id = Int(name.dropFirst(prefix.count).dropLast(4)) else { return nil }
            return (id, name)
        }.max { $0.0 < $1.0 }
        return newest.map { "\(configuration.jobsDirectory)/\($0.1)" }
    }

    public nonisolated func logs(_ job: JobID, from offset: Int, limit: Int) async throws -> EngineLogChunk? {
        guard let path = outputFile(job) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SlurmError(.configuration, "cannot read \(path): the jobs directory must be readable by Reservoir") }
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        let start = min(max(0, offset), size)
        try handle.seek(toOffset: UInt64(start))
        let window = [UInt8](try handle.read(upToCount: min(limit, size - start)) ?? Data())
        return EngineLogChunk(window: window, at: start, size: size, location: path)
    }
}
