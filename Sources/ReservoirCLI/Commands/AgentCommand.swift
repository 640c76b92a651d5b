import ArgumentParser
import Foundation
import ReservoirAgent
import ReservoirCore
import ReservoirServices

/// `reservoir agent`: the node agent. On a GPU node (a Slurm node too: Slurm reports no GPU
/// utilization) it asks nvidia-smi what GPUs the node has (model, memory, MIG mode and instances,
/// NVLink topology) and how busy they are, and reports that to the server once a minute with a token
/// of the `agent` role. `--capture` replays a saved capture instead (tests, demos).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the node agent: report this node's GPUs and their utilization and health to the server once a minute.")

    @Option(help: "Server URL (env RESERVOIR_SERVER).")
    var server: String = ProcessInfo.processInfo.environment["RESERVOIR_SERVER"] ?? "http://127.0.0.1:8080"
    @Option(help: "A token of the agent role (default: env RESERVOIR_TOKEN).")
    var token: String?
    @Option(help: "This node's id in the inventory (default: the host name, up to its first dot).")
    var node: String?
    @Option(help: "Time between reports (e.g. 60s, 5m).")
    var interval: DurationArgument = DurationArgument(argument: "60s")!
    @Flag(help: "Report once and exit (non-zero when the report was refused).")
    var once = false
    @Option(name: .customLong("nvidia-smi"), help: "The nvidia-smi to run.")
    var nvidiaSMI = "nvidia-smi"
    @Option(help: "Replay a saved capture instead of running nvidia-smi: a capture file of nvidia-smi sections, an `nvidia-smi -q -x` XML file, or a DCGM exporter /metrics page.")
    var capture: String?
    @Option(help: "Also scrape this DCGM exporter (e.g. http://localhost:9400/metrics): utilization of GPUs in MIG mode, XID errors.")
    var dcgm: String?
    @Flag(help: "Print each receipt as JSON.")
    var json = false

    func run() async throws {
        let client = APIClient(server: server, token: token ?? ProcessInfo.processInfo.environment["RESERVOIR_TOKEN"] ?? "")
        let node = NodeID(self.node ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost")
        var baseline = ErrorBaseline()
        while true {
            do {
                let snapshot = try await look()
                let report = snapshot.report(node: node, at: Date().timeIntervalSince1970, catalog: .standard, baseline: baseline)
                let reply = try await client.send(.POST, "/v1/agent/reports", body: try JSONEncoder().encode(report))
                baseline = baseline.after(snapshot)
                if json {
                    print(reply.text)
                } else {
                    print(Self.summary(try reply.decode(AgentReportReceipt.self)))
                }
            } catch {
                if once { throw error }
                FileHandle.standardError.write(Data("reservoir agent: \(error)\n".utf8))
            }
            if once { return }
            try await Task.sleep(nanoseconds: UInt64(interval.seconds * 1_000_000_000))
        }
    }

    /// One look at the node: the capture, or nvidia-smi's CSV query (required) and `-L`, `-q`, `topo -m`
    /// (each optional: a container may lack the topology, a driver may refuse `-q`); then what the DCGM
    /// exporter adds, when there is one.
    func look() async throws -> NodeSnapshot {
        let snapshot: NodeSnapshot
        if let capture {
            snapshot = try NodeProbe.snapshot(capture: try String(contentsOfFile: capture, encoding: .utf8))
        } else {
            snapshot = try NodeProbe.snapshot(
                query: try Self.run(nvidiaSMI, NodeProbe.query), list: try? Self.run(nvidiaSMI, NodeProbe.list),
                details: try? Self.run(nvidiaSMI, NodeProbe.details), topology: try? Self.run(nvidiaSMI, NodeProbe.topology))
        }
        guard let dcgm else { return snapshot }
        let page = try DCGMMetrics.parse(try await APIClient(server: dcgm, token: "").get("").text)
        return snapshot.filled(from: DCGMMetrics.readings(page))
    }

    /// `receipt: node a100-0: 4 devices, 4 samples; a100-0/gpu3 failed (missing: …); requeued job-000012`.
    static func summary(_ receipt: AgentReportReceipt) -> String {
        var parts = ["node \(receipt.node): \(receipt.devices) devices, \(receipt.samples) samples"]
        parts += receipt.events.map { "\($0.device) \($0.to.rawValue) (\($0.cause.rawValue): \($0.detail))" }
        if !receipt.requeued.isEmpty { parts.append("requeued \(receipt.requeued.map(\.rawValue).joined(separator: ", "))") }
        if !receipt.failed.isEmpty { parts.append("failed \(receipt.failed.map(\.rawValue).joined(separator: ", "))") }
        if !receipt.awaitingOperator.isEmpty {
            parts.append("healthy again, waiting for an operator: \(receipt.awaitingOperator.map(\.rawValue).joined(separator: ", "))")
        }
        return parts.joined(separator: "; ")
    }

    /// Runs a tool and returns what it printed; a failure names the tool and its exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        if tool.contains("/") {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ToolFailure("cannot run \(tool): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure("\(tool) \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A tool the agent runs that could not be run or failed.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
