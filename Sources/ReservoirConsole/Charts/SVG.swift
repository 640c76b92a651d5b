import Foundation
import ReservoirCore

/// Helpers the charts share: escaping text for SVG/HTML and formatting coordinates compactly.
/// Every chart is a pure function from values to an SVG string that is safe to insert unescaped (`{{{svg}}}`):
/// all text it contains went through `escape`.
public enum SVG {
    /// Escapes `&`, `<`, `>`, `"` and `'` so text cannot open a tag or leave an attribute: the one escaping
    /// function every renderer shares (`MarkupText`, in the core).
    public static func escape(_ text: String) -> String { MarkupText.escaped(text) }

    /// A coordinate with at most one decimal (enough at screen scale, and small markup).
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// A figure for a label: whole numbers plain, others with up to `digits` decimals.
    public static func figure(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.\(digits)f", value)
    }
}
