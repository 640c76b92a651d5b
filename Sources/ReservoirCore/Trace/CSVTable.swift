/// A small header-driven CSV reader: columns are found by name, so files with extra, missing
/// optional or reordered columns all read. Quoted fields with commas and doubled quotes are handled.
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]
    private let columnIndex: [String: Int]

    public init(text: String) {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let head = lines.isEmpty ? [] : CSVTable.fields(of: lines.removeFirst())
        header = head.map { trimmedWhitespace($0).lowercased() }
        rows = lines.map { CSVTable.fields(of: $0) }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        columnIndex = index
    }

    public func has(_ column: String) -> Bool { columnIndex[column] != nil }

    /// The raw value of `column` in `row`, or nil when the column is absent or the cell empty.
    public func value(_ column: String, in row: [String]) -> String? {
        guard let i = columnIndex[column], i < row.count else { return nil }
        let v = trimmedWhitespace(row[i])
        return v.isEmpty ? nil : v
    }

    static func fields(of line: Substring) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var it = line.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; if n == "," { out.append(field); field = "" } else { field.append(n) } }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }
}
