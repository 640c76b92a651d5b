import Foundation

/// One way a JSON value fails its schema: where (a JSON path such as `$.jobs[3].state`) and why.
public struct SchemaViolation: Sendable, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// Validates JSON values against the schemas of an OpenAPI 3.0 document (the JSON Schema subset it
/// uses): `$ref` into the document, `allOf`/`anyOf`/`oneOf`, `nullable`, `type`, `enum`, `format`
/// (`date-time`, `uuid`), `pattern`, string lengths (in Unicode scalars), number bounds (3.0's boolean
/// `exclusiveMinimum`/`exclusiveMaximum`), array items and sizes, object `properties`, `required`,
/// `additionalProperties` and sizes. A keyword it does not know is itself a violation, so a schema
/// can never pass because the checker skipped part of it.
public struct JSONSchemaValidator: Sendable {
    public let document: JSON

    public init(document: JSON) { self.document = document }

    /// Keywords that only describe.
    static let annotations: Set<String> = ["description", "title", "example", "readOnly", "writeOnly", "deprecated"]

    /// The schema a local reference (`#/components/schemas/Job`) points at.
    public func resolve(_ reference: String) -> JSON? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSON? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    /// The schema named in `components/schemas`.
    public func component(_ name: String) -> JSON? { resolve("#/components/schemas/\(name)") }

    /// Every violation of `schema` by `value`; empty when it conforms.
    public func validate(_ value: JSON, against schema: JSON, at path: String = "$") -> [SchemaViolation] {
        guard case .object(let s) = schema else { return [SchemaViolation(path: path, message: "the schema is not an object")] }
        var out: [SchemaViolation] = []
        func fail(_ message: String, at p: String = path) { out.append(SchemaViolation(path: p, message: message)) }

        if let ref = s["$ref"]?.string {
            guard let target = resolve(ref) else { return [SchemaViolation(path: path, message: "unresolved $ref \(ref)")] }
            return validate(value, against: target, at: path)
        }
        if value == .null {
            if s["nullable"]?.bool == true { return [] }
            if s["type"] != nil || s["$ref"] != nil { return [SchemaViolation(path: path, message: "is null, which the schema does not allow")] }
        }
        for (keyword, argument) in s {
            switch keyword {
            case "allOf":
                for sub in argument.array ?? [] { out += validate(value, against: sub, at: path) }
            case "anyOf", "oneOf":
                let matches = (argument.array ?? []).filter { validate(value, against: $0, at: path).isEmpty }.count
                if matches == 0 || (keyword == "oneOf" && matches > 1) { fail("matches \(matches) of the \(keyword) alternatives") }
            case "type":
                if let type = argument.string, !Self.matches(value, type: type) { fail("is \(Self.kind(of: value)), not \(type)") }
            case "enum":
                if !(argument.array ?? []).contains(value) { fail("\(Self.short(value)) is not one of \(Self.short(argument))") }
            case "format":
                if case .string(let text) = value, let format = argument.string, !Self.conforms(text, format: format) { fail("\(Self.short(value)) is not a \(format)") }
            case "pattern":
                if case .string(let text) = value, let pattern = argument.string, !Self.matches(text, pattern: pattern) {
                    fail("\(Self.short(value)) does not match \(pattern)")
                }
            case "minLength", "maxLength":
                if case .string(let text) = value, let bound = argument.number {
                    let n = Double(text.unicodeScalars.count)
                    if keyword == "minLength" ? n < bound : n > bound { fail("has \(Int(n)) characters; \(keyword) is \(Int(bound))") }
                }
            case "minimum", "maximum":
                if case .number(let n) = value, let bound = argument.number {
                    let exclusive = s[keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"]?.bool == true
                    let ok = keyword == "minimum" ? (exclusive ? n > bound : n >= bound) : (exclusive ? n < bound : n <= bound)
                    if !ok { fail("\(Self.short(value)) is out of range (\(keyword) \(Self.short(argument))\(exclusive ? ", exclusive" : ""))") }
                }
            case "items":
                if case .array(let items) = value {
                    for (i, item) in items.enumerated() { out += validate(item, against: argument, at: "\(path)[\(i)]") }
                }
            case "minItems", "maxItems":
                if case .array(let items) = value, let bound = argument.number {
                    if keyword == "minItems" ? Double(items.count) < bound : Double(items.count) > bound { fail("has \(items.count) items; \(keyword) is \(Int(bound))") }
                }
            case "uniqueItems":
                if case .array(let items) = value, argument.bool == true,
                   items.enumerated().contains(where: { i, item in items[..<i].contains(item) }) { fail("has repeated items") }
            case "properties":
                if case .object(let object) = value, case .object(let properties) = argument {
                    for (name, sub) in properties { if let v = object[name] { out += validate(v, against: sub, at: Self.path(path, name)) } }
                }
            case "required":
                if case .object(let object) = value {
                    for name in (argument.array ?? []).compactMap(\.string) where object[name] == nil { fail("lacks the required property \(name)") }
                }
            case "additionalProperties":
                if case .object(let object) = value {
                    let declared = Set(s["properties"]?.object?.keys.map { $0 } ?? [])
                    for (name, v) in object where !declared.contains(name) {
                        switch argument {
                        case .bool(false): fail("has the undocumented property \(name)")
                        case .object: out += validate(v, against: argument, at: Self.path(path, name))
                        default: break
                        }
                    }
                }
            case "minProperties", "maxProperties":
                if case .object(let object) = value, let bound = argument.number {
                    if keyword == "minProperties" ? Double(object.count) < bound : Double(object.count) > bound {
                        fail("has \(object.count) properties; \(keyword) is \(Int(bound))")
                    }
                }
            case "nullable", "exclusiveMinimum", "exclusiveMaximum":
                break
            default:
                if !Self.annotations.contains(keyword) { fail("the schema keyword \(keyword) is not supported by this validator") }
            }
        }
        return out
    }

    static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): true
        case ("integer", .number(let n)): n == n.rounded() && n.isFinite
        default: false
        }
    }

    static func kind(of value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func conforms(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time":
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.date(from: text) != nil || ISO8601DateFormatter().date(from: text) != nil
        case "uuid": return UUID(uuidString: text) != nil
        default: return true
        }
    }

    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `$.a.b` for plain keys, `$["odd key"]` otherwise.
    static func path(_ base: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return plain ? "\(base).\(key)" : "\(base)[\(String(reflecting: key))]"
    }

    static func short(_ value: JSON) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: foundation(value), options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    static func foundation(_ value: JSON) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let b): b
        case .number(let n): n
        case .string(let s): s
        case .array(let a): a.map(foundation)
        case .object(let o): o.mapValues(foundation)
        }
    }
}
