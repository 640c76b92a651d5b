/// A grid of cells coloured by a value in 0…1 (a GPU's allocation or utilization), `columns` wide, each cell
/// with a label under it and a `<title>`, and a legend from 0 to 100 %. Cells without a value (a failed
/// device, no sample) are drawn hatched-grey and say why. A cell with a `link` is a link (the device's node
/// page, so a cell of a pool's map leads to its node). Pure: values in, SVG out.
public struct HeatMap: Sendable {
    public struct Cell: Sendable, Hashable {
        public var label: String
        /// 0…1; nil: no value (the `note` says why).
        public var value: Double?
        /// The tooltip's text after the label (e.g. "75 % allocated, job j-12").
        public var note: String
        /// Where the cell leads when clicked (a console path); nil: not a link.
        public var link: String?
        public init(label: String, value: Double?, note: String, link: String? = nil) {
            self.label = label
            self.value = value
            self.note = note
            self.link = link
        }
    }

    public var title: String
    public var cells: [Cell]
    public var columns: Int
    public var cellSize: Double = 44
    /// Whether the 0–100 % scale is drawn under the cells; off when a page shows many maps and one scale
    /// (a map without cells is then the scale alone).
    public var showsLegend = true

    public init(title: String, cells: [Cell], columns: Int = 8) {
        self.title = title
        self.cells = cells
        self.columns = max(1, columns)
    }

    /// The colour of a value: from pale (0) to deep blue (1), as an `rgb()` fill (a presentation attribute, allowed by the CSP).
    public static func colour(_ value: Double) -> String {
        let v = min(max(value, 0), 1)
        func mix(_ from: Double, _ to: Double) -> Int { Int((from + (to - from) * v).rounded()) }
        return "rgb(\(mix(234, 11)),\(mix(242, 60)),\(mix(251, 130)))"
    }

    public func svg() -> String {
        let gap = 4.0, labelHeight = 14.0
        let rows = (cells.count + columns - 1) / columns
        let gridWidth = Double(min(columns, max(cells.count, 1))) * (cellSize + gap)
        let width = max(gridWidth, 220)
        let legendY = Double(rows) * (cellSize + gap + labelHeight) + 6
        let height = showsLegend ? legendY + 30 : legendY
        let title = SVG.escape(self.title)
        var out = #"<svg class="heatmap" viewBox="0 0 \#(SVG.n(width)) \#(SVG.n(height))" width="\#(SVG.n(width))" role="img" aria-label="\#(title)" xmlns="http://www.w3.org/2000/svg"><title>\#(title)</title>"#
        for (index, cell) in cells.enumerated() {
            let x = Double(index % columns) * (cellSize + gap)
            let y = Double(index / columns) * (cellSize + gap + labelHeight)
            let fill = cell.value.map(Self.colour) ?? "#d0d7de"
            let percent = cell.value.map { " \(SVG.figure($0 * 100, digits: 0)) %" } ?? ""
            if let link = cell.link { out += #"<a href="\#(SVG.escape(link))">"# }
            out += ##"<rect x="\##(SVG.n(x))" y="\##(SVG.n(y))" width="\##(SVG.n(cellSize))" height="\##(SVG.n(cellSize))" rx="3" fill="\##(fill)" stroke="#8c959f">"##
            out += "<title>\(SVG.escape(cell.label))\(percent): \(SVG.escape(cell.note))</title></rect>"
            out += #"<text x="\#(SVG.n(x + cellSize / 2))" y="\#(SVG.n(y + cellSize + 11))" text-anchor="middle">\#(SVG.escape(cell.label))</text>"#
            if cell.link != nil { out += "</a>" }
        }
        for step in 0...4 where showsLegend {
            let v = Double(step) / 4
            let x = Double(step) * 40
            out += ##"<rect x="\##(SVG.n(x))" y="\##(SVG.n(legendY))" width="36" height="10" fill="\##(Self.colour(v))" stroke="#8c959f"/>"##
            out += #"<text x="\#(SVG.n(x))" y="\#(SVG.n(legendY + 24))">\#(Int(v * 100)) %</text>"#
        }
        return out + "</svg>"
    }
}
