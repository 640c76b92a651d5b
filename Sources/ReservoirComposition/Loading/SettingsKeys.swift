/// Every key of the configuration, derived from the type (`ReservoirSettings` and the groups in it), so
/// environment variables, `config show` and the documentation check can never miss one.
public struct SettingsKey: Hashable, Sendable {
    /// `["scheduler", "preemption", "graceSeconds"]`.
    public var path: [String]

    /// `scheduler.preemption.graceSeconds`, as docs/CONFIG.md and error messages write it.
    public var name: String { path.joined(separator: ".") }

    /// `RESERVOIR_SCHEDULER_PREEMPTION_GRACE_SECONDS`: the words of each key, upper-case, joined by `_`.
    public var environmentName: String { "RESERVOIR_" + path.map(Self.words).joined(separator: "_") }

    static func words(_ key: String) -> String {
        var out = ""
        var previous: Character?
        for c in key {
            if c.isUppercase, let p = previous, p.isLowercase || p.isNumber { out.append("_") }
            out.append(contentsOf: c.uppercased())
            previous = c
        }
        return out
    }

    /// The keys of the default settings, in declaration order. Optional keys without a default (the
    /// cluster description's `regions`) are not among them.
    public static let all: [SettingsKey] = {
        let collector = KeyCollector()
        try? ReservoirSettings().encode(to: KeyPathEncoder(path: [], collector: collector))
        return collector.keys
    }()
}

extension SettingsKey {
    /// The top-level sections (`server`, `engines`, `scheduler`, `planning`).
    static let sections: [String] = all.reduce(into: []) { found, key in if !found.contains(key.path[0]) { found.append(key.path[0]) } }
}

final class KeyCollector {
    var keys: [SettingsKey] = []
}

/// An encoder that only notes where values go: into a nested `SettingsGroup` it descends, anything else
/// is one key. Groups encode through keyed containers only.
private struct KeyPathEncoder: Encoder {
    let path: [String]
    let collector: KeyCollector
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keys(path: path, collector: collector))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { preconditionFailure("a SettingsGroup encodes keys, not a list: \(path)") }
    func singleValueContainer() -> any SingleValueEncodingContainer { preconditionFailure("a SettingsGroup encodes keys, not a value: \(path)") }

    private struct Keys<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let path: [String]
        let collector: KeyCollector
        var codingPath: [any CodingKey] { [] }

        private func note(_ key: Key) {
            let k = SettingsKey(path: path + [key.stringValue])
            if !collector.keys.contains(k) { collector.keys.append(k) }
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            guard value is any SettingsGroup else { return note(key) }
            try value.encode(to: KeyPathEncoder(path: path + [key.stringValue], collector: collector))
        }

        mutating func encodeNil(forKey key: Key) { note(key) }
        mutating func encode(_ value: Bool, forKey key: Key) { note(key) }
        mutating func encode(_ value: String, forKey key: Key) { note(key) }
        mutating func encode(_ value: Double, forKey key: Key) { note(key) }
        mutating func encode(_ value: Float, forKey key: Key) { note(key) }
        mutating func encode(_ value: Int, forKey key: Key) { note(key) }
        mutating func encode(_ value: Int8, forKey key: Key) { note(key) }
        mutating func encode(_ value: Int16, forKey key: Key) { note(key) }
        mutating func encode(_ value: Int32, forKey key: Key) { note(key) }
        mutating func encode(_ value: Int64, forKey key: Key) { note(key) }
        mutating func encode(_ value: UInt, forKey key: Key) { note(key) }
        mutating func encode(_ value: UInt8, forKey key: Key) { note(key) }
        mutating func encode(_ value: UInt16, forKey key: Key) { note(key) }
        mutating func encode(_ value: UInt32, forKey key: Key) { note(key) }
        mutating func encode(_ value: UInt64, forKey key: Key) { note(key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keys<NestedKey>(path: path + [key.stringValue], collector: collector))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("settings keys hold no hand-encoded lists: \(path + [key.stringValue])")
        }

        mutating func superEncoder() -> any Encoder { KeyPathEncoder(path: path, collector: collector) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { KeyPathEncoder(path: path + [key.stringValue], collector: collector) }
    }
}
