import Foundation

/// Runs Slurm's CLI tools (`sacctmgr -i`, `scontrol`, `sacct`) where the REST API is unreliable or lacks
/// the operation (22.05: association limits, partitions, node resume, hold/release, `--nodelist`).
///
/// The child gets `SLURM_CONF` and never `SLURM_JWT`: with a JWT in their environment the tools
/// authenticate with it and fail with "Invalid user id" (slurm-notes pitfall 4).
struct SlurmCommand: Sendable {
    var slurmConf: String?

    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `tool args…` and returns its output; throws `.command` on a non-zero exit unless `check` is false.
    @discardableResult
    func run(
        _ tool: String, _ arguments: [String], check: Bool = true, environment extra: [String: String] = [:]
    ) async throws(SlurmError) -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SLURM_JWT")
        if let slurmConf { environment["SLURM_CONF"] = slurmConf }
        environment.merge(extra) { _, new in new }
        let output: Output
        do {
            output = try await Self.spawn(tool, arguments, environment: environment)
        } catch {
            throw SlurmError(.command, "\(tool): \(error)")
        }
        if check, output.status != 0 {
            let detail = (output.stderr.isEmpty ? output.stdout : output.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SlurmError(.command, "\(tool) \(arguments.joined(separator: " ")) exited \(output.status): \(detail)")
        }
        return output
    }

    /// Spawns on a global queue so the blocking pipe reads never hold a cooperative thread.
    private static func spawn(_ tool: String, _ arguments: [String], environment: [String: String]) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [tool] + arguments
                process.environment = environment
                let out = Pipe()
                let err = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // Read stderr on its own thread so a chatty tool cannot fill one pipe while we block on the other.
                let errData = LockedBox(Data())
                let errHandle = err.fileHandleForReading
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) {
                    errData.set(errHandle.readDataToEndOfFile())
                }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: Output(
                        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                        stderr: String(decoding: errData.get(), as: UTF8.self)
                    )
                )
            }
        }
    }
}

/// A value guarded by a lock, for handing data between the two pipe-reading threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ newValue: Value) {
        lock.lock()
        defer { lock.unlock() }
        value = newValue
    }
}
