import ReservoirCore

/// Which keys each object of a body holds and which of them the decoded type asked for. A key nobody
/// asked for is a typo or a field that does not exist (`replica: 2`), which `Codable` would drop silently.
///
/// One recorder serves one decode on one thread, hence `@unchecked Sendable` (decoders' `userInfo` wants it).
final class KeyRecorder: @unchecked Sendable {
    struct Object {
        var path: [any CodingKey]
        /// Keys present in the body, in the body's order where the parser keeps it.
        var present: [String]
        /// Keys the type looked up (`contains`, `decode`, `decodeIfPresent`…).
        var asked: Set<String> = []
    }

    private(set) var objects: [Object] = []
    private var index: [String: Int] = [:]

    func opened(_ path: [any CodingKey], present: [String]) {
        let id = DecodingErrors.path(path)
        if index[id] == nil {
            index[id] = objects.count
            objects.append(Object(path: path, present: present))
        }
    }

    func asked(_ key: String, at path: [any CodingKey]) {
        if let i = index[DecodingErrors.path(path)] { objects[i].asked.insert(key) }
    }

    func object(at path: [any CodingKey]) -> Object? { index[DecodingErrors.path(path)].map { objects[$0] } }
}

/// Wraps JSONDecoder's or YAMLDecoder's decoder: values still come from them (same numbers, same
/// errors), but every keyed container reports its keys to a `KeyRecorder`, and nested values are decoded
/// through another wrapper so the whole tree is seen.
struct KeyRecordingDecoder: Decoder {
    let base: any Decoder
    let recorder: KeyRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let container = try base.container(keyedBy: type)
        let present = try base.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        recorder.opened(codingPath, present: present)
        return KeyedDecodingContainer(RecordingKeyedContainer(base: container, recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(base: try base.unkeyedContainer(), recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(decoder: self, base: try base.singleValueContainer())
    }

    /// Decodes a nested value through a wrapper; an enum's invalid value gets the list of valid ones.
    static func value<T: Decodable>(_ type: T.Type, from decoder: any Decoder, recorder: KeyRecorder) throws -> T {
        do {
            return try T(from: KeyRecordingDecoder(base: decoder, recorder: recorder))
        } catch DecodingError.dataCorrupted(let context) {
            guard let valid = EnumValues.valid(for: T.self) else { throw DecodingError.dataCorrupted(context) }
            let given = (try? decoder.singleValueContainer().decode(String.self)).map { "'\($0)' is not valid" } ?? "invalid value"
            throw DecodingError.dataCorrupted(.init(
                codingPath: context.codingPath, debugDescription: "\(given); expected one of: \(valid.joined(separator: ", "))"))
        }
    }
}

/// Any string as a key, to list every key an object holds (the type's own `CodingKeys` hide unknown ones).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The valid raw values of a string enum, for error messages.
enum EnumValues {
    static func valid(for type: Any.Type) -> [String]? {
        guard let e = type as? any (CaseIterable & RawRepresentable).Type else { return nil }
        return values(e)
    }

    private static func values<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> [String] {
        E.allCases.map { "\($0.rawValue)" }
    }
}

struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let recorder: KeyRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    private func ask(_ key: Key) { recorder.asked(key.stringValue, at: codingPath) }

    func contains(_ key: Key) -> Bool {
        ask(key)
        return base.contains(key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        ask(key)
        return try base.decodeNil(forKey: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        ask(key)
        guard base.contains(key) else { return try base.decode(type, forKey: key) }  // throws keyNotFound
        return try KeyRecordingDecoder.value(type, from: try base.superDecoder(forKey: key), recorder: recorder)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        ask(key)
        if base.contains(key), try base.decodeNil(forKey: key) { throw TextRequired.error(at: codingPath + [key]) }
        return try base.decode(type, forKey: key)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { ask(key); return try base.decode(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { ask(key); return try base.decode(type, forKey: key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        ask(key)
        return try KeyRecordingDecoder(base: try base.superDecoder(forKey: key), recorder: recorder).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        ask(key)
        return RecordingUnkeyedContainer(base: try base.nestedUnkeyedContainer(forKey: key), recorder: recorder)
    }

    func superDecoder() throws -> any Decoder { KeyRecordingDecoder(base: try base.superDecoder(), recorder: recorder) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ask(key)
        return KeyRecordingDecoder(base: try base.superDecoder(forKey: key), recorder: recorder)
    }
}

struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let recorder: KeyRecorder

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !base.isAtEnd else { return try base.decode(type) }  // throws valueNotFound
        return try KeyRecordingDecoder.value(type, from: try base.superDecoder(), recorder: recorder)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    mutating func decode(_ type: String.Type) throws -> String {
        if !base.isAtEnd, try base.decodeNil() { throw TextRequired.error(at: codingPath) }
        return try base.decode(type)
    }
    mutating func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try KeyRecordingDecoder(base: try base.superDecoder(), recorder: recorder).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(base: try base.nestedUnkeyedContainer(), recorder: recorder)
    }

    mutating func superDecoder() throws -> any Decoder { KeyRecordingDecoder(base: try base.superDecoder(), recorder: recorder) }
}

struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let decoder: KeyRecordingDecoder
    let base: any SingleValueDecodingContainer

    var codingPath: [any CodingKey] { base.codingPath }

    func decodeNil() -> Bool { base.decodeNil() }

    /// Scalars go to the underlying container; anything else is decoded through the wrapper, whose own
    /// `init(from:)` asks this container for scalars, never for itself again.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try KeyRecordingDecoder.value(type, from: decoder.base, recorder: decoder.recorder)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    func decode(_ type: String.Type) throws -> String {
        if base.decodeNil() { throw TextRequired.error(at: codingPath) }
        return try base.decode(type)
    }
    func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }
}

/// YAML reads `null` (and `~`, or nothing) as the text "null" when text is asked for, so `id: null`
/// would create a tenant called "null". Where text is required, a null is refused as missing, as JSON does.
enum TextRequired {
    static func error(at path: [any CodingKey]) -> DecodingError {
        .valueNotFound(String.self, DecodingError.Context(codingPath: path, debugDescription: "text is required, not null"))
    }
}
