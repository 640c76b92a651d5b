import Foundation

/// Any JSON value, decoded without losing the difference between `true` and `1`, `null` and absent:
/// what a schema check needs (JSONSerialization's `Any` blurs both).
public enum JSON: Equatable, Sendable, Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    /// Parses JSON text (any top-level value).
    public init(data: Data) throws { self = try JSONDecoder().decode(JSON.self, from: data) }

    public subscript(key: String) -> JSON? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSON]? { if case .array(let a) = self { a } else { nil } }
    public var object: [String: JSON]? { if case .object(let o) = self { o } else { nil } }
}
