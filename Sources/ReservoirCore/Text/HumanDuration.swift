/// A duration as people say it in messages: `30 s`, `5 min`, `1.5 h`, `3 d` — never `0.008333333333333333 h`.
public enum HumanDuration {
    /// The largest unit that leaves a number of at least 1, to at most one decimal (`90 min` is `1.5 h`).
    public static func text(seconds: Double) -> String {
        guard seconds.isFinite else { return "\(seconds) s" }
        let units: [(String, Double)] = [("d", 86_400), ("h", 3600), ("min", 60)]
        let (unit, size) = units.first { abs(seconds) >= $0.1 } ?? ("s", 1)
        let value = (seconds / size * 10).rounded() / 10
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        return "\(number) \(unit)"
    }

    public static func text(hours: Double) -> String { text(seconds: hours * 3600) }
}
