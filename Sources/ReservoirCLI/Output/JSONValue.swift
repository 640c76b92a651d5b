import Foundation

/// Any JSON value, decoded without losing the difference between `true` and `1`.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            guard case .object(let o) = current else { return nil }
            current = o[String(key)]
        }
        return current
    }

    var rendered: String {
        switch self {
        case .null: "-"
        case .bool(let b): b ? "yes" : "no"
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(format: "%.2f", d)
        case .string(let s): s
        case .array(let a): a.map(\.rendered).joined(separator: ",")
        case .object(let o): o.keys.sorted().map { "\($0)=\(o[$0]!.rendered)" }.joined(separator: ",")
        }
    }
}
