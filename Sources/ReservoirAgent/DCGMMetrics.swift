import Foundation
import ReservoirCore

/// A DCGM exporter's `/metrics` page (Prometheus text format). Each sample names its GPU by labels
/// (`gpu`, `UUID`, `device`, `modelName`, `Hostname` or `hostname`, and for MIG `GPU_I_PROFILE`,
/// `GPU_I_ID`). Samples without a GPU label cannot be attributed and are skipped, and so is
/// everything after a `# NOTE … dummy values` comment (exporter test fixtures mark made-up values so).
public enum DCGMMetrics {
    /// The readings of one GPU (or MIG instance) on one host.
    public struct Device: Hashable, Sendable {
        public var gpu: Int
        public var uuid: String?
        public var modelName: String?
        public var hostname: String?
        public var migProfile: String?
        public var migInstance: Int?
        /// Metric name → value.
        public var values: [String: Double]
    }

    public struct Page: Hashable, Sendable {
        public var devices: [Device]
        /// Samples left out: no GPU label, or in the dummy-value block.
        public var skipped: Int
    }

    public static func parse(_ text: String) throws(ParseError) -> Page {
        var devices: [Device] = []
        var skipped = 0
        var dummy = false
        for (number, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if line.hasPrefix("# NOTE"), line.lowercased().contains("dummy value") { dummy = true }
                continue
            }
            let (name, labels, value) = try sample(line, line: number + 1)
            guard !dummy, let gpu = labels["gpu"].flatMap({ Int($0) }) else {
                skipped += 1
                continue
            }
            let key = Device(
                gpu: gpu, uuid: labels["UUID"], modelName: labels["modelName"], hostname: labels["Hostname"] ?? labels["hostname"],
                migProfile: labels["GPU_I_PROFILE"], migInstance: labels["GPU_I_ID"].flatMap { Int($0) }, values: [:])
            if let i = devices.firstIndex(where: { $0.gpu == key.gpu && $0.uuid == key.uuid && $0.hostname == key.hostname && $0.migInstance == key.migInstance }) {
                devices[i].values[name] = value
            } else {
                var device = key
                device.values[name] = value
                devices.append(device)
            }
        }
        return Page(devices: devices, skipped: skipped)
    }

    /// Whole-GPU readings of one host's page (MIG instances are folded into their GPU's memory).
    public static func readings(_ page: Page, hostname: String? = nil) -> [GPUReading] {
        let mine = page.devices.filter { hostname == nil || $0.hostname == hostname }
        let gpus = Dictionary(grouping: mine, by: \.gpu)
        return gpus.keys.sorted().map { gpu in
            let parts = gpus[gpu] ?? []
            let whole = parts.first { $0.migInstance == nil } ?? parts[0]
            let v = whole.values
            let used = v["DCGM_FI_DEV_FB_USED"].map { Int($0) }
            let free = v["DCGM_FI_DEV_FB_FREE"].map { Int($0) }
            let total = v["DCGM_FI_DEV_FB_TOTAL"].map { Int($0) } ?? used.flatMap { u in free.map { u + $0 } }
            let xid = v["DCGM_FI_DEV_XID_ERRORS"].map { Int($0) }
            let ecc = v["DCGM_FI_DEV_ECC_DBE_VOL_TOTAL"].map { Int($0) }
            let mig = parts.filter { $0.migInstance != nil }.map { MIGInstance(profile: $0.migProfile, gpuInstance: $0.migInstance, memoryUsedMiB: $0.values["DCGM_FI_DEV_FB_USED"].map { Int($0) }) }
            return GPUReading(
                index: gpu, uuid: whole.uuid, name: whole.modelName, memoryTotalMiB: total, memoryUsedMiB: used,
                gpuUtilPercent: v["DCGM_FI_DEV_GPU_UTIL"], powerWatts: v["DCGM_FI_DEV_POWER_USAGE"], temperatureCelsius: v["DCGM_FI_DEV_GPU_TEMP"],
                migEnabled: mig.isEmpty ? nil : true, migInstances: mig, eccUncorrected: ecc, lastXid: xid)
        }
    }

    /// `NAME{k="v",…} VALUE [TIMESTAMP]` or `NAME VALUE`.
    static func sample(_ line: String, line number: Int) throws(ParseError) -> (String, [String: String], Double) {
        var labels: [String: String] = [:]
        let name: String
        var rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = String(line[..<brace])
            var i = line.index(after: brace)
            while i < line.endIndex, line[i] != "}" {
                guard let eq = line[i...].firstIndex(of: "="), line.index(after: eq) < line.endIndex, line[line.index(after: eq)] == "\"" else {
                    throw ParseError("dcgm /metrics", "line \(number): a label without a quoted value")
                }
                let key = line[i..<eq].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
                var j = line.index(eq, offsetBy: 2)
                var value = ""
                while j < line.endIndex, line[j] != "\"" {
                    if line[j] == "\\", line.index(after: j) < line.endIndex {
                        j = line.index(after: j)
                        value.append(line[j] == "n" ? "\n" : line[j])
                    } else {
                        value.append(line[j])
                    }
                    j = line.index(after: j)
                }
                guard j < line.endIndex else { throw ParseError("dcgm /metrics", "line \(number): an unterminated label value") }
                labels[key] = value
                i = line.index(after: j)
                while i < line.endIndex, line[i] == "," || line[i] == " " { i = line.index(after: i) }
            }
            guard i < line.endIndex else { throw ParseError("dcgm /metrics", "line \(number): labels without '}'") }
            rest = line[line.index(after: i)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { throw ParseError("dcgm /metrics", "line \(number): no value") }
            name = String(line[..<space])
            rest = line[space...]
        }
        guard let field = rest.split(separator: " ").first, let value = Double(field) else {
            throw ParseError("dcgm /metrics", "line \(number): no number after \(name)")
        }
        return (name, labels, value)
    }
}
