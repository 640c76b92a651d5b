import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `reservoir serve` started by a benchmark from this same executable, on a loopback port the
/// server picks, over a fresh data directory that is removed when it stops (or over a given one, kept). Its CPU time and RSS are
/// read from /proc (Linux only), so the figures are the server's own, not the benchmark client's.
final class BenchServer {
    let process = Process()
    let directory: URL
    let url: String
    let token = "bench-operator"

    /// Starts the server with `config` (a YAML file in `directory`, or none) and waits until it announces its URL.
    /// `data`: an existing data directory to serve (left in place); nil: a fresh one inside `directory`.
    init(directory: URL, config: URL?, data: URL? = nil) async throws {
        self.directory = directory
        let stdoutURL = directory.appendingPathComponent("serve.out")
        let stderrURL = directory.appendingPathComponent("serve.err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["serve", "--data-dir", (data ?? directory.appendingPathComponent("data")).path, "--host", "127.0.0.1", "--port", "0", "--log-level", "warning"]
            + (config.map { ["--config", $0.path] } ?? [])
        process.environment = ProcessInfo.processInfo.environment.merging(["RESERVOIR_BOOTSTRAP_TOKEN": token]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        let marker = "Reservoir is running at "
        let deadline = Date().addingTimeInterval(120)
        while true {
            let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            if let line = out.split(separator: "\n").first(where: { $0.contains(marker) }) {
                url = String(line[line.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces)
                return
            }
            guard process.isRunning, Date() < deadline else {
                Self.end(process, removing: directory)
                let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
                throw BenchServerError.didNotStart(String(err.suffix(2000)))
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    /// User + system CPU seconds the server has used so far (/proc/PID/stat utime + stime).
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory now, in MiB (/proc/PID/status VmRSS).
    func rssMiB() -> Double { status("VmRSS:") }

    /// The most resident memory the server has had so far, in MiB (/proc/PID/status VmHWM).
    func peakRSSMiB() -> Double { status("VmHWM:") }

    /// A kB figure of /proc/PID/status, in MiB; 0 when it cannot be read.
    private func status(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// Stops the server (SIGTERM, SIGKILL after 10 s) and removes its data directory.
    func stop() { Self.end(process, removing: directory) }

    private static func end(_ process: Process, removing directory: URL) {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

enum BenchServerError: Error, CustomStringConvertible {
    case didNotStart(String)

    var description: String {
        switch self {
        case .didNotStart(let stderr): "the benchmark's server did not start: \(stderr)"
        }
    }
}
