import Foundation

/// Renders API JSON as an aligned table (the default) or passes it through (`--json`).
enum Output {
    /// A column: header and a dotted path into each JSON object (`request.gpus`); the path's last
    /// key decides how the value shows (`Cell`: times as ISO 8601, money with its currency).
    typealias Column = (header: String, path: String)

    static func print(_ data: Data, json: Bool, columns: [Column]) throws {
        if json {
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        let rows: [JSONValue]
        if case .array(let a) = value { rows = a } else { rows = [value] }
        Swift.print(table(rows, columns: columns))
    }

    /// A table of JSON objects, each cell formatted by `Cell`.
    static func table(_ rows: [JSONValue], columns: [Column]) -> String {
        table(header: columns.map(\.header), rows: rows.map { row in columns.map { Cell.render(row[$0.path], key: Cell.key(of: $0.path)) } })
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header.map { $0.uppercased() })] + rows.map(line)).joined(separator: "\n")
    }
}
