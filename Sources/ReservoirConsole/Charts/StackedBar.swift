/// A horizontal bar split into segments — a pool's total as allocated, reserved and free GPUs — each a
/// `<rect>` with its own `<title>` (a tooltip, and what a screen reader reads). Pure: values in, SVG out.
public struct StackedBar: Sendable {
    public struct Segment: Sendable, Hashable {
        public var label: String
        public var value: Double
        /// The segment's CSS class (`seg-allocated`, `seg-reserved`, `seg-free`, `seg-other`), for its colour.
        public var style: String
        public init(_ label: String, _ value: Double, style: String) {
            self.label = label
            self.value = value
            self.style = style
        }
    }

    public var title: String
    public var segments: [Segment]
    /// What the whole bar stands for; nil: the sum of the segments. A larger total leaves the rest empty.
    public var total: Double?
    public var width: Double = 200
    public var height: Double = 16

    public init(title: String, segments: [Segment], total: Double? = nil) {
        self.title = title
        self.segments = segments
        self.total = total
    }

    /// The water level of one pool and model: allocated, reserved and free out of the total.
    public static func waterLevel(title: String, total: Int, allocated: Int, reserved: Int, free: Int) -> StackedBar {
        StackedBar(title: title, segments: [
            Segment("allocated", Double(allocated), style: "seg-allocated"),
            Segment("reserved", Double(reserved), style: "seg-reserved"),
            Segment("free", Double(free), style: "seg-free"),
        ], total: Double(total))
    }

    public func svg() -> String {
        let sum = segments.reduce(0) { $0 + max($1.value, 0) }
        let whole = max(total ?? sum, sum)
        let title = SVG.escape(self.title)
        var out = #"<svg class="bar" viewBox="0 0 \#(SVG.n(width)) \#(SVG.n(height))" role="img" aria-label="\#(title)" xmlns="http://www.w3.org/2000/svg"><title>\#(title)</title>"#
        out += #"<rect class="seg-other" fill-opacity="0.25" x="0" y="0" width="\#(SVG.n(width))" height="\#(SVG.n(height))"/>"#
        var x = 0.0
        for segment in segments where segment.value > 0 && whole > 0 {
            let w = segment.value / whole * width
            out += #"<rect class="\#(SVG.escape(segment.style))" x="\#(SVG.n(x))" y="0" width="\#(SVG.n(w))" height="\#(SVG.n(height))">"#
            out += "<title>\(SVG.escape(segment.label)): \(SVG.escape(SVG.figure(segment.value)))</title></rect>"
            x += w
        }
        return out + "</svg>"
    }
}
