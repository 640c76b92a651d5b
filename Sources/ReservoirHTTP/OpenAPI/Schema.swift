import Foundation

/// A JSON Schema in the OpenAPI 3.0 dialect, as a value: the route table says what each body looks
/// like with these, and `OpenAPIDocument` writes them out. Objects forbid undocumented properties
/// unless they say otherwise, so the conformance test catches a field that slipped into a response
/// without being described (and strict body decoding refuses one in a request anyway).
///
/// Sizes: our limits count UTF-8 bytes (`InputLimits`), JSON Schema's `maxLength` counts characters;
/// a byte limit is written as `maxLength` because no text within it can have more characters.
struct Schema: Sendable {
    /// The schema's keywords as they appear in the document.
    private(set) var keywords: [String: JSONFragment]

    private init(_ keywords: [String: JSONFragment]) { self.keywords = keywords }

    // MARK: Kinds

    /// A `$ref` to a component schema.
    static func ref(_ name: String) -> Schema { Schema(["$ref": .string("#/components/schemas/\(name)")]) }

    static func string(maxBytes: Int? = nil, minLength: Int? = nil, pattern: String? = nil, format: String? = nil) -> Schema {
        var k: [String: JSONFragment] = ["type": .string("string")]
        if let maxBytes { k["maxLength"] = .int(maxBytes) }
        if let minLength { k["minLength"] = .int(minLength) }
        if let pattern { k["pattern"] = .string(pattern) }
        if let format { k["format"] = .string(format) }
        return Schema(k)
    }

    /// One of the raw values of a string enum, taken from its `allCases` so the document never lists a stale set.
    static func cases<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> Schema where E.RawValue == String {
        cases(type.allCases.map(\.rawValue))
    }

    /// One of the given strings (for enums without `CaseIterable`, or values that are not a Swift enum).
    static func cases(_ values: [String]) -> Schema {
        Schema(["type": .string("string"), "enum": .array(values.map { .string($0) })])
    }

    static func integer(_ range: ClosedRange<Int>? = nil) -> Schema {
        var k: [String: JSONFragment] = ["type": .string("integer")]
        if let range {
            k["minimum"] = .int(range.lowerBound)
            k["maximum"] = .int(range.upperBound)
        }
        return Schema(k)
    }

    static func integer(minimum: Int) -> Schema { Schema(["type": .string("integer"), "minimum": .int(minimum)]) }

    static func number(_ range: ClosedRange<Double>? = nil) -> Schema {
        var k: [String: JSONFragment] = ["type": .string("number")]
        if let range {
            k["minimum"] = .number(range.lowerBound)
            k["maximum"] = .number(range.upperBound)
        }
        return Schema(k)
    }

    static func number(minimum: Double) -> Schema { Schema(["type": .string("number"), "minimum": .number(minimum)]) }

    static let boolean = Schema(["type": .string("boolean")])

    static func array(_ items: Schema, maxItems: Int? = nil, minItems: Int? = nil, unique: Bool = false) -> Schema {
        var k: [String: JSONFragment] = ["type": .string("array"), "items": items.fragment]
        if let maxItems { k["maxItems"] = .int(maxItems) }
        if let minItems { k["minItems"] = .int(minItems) }
        if unique { k["uniqueItems"] = .bool(true) }
        return Schema(k)
    }

    /// An object of fixed shape: `required` properties always present, `optional` ones present
    /// when they have a value (Swift's encoders leave out nil), nothing else.
    static func object(required: [String: Schema], optional: [String: Schema] = [:], minProperties: Int? = nil, open: Bool = false) -> Schema {
        var k: [String: JSONFragment] = [
            "type": .string("object"),
            "properties": .object(required.merging(optional) { a, _ in a }.mapValues(\.fragment)),
        ]
        if !required.isEmpty { k["required"] = .array(required.keys.sorted().map { .string($0) }) }
        if !open { k["additionalProperties"] = .bool(false) }
        if let minProperties { k["minProperties"] = .int(minProperties) }
        return Schema(k)
    }

    /// A request body's object: like `object`, but its optional properties may also be `null`, which
    /// strict decoding reads as absent.
    static func input(required: [String: Schema], optional: [String: Schema] = [:], minProperties: Int? = nil) -> Schema {
        object(required: required, optional: optional.mapValues(\.nullable), minProperties: minProperties)
    }

    /// A map from keys to values of one schema (labels, counts by model).
    static func map(_ values: Schema, maxEntries: Int? = nil) -> Schema {
        var k: [String: JSONFragment] = ["type": .string("object"), "additionalProperties": values.fragment]
        if let maxEntries { k["maxProperties"] = .int(maxEntries) }
        return Schema(k)
    }

    /// Any of the given schemas (e.g. a model list written as `A|B` or as a list).
    static func anyOf(_ schemas: [Schema]) -> Schema { Schema(["anyOf": .array(schemas.map(\.fragment))]) }

    // MARK: Modifiers

    /// The same schema with a description for people.
    func described(_ text: String) -> Schema {
        // OpenAPI 3.0 ignores siblings of `$ref`; wrap it so the description counts.
        if keywords["$ref"] != nil { return Schema(["allOf": .array([fragment]), "description": .string(text)]) }
        var copy = self
        copy.keywords["description"] = .string(text)
        return copy
    }

    /// The same schema, and at least one of `alternatives` too (a rule across fields).
    func requiring(anyOf alternatives: [Schema]) -> Schema {
        Schema(["allOf": .array([fragment, Schema.anyOf(alternatives).fragment])])
    }

    /// The same number schema with its minimum excluded (OpenAPI 3.0's boolean form).
    var exclusiveMinimum: Schema {
        var copy = self
        copy.keywords["exclusiveMinimum"] = .bool(true)
        return copy
    }

    /// The same schema, also allowing `null`.
    var nullable: Schema {
        if keywords["$ref"] != nil { return Schema(["allOf": .array([fragment]), "nullable": .bool(true)]) }
        var copy = self
        copy.keywords["nullable"] = .bool(true)
        return copy
    }

    var fragment: JSONFragment { .object(keywords) }
}

/// JSON as the document is built from it, convertible to what `JSONSerialization` writes.
indirect enum JSONFragment: Sendable, Equatable {
    case string(String), int(Int), number(Double), bool(Bool), array([JSONFragment]), object([String: JSONFragment])

    /// Whole numbers are written as integers (`4102444800`, not `4102444800.0`).
    var foundation: Any {
        switch self {
        case .string(let s): s
        case .int(let i): i
        case .number(let d): d == d.rounded() && abs(d) < 9e15 ? Int(d) as Any : d as Any
        case .bool(let b): b
        case .array(let a): a.map(\.foundation)
        case .object(let o): o.mapValues(\.foundation)
        }
    }
}
