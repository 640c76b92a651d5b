import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding and running the built `reservoir` executable.
enum Executable {
    /// The package root, found from this file's path.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The `reservoir` binary built beside the test bundle.
    static var reservoir: URL? {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.appendingPathComponent("reservoir"),
            bundle.deletingLastPathComponent().appendingPathComponent("reservoir"),
            packageRoot.appendingPathComponent(".build/debug/reservoir"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A child process whose output goes to files (no pipe can fill up and block it).
final class Child: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    /// `stdin`: what the process reads on its standard input (nothing when nil).
    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL, stdin: String? = nil) throws {
        stdoutURL = directory.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6)).txt")
        stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6)).txt")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Executable.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        if let stdin {
            let stdinURL = directory.appendingPathComponent("stdin-\(UUID().uuidString.prefix(6)).txt")
            FileManager.default.createFile(atPath: stdinURL.path, contents: Data(stdin.utf8))
            process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for the process to exit; kills it on timeout. Returns the exit status, nil on timeout.
    func wait(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill9()
                return nil
            }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return process.terminationStatus
    }

    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until stdout contains a line matching `prefix` and returns the rest of that line.
    func waitForLine(containing marker: String, timeout: Double) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains(marker) }) {
                return String(line[line.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
            guard process.isRunning else { return nil }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return nil
    }

    deinit { kill9() }
}

/// Runs one CLI command to completion (bounded) and returns its exit status and output.
func runCLI(
    _ arguments: [String], server: String, token: String, directory: URL, stdin: String? = nil
) async throws -> (status: Int32?, stdout: String, stderr: String) {
    let binary = try #require(Executable.reservoir, "the reservoir executable is not built")
    let child = try Child(binary, arguments, environment: ["RESERVOIR_SERVER": server, "RESERVOIR_TOKEN": token], directory: directory, stdin: stdin)
    let status = await child.wait(timeout: 30)
    return (status, child.stdout, child.stderr)
}
