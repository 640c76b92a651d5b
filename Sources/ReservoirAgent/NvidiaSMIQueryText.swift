import Foundation
import ReservoirCore

/// `nvidia-smi -q`: the long text report, an indented tree of `Key : Value` lines under one
/// `GPU <bus id>` block per GPU. Read where it says what the CSV query cannot: MIG devices (GPU and
/// compute instance ids, their memory) and the volatile ECC counts by kind.
public enum NvidiaSMIQueryText {
    /// One line of the tree with the lines indented under it.
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: String?
        public var children: [Entry]

        /// The first child's value at `path` (`["FB Memory Usage", "Used"]`).
        public func value(_ path: String...) -> String? { find(path[...])?.value }

        public func child(_ key: String) -> Entry? { children.first { $0.key == key } }
        public func all(_ key: String) -> [Entry] { children.filter { $0.key == key } }

        func find(_ path: ArraySlice<String>) -> Entry? {
            guard let first = path.first else { return self }
            return child(first)?.find(path.dropFirst())
        }
    }

    /// The whole report as a tree (a root without key).
    public static func tree(_ text: String) -> Entry {
        var root = Entry(key: "", value: nil, children: [])
        // The path of open entries: (indent, index path into the tree).
        var stack: [(indent: Int, path: [Int])] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw)
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty || content.hasPrefix("=====") { continue }
            let indent = line.prefix { $0 == " " }.count
            let entry: Entry
            if let separator = content.range(of: " : ") ?? (content.hasSuffix(" :") ? content.range(of: " :", options: .backwards) : nil) {
                entry = Entry(
                    key: content[..<separator.lowerBound].trimmingCharacters(in: .whitespaces),
                    value: content[separator.upperBound...].trimmingCharacters(in: .whitespaces), children: [])
            } else {
                entry = Entry(key: content, value: nil, children: [])
            }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let parent = stack.last?.path ?? []
            let index = append(entry, at: parent, in: &root)
            stack.append((indent, parent + [index]))
        }
        return root
    }

    /// The GPUs of the report, in order (their position is their index).
    public static func parse(_ text: String) throws(ParseError) -> [GPUReading] {
        let gpus = tree(text).children.filter { $0.key.hasPrefix("GPU ") && $0.value == nil }
        guard !gpus.isEmpty else { throw ParseError("nvidia-smi -q", "no GPU block") }
        return gpus.enumerated().map { index, gpu in
            let ecc = ["DRAM Uncorrectable", "SRAM Uncorrectable", "SRAM Uncorrectable Parity", "SRAM Uncorrectable SEC-DED"]
                .compactMap { Values.integer(gpu.value("ECC Errors", "Volatile", $0)) }
            let mig = gpu.all("MIG Device").map { device in
                MIGInstance(
                    gpuInstance: Values.integer(device.value("GPU Instance ID")), computeInstance: Values.integer(device.value("Compute Instance ID")),
                    memoryMiB: Values.integer(device.value("Shared FB Memory Usage", "Total") ?? device.value("FB Memory Usage", "Total")),
                    memoryUsedMiB: Values.integer(device.value("Shared FB Memory Usage", "Used") ?? device.value("FB Memory Usage", "Used")))
            }
            let power = gpu.value("GPU Power Readings", "Power Draw") ?? gpu.value("GPU Power Readings", "Instantaneous Power Draw")
                ?? gpu.value("GPU Power Readings", "Average Power Draw") ?? gpu.value("Power Readings", "Power Draw")
            return GPUReading(
                index: index,
                uuid: Values.text(gpu.value("GPU UUID")), name: Values.text(gpu.value("Product Name")),
                memoryTotalMiB: Values.integer(gpu.value("FB Memory Usage", "Total")), memoryUsedMiB: Values.integer(gpu.value("FB Memory Usage", "Used")),
                gpuUtilPercent: Values.number(gpu.value("Utilization", "GPU")), powerWatts: Values.number(power),
                temperatureCelsius: Values.number(gpu.value("Temperature", "GPU Current Temp")), migEnabled: Values.flag(gpu.value("MIG Mode", "Current")),
                migInstances: mig, eccUncorrected: ecc.isEmpty ? nil : ecc.reduce(0, +))
        }
    }

    private static func append(_ entry: Entry, at path: [Int], in node: inout Entry) -> Int {
        guard let first = path.first else {
            node.children.append(entry)
            return node.children.count - 1
        }
        return append(entry, at: Array(path.dropFirst()), in: &node.children[first])
    }
}
