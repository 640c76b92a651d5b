import Foundation

/// The renderings of a report: JSON (the `MonthlyReport` record), Markdown (tables) and one self-contained
/// HTML page (inline CSS and SVG charts, no external URL, no script).
public enum ReportFormat: String, Codable, Hashable, Sendable, CaseIterable {
    case json, markdown, html

    public var mediaType: String {
        switch self {
        case .json: "application/json"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }

    /// The format an `Accept` header asks for (the first it names that is one of these); nil: none.
    public init?(accept: String) {
        for part in accept.split(separator: ",") {
            let type = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch type {
            case "application/json": self = .json
            case "text/markdown": self = .markdown
            case "text/html": self = .html
            default: continue
            }
            return
        }
        return nil
    }
}
