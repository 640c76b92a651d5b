import ReservoirCore

/// Turns Swift's decoding errors into errors that name the field, e.g. `request.gpus: expected a number`.
public enum DecodingErrors {
    public static func reservoirError(_ error: DecodingError) -> ReservoirError {
        switch error {
        case .typeMismatch(let type, let context):
            return .invalid(field(context.codingPath), "wrong type: expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return .invalid(field(context.codingPath), "missing value: expected \(describe(type))")
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            return .invalid(field(context.codingPath), context.codingPath.isEmpty ? "malformed document: \(context.debugDescription)" : "invalid value: \(context.debugDescription)")
        @unknown default:
            return .invalid("body", "could not be decoded")
        }
    }

    /// The path an error is about (for a missing key, the object that lacks it).
    static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath
        @unknown default:
            []
        }
    }

    /// The field an error is about; the whole body when the path is empty (e.g. an array where an object belongs).
    static func field(_ keys: [any CodingKey]) -> String { keys.isEmpty ? "body" : path(keys) }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
