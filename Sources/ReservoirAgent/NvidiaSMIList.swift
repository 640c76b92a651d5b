import Foundation
import ReservoirCore

/// `nvidia-smi -L`: one line per GPU, one indented line per MIG device under it.
///
///     GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000000)
///       MIG 3g.40gb     Device  0: (UUID: MIG-00000000-0000-0000-0000-000000000000)
public enum NvidiaSMIList {
    public static func parse(_ text: String) throws(ParseError) -> [GPUReading] {
        var gpus: [GPUReading] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("GPU ") {
                guard let colon = line.firstIndex(of: ":"), let index = Int(line[line.index(line.startIndex, offsetBy: 4)..<colon]) else {
                    throw ParseError("nvidia-smi -L", "cannot read a GPU index in '\(line)'")
                }
                let rest = line[line.index(after: colon)...]
                let (name, uuid) = splitUUID(String(rest))
                gpus.append(GPUReading(index: index, uuid: uuid, name: name))
            } else if line.hasPrefix("MIG ") {
                guard !gpus.isEmpty else { throw ParseError("nvidia-smi -L", "a MIG device before any GPU: '\(line)'") }
                let profile = line.dropFirst(4).split(separator: " ").first.map(String.init)
                let (_, uuid) = splitUUID(line)
                gpus[gpus.count - 1].migInstances.append(MIGInstance(profile: profile, uuid: uuid))
                // A GPU that lists MIG devices is in MIG mode.
                gpus[gpus.count - 1].migEnabled = true
            } else {
                throw ParseError("nvidia-smi -L", "unexpected line '\(line)'")
            }
        }
        return gpus
    }

    /// `NAME (UUID: X)` → (NAME, X).
    private static func splitUUID(_ text: String) -> (String, String?) {
        guard let open = text.range(of: "(UUID: ", options: .backwards) else { return (text.trimmingCharacters(in: .whitespaces), nil) }
        let name = text[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
        let uuid = text[open.upperBound...].prefix { $0 != ")" }
        return (name, uuid.isEmpty ? nil : String(uuid))
    }
}
