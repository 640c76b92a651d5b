import Foundation

/// What an audit entry keeps of a change: the top-level fields that differ, before and after. Copying
/// the whole object on both sides of every change made the log ~8× the size of the objects it records
/// (a job is submitted, admitted, started and finished); a creation still records the whole object.
enum AuditDiff {
    /// The changed fields of two JSON objects, each side as a JSON object; nil when either is not an object.
    ///
    /// Both sides come from one encoder, so a field whose JSON text is the same on both sides is unchanged:
    /// only the fields whose text differs are parsed and compared (parsing and re-serializing every field of
    /// two whole jobs on every transition was a tenth of an openb submission's CPU). Anything the scanner
    /// does not follow (an escaped or repeated key, not an object) takes the full comparison.
    static func changes(before: Data, after: Data) -> (before: String, after: String)? {
        guard let old = TopLevelFields(before), let new = TopLevelFields(after) else { return changesParsingAll(before: before, after: after) }
        var was: [String: Any] = [:]
        var now: [String: Any] = [:]
        for key in Set(old.fields.keys).union(new.fields.keys) where old.fields[key] != new.fields[key] {
            let oldValue = old.value(key), newValue = new.value(key)
            guard canonical(oldValue) != canonical(newValue) else { continue }
            was[key] = oldValue ?? NSNull()  // a field that was unset shows as null, not as missing
            now[key] = newValue ?? NSNull()
        }
        return serialized(was, now)
    }

    /// Every field of both sides parsed and compared: the same answer, at the cost of parsing everything.
    static func changesParsingAll(before: Data, after: Data) -> (before: String, after: String)? {
        guard let old = try? JSONSerialization.jsonObject(with: before) as? [String: Any],
              let new = try? JSONSerialization.jsonObject(with: after) as? [String: Any]
        else { return nil }
        var was: [String: Any] = [:]
        var now: [String: Any] = [:]
        for key in Set(old.keys).union(new.keys) where canonical(old[key]) != canonical(new[key]) {
            was[key] = old[key] ?? NSNull()
            now[key] = new[key] ?? NSNull()
        }
        return serialized(was, now)
    }

    private static func serialized(_ was: [String: Any], _ now: [String: Any]) -> (before: String, after: String)? {
        guard let was = canonical(was), let now = canonical(now) else { return nil }
        return (String(decoding: was, as: UTF8.self), String(decoding: now, as: UTF8.self))
    }

    /// A value's JSON with sorted keys, so equal values compare equal; nil for a missing field.
    private static func canonical(_ value: Any?) -> Data? {
        guard let value else { return nil }
        return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    }
}

/// The top-level fields of a JSON object as the raw text of each value, found by one scan that skips
/// over strings and nested values without parsing them. Nil for what it does not follow: not an object,
/// a key with an escape, a key twice, or malformed text (the caller then parses the whole object).
struct TopLevelFields {
    let fields: [String: ArraySlice<UInt8>]

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        var fields: [String: ArraySlice<UInt8>] = [:]
        var i = Self.skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i = Self.skipSpace(bytes, i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
                let keyStart = i + 1
                guard let keyEnd = bytes[keyStart...].firstIndex(of: UInt8(ascii: "\"")),
                      !bytes[keyStart..<keyEnd].contains(UInt8(ascii: "\\")) else { return nil }
                let key = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
                i = Self.skipSpace(bytes, keyEnd + 1)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                let valueStart = Self.skipSpace(bytes, i + 1)
                guard let valueEnd = Self.skipValue(bytes, valueStart), fields[key] == nil else { return nil }
                fields[key] = bytes[valueStart..<valueEnd]
                i = Self.skipSpace(bytes, valueEnd)
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                guard bytes[i] == UInt8(ascii: ",") else { return nil }
                i = Self.skipSpace(bytes, i + 1)
            }
        }
        guard Self.skipSpace(bytes, i) == bytes.count else { return nil }
        self.fields = fields
    }

    /// A field's value parsed (as `JSONSerialization` parses it within the whole object); nil when absent.
    func value(_ key: String) -> Any? {
        fields[key].flatMap { try? JSONSerialization.jsonObject(with: Data($0), options: .fragmentsAllowed) }
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var i = start
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// The index just after the string opening at `start` (its escapes skipped), or nil if it never closes.
    private static func skipString(_ bytes: [UInt8], _ start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The index just after the value starting at `start`: a string, an object or array (nesting counted,
    /// strings skipped), or a number or literal (up to the next delimiter); nil for none or an unclosed one.
    private static func skipValue(_ bytes: [UInt8], _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    guard let end = skipString(bytes, i) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            while i < bytes.count, !isSpace(bytes[i]), !isDelimiter(bytes[i]) { i += 1 }
            return i > start ? i : nil
        }
    }
}
