/// Durations as people type them: one or more number-and-unit groups, `90m`, `1.5h`, `1d12h`.
public enum DurationText {
    public static let unitSeconds: [String: Double] = ["s": 1, "m": 60, "min": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// The duration in seconds, or nil when the text is not one (a bare number has no unit, so it is not).
    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var rest = Substring(text.lowercased())
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let n = Double(number), n.isFinite, let seconds = unitSeconds[String(unit)] else { return nil }
            total += n * seconds
        }
        return total.isFinite ? total : nil
    }
}
