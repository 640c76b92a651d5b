import ReservoirCore

/// The checks settings use; each returns the error naming the key, or nil when the value is fine.
enum Rule {
    static func within<T: Comparable & Numeric>(_ value: T, _ range: ClosedRange<T>, _ key: String) -> ReservoirError? {
        range.contains(value) ? nil : .invalid(key, "must be \(range.lowerBound)…\(range.upperBound), not \(value)")
    }

    static func notEmpty(_ value: String, _ key: String) -> ReservoirError? {
        value.isEmpty ? .invalid(key, "must not be empty") : nil
    }

    /// A name that goes into another system's identifiers (Slurm QOS, GRES types): ASCII letters, digits, `-_.`.
    static func symbol(_ value: String, _ key: String) -> ReservoirError? {
        let allowed = value.utf8.allSatisfy { $0 < 128 && ($0 >= 48 && $0 <= 57 || $0 | 0x20 >= 97 && $0 | 0x20 <= 122 || $0 == 45 || $0 == 95 || $0 == 46) }
        return !value.isEmpty && value.utf8.count <= 64 && allowed ? nil : .invalid(key, "must be 1–64 ASCII letters, digits, '-', '_' or '.', not '\(value)'")
    }
}
