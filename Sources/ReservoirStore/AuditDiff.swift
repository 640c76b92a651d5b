import Foundation

/// What an audit entry keeps of a change: the top-level fields that differ, before and after. Copying
/// the whole object on both sides of every change made the log ~8× the size of the objects it records
/// (a job is submitted, admitted, started and finished); a creation still records the whole object.
enum AuditDiff {
    /// The changed fields of two JSON objects, each side as a JSON object; nil when either is not an object.
    static func changes(before: Data, after: Data) -> (before: String, after: String)? {
        guard let old = try? JSONSerialization.jsonObject(with: before) as? [String: Any],
              let new = try? JSONSerialization.jsonObject(with: after) as? [String: Any]
        else { return nil }
        var was: [String: Any] = [:]
        var now: [String: Any] = [:]
        for key in Set(old.keys).union(new.keys) where canonical(old[key]) != canonical(new[key]) {
            was[key] = old[key] ?? NSNull()  // a field that was unset shows as null, not as missing
            now[key] = new[key] ?? NSNull()
        }
        guard let was = canonical(was), let now = canonical(now) else { return nil }
        return (String(decoding: was, as: UTF8.self), String(decoding: now, as: UTF8.self))
    }

    /// A value's JSON with sorted keys, so equal values compare equal; nil for a missing field.
    private static func canonical(_ value: Any?) -> Data? {
        guard let value else { return nil }
        return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    }
}
