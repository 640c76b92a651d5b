import ArgumentParser
import Foundation
import ReservoirCore
import ReservoirPlacement

/// Reads the openb node and pod lists for the benchmark, with errors that name the file.
enum OpenbInput {
    static func load(nodes: String, pods: String) throws -> OpenbWorkload {
        let nodeRows = try parse(nodes) { try OpenbTrace.parseNodes(csv: $0) }
        let podRows = try parse(pods) { try OpenbTrace.parsePods(csv: $0) }
        let workload = OpenbWorkload(nodes: nodeRows, pods: podRows)
        guard !workload.nodes.isEmpty, workload.totalGPUMilli > 0 else {
            throw ValidationError("\(nodes): no node with GPUs")
        }
        guard !workload.pods.isEmpty else { throw ValidationError("\(pods): no pods") }
        return workload
    }

    private static func parse<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try body(text)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
