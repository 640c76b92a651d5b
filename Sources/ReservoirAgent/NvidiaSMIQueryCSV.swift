import Foundation
import ReservoirCore

/// `nvidia-smi --query-gpu=FIELDS --format=csv[,noheader][,nounits]`: one row per GPU. With a header
/// the field names carry their units (`memory.used [MiB]`), which are dropped; without one the caller
/// passes the fields it asked for. Values keep or lose their units; both read the same.
public enum NvidiaSMIQueryCSV {
    /// The fields the agent asks for when it runs nvidia-smi itself.
    public static let agentFields = [
        "index", "uuid", "name", "memory.total", "memory.used", "utilization.gpu", "temperature.gpu", "power.draw",
        "mig.mode.current", "ecc.errors.uncorrected.volatile.total",
    ]

    /// The rows, each field name → raw value (trimmed).
    public static func rows(_ text: String, fields: [String]? = nil) throws(ParseError) -> [[String: String]] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let names: [String]
        if let fields {
            names = fields
        } else {
            guard !lines.isEmpty else { return [] }
            names = cells(lines.removeFirst()).map { name in
                name.range(of: " [").map { String(name[..<$0.lowerBound]) } ?? name
            }
        }
        return try lines.enumerated().map { number, line throws(ParseError) in
            let values = cells(line)
            guard values.count == names.count else {
                throw ParseError("nvidia-smi --query-gpu", "row \(number + 1) has \(values.count) values for \(names.count) fields")
            }
            return Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first })
        }
    }

    /// The GPUs the rows describe; a row without an index is refused.
    public static func parse(_ text: String, fields: [String]? = nil) throws(ParseError) -> [GPUReading] {
        try rows(text, fields: fields).map { row throws(ParseError) in
            guard let index = Values.integer(row["index"]) else { throw ParseError("nvidia-smi --query-gpu", "a row without an index") }
            return GPUReading(
                index: index, uuid: Values.text(row["uuid"]), name: Values.text(row["name"]),
                memoryTotalMiB: Values.integer(row["memory.total"]), memoryUsedMiB: Values.integer(row["memory.used"]),
                gpuUtilPercent: Values.number(row["utilization.gpu"]), powerWatts: Values.number(row["power.draw"]),
                temperatureCelsius: Values.number(row["temperature.gpu"]), migEnabled: Values.flag(row["mig.mode.current"]),
                eccUncorrected: Values.integer(row["ecc.errors.uncorrected.volatile.total"]))
        }
    }

    private static func cells(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
