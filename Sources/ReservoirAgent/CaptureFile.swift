import Foundation

/// One section of a capture file: a banner of `#` rules around a title and the command's line
/// (`# $ nvidia-smi -L`), then what the command printed.
public struct CaptureSection: Hashable, Sendable {
    /// `load :: query (-q)`.
    public var title: String
    /// `nvidia-smi -L`; nil for sections that are not a command's output (the metadata header).
    public var command: String?
    public var body: String
}

/// The capture format of utkuozdemir/nvidia_gpu_exporter (`internal/captures`): one machine's
/// nvidia-smi outputs, each in a `####`-delimited section, for the idle and then the loaded state.
/// `reservoir agent --capture FILE` replays one as if nvidia-smi had printed it.
public enum CaptureFile {
    public static func sections(_ text: String) -> [CaptureSection] {
        var sections: [CaptureSection] = []
        var inBanner = false
        var title = "", command: String?, body: [Substring] = []
        var started = false
        func close() {
            if started { sections.append(CaptureSection(title: title, command: command, body: body.joined(separator: "\n"))) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if isRule(line) {
                if inBanner {
                    inBanner = false
                } else {
                    close()
                    (started, inBanner, title, command, body) = (true, true, "", nil, [])
                }
            } else if inBanner {
                if line.hasPrefix("# $ ") {
                    command = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("# "), title.isEmpty {
                    title = String(line.dropFirst(2))
                }
            } else if started {
                body.append(line)
            }
        }
        close()
        return sections
    }

    /// The outputs of `command` (exactly as the banner writes it, `nvidia-smi -L`), in file order.
    public static func outputs(of command: String, in sections: [CaptureSection]) -> [String] {
        sections.filter { $0.command == command }.map(\.body)
    }

    /// The output of the first command starting with `prefix` in the section whose title starts with `state`
    /// (`idle`, `load`), or in any section when `state` is nil; the last such one when several match.
    public static func output(commandPrefix prefix: String, state: String? = nil, in sections: [CaptureSection]) -> String? {
        sections.last { section in
            (section.command?.hasPrefix(prefix) ?? false) && (state.map { section.title.hasPrefix("\($0) ::") } ?? true)
        }?.body
    }

    private static func isRule(_ line: Substring) -> Bool { line.count >= 20 && line.allSatisfy { $0 == "#" } }
}
