/// The public Alibaba openb GPU trace (cluster-trace-gpu-v2023), parsed from its CSV text.
///
/// Node list columns: `sn, cpu_milli, memory_mib, gpu, model`.
/// Pod list columns: `name, cpu_milli, memory_mib, num_gpu, gpu_milli` and optionally
/// `gpu_spec, qos, pod_phase, creation_time, deletion_time, scheduled_time`. Columns are found by
/// name, so every public variant (with or without the time columns, any `gpu_spec`) reads.
public enum OpenbTrace {
    public struct NodeRow: Hashable, Sendable {
        public var name: String
        public var cpuMilli: Int
        public var memoryMiB: Int
        public var gpus: Int
        /// Opaque trace code (`G2`, `T4`, `V100M16`…); empty for CPU-only nodes.
        public var model: String
    }

    public struct PodRow: Hashable, Sendable {
        public var name: String
        public var cpuMilli: Int
        public var memoryMiB: Int
        public var numGPU: Int
        /// Milli per GPU; < 1000 only for 1-GPU sharing pods; 0 for CPU-only pods.
        public var gpuMilli: Int
        /// Allowed models from `gpu_spec` (`V100M16|V100M32`); empty means any.
        public var gpuSpec: [String]
        /// `LS`, `BE`, `Burstable`, `Guaranteed`… when the variant has it.
        public var qos: String?
        public var phase: String?
        public var creationTime: Int?
        public var deletionTime: Int?
        public var scheduledTime: Int?

        /// Total milli-GPU of the pod.
        public var totalGPUMilli: Int { numGPU * gpuMilli }
    }

    /// A parse failure naming the line and column.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: String
        public var message: String
        public init(line: Int, column: String, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
        public var description: String { "line \(line): \(column): \(message)" }
    }

    public static func parseNodes(csv text: String) throws(ParseError) -> [NodeRow] {
        let table = CSVTable(text: text)
        for column in ["sn", "cpu_milli", "memory_mib", "gpu"] where !table.has(column) {
            throw ParseError(line: 1, column: column, message: "missing column")
        }
        var nodes: [NodeRow] = []
        nodes.reserveCapacity(table.rows.count)
        for (i, row) in table.rows.enumerated() {
            let line = i + 2
            nodes.append(NodeRow(
                name: try string("sn", row, table, line),
                cpuMilli: try int("cpu_milli", row, table, line),
                memoryMiB: try int("memory_mib", row, table, line),
                gpus: try int("gpu", row, table, line),
                model: table.value("model", in: row) ?? ""
            ))
        }
        return nodes
    }

    public static func parsePods(csv text: String) throws(ParseError) -> [PodRow] {
        let table = CSVTable(text: text)
        for column in ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"] where !table.has(column) {
            throw ParseError(line: 1, column: column, message: "missing column")
        }
        var pods: [PodRow] = []
        pods.reserveCapacity(table.rows.count)
        for (i, row) in table.rows.enumerated() {
            let line = i + 2
            let numGPU = try int("num_gpu", row, table, line)
            var gpuMilli = try int("gpu_milli", row, table, line)
            if numGPU == 0 { gpuMilli = 0 }
            guard numGPU >= 0, gpuMilli >= 0, gpuMilli <= 1000 else {
                throw ParseError(line: line, column: "gpu_milli", message: "out of range")
            }
            pods.append(PodRow(
                name: try string("name", row, table, line),
                cpuMilli: try int("cpu_milli", row, table, line),
                memoryMiB: try int("memory_mib", row, table, line),
                numGPU: numGPU,
                gpuMilli: gpuMilli,
                gpuSpec: table.value("gpu_spec", in: row).map(ResourceRequest.parseModels) ?? [],
                qos: table.value("qos", in: row),
                phase: table.value("pod_phase", in: row),
                creationTime: try optionalInt("creation_time", row, table, line),
                deletionTime: try optionalInt("deletion_time", row, table, line),
                scheduledTime: try optionalInt("scheduled_time", row, table, line)
            ))
        }
        return pods
    }

    private static func string(_ c: String, _ row: [String], _ t: CSVTable, _ line: Int) throws(ParseError) -> String {
        guard let v = t.value(c, in: row) else { throw ParseError(line: line, column: c, message: "empty") }
        return v
    }

    private static func int(_ c: String, _ row: [String], _ t: CSVTable, _ line: Int) throws(ParseError) -> Int {
        guard let v = try optionalInt(c, row, t, line) else { throw ParseError(line: line, column: c, message: "empty") }
        return v
    }

    /// Integers, tolerating a `.0` suffix that some exports write.
    private static func optionalInt(_ c: String, _ row: [String], _ t: CSVTable, _ line: Int) throws(ParseError) -> Int? {
        guard let v = t.value(c, in: row) else { return nil }
        if let n = Int(v) { return n }
        // `Int(exactly:)` after rounding: a value beyond Int's range is refused, not a trap.
        if let d = Double(v), let n = Int(exactly: d.rounded()) { return n }
        throw ParseError(line: line, column: c, message: "not a whole number in range: \(v)")
    }
}
