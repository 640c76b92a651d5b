import Foundation

/// Fixed number formats of the report, so the same data gives the same bytes in every rendering.
public enum ReportNumber {
    /// `value` rounded half away from zero to `places` decimals.
    public static func round(_ value: Double, places: Int = 2) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    /// Fixed-point text with exactly `places` decimals (`12.50`).
    public static func text(_ value: Double, places: Int = 1) -> String {
        String(format: "%.\(places)f", round(value, places: places))
    }

    /// `text`, or an em dash when there is no value.
    public static func text(_ value: Double?, places: Int = 1) -> String {
        value.map { text($0, places: places) } ?? "—"
    }

    /// A signed change (`+1.5`, `-0.3`, `0.0`), or an em dash.
    public static func change(_ value: Double?, places: Int = 1) -> String {
        guard let value else { return "—" }
        let rounded = round(value, places: places)
        return (rounded > 0 ? "+" : "") + text(rounded == 0 ? 0 : rounded, places: places)
    }

    /// `YYYY-MM-DD` (UTC) of an instant.
    public static func day(_ seconds: Double) -> String { String(InstantText.iso(seconds).prefix(10)) }

    /// The nearest-rank percentile `p` (0…1) of `values`: the smallest value with at least `p` of them at or
    /// below it; nil for none.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// The sample-weighted means of a series of roll-ups: (GPU %, memory %), nil without samples.
    public static func means(_ points: [UtilizationPoint]) -> (gpu: Double, memory: Double)? {
        UtilizationPoint.sampleWeightedMeans(points).map { ($0.gpuUtil, $0.memoryFraction * 100) }
    }
}
