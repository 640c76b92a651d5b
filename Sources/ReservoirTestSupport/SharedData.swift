import Foundation
import Testing

/// The shared data (the openb trace, bench series) that some tests read: `$RESERVOIR_SHARED`, else
/// `<package root>/../shared`. Outside CI a test whose data is absent is skipped and says why; under CI
/// (`CI` set) absent data fails the test, so a CI that lost the data cannot pass silently.
public enum SharedData {
    /// The folder: `RESERVOIR_SHARED` when set, else `shared` beside the package.
    public static let directory: URL = {
        if let root = ProcessInfo.processInfo.environment["RESERVOIR_SHARED"] { return URL(fileURLWithPath: root) }
        // This file is <package root>/Sources/ReservoirTestSupport/SharedData.swift.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// The file at `relative` (e.g. `data/openb/openb_pod_list_default.csv`) when it exists.
    public static func file(_ relative: String) -> URL? {
        let url = directory.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The file's text; nil, with the reason printed, when it is absent outside CI; absent under CI: `Missing`.
    public static func text(_ relative: String) throws -> String? {
        guard let url = file(relative) else {
            if isCI { throw Missing(relative: relative) }
            print("skipped: \(missing(relative))")
            return nil
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The trait for a test or suite that needs `relative`: it runs when the file is there, and under
    /// CI always (where the missing file then fails it); otherwise it is skipped with the reason.
    public static func required(_ relative: String) -> ConditionTrait {
        .enabled(if: file(relative) != nil || isCI, Comment(rawValue: missing(relative)))
    }

    static func missing(_ relative: String) -> String {
        "\(directory.appendingPathComponent(relative).path) not found (set RESERVOIR_SHARED or put shared/ beside the package)"
    }

    /// Shared data that CI must have.
    public struct Missing: Error, CustomStringConvertible {
        public var relative: String
        public var description: String { "CI is set but \(SharedData.missing(relative))" }
    }
}
