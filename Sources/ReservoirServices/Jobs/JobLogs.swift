import ReservoirCore
import ReservoirEngine

/// A piece of a job's output, as `GET /v1/jobs/{id}/logs?offset=N` answers it. A follower polls with
/// `offset = nextOffset` until `complete`.
public struct JobLogs: Codable, Sendable {
    public var job: JobID
    public var state: JobState
    public var exitCode: Int?
    /// The byte offset `text` starts at, and the one the next poll asks for.
    public var offset: Int
    public var nextOffset: Int
    /// Bytes of output that exist now.
    public var size: Int
    public var text: String
    /// The job has ended and everything it wrote was read: a follower stops here.
    public var complete: Bool
    /// Where the engine keeps the output (`simulator`, or a file on the Slurm cluster).
    public var location: String?
}

extension JobsContext {
    /// Most bytes one logs request returns.
    public static let logChunkLimit = 1 << 20

    /// Reads `limit` bytes of a job's output from `offset`, for anyone who may read the job. A job the
    /// engine has no output for (not started yet, or an engine that keeps none) answers empty text.
    public func jobLogs(_ id: JobID, from offset: Int, limit: Int?, by principal: Principal) async throws -> JobLogs {
        guard offset >= 0 else { throw ReservoirError.invalid("offset", "must be a byte offset ≥ 0") }
        let limit = limit ?? Self.logChunkLimit
        guard (1...Self.logChunkLimit).contains(limit) else { throw ReservoirError.invalid("limit", "must be in 1…\(Self.logChunkLimit) bytes") }
        let job = try job(id, by: principal)
        var chunk: EngineLogChunk?
        if let reader = engine as? any LogReadingEngine {
            do {
                chunk = try await reader.logs(id, pool: job.pool, from: offset, limit: limit)
            } catch {
                throw ReservoirError(.unavailable, "cannot read the output of job \(id) from the \(engine.kind.rawValue) engine: \(error)")
            }
        }
        let read = chunk ?? EngineLogChunk(text: "", offset: offset, nextOffset: offset, size: 0)
        return JobLogs(
            job: id, state: job.state, exitCode: job.exitCode, offset: read.offset, nextOffset: read.nextOffset, size: read.size,
            text: read.text, complete: job.state.isFinal && read.nextOffset >= read.size, location: read.location)
    }
}
