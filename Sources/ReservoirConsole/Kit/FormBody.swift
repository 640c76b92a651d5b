import Foundation
import Hummingbird
import ReservoirCore

/// A decoded `application/x-www-form-urlencoded` body, strictly: only the fields the route declared
/// (plus `csrf`), each at most once, the whole body at most `maximumBytes`. Anything else is a 4xx naming
/// the field, so a crafted form cannot smuggle a field a page does not show.
public struct FormBody: Sendable {
    public static let maximumBytes = 64 << 10
    public static let empty = FormBody(values: [:])

    let values: [String: String]

    /// The field's value, nil when absent; empty text counts as absent (a blank optional field).
    public func value(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// The field's value, or an `invalid_argument` naming it.
    public func required(_ name: String) throws -> String {
        guard let value = value(name) else { throw ReservoirError.invalid(name, "is required") }
        return value
    }

    /// An integer field, or an `invalid_argument` naming it; nil when blank.
    public func int(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else { throw ReservoirError.invalid(name, "must be a whole number, not \"\(text)\"") }
        return number
    }

    /// A decimal field, or an `invalid_argument` naming it; nil when blank.
    public func double(_ name: String) throws -> Double? {
        guard let text = value(name) else { return nil }
        guard let number = Double(text), number.isFinite else { throw ReservoirError.invalid(name, "must be a number, not \"\(text)\"") }
        return number
    }

    /// Every field as sent (for re-rendering a form with what the user typed).
    public var all: [String: String] { values }

    /// Decodes `request`'s body, allowing `fields` and `csrf`.
    static func decode(_ request: Request, fields: Set<String>) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw ReservoirError.invalid("Content-Type", "a form must be sent as application/x-www-form-urlencoded")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw ReservoirError.invalid("body", "a form may be at most \(maximumBytes / 1024) KiB")
        }
        return try parse(String(buffer: buffer), fields: fields.union(["csrf"]))
    }

    /// Parses `name=value&…` (percent-encoding, `+` for space), refusing unknown and repeated fields.
    static func parse(_ text: String, fields: Set<String>) throws -> FormBody {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]), !name.isEmpty else { throw ReservoirError.invalid("body", "a form field has no name") }
            guard fields.contains(name) else { throw ReservoirError.invalid(name, "is not a field of this form") }
            guard values[name] == nil else { throw ReservoirError.invalid(name, "was sent more than once") }
            guard let value = parts.count > 1 ? decodeComponent(parts[1]) : "" else { throw ReservoirError.invalid(name, "is not valid percent-encoding") }
            values[name] = value
        }
        return FormBody(values: values)
    }

    private static func decodeComponent(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
