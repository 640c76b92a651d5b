import Foundation
import ReservoirCore

/// `nvidia-smi topo -m`: the matrix of how each GPU reaches each other GPU (`NV18`, `PIX`, `SYS`…),
/// then CPU and NUMA affinity. The header is underlined with ANSI escapes (`ESC[4m … ESC[0m`), which
/// are stripped; NIC rows and columns are skipped.
public enum NvidiaSMITopology {
    public struct Row: Hashable, Sendable {
        public var gpu: Int
        /// Links to every other GPU, by peer index.
        public var links: [DeviceLink]
        public var cpuAffinity: String?
        public var numaNode: Int?

        public init(gpu: Int, links: [DeviceLink], cpuAffinity: String?, numaNode: Int?) {
            self.gpu = gpu
            self.links = links
            self.cpuAffinity = cpuAffinity
            self.numaNode = numaNode
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> [Row] {
        let lines = stripANSI(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let headerAt = lines.firstIndex(where: { $0.split(separator: "\t").contains { $0.trimmingCharacters(in: .whitespaces) == "GPU0" } }) else {
            throw ParseError("nvidia-smi topo -m", "no header with GPU0")
        }
        let header = lines[headerAt].split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        // Columns are positional: the row label, then the GPU (and NIC) columns, then the affinities.
        let columns = Array(header.drop { $0.isEmpty })
        let gpuColumns = columns.prefix { isDevice($0) }.enumerated().compactMap { position, name in name.hasPrefix("GPU") ? (position, Int(name.dropFirst(3))) : nil }
        let deviceColumns = columns.prefix { isDevice($0) }.count
        var rows: [Row] = []
        for line in lines[(headerAt + 1)...] {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let label = cells.first, !label.isEmpty else { break }
            guard label.hasPrefix("GPU"), let gpu = Int(label.dropFirst(3)) else { continue }
            let values = Array(cells.dropFirst())
            guard values.count >= deviceColumns else { throw ParseError("nvidia-smi topo -m", "row \(label) has \(values.count) cells, expected \(deviceColumns)+") }
            var links: [DeviceLink] = []
            for (position, peer) in gpuColumns {
                guard let peer, peer != gpu else { continue }
                links.append(DeviceLink(peer: peer, kind: values[position]))
            }
            let rest = values.dropFirst(deviceColumns).filter { !$0.isEmpty }
            let cpu = rest.first.flatMap { Values.text($0) }
            let numa = rest.dropFirst().first.flatMap { Int($0) }
            rows.append(Row(gpu: gpu, links: links, cpuAffinity: cpu, numaNode: numa))
        }
        return rows
    }

    /// Removes ANSI CSI escapes (`ESC [ params letter`).
    static func stripANSI(_ text: String) -> String {
        var out = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else { out.unicodeScalars.append(scalar); continue }
            guard iterator.next() == "[" else { continue }
            while let s = iterator.next(), !(("@"..."~") ~= s) {}
        }
        return out
    }

    private static func isDevice(_ column: String) -> Bool {
        (column.hasPrefix("GPU") && Int(column.dropFirst(3)) != nil) || (column.hasPrefix("NIC") && Int(column.dropFirst(3)) != nil)
    }
}
